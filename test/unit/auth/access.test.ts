/**
 * The Cloudflare Access adapter, `mode: self-hosted`, against a local stand-in for an Access team (access-double.ts:
 * a real Access team cannot run here), plus one pass through the real runtime (`createBridge`) with claim rules.
 */
import { base64url, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config as generatedConfig } from "../../../generated/config.ts";
import { policy as generatedPolicy } from "../../../generated/policy.ts";
import { tools } from "../../../generated/tools.ts";
import { ASSERTION_HEADER, createAccessAdapter, type AccessOptions } from "../../../src/auth/access.ts";
import { KEY_SET_COOLDOWN_MS } from "../../../src/auth/key-set.ts";
import { adapterFor } from "../../../src/auth/index.ts";
import type { AuthOutcome } from "../../../src/auth/types.ts";
import type { RuntimeConfig } from "../../../src/config/runtime.ts";
import { createBridge } from "../../../src/bridge.ts";
import type { PolicyDefinition } from "../../../src/policy/types.ts";
import { AUD, EMAIL, SERVICE_TOKEN_ID, startAccessTeam, USER_SUB, type AccessTeam } from "../../../scripts/access/team.ts";
import { ManualClock } from "../../helpers/manual-clock.ts";
import { API, RESOURCE, tool } from "./fixtures.ts";

let team: AccessTeam;
beforeAll(async () => {
  team = await startAccessTeam();
});
afterAll(async () => {
  await team?.close();
});

/** What the generator resolves for `provider: access, mode: self-hosted` with the stand-in team, with `overrides`. */
function accessOptions(overrides: Partial<AccessOptions> = {}, teamDomain = team.teamDomain): AccessOptions {
  return {
    issuer: teamDomain,
    certsUrl: `${teamDomain}/cdn-cgi/access/certs`,
    aud: AUD,
    resource: RESOURCE,
    credentials: "access-linked-app",
    ...overrides,
  };
}

const REALM = `Bearer realm="${RESOURCE}"`;
const INVALID =
  `${REALM}, error="invalid_token", error_description="The Cloudflare Access assertion is invalid or expired"`;

function request(headers: Record<string, string> = {}): Request {
  return new Request(RESOURCE, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: "{}" });
}

async function authenticate(assertion: string | undefined, options = accessOptions()): Promise<AuthOutcome> {
  const adapter = createAccessAdapter(options);
  return adapter.authenticate(request(assertion === undefined ? {} : { [ASSERTION_HEADER]: assertion }), {});
}

async function expectInvalid(assertion: string): Promise<void> {
  const outcome = await authenticate(assertion);
  expect(outcome.ok).toBe(false);
  if (outcome.ok) return;
  expect(outcome.response.status).toBe(401);
  expect(outcome.response.headers.get("www-authenticate")).toBe(INVALID);
  expect(await outcome.response.text()).not.toContain(assertion);
}

describe("valid assertions", () => {
  it("a user's assertion gives subject, email and no scopes, and never the assertion", async () => {
    const assertion = await team.sign(team.userClaims());
    const outcome = await authenticate(assertion);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.identity).toStrictEqual({
      subject: USER_SUB,
      scopes: [],
      claims: { email: EMAIL, identity_nonce: "6ei69kawdKzMIAPF" },
    });
    expect(JSON.stringify(outcome.identity)).not.toContain(assertion);
    for (const part of assertion.split(".")) expect(JSON.stringify(outcome.identity)).not.toContain(part);
  });

  it("a service token's assertion is identified by common_name (no email)", async () => {
    const outcome = await authenticate(await team.sign(team.serviceClaims()));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.identity.subject).toBe(SERVICE_TOKEN_ID);
    expect(outcome.identity.scopes).toStrictEqual([]);
    expect(outcome.identity.claims).toStrictEqual({ common_name: SERVICE_TOKEN_ID, identity_nonce: "6ei69kawdKzMIAPF" });
  });

  it("reads groups from a top-level groups claim or custom.groups", async () => {
    const top = await authenticate(await team.sign(team.userClaims({ groups: ["staff", "ops"] })));
    expect(top.ok && top.identity.claims["groups"]).toStrictEqual(["staff", "ops"]);
    const custom = await authenticate(await team.sign(team.userClaims({ custom: { groups: "staff" } })));
    expect(custom.ok && custom.identity.claims["groups"]).toStrictEqual(["staff"]);
    const named = await authenticate(await team.sign(team.userClaims({ groups: [{ id: "1", name: "admins" }, 7] })));
    expect(named.ok && named.identity.claims["groups"]).toStrictEqual(["admins"]);
  });

  it("accepts an aud list that contains the AUD tag among others", async () => {
    expect((await authenticate(await team.sign(team.userClaims({ aud: ["other-app", AUD] }))))).toMatchObject({ ok: true });
  });
});

