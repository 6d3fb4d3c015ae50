/**
 * Validation of JWT access tokens (RFC 9068 profile) with jose: signature against the issuer's JWKS, `iss`, `aud`,
 * `exp`/`nbf`, and an explicit algorithm allow-list (pitfall 7).
 */
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload } from "jose";
import { ValidatorUnavailable } from "./errors.ts";

export interface JwtValidatorOptions {
  readonly issuer: string;
  /** This bridge's canonical resource URL. */
  readonly audience: string;
  readonly algorithms: readonly string[];
  readonly jwksUri: () => Promise<string>;
  readonly fetch: typeof fetch;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
}

/** RFC 7519 §4.1.4/§4.1.5 leeway for clock skew between PingFederate and the Worker. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * One remote key set per JWKS URI per isolate (shared by every adapter: PingFederate's JWKS, Access's certs): jose
 * caches the keys (10 min) and refetches on an unknown `kid` (at most once per 30 s cooldown), so keys rotate
 * without a JWKS request per token.
 */
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** For tests. */
export function clearKeySetCache(): void {
  keySets.clear();
}

export function keySetFor(uri: string, fetchImpl: typeof fetch): ReturnType<typeof createRemoteJWKSet> {
  let keySet = keySets.get(uri);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL(uri), { [customFetch]: (url, init) => fetchImpl(url, init) });
    keySets.set(uri, keySet);
  }
  return keySet;
}

/** Errors that mean "this token is not acceptable" (→ 401 invalid_token), as opposed to "could not check". */
const TOKEN_ERRORS = new Set<string>([
  errors.JWTClaimValidationFailed.code,
  errors.JWTExpired.code,
  errors.JWTInvalid.code,
  errors.JWSInvalid.code,
  errors.JWSSignatureVerificationFailed.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
  errors.JWKInvalid.code,
]);

/** True when jose refused the token itself (→ 401), false when it could not check it (keys unreachable → 503). */
export function isTokenRejection(error: unknown): boolean {
  return error instanceof errors.JOSEError && TOKEN_ERRORS.has(error.code);
}

export class InvalidToken extends Error {
  override readonly name = "InvalidToken";
}

export function createJwtValidator(options: JwtValidatorOptions) {
  return async function validate(token: string): Promise<JWTPayload> {
    const uri = await options.jwksUri();
    try {
      const { payload } = await jwtVerify(token, keySetFor(uri, options.fetch), {
        issuer: options.issuer, // RFC 9068 §4: iss must be the expected authorization server
        audience: options.audience, // RFC 8707 §2 / RFC 9068 §4: aud must name this resource
        algorithms: [...options.algorithms], // RFC 8725 §3.1: never `none`, never an HMAC with a public key
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["sub", "exp"], // RFC 9068 §2.2: exp and sub are required
        currentDate: new Date(options.now()),
      });
      if (typeof payload.sub !== "string" || payload.sub === "") throw new InvalidToken("invalid token");
      return payload;
    } catch (error) {
      if (error instanceof InvalidToken) throw error;
      if (isTokenRejection(error)) throw new InvalidToken("invalid token");
      // JWKS unreachable, timed out or not a key set: not the caller's fault.
      throw new ValidatorUnavailable("the identity provider's keys could not be fetched");
    }
  };
}
