/**
 * Validation of JWT access tokens (RFC 9068 profile) with jose: signature against the issuer's JWKS, `iss`, `aud`,
 * `exp`/`nbf`, and an explicit algorithm allow-list (pitfall 7).
 */
import { createRemoteJWKSet, customFetch, jwtVerify, type JWTPayload } from "jose";
import { TokenClaimInvalid } from "./errors.ts";
import { idpFetch, joseError } from "./idp-errors.ts";

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
    const keysFetch = idpFetch(fetchImpl, "jwks");
    keySet = createRemoteJWKSet(new URL(uri), { [customFetch]: (url, init) => keysFetch(url, init) });
    keySets.set(uri, keySet);
  }
  return keySet;
}

/** Resolves to the verified payload, or rejects with an AuthError: a refusal of the token, or the keys' failure. */
export function createJwtValidator(options: JwtValidatorOptions) {
  return async function validate(token: string): Promise<JWTPayload> {
    const uri = await options.jwksUri();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keySetFor(uri, options.fetch), {
        issuer: options.issuer, // RFC 9068 §4: iss must be the expected authorization server
        audience: options.audience, // RFC 8707 §2 / RFC 9068 §4: aud must name this resource
        algorithms: [...options.algorithms], // RFC 8725 §3.1: never `none`, never an HMAC with a public key
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["sub", "exp"], // RFC 9068 §2.2: exp and sub are required
        currentDate: new Date(options.now()),
      }));
    } catch (error) {
      throw joseError(error, "jwks");
    }
    if (typeof payload.sub !== "string" || payload.sub === "") throw new TokenClaimInvalid("sub", "the token's sub is not a non-empty string");
    return payload;
  };
}