describe("refusals", () => {
  it("no header: 401 with a realm and no error code", async () => {
    const outcome = await authenticate(undefined);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.response.status).toBe(401);
    expect(outcome.response.headers.get("www-authenticate")).toBe(REALM);
    expect(outcome.response.headers.get("cache-control")).toBe("no-store");
    // An empty header is no credentials too.
    const empty = await authenticate("   ");
    expect(!empty.ok && empty.response.headers.get("www-authenticate")).toBe(REALM);
  });

  it("malformed assertions", async () => {
    await expectInvalid("not-a-jwt");
    await expectInvalid("a.b.c");
    const valid = await team.sign(team.userClaims());
    await expectInvalid(`${valid}x`);
    await expectInvalid("x".repeat(20_000));
  });

  it("wrong aud", async () => {
    await expectInvalid(await team.sign(team.userClaims({ aud: ["another-application"] })));
    await expectInvalid(await team.sign(team.userClaims({ aud: undefined })));
  });

  it("wrong iss (another team, a trailing slash)", async () => {
    await expectInvalid(await team.sign(team.userClaims({ iss: "https://other.cloudflareaccess.com" })));
    await expectInvalid(await team.sign(team.userClaims({ iss: `${team.teamDomain}/` })));
  });

  it("expired, beyond the 30 s leeway", async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectInvalid(await team.sign(team.userClaims({ iat: now - 600, nbf: now - 600, exp: now - 60 })));
    expect((await authenticate(await team.sign(team.userClaims({ exp: now - 10 })))).ok).toBe(true);
  });

  it("not yet valid, beyond the leeway", async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectInvalid(await team.sign(team.userClaims({ nbf: now + 120 })));
  });

  it("alg: none", async () => {
    const header = base64url.encode(JSON.stringify({ alg: "none", kid: team.keys.current.kid }));
    const payload = base64url.encode(JSON.stringify(team.userClaims()));
    await expectInvalid(`${header}.${payload}.`);
  });

  it("HS256 keyed with the public key", async () => {
    for (const secret of [team.keys.current.pem, JSON.stringify(team.keys.current.publicJwk)]) {
      const forged = await new SignJWT(team.userClaims())
        .setProtectedHeader({ alg: "HS256", kid: team.keys.current.kid })
        .sign(new TextEncoder().encode(secret));
      await expectInvalid(forged);
    }
  });

  it("a key Access never published (same kid, and an unknown kid)", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    await expectInvalid(
      await new SignJWT(team.userClaims()).setProtectedHeader({ alg: "RS256", kid: team.keys.current.kid }).sign(privateKey),
    );
    await expectInvalid(await new SignJWT(team.userClaims()).setProtectedHeader({ alg: "RS256", kid: "rogue" }).sign(privateKey));
  });

  it("a verified assertion with neither sub nor common_name", async () => {
    await expectInvalid(await team.sign(team.userClaims({ sub: "" })));
  });

  it("the assertion in a cookie, the Authorization header or the query is ignored (401 without error)", async () => {
    const assertion = await team.sign(team.userClaims());
    const adapter = createAccessAdapter(accessOptions());
    for (const sent of [
      request({ cookie: `CF_Authorization=${assertion}` }),
      request({ authorization: `Bearer ${assertion}` }),
      new Request(`${RESOURCE}?${new URLSearchParams({ cf_access_jwt_assertion: assertion, token: assertion })}`, {
        method: "POST",
        body: "{}",
      }),
    ]) {
      const outcome = await adapter.authenticate(sent, {});
      expect(outcome.ok).toBe(false);
      if (outcome.ok) continue;
      expect(outcome.response.status).toBe(401);
      expect(outcome.response.headers.get("www-authenticate")).toBe(REALM);
    }
  });

  it("certs unreachable: 503, not 401", async () => {
    const other = await startAccessTeam();
    try {
      other.certsStatus = 500;
      const outcome = await createAccessAdapter(accessOptions({}, other.teamDomain)).authenticate(
        request({ [ASSERTION_HEADER]: await other.sign(other.userClaims()) }),
        {},
      );
      expect(!outcome.ok && outcome.response.status).toBe(503);
    } finally {
      await other.close();
    }
  });
});

