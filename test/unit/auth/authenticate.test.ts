/**
 * PingFederate adapter, JWT mode: RFC 6750 challenges and every check on the access token, against the local AS
 * double (discovery + JWKS over HTTP on 127.0.0.1).
 */
import { exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY_SET_COOLDOWN_MS } from "../../../src/auth/key-set.ts";
import { createPingFederateAdapter } from "../../../src/auth/pingfederate.ts";
import type { AuthAdapter, AuthOutcome } from "../../../src/auth/types.ts";
import { ManualClock } from "../../helpers/manual-clock.ts";
import { startAsDouble, type AsDouble } from "./as-double.ts";
import { API, API_SCOPES, ENV, INVALID_TOKEN_CHALLENGE, mcpRequest, NO_TOKEN_CHALLENGE, pingFederateOptions, RESOURCE, SCOPES } from "./fixtures.ts";

let as: AsDouble;
let adapter: AuthAdapter;
const clock = new ManualClock(Date.now());
const seconds = () => Math.floor(clock.now() / 1000);

beforeAll(async () => {
  as = await startAsDouble();
  adapter = createPingFederateAdapter(pingFederateOptions(as.issuer), { scopes: API_SCOPES, clock });
});
afterAll(() => as.close());

function claims(extra: JWTPayload = {}): JWTPayload {
  return {
    iss: as.issuer,
    aud: RESOURCE,
    sub: "demo",
    scope: "todo_api:read todo_api:write",
    iat: seconds(),
    exp: seconds() + 300,
    jti: crypto.randomUUID(),
    client_id: "mcp-client-1",
    ...extra,
  };
}

async function authenticate(token: string | undefined): Promise<AuthOutcome> {
  return adapter.authenticate(mcpRequest(token === undefined ? undefined : `Bearer ${token}`), ENV);
}

/**
 * The outcome of a request that waits for the key set's window (a kid the set lacks): once it waits on the clock, the
 * clock moves to the window, so the fetch that follows (real HTTP to the double) runs before any time limit.
 */
async function afterWindow(pending: Promise<AuthOutcome>): Promise<AuthOutcome> {
  await clock.waitForTimers(1);
  await clock.advance(KEY_SET_COOLDOWN_MS);
  return pending;
}

