/**
 * Validation of JWT access tokens (RFC 9068 profile) with jose: signature against the issuer's JWKS, `iss`, `aud`,
 * `exp`/`nbf`, and an explicit algorithm allow-list (pitfall 7).
 */
import { jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import type { Clock } from "../clock.ts";
import { TokenClaimInvalid } from "./errors.ts";
import { joseError } from "./idp-errors.ts";
import { remoteKeySet } from "./key-set.ts";

export interface JwtValidatorOptions {
  readonly issuer: string;
  /** This bridge's canonical resource URL. */
  readonly audience: string;
  readonly algorithms: readonly string[];
  /**
   * The `typ` header the token must carry (RFC 9068 §4: "at+jwt"; jose compares it without case and with or without
   * `application/`). Absent: `typ` is not checked.
   */
  readonly type?: string;
  readonly jwksUri: () => Promise<string>;
  readonly fetch: typeof fetch;
  /** For `exp`/`nbf`, and the key set's age. */
  readonly clock: Clock;
}

/** RFC 7519 §4.1.4/§4.1.5 leeway for clock skew between PingFederate and the Worker. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Resolves to the verified payload, or rejects with an AuthError: a refusal of the token, or the keys' failure. The
 * key set is kept by the validator (one per adapter, so per isolate) for each JWKS URI discovery gives (key-set.ts).
 */
export function createJwtValidator(options: JwtValidatorOptions) {
  const keySets = new Map<string, JWTVerifyGetKey>();
  const keySetFor = (uri: string): JWTVerifyGetKey => {
    let keySet = keySets.get(uri);
    if (!keySet) keySets.set(uri, (keySet = remoteKeySet(uri, { fetch: options.fetch, clock: options.clock })));
    return keySet;
  };
  return async function validate(token: string): Promise<JWTPayload> {
    const uri = await options.jwksUri();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keySetFor(uri), {
        issuer: options.issuer, // RFC 9068 §4: iss must be the expected authorization server
        audience: options.audience, // RFC 8707 §2 / RFC 9068 §4: aud must name this resource
        algorithms: [...options.algorithms], // RFC 8725 §3.1: never `none`, never an HMAC with a public key
        // RFC 9068 §4: the resource server "MUST verify that the typ header value is at+jwt or application/at+jwt and
        // reject tokens carrying any other value" (when configured: PingFederate and PingOne do not always write it, see
        // bridge.yaml identity.tokenType). RFC 8725 §3.11: explicit typing.
        ...(options.type !== undefined && { typ: options.type }),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["sub", "exp"], // RFC 9068 §2.2: exp and sub are required
        currentDate: new Date(options.clock.now()),
      }));
    } catch (error) {
      throw joseError(error, "jwks");
    }
    if (typeof payload.sub !== "string" || payload.sub === "") throw new TokenClaimInvalid("sub", "the token's sub is not a non-empty string");
    return payload;
  };
}
