/**
 * bridge.yaml's `api.binding`, in process: with the binding present in env, upstream requests go through its `fetch`
 * (never the bridge's own), with URLs from the base URL and the same upstream client (retries, byte cap, time limit,
 * no redirects); with it missing, every tool call is a clear tool error naming the binding, and nothing is sent.
 */
import { describe, expect, it } from "vitest";
import { config as generated } from "../../../generated/config.ts";
import { policy } from "../../../generated/policy.ts";
import { tools } from "../../../generated/tools.ts";
import type { AuthAdapter } from "../../../src/auth/types.ts";
import { createBridge } from "../../../src/bridge.ts";
import type { RuntimeConfig } from "../../../src/config/runtime.ts";
import { upstreamFetchFor } from "../../../src/upstream/binding.ts";

const SECRET = "upstream-secret-token";

const adapter: AuthAdapter = {
  async authenticate() {
    return {
      ok: true,
      identity: { subject: "writer", scopes: ["todo_api:read", "todo_api:write"], claims: {} },
      credentials: { headersFor: async () => ({ authorization: `Bearer ${SECRET}` }) },
    };
  },
};

const withBinding = (binding: string, extra: Partial<RuntimeConfig["api"]> = {}): RuntimeConfig => ({
  ...generated,
  api: { ...generated.api, binding, ...extra },
});

/** A service binding standing in for the Todo API's Worker: records what it receives, answers with `answer`. */
function fakeBinding(answer: (request: Request, calls: number) => Response | Promise<Response> = () => Response.json({ todos: [] })) {
  const received: Request[] = [];
  // A Fetcher is an object with a `fetch` method that must be called on it (workerd checks `this`).
  const binding = {
    async fetch(this: unknown, input: Request | string | URL, init?: RequestInit): Promise<Response> {
      if (this !== binding) throw new TypeError("Illegal invocation");
      const request = new Request(input, init);
      received.push(request);
      return answer(request, received.length);
    },
  };
  return { binding, received };
}

