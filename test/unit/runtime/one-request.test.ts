/**
 * The 2025-era lane answers a POST holding one request through the bridge's own transport (src/mcp/one-request.ts).
 * Every answer must be the one the SDK's own transport gives for the same POST (status, Content-Type, the challenge
 * header, the JSON body), for what takes the lane's transport and for what it leaves to the SDK's; and the usual calls
 * must actually take it, or the lane pays for the SDK transport's checks again.
 */
import { McpServer, WebStandardStreamableHTTPServerTransport, type AuthInfo } from "@modelcontextprotocol/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createLegacyJsonLane } from "../../../src/mcp/stateless-route.ts";

const authInfo: AuthInfo = { token: "t", clientId: "c", scopes: ["read"], resource: new URL("https://bridge.example.test/mcp") };

/** A server like the bridge's: tools with a schema, a failing tool, a tool behind a scope challenge, chatter. */
function buildServer(): McpServer {
  const server = new McpServer({ name: "lane-test", version: "1.0.0" }, { capabilities: { tools: {}, logging: {} } });
  server.registerTool("echo", { description: "Echoes.", inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({ content: [{ type: "text", text }] }));
  server.registerTool("fails", { description: "Throws." }, async () => {
    throw new Error("upstream said no");
  });
  server.registerTool("admin_only", { description: "Needs admin.", scopeChallenge: () => ({ scopes: ["read", "admin"], errorDescription: "needs admin" }) }, async () => ({
    content: [{ type: "text", text: "never" }],
  }));
  server.registerTool("chatty", { description: "Notifies, then answers." }, async (ctx) => {
    await ctx.mcpReq.notify({ method: "notifications/message", params: { level: "info", data: "working" } });
    return { content: [{ type: "text", text: "done" }], structuredContent: { done: true } };
  });
  server.registerTool("asks_client", { description: "Asks the client to sample." }, async (ctx) => {
    try {
      await ctx.mcpReq.send({ method: "ping" });
      return { content: [{ type: "text", text: "answered" }] };
    } catch (error) {
      return { content: [{ type: "text", text: `refused: ${(error as Error).message}` }], isError: true };
    }
  });
  return server;
}

const JSON_AND_SSE = "application/json, text/event-stream";

function post(body: unknown, headers: Record<string, string> = {}): Request {
  return new Request("https://bridge.example.test/mcp", {
    method: "POST",
    headers: { "content-type": "application/json", accept: JSON_AND_SSE, "mcp-protocol-version": "2025-11-25", ...headers },
    body: JSON.stringify(body),
  });
}

interface Answer {
  status: number;
  contentType: string | null;
  challenge: string | null;
  body: unknown;
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    challenge: response.headers.get("www-authenticate"),
    body: text === "" ? undefined : JSON.parse(text),
  };
}

/** The reference: the SDK's transport in JSON mode, as the lane used it for every POST before. */
async function sdkAnswer(body: unknown, headers?: Record<string, string>): Promise<Answer> {
  const server = buildServer();
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  return answerOf(await transport.handleRequest(post(body, headers), { authInfo, parsedBody: body }));
}

/** The lane, and whether the server that answered was connected to the SDK's transport. */
async function laneAnswer(body: unknown, headers?: Record<string, string>): Promise<Answer & { sdkTransport: boolean }> {
  const servers: McpServer[] = [];
  const serve = createLegacyJsonLane(() => {
    const server = buildServer();
    servers.push(server);
    return server;
  }, {});
  const answer = await answerOf(await serve(post(body, headers), { authInfo, parsedBody: body }));
  return { ...answer, sdkTransport: servers.at(-1)?.server.transport instanceof WebStandardStreamableHTTPServerTransport };
}

const call = (name: string, args: unknown = {}, id: string | number = 7) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } });

describe("one request through the lane's own transport", () => {
  const usual: [string, unknown][] = [
    ["tools/list", { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }],
    ["a tool call", call("echo", { text: "hi" })],
    ["a tool call with a string id", call("echo", { text: "hi" }, "req-1")],
    ["a tool call with id 0", call("echo", { text: "hi" }, 0)],
    ["a tool call with invalid arguments", call("echo", { text: 3 })],
    ["a tool that throws", call("fails")],
    ["an unknown tool", call("nope")],
    ["a tool that sends a notification first", call("chatty")],
    ["tools/call without a name", { jsonrpc: "2.0", id: 3, method: "tools/call", params: {} }],
    ["an unknown method", { jsonrpc: "2.0", id: 4, method: "resources/nothing", params: {} }],
    ["ping", { jsonrpc: "2.0", id: 5, method: "ping" }],
  ];
  for (const [what, body] of usual) {
    it(`answers ${what} as the SDK's transport does, without it`, async () => {
      const lane = await laneAnswer(body);
      expect(lane.sdkTransport).toBe(false);
      const { sdkTransport: _, ...answer } = lane;
      expect(answer).toEqual(await sdkAnswer(body));
    });
  }

  it("drops what a tool notifies before its answer, as JSON mode does, and answers with its result", async () => {
    const lane = await laneAnswer(call("chatty"));
    expect(lane.body).toEqual({ jsonrpc: "2.0", id: 7, result: { content: [{ type: "text", text: "done" }], structuredContent: { done: true } } });
  });

  it("refuses a request the server would send the client, and the tool still answers", async () => {
    const lane = await laneAnswer(call("asks_client"));
    expect(lane.sdkTransport).toBe(false);
    expect(lane.status).toBe(200);
    expect(lane.body).toMatchObject({ id: 7, result: { isError: true, content: [{ text: expect.stringContaining("stateless 2025-era lane") }] } });
  });
});

describe("what the lane leaves to the SDK's transport", () => {
  const others: [string, unknown, Record<string, string>?][] = [
    ["a call the scope challenge answers with 403", call("admin_only")],
    ["an unsupported MCP-Protocol-Version", call("echo", { text: "hi" }), { "mcp-protocol-version": "1999-01-01" }],
    ["an Accept without text/event-stream", call("echo", { text: "hi" }), { accept: "application/json" }],
    ["a Content-Type that is not JSON", call("echo", { text: "hi" }), { "content-type": "text/plain" }],
    ["a batch", [call("echo", { text: "a" }, 1), call("echo", { text: "b" }, 2)]],
    ["a notification", { jsonrpc: "2.0", method: "notifications/initialized" }],
    ["a posted response", { jsonrpc: "2.0", id: 9, result: {} }],
    ["initialize", { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } } }],
    ["a message the JSON-RPC schema refuses", { jsonrpc: "1.0", id: 1, method: "tools/list" }],
    ["an id that is neither string nor number", { jsonrpc: "2.0", id: { x: 1 }, method: "tools/list" }],
  ];
  for (const [what, body, headers] of others) {
    it(`answers ${what} with the SDK's own answer`, async () => {
      const lane = await laneAnswer(body, headers);
      expect(lane.sdkTransport).toBe(true);
      const { sdkTransport: _, ...answer } = lane;
      expect(answer).toEqual(await sdkAnswer(body, headers));
    });
  }
});
