/**
 * Bearer token authentication (RFC 6750) of JWT access tokens, verified with jose against the issuer's JWKS.
 * `authenticate` turns an `Authorization` header into an identity or throws an `ApiError` carrying the 401 challenge;
 * `requireScope` throws the 403 one. The token itself is never echoed back or logged.
 *
 * Behind Cloudflare Access the API may instead be handed Access's `Cf-Access-Jwt-Assertion` (`authenticateAccess`),
 * and Access-issued credentials carry no API scopes: `withDefaultScopes` grants the configured ones to a caller whose
 * credential names none of the API's scopes (Access's own policies decided who gets this far).
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { ApiError } from "./errors.ts";

/** Asymmetric algorithms only: never `none` or an HMAC keyed with something public. */
export const ALGORITHMS = ["RS256", "ES256", "PS256"];
/** Allowed clock skew between the issuer and this Worker for `exp`/`nbf`, in seconds. */
export const CLOCK_TOLERANCE_SECONDS = 30;
const REALM = "todo-api";

export interface Identity {
  subject: string;
  scopes: ReadonlySet<string>;
}

export interface VerifierConfig {
  issuer: string;
  audience: string;
  keys: JWTVerifyGetKey;
  /** The time to check `exp`/`nbf` against; the current time when left out. */
  now?: Date;
}

/**
 * The key set could not be fetched or read, or it may be out of date (a token names a key it lacks while a refetch is
 * not yet allowed): the caller's token is not at fault, so the answer is 503 with Retry-After, never "sign in again".
 */
