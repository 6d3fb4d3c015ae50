/**
 * Verified JWT access tokens, remembered per isolate: a client sends the same token on every MCP request until it
 * expires, and checking its RS256 signature each time is most of what authentication costs. A token's signature,
 * issuer and audience do not change, so a token that verified is accepted again without re-verifying, while it has
 * not expired (RFC 7519 §4.1.4, with the validator's clock-skew leeway) and for at most `maxAgeMs` after it verified.
 *
 * What that bounds: a signing key withdrawn from the JWKS stops being honoured for its tokens within `maxAgeMs`
 * (jose's key-set cache keeps keys for 10 minutes already, so 5 minutes adds no longer window). Only successes are
 * remembered; a refused token is checked again in full every time. Entries are keyed by the token itself (it is held
 * in memory for the request anyway) and bounded in number; nothing here is logged or returned.
 */
import type { JWTPayload } from "jose";
import type { Clock } from "../clock.ts";
import { CLOCK_TOLERANCE_SECONDS } from "./jwt-validator.ts";

export interface VerifiedTokenOptions {
  readonly clock: Clock;
  /** How long a verification is trusted at most; default 5 minutes. */
  readonly maxAgeMs?: number;
  /** How many tokens are remembered at most; default 1,000 (the oldest go first). */
  readonly maxEntries?: number;
}

type Validate<Env> = (token: string, env: Env) => Promise<JWTPayload>;

export function rememberVerifiedTokens<Env>(validate: Validate<Env>, options: VerifiedTokenOptions): Validate<Env> {
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const maxEntries = options.maxEntries ?? 1_000;
  const verified = new Map<string, { readonly payload: JWTPayload; readonly trustedUntil: number }>();

  return async function validateRemembered(token, env) {
    const now = options.clock.now();
    const hit = verified.get(token);
    // Past trustedUntil (expired, or verified too long ago) the token is checked in full again, and refused if expired.
    if (hit && now < hit.trustedUntil) return hit.payload;
    if (hit) verified.delete(token);
    const payload = await validate(token, env);
    // A token without exp is not remembered (validators here require exp; this keeps the rule local).
    if (typeof payload.exp === "number") {
      if (verified.size >= maxEntries) {
        const oldest = verified.keys().next().value;
        if (oldest !== undefined) verified.delete(oldest);
      }
      const expiresAt = (payload.exp + CLOCK_TOLERANCE_SECONDS) * 1000;
      verified.set(token, { payload, trustedUntil: Math.min(now + maxAgeMs, expiresAt) });
    }
    return payload;
  };
}
