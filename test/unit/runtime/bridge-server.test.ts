/**
 * The runtime core in Node, in process: `createBridge` with the generated Todo API tools, a stub auth adapter and a
 * fake upstream, driven with raw JSON-RPC over `Request`s. What the workerd suite (test/runtime/) cannot vary without
 * regenerating: `visibility: list`, claim-rule grants, and the step-up challenge for every way a tool can be missing.
 */
import { describe, expect, it } from "vitest";
import { config } from "../../../generated/config.ts";
import { policy as generatedPolicy } from "../../../generated/policy.ts";
import { tools } from "../../../generated/tools.ts";
import type { AuthAdapter, Identity } from "../../../src/auth/types.ts";
import { NoCredentials } from "../../../src/auth/errors.ts";
import { createBridge } from "../../../src/bridge.ts";
import { buildMcpServer } from "../../../src/mcp/server.ts";
import type { PolicyDefinition } from "../../../src/policy/types.ts";
import { ManualClock } from "../../helpers/manual-clock.ts";
import { messageOf, mcpPost } from "./mcp-request.ts";

const READ = "todo_api:read";
const WRITE = "todo_api:write";
const METADATA = "http://127.0.0.1:8788/.well-known/oauth-protected-resource/mcp";

/** Bearer tokens of the stub adapter: the token names the identity. */
const identities: Record<string, Identity> = {
  reader: { subject: "reader", scopes: [READ], claims: {} },
  writer: { subject: "writer", scopes: [READ, WRITE], claims: {} },
  // No API scopes in the token; a claim rule grants them (Cloudflare Access identities).
  staff: { subject: "staff", scopes: [], claims: { email: "sam@example.com", groups: ["staff"] } },
};

const stubAdapter: AuthAdapter = {
  async authenticate(request) {
    const identity = identities[(request.headers.get("authorization") ?? "").replace(/^Bearer /, "")];
    if (!identity) return { ok: false, response: new Response(null, { status: 401 }), error: new NoCredentials("no known stub token") };
    // An adapter with an OAuth server that could grant more (PingFederate, PingOne): step-up is possible.
    return { ok: true, identity, credentials: { headersFor: async () => ({ authorization: "Bearer upstream" }) }, stepUp: { challenge: async () => true } };
  },
};

function withVisibility(visibility: "hide" | "list"): PolicyDefinition {
  return {
    scopes: generatedPolicy.scopes,
    tools: Object.fromEntries(Object.entries(generatedPolicy.tools).map(([name, entry]) => [name, { ...entry, visibility }])),
  };
}

const claimPolicy: PolicyDefinition = {
  scopes: [
    { name: READ, description: "Read", grantTo: { groups: ["staff"] } },
    { name: WRITE, description: "Write", grantTo: { emailDomains: ["example.com"] } },
  ],
  tools: generatedPolicy.tools,
};

/** A Todo API that answers at once, counting calls. */
function fakeApi() {
  const calls: Request[] = [];
  const fetch = async (input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) => {
    const request = new Request(input, init);
    calls.push(request);
    if (request.method === "POST") {
      return Response.json({ id: crypto.randomUUID(), text: "t", completed: false, createdAt: new Date().toISOString() }, { status: 201 });
    }
    return Response.json({ todos: [] });
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

function bridgeWith(policy: PolicyDefinition, adapter: AuthAdapter = stubAdapter) {
  const api = fakeApi();
  const bridge = createBridge({ config, tools, policy, adapter, fetch: api.fetch, log: () => {} });
  const post = async (token: string, body: unknown) => {
    const response = await bridge.fetch(mcpPost(token, body), { TODO_API_BASE_URL: "http://127.0.0.1:8787" });
    return { response, message: await messageOf(response) };
  };
  return { api, post };
}

const list = { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} };
const create = { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "create_todo", arguments: { todoText: "buy milk" } } };

