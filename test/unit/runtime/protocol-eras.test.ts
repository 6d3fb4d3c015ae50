/**
 * Both protocol eras the stateless /mcp route serves, driven by the official SDK v2 client in process: the default
 * 2025-11-25 handshake (initialize, then JSON answers from the bridge's 2025-era lane, src/mcp/stateless-route.ts) and a
 * client pinned to the 2026-07-28 revision (no initialize; the per-request `_meta` envelope; JSON answers from agents).
 * Same tools, same policy, same upstream request, same step-up challenge in both.
 */
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { config } from "../../../generated/config.ts";
import { policy } from "../../../generated/policy.ts";
import { tools } from "../../../generated/tools.ts";
import type { AuthAdapter, Identity } from "../../../src/auth/types.ts";
import { NoCredentials } from "../../../src/auth/errors.ts";
import { createBridge } from "../../../src/bridge.ts";

const READ = "todo_api:read";
const WRITE = "todo_api:write";
const identities: Record<string, Identity> = {
  reader: { subject: "reader", scopes: [READ], claims: {} },
  writer: { subject: "writer", scopes: [READ, WRITE], claims: {} },
};

const adapter: AuthAdapter = {
  async authenticate(request) {
    const identity = identities[(request.headers.get("authorization") ?? "").replace(/^Bearer /, "")];
    if (!identity) return { ok: false, response: new Response(null, { status: 401 }), error: new NoCredentials("no known stub token") };
    return {
      ok: true,
      identity,
      credentials: { headersFor: async () => ({ authorization: `Bearer upstream-for-${identity.subject}` }) },
      stepUp: { challenge: async () => true },
    };
  },
};

interface Exchange {
  method: string;
  rpcMethod: string | undefined;
  status: number;
  contentType: string;
  wwwAuthenticate: string | null;
}

/** A bridge whose upstream answers at once, and a fetch for the SDK client that routes to it and records each exchange. */
function setup() {
  const upstream: Request[] = [];
  const bridge = createBridge({
    config,
    tools,
    policy,
    adapter,
    log: () => {},
    fetch: (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      upstream.push(new Request(input, init));
      return Response.json({ todos: [{ id: "3f1c2b9e-8d4a-4c1e-9b7a-2e5f6d7c8b9a", text: "milk", completed: false, createdAt: "2026-12-01T00:00:00.000Z" }] });
    }) as typeof fetch,
  });
  const exchanges: Exchange[] = [];
  const clientFetch = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    // Node's Request sends no Host header by itself; workerd's incoming requests always have one.
    const headers = new Headers(request.headers);
    headers.set("host", "127.0.0.1:8788");
    const body = request.method === "POST" ? await request.text() : undefined;
    const response = await bridge.fetch(new Request(request.url, { method: request.method, headers, ...(body !== undefined && { body }) }), {
      TODO_API_BASE_URL: "http://127.0.0.1:8787",
    });
    exchanges.push({
      method: request.method,
      rpcMethod: body ? (JSON.parse(body) as { method?: string }).method : undefined,
      status: response.status,
      contentType: response.headers.get("content-type") ?? "",
      wwwAuthenticate: response.headers.get("www-authenticate"),
    });
    return response;
  };
  return { upstream, exchanges, clientFetch };
}

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

async function connect(era: "2025-11-25" | "2026-07-28", token: string, clientFetch: typeof fetch): Promise<Client> {
  const client = new Client(
    { name: "era-test", version: "1.0.0" },
    era === "2026-07-28" ? { versionNegotiation: { mode: { pin: "2026-07-28" } } } : {},
  );
  clients.push(client);
  await client.connect(
    new StreamableHTTPClientTransport(new URL(config.auth.options.resource), {
      fetch: clientFetch,
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

describe.each([
  // MCP 2025-11-25 Transports: a POST holding requests is answered with SSE or with one JSON object; the bridge has
  // nothing to stream, so JSON (stateless-route.ts).
  { era: "2025-11-25" as const, answers: "application/json", handshake: "initialize" },
  { era: "2026-07-28" as const, answers: "application/json", handshake: undefined },
])("protocol revision $era", ({ era, answers, handshake }) => {
  it("lists exactly the caller's tools and calls one against the API", async () => {
    const { upstream, exchanges, clientFetch } = setup();
    const client = await connect(era, "reader", clientFetch);

    const { tools: listed } = await client.listTools();
    expect(listed.map((tool) => tool.name).sort()).toEqual(["get_todo", "list_todos"]);

    const result = await client.callTool({ name: "list_todos", arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ todos: [{ text: "milk" }] });
    expect(upstream.map((request) => `${request.method} ${new URL(request.url).pathname}`)).toEqual(["GET /api/todos"]);
    expect(upstream[0]!.headers.get("authorization")).toBe("Bearer upstream-for-reader");

    const rpc = exchanges.filter((exchange) => exchange.rpcMethod === "tools/list" || exchange.rpcMethod === "tools/call");
    expect(rpc.map((exchange) => [exchange.status, exchange.contentType.split(";")[0]])).toEqual([
      [200, answers],
      [200, answers],
    ]);
    expect(exchanges.some((exchange) => exchange.rpcMethod === "initialize")).toBe(handshake === "initialize");
  });

  it("answers a call beyond the caller's scopes with the 403 step-up challenge, without calling the API", async () => {
    const { upstream, exchanges, clientFetch } = setup();
    const client = await connect(era, "reader", clientFetch);

    await expect(client.callTool({ name: "create_todo", arguments: { todoText: "eggs" } })).rejects.toThrow();
    const refused = exchanges.find((exchange) => exchange.rpcMethod === "tools/call");
    expect(refused?.status).toBe(403);
    expect(refused?.wwwAuthenticate).toContain('error="insufficient_scope"');
    expect(refused?.wwwAuthenticate).toContain(`scope="${WRITE}"`);
    expect(upstream).toHaveLength(0);
  });

  it("rejects invalid arguments with a tool error naming the parameter, without calling the API", async () => {
    const { upstream, clientFetch } = setup();
    const client = await connect(era, "writer", clientFetch);

    const result = await client.callTool({ name: "create_todo", arguments: { todoText: 42 } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain("todoText");
    expect(upstream).toHaveLength(0);
  });
});
