/**
 * An identity provider's signing keys (a JWKS URI, Access's certs), kept per adapter, i.e. per isolate, on the
 * injected clock: fetched on first use, kept for 10 minutes, and fetched again at most once per 30 seconds when a
 * token names a key the set lacks (the provider rotated its keys). jose selects and imports the keys
 * (createLocalJWKSet); only fetching and keeping the document are here, because jose's remote key set keeps its time
 * on the global clock, which tests could then only fake.
 *
 * Concurrent reloads are not shared: in workerd a promise started by one request must not be awaited by another
 * (jose's remote set makes the same choice on Workers). A burst of first requests may fetch the keys more than once.
 */
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { withTimeout, type Clock } from "../clock.ts";
import { IdentityProviderResponseInvalid, IdentityProviderUnavailable } from "./errors.ts";
import { idpFetch } from "./idp-errors.ts";

/** How long a fetched key set is used before it is fetched again. */
export const KEY_SET_MAX_AGE_MS = 10 * 60_000;
/** How soon after a fetch an unknown `kid` may make the set be fetched again (a rotation, or a forged kid). */
export const KEY_SET_COOLDOWN_MS = 30_000;
/** Time limit for fetching the key set. */
export const KEY_SET_TIMEOUT_MS = 5_000;

export interface KeySetOptions {
  readonly fetch: typeof fetch;
  readonly clock: Clock;
}

/** A key resolver for jwtVerify; rejects with IdentityProviderUnavailable or ...ResponseInvalid when the set fails. */
export function remoteKeySet(uri: string, options: KeySetOptions): JWTVerifyGetKey {
  const { clock } = options;
  const keysFetch = idpFetch(options.fetch, "jwks");
  let keys: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;

  async function reload(): Promise<ReturnType<typeof createLocalJWKSet>> {
    const document = await withTimeout(clock, KEY_SET_TIMEOUT_MS, (signal) => fetchKeySet(uri, keysFetch, signal));
    // Throws JWKSInvalid for a document that is not a JWK Set of public keys (sorted by idp-errors.ts joseError).
    keys = createLocalJWKSet(document);
    fetchedAt = clock.now();
    return keys;
  }

  return async (header, token) => {
    const current = keys && clock.now() < fetchedAt + KEY_SET_MAX_AGE_MS ? keys : await reload();
    try {
      return await current(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || clock.now() < fetchedAt + KEY_SET_COOLDOWN_MS) throw error;
      return (await reload())(header, token);
    }
  };
}

async function fetchKeySet(uri: string, keysFetch: typeof fetch, signal: AbortSignal): Promise<JSONWebKeySet> {
  const response = await keysFetch(uri, {
    signal,
    redirect: "manual",
    headers: { accept: "application/json, application/jwk-set+json" },
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new IdentityProviderResponseInvalid("jwks", `the key set answered HTTP ${response.status}, not 200`);
  }
  try {
    return (await response.json()) as JSONWebKeySet;
  } catch (error) {
    if (signal.aborted) throw new IdentityProviderUnavailable("jwks", "the key set did not arrive within the time limit");
    throw new IdentityProviderResponseInvalid("jwks", `the key set is not JSON (${error instanceof Error ? error.name : typeof error})`);
  }
}
