/**
 * The Cloudflare Access adapter, `mode: self-hosted` (resource-server family, DESIGN.md decision 3): Access sits in
 * front of the bridge, signs the user in, and adds `Cf-Access-Jwt-Assertion` to every request it lets through. The
 * bridge verifies that assertion on every request (decision 1); it never trusts the header unverified, since the
 * Worker may also be reachable without Access (a workers.dev route, a misconfigured policy).
 *
 *   handle:       none. Self-hosted Access has no OAuth flow for MCP clients, so no RFC 9728 metadata is served
 *                 (metadata naming an authorization server would send clients to a flow that does not exist);
 *                 the well-known paths answer the bridge's ordinary 404.
 *   authenticate: `Cf-Access-Jwt-Assertion` header only (never the `CF_Authorization` cookie, a query parameter or
 *                 `Authorization`) → RS256 JWT verified against `<teamDomain>/cdn-cgi/access/certs`, `iss` = team
 *                 domain, `aud` contains the application's AUD tag, `exp`/`nbf` (30 s leeway) → Identity.
 *                 Missing → 401 `Bearer realm="…"` (no error code, RFC 6750 §3.1); invalid → 401
 *                 `error="invalid_token"`; certs unreachable → 503.
 *   identity:     subject = `sub` (users) or `common_name` (service tokens, whose `sub` is empty); claims `email`,
 *                 `groups`, `common_name`, `identity_nonce`; scopes = [] (Access carries no API scopes: bridge.yaml's
 *                 claim rules grant them, applied by the policy's `effectiveScopes`).
 *   credentials:  access-linked-app → `Cf-Access-Token: <assertion>` (the API is an Access app linked to this one)
 *                 | none.
 *   step-up:      none: there is no OAuth server an MCP client could step up with, so a call beyond the claim rules'
 *                 scopes is a tool error naming the permission, never a 403 challenge (src/mcp/step-up.ts).
 *
 * Groups: Access's application token carries no groups by default (they live behind `/cdn-cgi/access/get-identity`,
 * which this adapter does not call). Supported are groups present in the assertion itself: a top-level `groups`
 * claim, or `custom.groups` (OIDC/SAML claims an identity provider passes through as custom claims); each a string
 * or a list of strings (objects with a string `name`, as in get-identity, count by name). Anything else: no groups.
 */
import { jwtVerify, type JWTPayload } from "jose";
import { systemClock } from "../clock.ts";
import { NoCredentials, TokenClaimInvalid, TokenMalformed, type AuthRefusal } from "./errors.ts";
import { joseError } from "./idp-errors.ts";
import { CLOCK_TOLERANCE_SECONDS } from "./jwt-validator.ts";
import { remoteKeySet } from "./key-set.ts";
import { refusalOrFailure } from "./outcomes.ts";
import { noCredentials, type AdapterDeps, type AuthAdapter, type Identity, type UpstreamCredentials } from "./types.ts";

/** The header Access adds to every request it forwards to the origin. */
export const ASSERTION_HEADER = "cf-access-jwt-assertion";
/** The header a linked Access application accepts the caller's assertion in. */
export const LINKED_APP_HEADER = "cf-access-token";
/** Access signs application tokens with RS256 only. */
const ALGORITHMS = ["RS256"];
/** An Access assertion is a few KB at most; anything far larger is refused before parsing. */
const MAX_ASSERTION_LENGTH = 16_384;

/** Resolved by the generator (generated/config.ts) from `identity` (mode: self-hosted) and `upstream`. */
export interface AccessOptions {
  /** The team's origin, `https://<team>.cloudflareaccess.com` with no trailing slash: exactly the assertions' `iss`. */
  readonly issuer: string;
  /** Where the team publishes its signing keys: `<issuer>/cdn-cgi/access/certs`. */
  readonly certsUrl: string;
  /** The Access application's AUD tag: the assertions' `aud` must contain it. */
  readonly aud: string;
  /** The bridge's canonical URL: the realm of its challenges. */
  readonly resource: string;
  /** access-linked-app: the assertion goes to the API as `Cf-Access-Token` (an Access app linked to this one). */
  readonly credentials: "access-linked-app" | "none";
}