async function expectInvalid(token: string, send: (pending: Promise<AuthOutcome>) => Promise<AuthOutcome> = (p) => p): Promise<void> {
  const outcome = await send(authenticate(token));
  expect(outcome.ok).toBe(false);
  if (outcome.ok) return;
  expect(outcome.response.status).toBe(401);
  expect(outcome.response.headers.get("www-authenticate")).toBe(INVALID_TOKEN_CHALLENGE);
  const body = await outcome.response.text();
  expect(body).not.toContain(token);
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

describe("RFC 6750 challenges", () => {
  it("answers a request without credentials with 401 and no error code (§3.1)", async () => {
    const outcome = await authenticate(undefined);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.response.status).toBe(401);
    expect(outcome.response.headers.get("www-authenticate")).toBe(NO_TOKEN_CHALLENGE);
  });

  it("treats another auth scheme or a query-string token as no credentials", async () => {
    for (const request of [
      mcpRequest("Basic ZGVtbzpkZW1v"),
      new Request(`${RESOURCE}?access_token=${await as.sign(claims())}`, { method: "POST" }),
    ]) {
      const outcome = await adapter.authenticate(request, ENV);
      expect(!outcome.ok && outcome.response.headers.get("www-authenticate")).toBe(NO_TOKEN_CHALLENGE);
    }
  });

  it("answers a syntactically broken Authorization header with 400 invalid_request", async () => {
    const outcome = await adapter.authenticate(mcpRequest("Bearer two tokens"), ENV);
    expect(!outcome.ok && outcome.response.status).toBe(400);
    expect(!outcome.ok && outcome.response.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_request"/);
  });

  it("answers a malformed token with 401 invalid_token and a generic description", async () => {
    await expectInvalid("not-a-jwt");
    await expectInvalid("a.b.c");
  });
});

describe("JWT validation", () => {
  it("accepts a valid RS256 token and builds the identity", async () => {
    const token = await as.sign(claims({ email: "demo@example.com", groups: ["staff"] }));
    const outcome = await authenticate(token);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.identity).toStrictEqual({
      subject: "demo",
      scopes: ["todo_api:read", "todo_api:write"],
      claims: { email: "demo@example.com", groups: ["staff"], client_id: "mcp-client-1" },
    });
    expect(JSON.stringify(outcome.identity)).not.toContain(token);
  });

  it("accepts ES256", async () => {
    expect((await authenticate(await as.sign(claims(), { key: as.keys.es }))).ok).toBe(true);
  });

  it("fetches discovery and the JWKS once for many requests", async () => {
    for (let i = 0; i < 5; i++) expect((await authenticate(await as.sign(claims()))).ok).toBe(true);
    expect(as.discoveryFetches).toBe(1);
    expect(as.jwksFetches).toBe(1);
  });

  it("rejects alg: none", async () => {
    await expectInvalid(`${b64url({ alg: "none", typ: "JWT" })}.${b64url(claims())}.`);
  });

  it("rejects HS256 signed with the public key as the secret", async () => {
    const pem = await exportSPKI((await generateKeyPair("RS256", { extractable: true })).publicKey);
    for (const secret of [new TextEncoder().encode(pem), new TextEncoder().encode(JSON.stringify(as.keys.rs.publicJwk))]) {
      const token = await new SignJWT(claims()).setProtectedHeader({ alg: "HS256", kid: as.keys.rs.kid }).sign(secret);
      await expectInvalid(token);
    }
  });

  it("rejects the wrong issuer", async () => {
    await expectInvalid(await as.sign(claims({ iss: "http://127.0.0.1:9999" })));
  });

  it("rejects the wrong audience, including a token issued for the API", async () => {
    await expectInvalid(await as.sign(claims({ aud: "http://127.0.0.1:8788" })));
    await expectInvalid(await as.sign(claims({ aud: API })));
    await expectInvalid(await as.sign(claims({ aud: undefined })));
    expect((await authenticate(await as.sign(claims({ aud: [API, RESOURCE] })))).ok).toBe(true);
  });

  it("rejects an expired token beyond the 30 s tolerance, accepts one within it", async () => {
    await expectInvalid(await as.sign(claims({ iat: seconds() - 600, exp: seconds() - 31 })));
    expect((await authenticate(await as.sign(claims({ iat: seconds() - 600, exp: seconds() - 20 })))).ok).toBe(true);
  });

  it("rejects a token that is not yet valid", async () => {
    await expectInvalid(await as.sign(claims({ nbf: seconds() + 120 })));
  });

  it("requires sub and exp", async () => {
    await expectInvalid(await as.sign(claims({ sub: undefined })));
    await expectInvalid(await as.sign(claims({ exp: undefined })));
  });

  it("rejects a token signed by an unknown key: a known kid at once, an unknown kid after the key set's window", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    await expectInvalid(await new SignJWT(claims()).setProtectedHeader({ alg: "RS256", kid: as.keys.rs.kid }).sign(privateKey));
    const rogue = await new SignJWT(claims()).setProtectedHeader({ alg: "RS256", kid: "rogue" }).sign(privateKey);
    const before = as.jwksFetches;
    await expectInvalid(rogue, afterWindow);
    expect(as.jwksFetches).toBe(before + 1);
  });

  it("accepts a new kid within seconds of the rotation, without a 401: the JWKS is fetched once, then kept", async () => {
    // The set was fetched just now (by the previous test): the rotated-in kid waits for the 5 s window, then is fetched.
    const before = as.jwksFetches;
    as.rotate();
    const started = clock.now();
    expect((await afterWindow(authenticate(await as.sign(claims(), { key: as.keys.next })))).ok).toBe(true);
    expect(clock.now() - started).toBeLessThanOrEqual(KEY_SET_COOLDOWN_MS);
    expect(as.jwksFetches).toBe(before + 1);
    expect((await authenticate(await as.sign(claims(), { key: as.keys.next }))).ok).toBe(true);
    expect(as.jwksFetches).toBe(before + 1);
  });

  it("keeps the JWKS 10 minutes, then fetches it again", async () => {
    const token = await as.sign(claims({ exp: seconds() + 3600 }));
    expect((await authenticate(token)).ok).toBe(true);
    const before = as.jwksFetches;
    await clock.advance(9 * 60_000);
    expect((await authenticate(await as.sign(claims()))).ok).toBe(true);
    expect(as.jwksFetches).toBe(before);
    await clock.advance(60_000);
    expect((await authenticate(await as.sign(claims()))).ok).toBe(true);
    expect(as.jwksFetches).toBe(before + 1);
  });
});