/** The bridge's own fetch, which must not be used when a binding is configured. */
function forbiddenFetch() {
  const calls: string[] = [];
  const fetch = (async (input: Request | string | URL) => {
    calls.push(String(input instanceof Request ? input.url : input));
    return new Response("the public network was used", { status: 599 });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

async function callTool(config: RuntimeConfig, env: Record<string, unknown>, name: string, args: Record<string, unknown>) {
  const publicFetch = forbiddenFetch();
  const lines: Record<string, unknown>[] = [];
  const bridge = createBridge({ config, tools, policy, adapter, fetch: publicFetch.fetch, log: (event) => lines.push(event) });
  const response = await bridge.fetch(
    new Request("http://127.0.0.1:8788/mcp", {
      method: "POST",
      headers: {
        host: "127.0.0.1:8788",
        authorization: "Bearer client-token",
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-11-25",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } }),
    }),
    env,
  );
  expect(response.status).toBe(200);
  const text = await response.text();
  const data = text.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5));
  const message = JSON.parse(data.at(-1) ?? text) as { result: { isError?: boolean; content: { text: string }[]; structuredContent?: any } };
  return { result: message.result, text: message.result.content.map((block) => block.text).join("\n"), publicCalls: publicFetch.calls, lines, raw: text };
}

describe("api.binding: upstream requests through a service binding", () => {
  it("sends the tool's request through env[binding].fetch, with the URL built from the base URL", async () => {
    const api = fakeBinding((request) =>
      request.method === "POST"
        ? Response.json({ id: "00000000-0000-4000-8000-000000000001", text: "buy milk", completed: false, createdAt: "2026-11-24T12:00:00.000Z" }, { status: 201 })
        : Response.json({ todos: [] }),
    );
    const env = { TODO_API_BASE_URL: "https://todo.internal/v1", TODO_API: api.binding };
    const listed = await callTool(withBinding("TODO_API"), env, "list_todos", {});
    expect(listed.result.isError).toBeFalsy();
    expect(listed.result.structuredContent).toEqual({ todos: [] });
    const created = await callTool(withBinding("TODO_API"), env, "create_todo", { todoText: "buy milk" });
    expect(created.result.isError, created.text).toBeFalsy();
    expect(api.received.map((request) => `${request.method} ${request.url}`)).toEqual([
      "GET https://todo.internal/v1/api/todos",
      "POST https://todo.internal/v1/api/todos",
    ]);
    expect(await api.received[1]!.json()).toEqual({ todoText: "buy milk" });
    expect(api.received.every((request) => request.headers.get("authorization") === `Bearer ${SECRET}`)).toBe(true);
    expect(api.received.every((request) => request.redirect === "manual")).toBe(true);
    expect([...listed.publicCalls, ...created.publicCalls]).toEqual([]);
  });

  it("keeps the upstream client's behaviour: an idempotent call is retried on 503, a redirect is not followed", async () => {
    const flaky = fakeBinding((_request, calls) => (calls < 3 ? Response.json({ error: "unavailable" }, { status: 503, headers: { "retry-after": "0" } }) : Response.json({ todos: [] })));
    const retried = await callTool(withBinding("API"), { API: flaky.binding }, "list_todos", {});
    expect(retried.result.isError, retried.text).toBeFalsy();
    expect(flaky.received).toHaveLength(3);

    const redirecting = fakeBinding(() => new Response(null, { status: 302, headers: { location: "https://elsewhere.example/" } }));
    const redirected = await callTool(withBinding("API"), { API: redirecting.binding }, "list_todos", {});
    expect(redirected.result.isError).toBe(true);
    expect(redirecting.received).toHaveLength(1);
  });

  it("cuts an oversized answer at api.maxResponseBytes, as over HTTP", async () => {
    const big = fakeBinding(() => Response.json({ todos: Array.from({ length: 200 }, (_, i) => ({ id: String(i), text: "x".repeat(100), completed: false })) }));
    const { result, text } = await callTool(withBinding("API", { maxResponseBytes: 2048 }), { API: big.binding }, "list_todos", {});
    expect(result.isError).toBe(true);
    expect(text).toMatch(/truncated|cut|larger/i);
  });

  it.each([
    ["absent from env", {}],
    ["not a service binding (a plain var)", { TODO_API: "http://127.0.0.1:8787" }],
  ])("answers every tool call with a tool error naming the binding when it is %s, and sends nothing", async (_case, env) => {
    const { result, text, publicCalls, lines, raw } = await callTool(withBinding("TODO_API"), env, "create_todo", { todoText: "buy milk" });
    expect(result.isError).toBe(true);
    expect(text).toContain("no service binding named TODO_API");
    expect(text).toContain('"services"');
    expect(publicCalls).toEqual([]);
    expect(raw).not.toContain(SECRET);
    expect(JSON.stringify(lines)).not.toContain(SECRET);
    expect(lines).toContainEqual(
      expect.objectContaining({ event: "tool_call", tool: "create_todo", error: true, code: "ERR_UPSTREAM_BINDING_MISSING", binding: "TODO_API" }),
    );
  });
});

describe("upstreamFetchFor", () => {
  const fallback = (async () => new Response()) as typeof fetch;

  it("is the fallback fetch when no binding is configured", () => {
    expect(upstreamFetchFor(generated, { TODO_API: fakeBinding().binding }, fallback)).toEqual({ fetch: fallback });
  });

  it("calls the binding as a method", async () => {
    const api = fakeBinding();
    const { fetch, unavailable } = upstreamFetchFor(withBinding("TODO_API"), { TODO_API: api.binding }, fallback);
    expect(unavailable).toBeUndefined();
    expect((await fetch(new Request("https://todo.internal/api/todos"))).status).toBe(200);
    expect(api.received).toHaveLength(1);
  });

  it("rejects, naming the binding, should anything send through a missing one", async () => {
    const { fetch, unavailable } = upstreamFetchFor(withBinding("TODO_API"), {}, fallback);
    expect(unavailable?.message).toMatch(/no service binding named TODO_API/);
    expect(unavailable?.code).toBe("ERR_UPSTREAM_BINDING_MISSING");
    await expect(fetch("https://todo.internal/api/todos")).rejects.toThrow(/TODO_API/);
  });
});