describe("buildMcpServer: listing", () => {
  it("lists a `visibility: list` tool to a caller without its scopes, with the step-up note", async () => {
    const { message } = await bridgeWith(withVisibility("list")).post("reader", list);
    const listed = message.result.tools as { name: string; description: string }[];
    expect(listed.map((tool) => tool.name)).toEqual(tools.map((tool) => tool.name));
    const createTool = listed.find((tool) => tool.name === "create_todo")!;
    expect(createTool.description.startsWith(tools[1]!.description)).toBe(true);
    expect(createTool.description).toContain("Needs more access than the user has granted (todo_api:write)");
    // Tools the caller may call carry no note.
    expect(listed.find((tool) => tool.name === "list_todos")!.description).toBe(tools[0]!.description);
  });

  it("hides a `visibility: hide` tool from a caller without its scopes", async () => {
    const { message } = await bridgeWith(withVisibility("hide")).post("reader", list);
    expect(message.result.tools.map((tool: { name: string }) => tool.name)).toEqual(["list_todos", "get_todo"]);
  });

  it("lists tools granted by claim rules to an identity whose token carries no scopes", async () => {
    const { message } = await bridgeWith(claimPolicy).post("staff", list);
    expect(message.result.tools.map((tool: { name: string }) => tool.name)).toEqual(tools.map((tool) => tool.name));
  });

  it("builds a fresh server per caller: the same deps give each identity its own tools", () => {
    const deps = {
      name: "t",
      version: "1",
      tools,
      policy: generatedPolicy,
      upstream: { baseUrl: "http://api.test", fetch, timeoutMs: 1000, maxResponseBytes: 4096, clock: new ManualClock(), log: () => {} },
    };
    const credentials = { headersFor: async () => ({}) };
    const reader = buildMcpServer({ identity: identities["reader"]!, credentials }, deps);
    const writer = buildMcpServer({ identity: identities["writer"]!, credentials }, deps);
    expect(reader).not.toBe(writer);
  });
});

describe("buildMcpServer: a request that only calls tools registers only those", () => {
  const listTodos = { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "list_todos", arguments: {} } };

  it("answers every call of a batch of calls to different tools", async () => {
    const { api, post } = bridgeWith(generatedPolicy);
    const { message } = await post("writer", [listTodos, create]);
    expect((message as { id: number; result: { isError?: boolean } }[]).map(({ id, result }) => [id, result.isError ?? false])).toEqual([
      [3, false],
      [2, false],
    ]);
    expect(api.calls.map((call) => call.method)).toEqual(["GET", "POST"]);
  });

  it("still lists every tool the caller may see when a batch also lists", async () => {
    const { message } = await bridgeWith(generatedPolicy).post("writer", [listTodos, list]);
    const listing = (message as { id: number; result: { tools?: { name: string }[] } }[]).find((answer) => answer.id === 1)!;
    expect(listing.result.tools!.map((tool) => tool.name)).toEqual(tools.map((tool) => tool.name));
  });

  it("answers a call of a tool that does not exist with the SDK's own error", async () => {
    const { api, post } = bridgeWith(generatedPolicy);
    const { message } = await post("writer", { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "no_such_tool", arguments: {} } });
    expect(message.error).toMatchObject({ code: -32602, message: expect.stringContaining("Tool no_such_tool not found") });
    expect(api.calls).toHaveLength(0);
  });
});

