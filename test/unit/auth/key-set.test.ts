/**
 * The provider's key set (src/auth/key-set.ts) on a manual clock: a rotated-in key is accepted within the 5 s window
 * of the last fetch (the request waits, it is not refused), and made-up kids, concurrent or one after another, cost
 * at most one fetch per window. The key endpoint is an in-memory function answering at once (the adapters' tests
 * fetch over HTTP): the clock then only moves when every request is waiting on it.
 */
import { errors, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from "jose";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { KEY_SET_COOLDOWN_MS, KEY_SET_MAX_AGE_MS, remoteKeySet } from "../../../src/auth/key-set.ts";
import { ManualClock } from "../../helpers/manual-clock.ts";

const URI = "https://idp.example.com/pf/JWKS";

interface Key {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function key(kid: string): Promise<Key> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

let current: Key;
let next: Key;
let madeUp: Key;
beforeAll(async () => {
  [current, next, madeUp] = await Promise.all([key("current"), key("next"), key("made-up")]);
});

const sign = (signer: Key, kid = signer.kid) => new SignJWT({ sub: "demo" }).setProtectedHeader({ alg: "RS256", kid }).sign(signer.privateKey);

/** A key set over an endpoint that publishes `published` and counts its fetches. */
function keySet(clock: ManualClock) {
  const endpoint = { published: [current.publicJwk], fetches: 0 };
  const fetchImpl: typeof fetch = async () => {
    endpoint.fetches += 1;
    return Response.json({ keys: endpoint.published });
  };
  const keys = remoteKeySet(URI, { fetch: fetchImpl, clock });
  const verify = (token: string) => jwtVerify(token, keys, { algorithms: ["RS256"] });
  return { endpoint, verify };
}

describe("a rotated-in key", () => {
  it("is accepted right after a fetch: the request waits for the 5 s window (never a refusal), and the set is fetched once", async () => {
    const clock = new ManualClock();
    const { endpoint, verify } = keySet(clock);
    await verify(await sign(current));
    expect(endpoint.fetches).toBe(1);
    await clock.advance(1_000);

    endpoint.published = [current.publicJwk, next.publicJwk];
    const started = clock.now();
    const verified = await clock.runUntilSettled(verify(await sign(next)));
    expect(verified.payload.sub).toBe("demo");
    expect(endpoint.fetches).toBe(2);
    // Waited for the window that opened 5 s after the first fetch: 4 s here, never more than the cooldown.
    expect(clock.now() - started).toBe(KEY_SET_COOLDOWN_MS - 1_000);

    // Kept: both keys verify without another fetch.
    await verify(await sign(next));
    await verify(await sign(current));
    expect(endpoint.fetches).toBe(2);
  });

  it("is accepted at once when the window is open", async () => {
    const clock = new ManualClock();
    const { endpoint, verify } = keySet(clock);
    await verify(await sign(current));
    await clock.advance(KEY_SET_COOLDOWN_MS);
    endpoint.published = [next.publicJwk];
    const started = clock.now();
    await verify(await sign(next));
    expect(clock.now()).toBe(started);
    expect(endpoint.fetches).toBe(2);
  });

  it("a kid missing from a set fetched for this very request is refused at once", async () => {
    const clock = new ManualClock();
    const { endpoint, verify } = keySet(clock);
    await expect(verify(await sign(madeUp))).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(endpoint.fetches).toBe(1);
    expect(clock.pending).toBe(0);
  });
});

describe("made-up kids", () => {
  it("50 at once: one fetch, and each is refused (JWKSNoMatchingKey) once the window has passed", async () => {
    const clock = new ManualClock();
    const { endpoint, verify } = keySet(clock);
    await verify(await sign(current));
    await clock.advance(KEY_SET_COOLDOWN_MS);
    const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => sign(madeUp, `made-up-${i}`)));

    const outcomes = Promise.allSettled(tokens.map(verify));
    // The first opened window's fetch is made; the other 49 wait on the clock for the next window.
    await clock.waitForTimers(49);
    expect(endpoint.fetches).toBe(2);
    await clock.advance(KEY_SET_COOLDOWN_MS);
    for (const outcome of await outcomes) {
      expect(outcome.status).toBe("rejected");
      expect(outcome.status === "rejected" && outcome.reason).toBeInstanceOf(errors.JWKSNoMatchingKey);
    }
    // Another request brought a newer set while they waited: none of them fetched again.
    expect(endpoint.fetches).toBe(2);
  });

  it("one after another for a minute: at most one fetch per 5 s window", async () => {
    const clock = new ManualClock();
    const { endpoint, verify } = keySet(clock);
    await verify(await sign(current));
    const started = clock.now();
    for (let i = 0; clock.now() - started < 60_000; i++) {
      await expect(clock.runUntilSettled(verify(await sign(madeUp, `made-up-${i}`)))).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    }
    const windows = Math.ceil((clock.now() - started) / KEY_SET_COOLDOWN_MS);
    expect(endpoint.fetches - 1).toBeLessThanOrEqual(windows);
    expect(endpoint.fetches - 1).toBeGreaterThan(0);
  });

  it("keep the genuine keys working: a valid token in the middle of a flood is not delayed", async () => {
    const clock = new ManualClock();
    const { verify } = keySet(clock);
    await verify(await sign(current));
    const [genuine, ...forged] = await Promise.all([sign(current), ...Array.from({ length: 10 }, (_, i) => sign(madeUp, `x-${i}`))]);
    const flood = Promise.allSettled(forged.map(verify));
    await clock.waitForTimers(10);
    const started = clock.now();
    await verify(genuine!);
    expect(clock.now()).toBe(started);
    await clock.advance(KEY_SET_COOLDOWN_MS);
    expect((await flood).map((outcome) => outcome.status)).toEqual(Array(10).fill("rejected"));
  });
});

describe("age", () => {
  it("keeps a set 10 minutes, then fetches it again", async () => {
    const clock = new ManualClock();
    const { endpoint, verify } = keySet(clock);
    await verify(await sign(current));
    await clock.advance(KEY_SET_MAX_AGE_MS - 1);
    await verify(await sign(current));
    expect(endpoint.fetches).toBe(1);
    await clock.advance(1);
    await verify(await sign(current));
    expect(endpoint.fetches).toBe(2);
  });

  it("with no set yet (the first fetch failed), the next request fetches at once, whatever the window", async () => {
    const clock = new ManualClock();
    let down = true;
    const keys = remoteKeySet(URI, {
      clock,
      fetch: vi.fn(async () => (down ? Response.json({ error: "down" }, { status: 503 }) : Response.json({ keys: [current.publicJwk] }))),
    });
    await expect(jwtVerify(await sign(current), keys)).rejects.toMatchObject({ code: "ERR_IDP_UNAVAILABLE" });
    down = false;
    await expect(jwtVerify(await sign(current), keys)).resolves.toBeDefined();
  });
});