describe("keys", () => {
  it("keeps the certs per adapter; a new kid fetches them again within the 5 s window, the request waiting instead of a 401", async () => {
    const clock = new ManualClock(Date.now());
    const adapter = createAccessAdapter(accessOptions(), { clock });
    const send = (assertion: string) => adapter.authenticate(request({ [ASSERTION_HEADER]: assertion }), {});
    const before = team.certsFetches;
    expect((await send(await team.sign(team.userClaims()))).ok).toBe(true);
    expect((await send(await team.sign(team.userClaims()))).ok).toBe(true);
    expect(team.certsFetches).toBe(before + 1);
    team.rotate();
    const rotated = await team.sign(team.userClaims(), { key: team.keys.next });
    // Within the window after the last fetch a kid the set lacks waits for the window (a made-up kid cannot make every
    // request fetch), then the certs are fetched and the rotated-in key is accepted.
    const pending = send(rotated);
    await clock.waitForTimers(1);
    expect(team.certsFetches).toBe(before + 1);
    await clock.advance(KEY_SET_COOLDOWN_MS);
    expect((await pending).ok).toBe(true);
    expect(team.certsFetches).toBe(before + 2);
    expect((await send(await team.sign(team.userClaims(), { key: team.keys.next }))).ok).toBe(true);
    expect((await send(await team.sign(team.userClaims()))).ok).toBe(true);
    expect(team.certsFetches).toBe(before + 2);
  });

  it("the certs response carries public_cert/public_certs besides keys (as Access's does)", async () => {
    const body = (await (await fetch(`${team.teamDomain}/cdn-cgi/access/certs`)).json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toStrictEqual(["keys", "public_cert", "public_certs"]);
  });
});

describe("step-up", () => {
  it("none: self-hosted Access has no OAuth server for MCP clients, so a missing scope is never challenged", async () => {
    const outcome = await authenticate(await team.sign(team.userClaims()));
    expect(outcome.ok).toBe(true);
    expect(outcome.ok && outcome.stepUp).toBeUndefined();
  });
});

describe("upstream credentials", () => {
  it("access-linked-app forwards exactly the assertion as Cf-Access-Token", async () => {
    const assertion = await team.sign(team.userClaims());
    const outcome = await authenticate(assertion);
    if (!outcome.ok) throw new Error("refused");
    expect(await outcome.credentials.headersFor(tool("list_todos", ["todo_api:read"]), [])).toStrictEqual({
      "cf-access-token": assertion,
    });
  });

  it("none sends no headers", async () => {
    const outcome = await authenticate(await team.sign(team.userClaims()), accessOptions({ credentials: "none" }));
    if (!outcome.ok) throw new Error("refused");
    expect(await outcome.credentials.headersFor(tool("list_todos", ["todo_api:read"]), [])).toStrictEqual({});
  });
});

describe("adapterFor", () => {
  it("routes the access adapter to this module, which serves no endpoints of its own", async () => {
    const selfHosted = adapterFor({ adapter: "access", options: accessOptions() });
    const missing = await selfHosted.authenticate(request(), {});
    expect(!missing.ok && missing.response.status).toBe(401);
    expect(selfHosted.handle).toBeUndefined();
  });
});

describe("through the runtime (createBridge)", () => {
  const READ = "todo_api:read";
  const WRITE = "todo_api:write";
  const claimPolicy: PolicyDefinition = {
    scopes: [
      { name: READ, description: "Read", grantTo: { emailDomains: ["example.com"] } },
      { name: WRITE, description: "Write", grantTo: { emailDomains: ["example.com"] } },
    ],
    tools: generatedPolicy.tools,
  };

  function bridge() {
    const config: RuntimeConfig = { ...generatedConfig, auth: { adapter: "access", options: accessOptions() } };
    const calls: Request[] = [];
    const fetch = (async (input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) => {
      calls.push(new Request(input, init));
      return Response.json({ todos: [] });
    }) as typeof globalThis.fetch;
    const instance = createBridge({ config, tools, policy: claimPolicy, adapter: adapterFor(config.auth, { scopes: claimPolicy.scopes }), fetch, log: () => {} });
    const post = async (body: unknown, headers: Record<string, string>) => {
      const response = await instance.fetch(
        new Request(RESOURCE, {
          method: "POST",
          headers: {
            host: "127.0.0.1:8788",
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
            "mcp-protocol-version": "2025-11-25",
            ...headers,
          },
          body: JSON.stringify(body),
        }),
        { TODO_API_BASE_URL: API },
      );
      const text = await response.text();
      const data = text.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5));
      return { response, message: text === "" ? undefined : JSON.parse(data.at(-1) ?? text) };
    };
    return { calls, post };
  }

  const list = { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} };

  it("tools/list shows what the claim rules grant, and nothing to an outsider", async () => {
    const { post } = bridge();
    const insider = await post(list, { [ASSERTION_HEADER]: await team.sign(team.userClaims()) });
    expect(insider.response.status).toBe(200);
    expect(insider.message.result.tools.map((t: { name: string }) => t.name)).toStrictEqual(tools.map((t) => t.name));

    const outsider = await post(list, { [ASSERTION_HEADER]: await team.sign(team.userClaims({ email: "eve@example.org", sub: "eve" })) });
    expect(outsider.response.status).toBe(200);
    expect(outsider.message.result.tools).toStrictEqual([]);
  });

  it("refuses a request without the assertion with 401 and the realm challenge", async () => {
    const { post } = bridge();
    const { response } = await post(list, {});
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(REALM);
  });

  it("tools/call reaches the API with the assertion as Cf-Access-Token and nothing else", async () => {
    const { post, calls } = bridge();
    const assertion = await team.sign(team.userClaims());
    const { message } = await post(
      { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "list_todos", arguments: {} } },
      { [ASSERTION_HEADER]: assertion },
    );
    expect(message.result.isError ?? false).toBe(false);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.get("cf-access-token")).toBe(assertion);
    expect(calls[0]!.headers.get("authorization")).toBeNull();
    expect(calls[0]!.headers.get("cf-access-jwt-assertion")).toBeNull();
    expect(JSON.stringify(message)).not.toContain(assertion);
  });

  it("has no OAuth metadata to offer: the well-known path is the bridge's 404", async () => {
    const config: RuntimeConfig = { ...generatedConfig, auth: { adapter: "access", options: accessOptions({ credentials: "none" }) } };
    const instance = createBridge({ config, tools, policy: claimPolicy, adapter: adapterFor(config.auth), log: () => {} });
    const response = await instance.fetch(new Request("http://127.0.0.1:8788/.well-known/oauth-protected-resource/mcp"), {});
    expect(response.status).toBe(404);
  });
});