export class KeySetUnavailableError extends Error {
  readonly retryAfterSeconds: number | undefined;
  constructor(options: { cause: unknown; retryAfterSeconds?: number }) {
    super("The issuer's JSON Web Key Set is unavailable", options);
    this.name = "KeySetUnavailableError";
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** jose's remote key set options, stated rather than left to its defaults (a 30 s cooldown kept a rotated key out). */
export const KEY_SET_OPTIONS = {
  /** A fetched key set is used this long, then fetched again. */
  cacheMaxAge: 10 * 60_000,
  /** A token naming a key the set lacks makes jose fetch it again, at most once per this long (rate limit). */
  cooldownDuration: 5_000,
} as const;

// One remote key set per JWKS URL for the isolate's lifetime: jose keeps the keys (cacheMaxAge) and fetches them again
// when a token names an unknown `kid` (a key rotation), at most once per cooldownDuration.
const keySets = new Map<string, JWTVerifyGetKey>();

export function remoteKeySet(url: string): JWTVerifyGetKey {
  let keys = keySets.get(url);
  if (keys === undefined) {
    const remote = createRemoteJWKSet(new URL(url), KEY_SET_OPTIONS);
    keys = async (header, token) => {
      // Read before: once jose has refetched for this token it is cooling down too, but then the set is fresh.
      const mayNotRefetch = remote.coolingDown;
      try {
        return await remote(header, token);
      } catch (err) {
        // A kid the set lacks while jose may not refetch yet: perhaps a key the issuer just rotated in. "Try again in
        // a few seconds" (503) rather than 401, which tells the client its credentials are bad.
        if (err instanceof errors.JWKSNoMatchingKey && mayNotRefetch) {
          throw new KeySetUnavailableError({ cause: err, retryAfterSeconds: Math.ceil(KEY_SET_OPTIONS.cooldownDuration / 1000) });
        }
        // A token naming a key the set does not have (just fetched) is the token's fault; failing to get the set is not.
        if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) throw err;
        throw new KeySetUnavailableError({ cause: err });
      }
    };
    keySets.set(url, keys);
  }
  return keys;
}

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export async function authenticate(authorization: string | null, config: VerifierConfig): Promise<Identity> {
  // RFC 6750 §3.1: a request without credentials (or with another scheme) gets a challenge with no error code.
  if (authorization === null || !/^Bearer(\s|$)/i.test(authorization)) {
    throw unauthorized("An access token is required.");
  }
  const token = BEARER.exec(authorization)?.[1];
  if (token === undefined) throw invalidToken("The access token is invalid.");

  const payload = await verifyOrRefuse(token, config.keys, "access token", {
    issuer: config.issuer,
    audience: config.audience, // `aud` may be a string or an array; it must contain this API
    algorithms: ALGORITHMS,
    requiredClaims: ["exp", "sub"],
    now: config.now,
  });
  if (typeof payload.sub !== "string" || payload.sub === "") throw invalidToken("The access token is invalid.");
  return { subject: payload.sub, scopes: scopesOf(payload) };
}

/**
 * The token's scopes: `scope` as a space-separated string (RFC 8693 §4.2, RFC 9068) or an array, and `scp` (an array
 * or string, as some issuers send). Each scope is a whole token: `todo_api:writer` is not `todo_api:write`.
 */
export function scopesOf(payload: JWTPayload): Set<string> {
  const scopes = new Set<string>();
  for (const claim of [payload["scope"], payload["scp"]]) {
    const values = typeof claim === "string" ? claim.split(" ") : Array.isArray(claim) ? claim : [];
    for (const value of values) if (typeof value === "string" && value !== "") scopes.add(value);
  }
  return scopes;
}

/** Access's application tokens: RS256 only, signed with the team's keys at `<team>/cdn-cgi/access/certs`. */
const ACCESS_ALGORITHMS = ["RS256"];

export interface AccessVerifierConfig {
  /** `https://<team>.cloudflareaccess.com`: the assertion's `iss`. */
  teamDomain: string;
  /** The AUD tag of the Access application protecting this API: must be in the assertion's `aud`. */
  aud: string;
  keys: JWTVerifyGetKey;
  now?: Date;
}

/**
 * A `Cf-Access-Jwt-Assertion` verified against the team's keys: users by `sub`, service tokens (empty `sub`) by
 * `common_name`. The identity has no scopes of its own (see `withDefaultScopes`).
 */
export async function authenticateAccess(assertion: string, config: AccessVerifierConfig): Promise<Identity> {
  const payload = await verifyOrRefuse(assertion.trim(), config.keys, "Access assertion", {
    issuer: config.teamDomain,
    audience: config.aud,
    algorithms: ACCESS_ALGORITHMS,
    requiredClaims: ["exp"],
    now: config.now,
  });
  const subject = [payload.sub, payload["common_name"]].find((value): value is string => typeof value === "string" && value !== "");
  if (subject === undefined) throw invalidToken("The Access assertion is invalid.");
  return { subject, scopes: scopesOf(payload) };
}

/**
 * `defaults` added to an identity whose credential names none of `apiScopes` (an Access assertion, an Access for SaaS
 * token). A credential that names any API scope keeps exactly its own: a read-only token never gains write this way.
 */
export function withDefaultScopes(identity: Identity, defaults: ReadonlySet<string>, apiScopes: readonly string[]): Identity {
  if (defaults.size === 0 || apiScopes.some((scope) => identity.scopes.has(scope))) return identity;
  return { subject: identity.subject, scopes: new Set([...identity.scopes, ...defaults]) };
}

export function requireScope(identity: Identity, scope: string): void {
  if (identity.scopes.has(scope)) return;
  // RFC 6750 §3.1: insufficient_scope is a 403 naming the scope the request needs.
  const message = `This operation needs the scope ${scope}.`;
  throw new ApiError(403, "insufficient_scope", message, {
    headers: {
      "www-authenticate": challenge({
        error: "insufficient_scope",
        error_description: `This operation needs ${scope}`,
        scope,
      }),
    },
  });
}

function unauthorized(message: string): ApiError {
  return new ApiError(401, "invalid_token", message, { headers: { "www-authenticate": challenge({}) } });
}

/**
 * jose's verification with the clock-skew leeway, its failures turned into the API's answers: 503 when the keys
 * cannot be fetched (not the caller's fault), otherwise 401 invalid_token saying the `what` expired or is invalid.
 */
async function verifyOrRefuse(
  token: string,
  keys: JWTVerifyGetKey,
  what: "access token" | "Access assertion",
  checks: { issuer: string; audience: string; algorithms: string[]; requiredClaims: string[]; now: Date | undefined },
): Promise<JWTPayload> {
  const { now, ...options } = checks;
  try {
    const { payload } = await jwtVerify(token, keys, {
      ...options,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      ...(now === undefined ? {} : { currentDate: now }),
    });
    return payload;
  } catch (err) {
    if (err instanceof KeySetUnavailableError) {
      // A key set that may be out of date is expected during a rotation: only a failure to get it is logged.
      if (err.retryAfterSeconds === undefined) console.error(`todo-api: cannot verify ${what}s:`, err.cause);
      const retryAfter = err.retryAfterSeconds === undefined ? {} : { headers: { "retry-after": String(err.retryAfterSeconds) } };
      throw new ApiError(503, "temporarily_unavailable", `${capitalised(what)}s cannot be verified right now; retry later.`, retryAfter);
    }
    if (err instanceof errors.JWTExpired && what === "access token") throw invalidToken("The access token expired.");
    if (err instanceof errors.JOSEError) throw invalidToken(`The ${what} is invalid.`);
    throw err;
  }
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function invalidToken(message: string): ApiError {
  const description = message.replace(/\.$/, "");
  return new ApiError(401, "invalid_token", message, {
    headers: { "www-authenticate": challenge({ error: "invalid_token", error_description: description }) },
  });
}

/** `Bearer realm="todo-api", name="value", …` (RFC 6750 §3). Values here are fixed strings, never user input. */
function challenge(params: Record<string, string>): string {
  return [`Bearer realm="${REALM}"`, ...Object.entries(params).map(([name, value]) => `${name}="${value}"`)].join(", ");
}
