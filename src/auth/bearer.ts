/**
 * RFC 6750 bearer tokens: reading them from a request (§2.1 only) and the `WWW-Authenticate` challenges (§3).
 */
import { MalformedCredentials, NoCredentials, ReauthenticationRequired, type AuthRefusal } from "./errors.ts";

export type BearerCredentials =
  | { readonly kind: "none" }
  | { readonly kind: "malformed" }
  | { readonly kind: "token"; readonly token: string };

/** RFC 6750 §2.1: `credentials = "Bearer" 1*SP b64token`; b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The token from the `Authorization` header, or throws the refusal (NoCredentials, MalformedCredentials). Only the
 * header method is supported (RFC 6750 §2.1); form bodies (§2.2) and `access_token` query parameters (§2.3) are
 * ignored, so a token sent there counts as no credentials. `extra` widens the accepted characters (the bridge's own
 * OAuth server issues tokens with ':').
 */
export function bearerToken(request: Request, extra?: RegExp): string {
  const bearer = readBearer(request);
  if (bearer.kind === "token") return bearer.token;
  if (bearer.kind === "none") throw new NoCredentials("no Authorization: Bearer header");
  const widened = extra?.exec((request.headers.get("authorization") ?? "").trim())?.[1];
  if (widened) return widened;
  throw new MalformedCredentials("the Authorization header is not Bearer followed by one b64token (RFC 6750 §2.1)");
}

/**
 * The token from the `Authorization` header. Only the header method is supported (RFC 6750 §2.1); form bodies (§2.2)
 * and `access_token` query parameters (§2.3) are ignored, so a token sent there counts as no credentials.
 */
export function readBearer(request: Request): BearerCredentials {
  const header = request.headers.get("authorization");
  if (header === null) return { kind: "none" };
  // RFC 9110 §11.1: the auth scheme is case-insensitive. Another scheme is "no bearer credentials" (RFC 6750 §3.1).
  if (!/^bearer(\s|$)/i.test(header.trimStart())) return { kind: "none" };
  const match = BEARER.exec(header.trim());
  return match?.[1] ? { kind: "token", token: match[1] } : { kind: "malformed" };
}

export interface ChallengeContext {
  /** RFC 9728 §5.1: the URL of the protected resource metadata. */
  readonly resourceMetadata: string;
  /** RFC 6750 §3: the scopes needed to use the resource (all API scopes). Omitted when empty. */
  readonly scopes: readonly string[];
}

/** RFC 6750 §3.1: a request without credentials gets a challenge with no `error` code. */
export function missingTokenChallenge(ctx: ChallengeContext): Response {
  return challenge(401, ctx, {});
}

/**
 * RFC 6750 §3.1 `invalid_token`: expired, revoked, malformed, wrong issuer or audience. The description is the same
 * for every failure so a caller cannot probe which check failed.
 */
export function invalidTokenChallenge(ctx: ChallengeContext): Response {
  return challenge(401, ctx, { error: "invalid_token", error_description: "The access token is invalid or expired" });
}

/**
 * RFC 6750 §3.1 `invalid_token` for a token that validated but that the identity provider no longer accepts for the
 * API (RFC 8693 §2.2.2 `invalid_grant` on the exchange: revoked, signed out): the client must sign in again.
 */
export function signInAgainChallenge(ctx: ChallengeContext): Response {
  return challenge(401, ctx, {
    error: "invalid_token",
    error_description: "The identity provider no longer accepts this sign-in for the API; sign in again",
  });
}

/** RFC 6750 §3.1 `invalid_request` (400): an `Authorization: Bearer` header that is not a b64token. */
export function invalidRequestChallenge(ctx: ChallengeContext): Response {
  return challenge(400, ctx, { error: "invalid_request", error_description: "The Authorization header is malformed" });
}

/**
 * The RFC 6750 answer to a refusal: no credentials → a challenge without an error code; a malformed header → 400
 * `invalid_request`; a sign-in the identity provider no longer accepts → `invalid_token` asking to sign in again;
 * any other refusal → `invalid_token`, the same words whichever check failed.
 */
export function bearerChallenge(refusal: AuthRefusal, ctx: ChallengeContext): Response {
  if (refusal instanceof NoCredentials) return missingTokenChallenge(ctx);
  if (refusal instanceof MalformedCredentials) return invalidRequestChallenge(ctx);
  if (refusal instanceof ReauthenticationRequired) return signInAgainChallenge(ctx);
  return invalidTokenChallenge(ctx);
}

function challenge(status: number, ctx: ChallengeContext, error: Record<string, string>): Response {
  const params: string[] = [];
  for (const [key, value] of Object.entries(error)) params.push(`${key}=${quote(value)}`);
  params.push(`resource_metadata=${quote(ctx.resourceMetadata)}`);
  if (ctx.scopes.length > 0) params.push(`scope=${quote(ctx.scopes.join(" "))}`);
  const body = { error: error["error"] ?? "unauthorized", error_description: error["error_description"] ?? "Sign-in required" };
  return Response.json(body, {
    status,
    headers: { "www-authenticate": `Bearer ${params.join(", ")}`, "cache-control": "no-store" },
  });
}

/** RFC 9110 §5.6.4 quoted-string. Values here never contain quotes or backslashes, but escape anyway. */
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
