/**
 * From validated token claims (a verified JWT payload or an RFC 7662 introspection response) to an Identity.
 */
import { TokenClaimInvalid } from "./errors.ts";
import type { Identity } from "./types.ts";

/**
 * Scopes as a set of exact strings. `scope` is a space-separated string (RFC 8693 §4.2, RFC 9068 §2.2.3, RFC 7662
 * §2.2); some servers send it, or `scp`, as an array. Never matched by substring (pitfall 6).
 */
export function scopesFrom(claims: Readonly<Record<string, unknown>>): string[] {
  const found = new Set<string>();
  for (const name of ["scope", "scp"]) {
    const value = claims[name];
    const items = typeof value === "string" ? value.split(" ") : Array.isArray(value) ? value : [];
    for (const item of items) if (typeof item === "string" && item !== "") found.add(item);
  }
  return [...found];
}

/** The identity the policy sees: subject, scopes and a few descriptive claims. Never a token. */
export function identityFrom(claims: Readonly<Record<string, unknown>>): Identity {
  const subject = claims["sub"];
  if (typeof subject !== "string" || subject === "") throw new TokenClaimInvalid("sub", "the token has no subject");
  const kept: Record<string, unknown> = {};
  for (const name of ["email", "client_id", "azp"]) {
    if (typeof claims[name] === "string") kept[name] = claims[name];
  }
  const groups = claims["groups"];
  if (typeof groups === "string") kept["groups"] = [groups];
  else if (Array.isArray(groups)) kept["groups"] = groups.filter((g): g is string => typeof g === "string");
  // RFC 9068 §2.2 has `client_id`; OIDC-style tokens have `azp`. The bridge names the client by `client_id`.
  if (kept["client_id"] === undefined && typeof kept["azp"] === "string") kept["client_id"] = kept["azp"];
  return { subject, scopes: scopesFrom(claims), claims: kept };
}
