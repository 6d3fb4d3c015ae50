/**
 * Discovery mode in process: `createBridge` with the generated Todo API tools and a discovery definition built from
 * the same spec, a stub auth adapter and a fake upstream. What the GitHub end-to-end suite cannot vary cheaply:
 * `visibility: list`, claim-rule grants, and each way a call or a describe can be refused.
 */
import { describe, expect, it } from "vitest";
import { config } from "../../../generated/config.ts";
import { policy as generatedPolicy } from "../../../generated/policy.ts";
import { tools } from "../../../generated/tools.ts";
import { discoveryDefinition } from "../../../scripts/generator/emit/search-index.ts";
import { NoCredentials, ReauthenticationRequired } from "../../../src/auth/errors.ts";
import type { AuthAdapter, Identity } from "../../../src/auth/types.ts";
import { createBridge } from "../../../src/bridge.ts";
import type { PolicyDefinition } from "../../../src/policy/types.ts";
import { todoBridgeYaml, todoModel } from "../discovery/helpers.ts";
import { messageOf, mcpPost } from "./mcp-request.ts";

const READ = "todo_api:read";
const WRITE = "todo_api:write";
const discovery = discoveryDefinition(await todoModel(todoBridgeYaml("mode: discovery")));

const identities: Record<string, Identity> = {
  reader: { subject: "reader", scopes: [READ], claims: {} },
  writer: { subject: "writer", scopes: [READ, WRITE], claims: {} },
  staff: { subject: "staff", scopes: [READ], claims: { groups: ["staff"] } },
};

const stubAdapter: AuthAdapter = {
  async authenticate(request) {
    const identity = identities[(request.headers.get("authorization") ?? "").replace(/^Bearer /, "")];
    if (!identity) return { ok: false, response: new Response(null, { status: 401 }), error: new NoCredentials("no known stub token") };
    return { ok: true, identity, credentials: { headersFor: async () => ({ authorization: "Bearer upstream" }) }, stepUp: { challenge: async () => true } };
  },
};

function policyWith(visibility: "hide" | "list", grantWriteToStaff = false): PolicyDefinition {
  return {
    scopes: grantWriteToStaff ? generatedPolicy.scopes.map((s) => (s.name === WRITE ? { ...s, grantTo: { groups: ["staff"] } } : s)) : generatedPolicy.scopes,
    tools: Object.fromEntries(Object.entries(generatedPolicy.tools).map(([name, entry]) => [name, { ...entry, visibility }])),
  };
}

function bridgeWith(policy: PolicyDefinition, adapter: AuthAdapter = stubAdapter) {
  const calls: Request[] = [];
  const fetch = (async (input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) => {
    calls.push(new Request(input, init));
    return Response.json({ id: "0e9f5c6a-2b1d-4c1e-9f00-5a7d3c2b1e4f", text: "t", completed: true, createdAt: "2026-01-01T00:00:00Z" });
  }) as typeof globalThis.fetch;
  const bridge = createBridge({ config, tools, policy, discovery, adapter, fetch, log: () => {} });
  const post = async (token: string, method: string, params: unknown) => {
    const response = await bridge.fetch(mcpPost(token, { jsonrpc: "2.0", id: 1, method, params }), { TODO_API_BASE_URL: "http://127.0.0.1:8787" });
    return { response, message: await messageOf(response) };
  };
  const call = async (token: string, name: string, args: unknown) => (await post(token, "tools/call", { name, arguments: args })).message.result;
  const text = async (token: string, name: string, args: unknown) => (await call(token, name, args)).content[0].text as string;
  return { calls, post, call, text };
}

describe("discovery mode: listing and search", () => {
  it("lists the three tools only", async () => {
    const { message } = await bridgeWith(policyWith("hide")).post("writer", "tools/list", {});
    expect(message.result.tools.map((tool: { name: string }) => tool.name)).toEqual(["search_operations", "describe_operation", "call_operation"]);
  });

  it("finds only what the caller may call under `visibility: hide`", async () => {
    const bridge = bridgeWith(policyWith("hide"));
    const names = async (token: string) => JSON.parse(await bridge.text(token, "search_operations", { query: "delete remove todo", limit: 25 })).operations.map((op: { name: string }) => op.name);
    expect(await names("writer")).toContain("delete_todo");
    expect((await names("reader")).sort()).toEqual(["get_todo", "list_todos"]);
  });

  it("marks what needs more access under `visibility: list`, with the scopes", async () => {
    const answer = JSON.parse(await bridgeWith(policyWith("list")).text("reader", "search_operations", { query: "delete a todo" }));
    expect(answer.operations[0]).toMatchObject({ name: "delete_todo", http: "DELETE /api/todos/{id}", scopes: [WRITE], missingScopes: [WRITE] });
    expect(answer.note).toContain("missingScopes need more access");
  });

  it("names a wrong search argument the way every tool does", async () => {
    const result = await bridgeWith(policyWith("hide")).call("reader", "search_operations", { query: "", limit: 100 });
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toBe("Invalid arguments for search_operations:\n- query: Too small: expected string to have >=1 characters\n- limit: Too big: expected number to be <=25");
  });
});