describe("the step-up challenge (HTTP 403 insufficient_scope)", () => {
  for (const visibility of ["list", "hide"] as const) {
    it(`answers a call beyond the caller's scopes with 403 naming the scopes (visibility: ${visibility})`, async () => {
      const { api, post } = bridgeWith(withVisibility(visibility));
      const { response } = await post("reader", create);
      expect(response.status).toBe(403);
      const challenge = response.headers.get("www-authenticate") ?? "";
      expect(challenge).toMatch(/^Bearer /);
      expect(challenge).toContain('error="insufficient_scope"');
      expect(challenge).toContain(`scope="${WRITE}"`);
      expect(challenge).toContain(`resource_metadata="${METADATA}"`);
      expect(api.calls).toHaveLength(0);
    });
  }

  it("calls the tool for a caller holding the scopes", async () => {
    const { api, post } = bridgeWith(withVisibility("hide"));
    const { response, message } = await post("writer", create);
    expect(response.status).toBe(200);
    expect(message.result.isError).toBeUndefined();
    expect(api.calls.map((call) => `${call.method} ${new URL(call.url).pathname}`)).toEqual(["POST /api/todos"]);
  });

  it("calls the tool for a caller holding the scopes through a claim rule (no challenge)", async () => {
    const { api, post } = bridgeWith(claimPolicy);
    const { response, message } = await post("staff", create);
    expect(response.status).toBe(200);
    expect(message.result.structuredContent).toMatchObject({ text: "t", completed: false });
    expect(api.calls).toHaveLength(1);
  });

  it("leaves an unknown tool to the protocol (no challenge)", async () => {
    const { response, message } = await bridgeWith(withVisibility("hide")).post("reader", {
      ...create,
      params: { name: "no_such_tool", arguments: {} },
    });
    expect(response.status).toBe(200);
    expect(JSON.stringify(message)).toContain("no_such_tool");
  });
});

/** The stub adapter with another step-up answer: none (no OAuth server), or the adapter's own (and what it was asked). */
function stepUpAdapter(challenge: ((missing: readonly string[]) => Promise<boolean>) | undefined): AuthAdapter {
  return {
    async authenticate(request, env) {
      const outcome = await stubAdapter.authenticate(request, env);
      if (!outcome.ok) return outcome;
      const { stepUp: _stubs, ...rest } = outcome;
      return challenge ? { ...rest, stepUp: { challenge } } : rest;
    },
  };
}

/** A 200 whose tool result is the error that says the account lacks the permission; nothing reached the API. */
function expectMissingPermission(response: Response, message: any, calls: readonly Request[]): void {
  expect(response.status).toBe(200);
  expect(response.headers.get("www-authenticate")).toBeNull();
  expect(message.result.isError).toBe(true);
  expect(message.result.content[0].text).toBe(
    "create_todo needs the permission todo_api:write, which the signed-in account does not have. Signing in again will not change that until an administrator of the identity provider or of this bridge grants it to the account.",
  );
  expect(calls).toHaveLength(0);
}

describe("the step-up contract: a tool error instead of the challenge where signing in again cannot help", () => {
  for (const visibility of ["list", "hide"] as const) {
    it(`no OAuth server for the client (no StepUp, e.g. Access self-hosted): the tool error in the same request (visibility: ${visibility})`, async () => {
      const { api, post } = bridgeWith(withVisibility(visibility), stepUpAdapter(undefined));
      const { response, message } = await post("reader", create);
      expectMissingPermission(response, message, api.calls);
    });
  }

  it("the adapter knows the identity provider refused the scope: the tool error; it was asked with the missing scopes only", async () => {
    const asked: (readonly string[])[] = [];
    const { api, post } = bridgeWith(withVisibility("hide"), stepUpAdapter(async (missing) => (asked.push(missing), false)));
    const { response, message } = await post("reader", create);
    expectMissingPermission(response, message, api.calls);
    expect(asked).toEqual([[WRITE]]);
  });

  it("the adapter is not asked about tools the caller may call, nor for requests that call none", async () => {
    const asked: (readonly string[])[] = [];
    const { post } = bridgeWith(withVisibility("hide"), stepUpAdapter(async (missing) => (asked.push(missing), true)));
    await post("writer", create);
    await post("reader", list);
    expect(asked).toEqual([]);
  });

  describe("claim rules within the bridge's consent (Access for SaaS)", () => {
    // Rules grant read to the staff group and write to example.com addresses; the client consented to read only.
    const consented = (email: string): Identity => ({ subject: email, scopes: [], claims: { email, groups: ["staff"] }, consentedScopes: [READ] });
    const consentAdapter: AuthAdapter = {
      async authenticate(request) {
        const email = (request.headers.get("authorization") ?? "").replace(/^Bearer /, "");
        return { ok: true, identity: consented(email), credentials: { headersFor: async () => ({}) }, stepUp: { challenge: async () => true } };
      },
    };

    it("a rule grants the scope but the consent did not: the 403 challenge (one sign-in consenting to it resolves it)", async () => {
      const { api, post } = bridgeWith(claimPolicy, consentAdapter);
      const { response } = await post("sam@example.com", create);
      expect(response.status).toBe(403);
      expect(response.headers.get("www-authenticate")).toContain(`scope="${WRITE}"`);
      expect(api.calls).toHaveLength(0);
    });

    it("no rule grants the scope: the tool error, however the client consents", async () => {
      const { api, post } = bridgeWith(claimPolicy, consentAdapter);
      const { response, message } = await post("sam@elsewhere.test", create);
      expectMissingPermission(response, message, api.calls);
    });
  });

  it("lists a `visibility: list` tool to a caller who cannot step up with a note saying the account lacks the permission", async () => {
    const { message } = await bridgeWith(withVisibility("list"), stepUpAdapter(undefined)).post("reader", list);
    const createTool = (message.result.tools as { name: string; description: string }[]).find((tool) => tool.name === "create_todo")!;
    expect(createTool.description).toContain("Needs a permission the signed-in account does not have (todo_api:write).");
    expect(createTool.description).not.toContain("asks the user to grant it");
  });
});

