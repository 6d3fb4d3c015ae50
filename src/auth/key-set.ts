/**
 * An identity provider's signing keys (a JWKS URI, Access's certs), kept per adapter, i.e. per isolate, on the
 * injected clock. jose selects and imports the keys (createLocalJWKSet); fetching and keeping the document are here,
 * with jose's remote key set's two settings under their own names: a set is used for `cacheMaxAge` (10 minutes), and
 * fetches caused by tokens are at most one per `cooldownDuration` window (5 seconds). Not jose's createRemoteJWKSet
 * itself: it reads the global clock (Date.now), and on Workers it neither shares an in-flight fetch nor starts its
 * cooldown before the fetch ends, so N concurrent tokens with made-up kids cost N fetches.
 *
 * A token naming a key the set lacks (the provider rotated its keys, or the kid is made up) makes the set be fetched
 * again promptly: at once when the window is open, else as soon as it opens (the request waits at most the cooldown)
 * rather than being refused, so a client is never told to sign in again for a key the provider just published. A
 * window is claimed when its fetch starts, so a flood of made-up kids, concurrent or not, costs one fetch per window.
 *
 * Concurrent fetches are not shared: in workerd a promise started by one request must not be awaited by another (jose
 * makes the same choice on Workers). Only the very first requests of an isolate, which have no keys at all, may fetch
 * together.
 */
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { sleep, withTimeout, type Clock } from "../clock.ts";
import { IdentityProviderResponseInvalid, IdentityProviderUnavailable } from "./errors.ts";
import { idpFetch } from "./idp-errors.ts";

/** How long a fetched key set is used before it is fetched again (jose: `cacheMaxAge`). */
export const KEY_SET_MAX_AGE_MS = 10 * 60_000;
/** The window: at most one fetch per this long, however many tokens name unknown keys (jose: `cooldownDuration`). */
export const KEY_SET_COOLDOWN_MS = 5_000;
/** Time limit for fetching the key set. */
export const KEY_SET_TIMEOUT_MS = 5_000;

export interface KeySetOptions {
  readonly fetch: typeof fetch;
  readonly clock: Clock;
}

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/** A key resolver for jwtVerify; rejects with IdentityProviderUnavailable or ...ResponseInvalid when the set fails. */
export function remoteKeySet(uri: string, options: KeySetOptions): JWTVerifyGetKey {
  const { clock } = options;
  const keysFetch = idpFetch(options.fetch, "jwks");
  let keys: LocalKeySet | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  /** The next window opens here; claimed (moved on) when a fetch starts, before its answer arrives. */
  let windowOpensAt = Number.NEGATIVE_INFINITY;

  const windowIsOpen = () => clock.now() >= windowOpensAt;

  async function fetchKeys(): Promise<LocalKeySet> {
    windowOpensAt = clock.now() + KEY_SET_COOLDOWN_MS;
    const document = await withTimeout(clock, KEY_SET_TIMEOUT_MS, (signal) => fetchKeySet(uri, keysFetch, signal));
    // Throws JWKSInvalid for a document that is not a JWK Set of public keys (sorted by idp-errors.ts joseError).
    keys = createLocalJWKSet(document);
    fetchedAt = clock.now();
    return keys;
  }

  /** The set to try first, and whether it was fetched for this request: none yet, or one past its age with the window open, is. */
  async function currentKeys(): Promise<{ set: LocalKeySet; fetched: boolean }> {
    if (keys !== undefined && (clock.now() < fetchedAt + KEY_SET_MAX_AGE_MS || !windowIsOpen())) return { set: keys, fetched: false };
    return { set: await fetchKeys(), fetched: true };
  }

  return async (header, token) => {
    const tried = await currentKeys();
    try {
      return await tried.set(header, token);
    } catch (error) {
      // Not a missing key, or a set fetched for this very request (as fresh as it gets): the answer stands.
      if (!(error instanceof errors.JWKSNoMatchingKey) || tried.fetched) throw error;
    }
    // A kid the set lacks: wait for the window (at most the cooldown), then fetch, unless another request brought a
    // newer set meanwhile. Still unknown after that: the token's fault (JWKSNoMatchingKey, a refusal).
    const wait = windowOpensAt - clock.now();
    if (wait > 0) await sleep(clock, wait);
    const latest = keys === tried.set && windowIsOpen() ? await fetchKeys() : keys!;
    return latest(header, token);
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