describe("discovery mode: describe", () => {
  it("describes an operation the caller may call, with the schemas a static tools/list shows", async () => {
    const described = JSON.parse(await bridgeWith(policyWith("hide")).text("reader", "describe_operation", { name: "get_todo" }));
    const tool = tools.find((t) => t.name === "get_todo")!;
    expect(described).toEqual({ name: "get_todo", title: tool.title, description: tool.description, http: "GET /api/todos/{id}", scopes: [READ], annotations: tool.annotations, inputSchema: tool.inputSchema, outputSchema: tool.outputSchema });
  });

  it("answers for a hidden operation exactly as for one that does not exist", async () => {
    const bridge = bridgeWith(policyWith("hide"));
    expect(await bridge.text("reader", "describe_operation", { name: "delete_todo" })).toBe('No operation named "delete_todo" is available to the user. Use search_operations to find one.');
    expect(await bridge.text("writer", "describe_operation", { name: "delete_todo" })).toContain('"http":"DELETE /api/todos/{id}"');
  });
});

describe("discovery mode: call, through the static tools' path", () => {
  for (const visibility of ["hide", "list"] as const) {
    it(`answers a call beyond the caller's scopes with 403 insufficient_scope, before anything is sent (visibility: ${visibility})`, async () => {
      const bridge = bridgeWith(policyWith(visibility));
      const { response } = await bridge.post("reader", "tools/call", { name: "call_operation", arguments: { name: "create_todo", arguments: { todoText: "x" } } });
      expect(response.status).toBe(403);
      const challenge = response.headers.get("www-authenticate");
      expect(challenge).toContain(`scope="${WRITE}"`);
      // The very challenge a static bridge gives for the tool itself.
      const staticBridge = createBridge({ config, tools, policy: policyWith(visibility), adapter: stubAdapter, fetch: globalThis.fetch, log: () => {} });
      const direct = await staticBridge.fetch(mcpPost("reader", { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "create_todo", arguments: { todoText: "x" } } }), {});
      expect(direct.status).toBe(403);
      expect(challenge).toBe(direct.headers.get("www-authenticate"));
      expect(bridge.calls).toHaveLength(0);
    });
  }

  it("answers a call the step-up cannot help (the identity provider refused the scope) with the static tools' tool error", async () => {
    const refusing: AuthAdapter = {
      async authenticate(request, env) {
        const outcome = await stubAdapter.authenticate(request, env);
        return outcome.ok ? { ...outcome, stepUp: { challenge: async () => false } } : outcome;
      },
    };
    const bridge = bridgeWith(policyWith("hide"), refusing);
    const { response, message } = await bridge.post("reader", "tools/call", { name: "call_operation", arguments: { name: "create_todo", arguments: { todoText: "x" } } });
    expect(response.status).toBe(200);
    expect(message.result.isError).toBe(true);
    expect(message.result.content[0].text).toMatch(/^create_todo needs the permission todo_api:write, which the signed-in account does not have\./);
    expect(bridge.calls).toHaveLength(0);
  });

  it("calls the operation for a caller holding its scopes, also through a claim rule", async () => {
    const bridge = bridgeWith(policyWith("hide", true));
    const result = await bridge.call("staff", "call_operation", { name: "update_todo", arguments: { id: "0e9f5c6a-2b1d-4c1e-9f00-5a7d3c2b1e4f", completed: true } });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ id: "0e9f5c6a-2b1d-4c1e-9f00-5a7d3c2b1e4f", completed: true });
    expect(bridge.calls.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(["PATCH /api/todos/0e9f5c6a-2b1d-4c1e-9f00-5a7d3c2b1e4f"]);
    expect(await bridge.calls[0]!.json()).toEqual({ completed: true });
  });

  it("validates with the operation's own validator, and refuses an unknown operation", async () => {
    const bridge = bridgeWith(policyWith("hide"));
    const invalid = await bridge.call("writer", "call_operation", { name: "create_todo", arguments: { todoText: "" } });
    expect(invalid).toMatchObject({ isError: true, content: [{ text: "Invalid arguments for create_todo:\n- todoText: Too small: expected string to have >=1 characters" }] });
    const unknown = await bridge.call("writer", "call_operation", { name: "drop_tables", arguments: {} });
    expect(unknown).toMatchObject({ isError: true, content: [{ text: 'No operation named "drop_tables" is available to the user. Use search_operations to find one.' }] });
    expect(bridge.calls).toHaveLength(0);
  });

  it("gives the call tool the hints of what the caller may call", async () => {
    const hints = async (token: string) =>
      (await bridgeWith(policyWith("hide")).post(token, "tools/list", {})).message.result.tools.find((t: { name: string }) => t.name === "call_operation").annotations;
    expect(await hints("reader")).toEqual({ readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true });
    expect(await hints("writer")).toEqual({ readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true });
  });
});

describe("discovery mode: a sign-in the identity provider no longer accepts", () => {
  it("is found before the response starts, for the operation the call tool names: the adapter's 401", async () => {
    const refusing: AuthAdapter = {
      authenticate: async () => ({ ok: true, identity: identities["writer"]!, credentials: { headersFor: async () => Promise.reject(new ReauthenticationRequired()) } }),
      reauthenticate: () => new Response(null, { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } }),
    };
    const bridge = createBridge({ config, tools, policy: policyWith("hide"), discovery, adapter: refusing, log: () => {} });
    const call = (params: unknown) => bridge.fetch(mcpPost("writer", { jsonrpc: "2.0", id: 1, method: "tools/call", params }), {});
    expect((await call({ name: "call_operation", arguments: { name: "list_todos", arguments: {} } })).status).toBe(401);
    // The catalogue tools need no upstream credentials: they are answered as usual.
    expect((await call({ name: "search_operations", arguments: { query: "todos" } })).status).toBe(200);
  });
});
