/**
 * Self-hosted Cloudflare Access mode end to end (see access-stack.ts): the official MCP SDK client reaches the bridge
 * through the bridge's Access edge holding the `CF_Authorization` token a browser gets from Access; the bridge
 * verifies the assertion Access adds, grants scopes by bridge.yaml's claim rules, and calls the Todo API as a linked
 * Access application (`Cf-Access-Token`), whose own edge hands the API an assertion for the API.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_AUD, BRIDGE_AUD, startAccessStack, type AccessStack } from "./access-stack.ts";
import { LIFECYCLE_API_CALLS, runTodoLifecycle } from "./lifecycle.ts";
import { ALL_TOOLS, rpcResult } from "./oauth-flow.ts";

let stack: AccessStack;
const clients: Client[] = [];

beforeAll(async () => {
  stack = await startAccessStack();
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await stack?.close();
});

async function connect(accessToken: string): Promise<Client> {
  const client = new Client({ name: "e2e access client", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(stack.mcpUrl), {
    requestInit: { headers: { cookie: `CF_Authorization=${accessToken}` } },
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

function rpc(url: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25", ...headers },
    body: JSON.stringify(body),
  });
}

const createCall = { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "create_todo", arguments: { todoText: "x" } } };

describe("Access (self-hosted) mode end to end", () => {
  it("demo@example.com: every tool (claim rules), the Todo lifecycle through the linked API app", async () => {
    const token = await stack.signIn("demo@example.com");
    const client = await connect(token);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(ALL_TOOLS);

    const before = stack.apiAssertions.length;
    await runTodoLifecycle(client, "access self-hosted e2e");
    expect(stack.apiAssertions.length - before).toBe(LIFECYCLE_API_CALLS);
    // The bridge presented the caller's own Access token to the API's edge (linked app), which handed the API a token
    // for the API application: same user, the API's AUD.
    for (const linked of stack.linkedTokens.slice(before)) {
      expect(linked.aud).toEqual([BRIDGE_AUD]);
      expect(linked.email).toBe("demo@example.com");
    }
    for (const assertion of stack.apiAssertions.slice(before)) {
      expect(assertion.aud).toEqual([API_AUD]);
      expect(assertion.sub).toBe("user-demo@example.com");
    }
  });

  it("sam@example.com: read tools only; a write is refused at the bridge with a tool error naming the permission (no OAuth server to step up with), the API never called", async () => {
    const token = await stack.signIn("sam@example.com");
    const client = await connect(token);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(["get_todo", "list_todos"]);
    const listed = await client.callTool({ name: "list_todos", arguments: {} });
    expect(listed.isError).toBeFalsy();
    expect(listed.structuredContent).toEqual({ todos: [] });

    const before = stack.apiAssertions.length;
    const refused = await rpc(stack.mcpUrl, createCall, { cookie: `CF_Authorization=${token}` });
    expect(refused.status).toBe(200);
    expect(refused.headers.get("www-authenticate")).toBeNull();
    const result = (await rpcResult(refused)).result;
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toMatch(/^create_todo needs the permission todo_api:write, which the signed-in account does not have\./);
    expect(stack.apiAssertions.length).toBe(before);
  });

  it("someone outside the claim rules (mallory@elsewhere.test) is let in by Access but sees no tools", async () => {
    const client = await connect(await stack.signIn("mallory@elsewhere.test"));
    expect((await client.listTools()).tools).toEqual([]);
  });

  it("without an Access token the edge refuses; reaching the bridge around Access, a forged assertion gets 401", async () => {
    const list = { jsonrpc: "2.0", id: 1, method: "tools/list" };
    expect((await rpc(stack.mcpUrl, list, {})).status).toBe(403);
    // Another application's token is not let through to the bridge.
    const otherApp = await stack.team.sign(stack.team.userClaims({ aud: [API_AUD] }));
    expect((await rpc(stack.mcpUrl, list, { cookie: `CF_Authorization=${otherApp}` })).status).toBe(403);

    // A workers.dev route (or a misconfigured policy) bypasses Access: the bridge verifies the assertion itself.
    const direct = `${stack.bridgeOriginUrl}/mcp`;
    const missing = await rpc(direct, list, {});
    expect(missing.status).toBe(401);
    const forged = await rpc(direct, list, { "cf-access-jwt-assertion": otherApp });
    expect(forged.status).toBe(401);
    expect(forged.headers.get("www-authenticate")).toContain('error="invalid_token"');
    // A genuine assertion for the bridge works the same with or without the edge.
    const genuine = await rpc(direct, list, { "cf-access-jwt-assertion": await stack.signIn("demo@example.com") });
    expect(genuine.status).toBe(200);
    expect((await rpcResult(genuine)).result.tools).toHaveLength(ALL_TOOLS.length);
  });
});