describe("the request body, read once for the preflight and the MCP handler", () => {
  const send = (body: string) =>
    createBridge({ config, tools, policy: generatedPolicy, adapter: stubAdapter, fetch: fakeApi().fetch, log: () => {} }).fetch(
      mcpPost("writer", body),
      { TODO_API_BASE_URL: "http://127.0.0.1:8787" },
    );

  it("leaves a body that is not JSON to the SDK: 400 with the JSON-RPC parse error", async () => {
    const response = await send("{not json");
    expect(response.status).toBe(400);
    expect((await response.json()) as { error: { code: number } }).toMatchObject({ error: { code: -32700 } });
  });

  it("leaves a body over the SDK's 4 MiB limit to the SDK: 413", async () => {
    const response = await send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { pad: "x".repeat(4 * 1024 * 1024) } }));
    expect(response.status).toBe(413);
  });

  // Node's Request has no Content-Length of its own; workerd's incoming requests do, and their body is then read from
  // the request itself instead of a clone (src/mcp/body.ts).
  const withLength = (body: string) =>
    createBridge({ config, tools, policy: generatedPolicy, adapter: stubAdapter, fetch: fakeApi().fetch, log: () => {} }).fetch(
      mcpPost("writer", body, { "content-length": String(new TextEncoder().encode(body).byteLength) }),
      { TODO_API_BASE_URL: "http://127.0.0.1:8787" },
    );

  it("reads a body with a Content-Length from the request itself and answers from it, in JSON on the 2025 lane", async () => {
    const response = await withLength(JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/list", params: {} }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("access-control-expose-headers")).toContain("WWW-Authenticate");
    const message = await messageOf(response);
    expect(message.id).toBe(7);
    expect(message.result.tools.map((tool: { name: string }) => tool.name)).toContain("create_todo");
  });

  it("hands a body with a Content-Length that is not JSON to the SDK with its text: 400 with the JSON-RPC parse error", async () => {
    const response = await withLength("{not json");
    expect(response.status).toBe(400);
    expect((await response.json()) as { error: { code: number } }).toMatchObject({ error: { code: -32700 } });
  });

  it("still serves a JSON-RPC batch (the SDK accepts them on the 2025 lane) from the body read once", async () => {
    const response = await send(JSON.stringify([{ jsonrpc: "2.0", id: 1, method: "tools/list" }]));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('"name":"list_todos"');
  });
});