/** `deps.scopes` is not used: an MCP client cannot ask Access for scopes, so challenges name none. */
export function createAccessAdapter(options: AccessOptions, deps: AdapterDeps = {}): AuthAdapter {
  const fetchImpl = deps.fetch ?? ((input, init) => fetch(input, init));
  const clock = deps.clock ?? systemClock;
  const keys = remoteKeySet(options.certsUrl, { fetch: fetchImpl, clock });
  const realm = options.resource;
  const forward = options.credentials === "access-linked-app";

  /** The verified payload, or throws an AuthError (a refusal of the assertion, or the certs' failure). */
  async function verify(assertion: string): Promise<JWTPayload> {
    if (assertion.length > MAX_ASSERTION_LENGTH) throw new TokenMalformed(`the assertion is longer than ${MAX_ASSERTION_LENGTH} characters`);
    try {
      const { payload } = await jwtVerify(assertion, keys, {
        issuer: options.issuer, // exact: the team domain, no trailing slash
        audience: options.aud, // Access sets `aud` to a list of AUD tags; it must contain this application's
        algorithms: ALGORITHMS, // never `none`, never an HMAC keyed with the public key
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["exp", "iat"],
        currentDate: new Date(clock.now()),
      });
      return payload;
    } catch (error) {
      // Certs unreachable, timed out or not a key set: IdentityProviderUnavailable / ResponseInvalid, not a refusal.
      throw joseError(error, "jwks");
    }
  }

  const challenge = (refusal: AuthRefusal) => accessChallenge(realm, refusal instanceof NoCredentials ? "missing" : "invalid");

  return {
    async authenticate(request) {
      try {
        // The header only: Access also sets a CF_Authorization cookie, but a cookie rides along on cross-site requests.
        const assertion = request.headers.get(ASSERTION_HEADER)?.trim() ?? "";
        if (assertion === "") throw new NoCredentials(`no ${ASSERTION_HEADER} header`);
        const caller = accessIdentityFrom(await verify(assertion));
        if (!caller) throw new TokenClaimInvalid("sub", "the assertion has neither sub nor common_name");
        return { ok: true, identity: caller, credentials: forward ? linkedAppCredentials(assertion) : noCredentials };
      } catch (error) {
        return refusalOrFailure(error, challenge);
      }
    },
  };
}

/**
 * The identity of a verified assertion: users by `sub`, service tokens (empty `sub`, no email) by `common_name`.
 * Undefined when neither is there. The assertion itself is never copied into the identity.
 */
export function accessIdentityFrom(payload: Readonly<Record<string, unknown>>): Identity | undefined {
  const sub = nonEmpty(payload["sub"]);
  const commonName = nonEmpty(payload["common_name"]);
  const subject = sub ?? commonName;
  if (subject === undefined) return undefined;
  const claims: Record<string, unknown> = {};
  const email = nonEmpty(payload["email"]);
  if (email !== undefined) claims["email"] = email;
  const groups = groupsOf(payload);
  if (groups.length > 0) claims["groups"] = groups;
  if (commonName !== undefined) claims["common_name"] = commonName;
  const nonce = nonEmpty(payload["identity_nonce"]);
  if (nonce !== undefined) claims["identity_nonce"] = nonce;
  return { subject, scopes: [], claims };
}

function groupsOf(payload: Readonly<Record<string, unknown>>): string[] {
  const custom = payload["custom"];
  const fromCustom = custom !== null && typeof custom === "object" ? (custom as Record<string, unknown>)["groups"] : undefined;
  const found = new Set<string>();
  for (const value of [payload["groups"], fromCustom]) {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      const name = typeof item === "string" ? item : item !== null && typeof item === "object" ? (item as { name?: unknown }).name : undefined;
      if (typeof name === "string" && name !== "") found.add(name);
    }
  }
  return [...found];
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** `access-linked-app`: the API is an Access application that trusts this one; it takes the caller's assertion. */
function linkedAppCredentials(assertion: string): UpstreamCredentials {
  return { headersFor: async () => ({ [LINKED_APP_HEADER]: assertion }) };
}

/**
 * RFC 6750 §3 style challenge. No `resource_metadata` (there is no OAuth flow to discover) and no `scope` (Access
 * cannot grant scopes). The description is the same for every failure so a caller cannot probe which check failed.
 */
export function accessChallenge(realm: string, kind: "missing" | "invalid"): Response {
  const params = [`realm=${quote(realm)}`];
  const body =
    kind === "missing"
      ? { error: "unauthorized", error_description: "Sign in through Cloudflare Access" }
      : { error: "invalid_token", error_description: "The Cloudflare Access assertion is invalid or expired" };
  if (kind === "invalid") params.push(`error=${quote(body.error)}`, `error_description=${quote(body.error_description)}`);
  return Response.json(body, {
    status: 401,
    headers: { "www-authenticate": `Bearer ${params.join(", ")}`, "cache-control": "no-store" },
  });
}

/** RFC 9110 §5.6.4 quoted-string. */
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