describe("identity.tokenType (RFC 9068 §4 typ)", () => {
  const strict = () => createPingFederateAdapter(pingFederateOptions(as.issuer, { tokenValidation: { method: "jwt", algorithms: ["RS256"], tokenType: "at+jwt" } }), { scopes: API_SCOPES, clock });

  it("at+jwt: accepts typ at+jwt and application/at+jwt, refuses JWT, a missing typ and an ID token's", async () => {
    const adapter = strict();
    const outcome = (token: string) => adapter.authenticate(mcpRequest(`Bearer ${token}`), ENV);
    expect((await outcome(await as.sign(claims()))).ok).toBe(true);
    expect((await outcome(await as.sign(claims(), { header: { typ: "application/at+jwt" } }))).ok).toBe(true);
    for (const typ of ["JWT", undefined, "id_token+jwt"]) {
      const refused = await outcome(await as.sign(claims(), { header: { typ } }));
      expect(refused.ok, String(typ)).toBe(false);
      if (refused.ok) continue;
      expect(refused.response.status).toBe(401);
      expect(refused.response.headers.get("www-authenticate")).toBe(INVALID_TOKEN_CHALLENGE);
      expect(refused.error).toMatchObject({ code: "ERR_TOKEN_CLAIM_INVALID", detail: { claim: "typ" } });
    }
  });

  it("any (the default, what PingFederate issues unless configured): typ JWT or none is accepted", async () => {
    for (const typ of ["JWT", undefined, "at+jwt"]) expect((await authenticate(await as.sign(claims(), { header: { typ } }))).ok, String(typ)).toBe(true);
  });
});

describe("step-up (DESIGN.md decision 5)", () => {
  it("challenges a token that lacks a scope; a later token of that user and client still lacking it is the refusal", async () => {
    const reader = (extra: JWTPayload) => as.sign(claims({ sub: "reader-1", scope: "todo_api:read", ...extra }));
    const first = await authenticate(await reader({}));
    if (!first.ok || !first.stepUp) throw new Error("no step-up for a PingFederate caller");
    expect(await first.stepUp.challenge(["todo_api:write"])).toBe(true);
    // The client signed in again asking for write; PingFederate issued another token without it.
    const after = await authenticate(await reader({ iat: seconds() + 5 }));
    expect(after.ok && (await after.stepUp?.challenge(["todo_api:write"]))).toBe(false);
    // Another client of the same user is challenged on its own.
    const other = await authenticate(await reader({ iat: seconds() + 5, client_id: "mcp-client-2" }));
    expect(other.ok && (await other.stepUp?.challenge(["todo_api:write"]))).toBe(true);
  });
});

describe("scopes", () => {
  async function scopesOf(extra: JWTPayload): Promise<readonly string[]> {
    const outcome = await authenticate(await as.sign(claims(extra)));
    if (!outcome.ok) throw new Error(`refused: ${outcome.response.status}`);
    return outcome.identity.scopes;
  }

  it("splits a space-separated scope string", async () => {
    expect(await scopesOf({ scope: "todo_api:read  openid" })).toStrictEqual(["todo_api:read", "openid"]);
  });

  it("reads scope or scp as an array", async () => {
    expect(await scopesOf({ scope: ["todo_api:write"] })).toStrictEqual(["todo_api:write"]);
    expect(await scopesOf({ scope: undefined, scp: ["todo_api:read", 7] })).toStrictEqual(["todo_api:read"]);
    expect(await scopesOf({ scope: undefined, scp: "todo_api:read todo_api:write" })).toStrictEqual([...SCOPES]);
  });

  it("never matches a scope by substring", async () => {
    const scopes = await scopesOf({ scope: "todo_api:readwrite xtodo_api:write" });
    expect(scopes).not.toContain("todo_api:read");
    expect(scopes).not.toContain("todo_api:write");
  });
});
