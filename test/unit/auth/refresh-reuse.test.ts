/**
 * Refresh-token reuse (src/auth/refresh-reuse.ts, RFC 9700 §4.14.2) in front of a stand-in for workers-oauth-provider's
 * token endpoint: the library needs workerd (`cloudflare:workers`), so its rotation rule is reproduced here exactly as
 * its source has it (dist/oauth-provider.js handleRefreshTokenGrant: the current and the previous token are accepted,
 * each use rotates, the used token becomes the previous one). The real library runs behind the guard in
 * test/e2e/pingone.test.ts.
 */
import { describe, expect, it } from "vitest";
import { createRefreshReuseGuard, GRACE_MS, type HistoryStore, type TokenEndpoint } from "../../../src/auth/refresh-reuse.ts";
import type { LogEvent } from "../../../src/log.ts";
import { ManualClock } from "../../helpers/manual-clock.ts";

/** The library's rule for one grant of user `u1`: current and previous refresh tokens, rotated on each use. */
function libraryDouble() {
  let n = 0;
  const grants = new Map<string, { current: string; previous?: string }>();
  const issue = (grantId: string) => `u1:${grantId}:secret-${++n}`;
  const answer = (grantId: string, refreshToken: string) =>
    Response.json({ access_token: `u1:${grantId}:at-${n}`, token_type: "bearer", expires_in: 3600, refresh_token: refreshToken });
  const invalidGrant = () => Response.json({ error: "invalid_grant" }, { status: 400 });
  return {
    grants,
    async fetch(request: Request): Promise<Response> {
      const form = new URLSearchParams(await request.text());
      if (form.get("grant_type") === "authorization_code") {
        const grantId = `g${grants.size + 1}`;
        const refreshToken = issue(grantId);
        grants.set(grantId, { current: refreshToken });
        return answer(grantId, refreshToken);
      }
      const presented = form.get("refresh_token") ?? "";
      const grantId = presented.split(":")[1] ?? "";
      const grant = grants.get(grantId);
      if (!grant || (presented !== grant.current && presented !== grant.previous)) return invalidGrant();
      const refreshToken = issue(grantId);
      grants.set(grantId, { current: refreshToken, previous: presented });
      return answer(grantId, refreshToken);
    },
  };
}

function kvDouble(): HistoryStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (key) => (entries.has(key) ? JSON.parse(entries.get(key)!) : null),
    put: async (key, value) => void entries.set(key, value),
    delete: async (key) => void entries.delete(key),
  };
}

function setup(guarded = true) {
  const clock = new ManualClock();
  const library = libraryDouble();
  const store = kvDouble();
  const logged: LogEvent[] = [];
  const guard = createRefreshReuseGuard({ clock, log: (event) => logged.push(event) });
  const endpoint: TokenEndpoint = {
    store,
    revokeGrant: async (grantId) => void library.grants.delete(grantId),
    next: (request) => library.fetch(request),
  };
  const post = (params: Record<string, string>) =>
    new Request("http://127.0.0.1:8788/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params),
    });
  async function token(params: Record<string, string>) {
    const response = guarded ? await guard(post(params), endpoint) : await library.fetch(post(params));
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  }
  const signIn = async () => (await token({ grant_type: "authorization_code", code: "c" })).body["refresh_token"]!;
  const refresh = (refreshToken: string) => token({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: "mcp-client" });
  return { clock, library, store, logged, signIn, refresh };
}

describe("workers-oauth-provider alone (what the issue measured)", () => {
  it("after RT1 → RT2, RT1 mints tokens on every replay (10/10), and each replay kills the legitimate client's RT2", async () => {
    const { signIn, refresh } = setup(false);
    const rt1 = await signIn();
    const rt2 = (await refresh(rt1)).body["refresh_token"]!;
    const replays = await Promise.all(Array.from({ length: 10 }, async () => (await refresh(rt1)).status));
    expect(replays.filter((status) => status === 200)).toHaveLength(10);
    expect((await refresh(rt2)).status).toBe(400);
  });
});

describe("with the reuse guard", () => {
  it("rotation keeps working: each new refresh token refreshes once, and the sign-in's first one too", async () => {
    const { signIn, refresh, logged } = setup();
    let rt = await signIn();
    for (let i = 0; i < 5; i++) {
      const next = await refresh(rt);
      expect(next.status).toBe(200);
      expect(next.body["refresh_token"]).not.toBe(rt);
      rt = next.body["refresh_token"]!;
    }
    expect(logged).toEqual([]);
  });

  it("RT1 replayed after RT1 → RT2 (past the grace): no tokens, the grant is revoked, RT2 no longer works", async () => {
    const { signIn, refresh, clock, library, store, logged } = setup();
    const rt1 = await signIn();
    const rt2 = (await refresh(rt1)).body["refresh_token"]!;
    await clock.advance(GRACE_MS + 1);
    const replay = await refresh(rt1);
    expect(replay).toEqual({ status: 400, body: { error: "invalid_grant", error_description: "This refresh token was already used: sign in again" } });
    expect(library.grants.size).toBe(0);
    expect(store.entries.size).toBe(0);
    expect((await refresh(rt2)).status).toBe(400);
    expect(logged).toMatchObject([{ event: "refresh_refused", code: "ERR_REFRESH_TOKEN_REUSED" }]);
    expect(JSON.stringify(logged)).not.toContain(rt1);
  });

  it("a lost response: RT1 again within the grace works once (RT3); a second replay revokes the grant", async () => {
    const { signIn, refresh, library } = setup();
    const rt1 = await signIn();
    await refresh(rt1);
    const retried = await refresh(rt1);
    expect(retried.status).toBe(200);
    const rt3 = retried.body["refresh_token"]!;
    expect((await refresh(rt1)).status).toBe(400);
    expect(library.grants.size).toBe(0);
    expect((await refresh(rt3)).status).toBe(400);
  });

  it("an attacker using RT1 in the grace first: the legitimate client's RT2, retired, then revokes the grant", async () => {
    const { signIn, refresh, library } = setup();
    const rt1 = await signIn();
    const rt2 = (await refresh(rt1)).body["refresh_token"]!;
    const stolen = await refresh(rt1);
    expect(stolen.status).toBe(200);
    expect((await refresh(rt2)).status).toBe(400);
    expect(library.grants.size).toBe(0);
    expect((await refresh(stolen.body["refresh_token"]!)).status).toBe(400);
  });

  it("a token retired two rotations ago (RT1 after RT2 → RT3) revokes the grant", async () => {
    const { signIn, refresh, library } = setup();
    const rt1 = await signIn();
    const rt2 = (await refresh(rt1)).body["refresh_token"]!;
    const rt3 = (await refresh(rt2)).body["refresh_token"]!;
    expect((await refresh(rt1)).status).toBe(400);
    expect(library.grants.size).toBe(0);
    expect((await refresh(rt3)).status).toBe(400);
  });

  it("passes on what it has no history for, and everything that is not a refresh", async () => {
    const { refresh, library, logged } = setup();
    library.grants.set("old", { current: "u1:old:from-before" });
    expect((await refresh("u1:old:from-before")).status).toBe(200);
    expect((await refresh("not-a-token")).status).toBe(400);
    expect(logged).toEqual([]);
  });
});
