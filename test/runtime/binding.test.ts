/**
 * bridge.yaml's `api.binding` in workerd: the test bridge Worker with TODO_API bound to the real sample Todo API
 * Worker (test/runtime/wrangler.binding.jsonc, both in one test harness). A tool call reaches the API through the
 * binding (the API stores what the bridge sent, and the bridge's isolate never used its global fetch for it, while
 * its base URL resolves nowhere); a bridge configured with a binding it does not have answers a clear tool error.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOTH, connect, context, leakReport, newUser, signToken, startBridgeWithBinding, type Running } from "./stack.ts";

type Result = Awaited<ReturnType<Client["callTool"]>>;

function textOf(result: Result): string {
  return (result.content as { type: string; text: string }[]).map((block) => block.text).join("\n");
}

async function outbound(bridgeUrl: string): Promise<string[]> {
  return ((await (await fetch(`${bridgeUrl}/__test/outbound`)).json()) as { urls: string[] }).urls;
}

describe("api.binding: the bridge reaches the API through a service binding", () => {
  let stack: Awaited<ReturnType<typeof startBridgeWithBinding>>;
  const clientTokens: string[] = [];

  beforeAll(async () => {
    stack = await startBridgeWithBinding();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("creates and lists todos through TODO_API, never through the global fetch", async () => {
    const sub = newUser();
    const token = await signToken({ sub, scope: BOTH });
    clientTokens.push(token);
    const client = await connect(stack.url, token);
    await client.listTools();

    const created = await client.callTool({ name: "create_todo", arguments: { todoText: "via the binding" } });
    expect(created.isError, textOf(created)).toBeFalsy();
    const todo = created.structuredContent as { id: string; text: string };
    expect(todo.text).toBe("via the binding");
    const listed = await client.callTool({ name: "list_todos", arguments: {} });
    expect(listed.isError, textOf(listed)).toBeFalsy();
    expect((listed.structuredContent as { todos: { id: string }[] }).todos.map((item) => item.id)).toEqual([todo.id]);

    // The API itself holds the todo, for that user (asked directly, with an API token for the same subject).
    const apiToken = await signToken({ sub, scope: BOTH, aud: context.audience });
    const direct = await stack.apiFetch("/api/todos", { authorization: `Bearer ${apiToken}` });
    expect(direct.status).toBe(200);
    expect(((await direct.json()) as { todos: { id: string; text: string }[] }).todos).toEqual([
      expect.objectContaining({ id: todo.id, text: "via the binding" }),
    ]);

    // Nothing went to the base URL's host over the network: only the key set was fetched that way.
    const urls = await outbound(stack.url);
    expect(urls.filter((url) => url.includes("todo-api.binding.invalid"))).toEqual([]);
    expect(urls.every((url) => url.startsWith(new URL(context.jwksUrl).origin))).toBe(true);
    await client.close();
  });

  it("leaks no credential through the binding lane", async () => {
    const report = await leakReport(stack.url, clientTokens);
    expect(report.minted).toBeGreaterThan(0);
    expect(report).toMatchObject({ mintedFound: 0, clientFound: 0, jwtShaped: [] });
  });
});

describe("api.binding names a binding the Worker does not have", () => {
  let bridge: Running;

  beforeAll(async () => {
    bridge = await startBridgeWithBinding({ API_BINDING: "TODO_API_MISSING" });
  });

  afterAll(async () => {
    await bridge?.close();
  });

  it("answers tool calls with a tool error naming the binding, sends nothing and keeps serving", async () => {
    const token = await signToken({ sub: newUser(), scope: BOTH });
    const client = await connect(bridge.url, token);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("create_todo");
    for (const attempt of [1, 2]) {
      const result = await client.callTool({ name: "create_todo", arguments: { todoText: `attempt ${attempt}` } });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain("no service binding named TODO_API_MISSING");
    }
    expect((await outbound(bridge.url)).filter((url) => url.includes("todo-api.binding.invalid"))).toEqual([]);
    const report = await leakReport(bridge.url, [token]);
    expect(report).toMatchObject({ minted: 0, clientFound: 0, jwtShaped: [] });
    await client.close();
  });
});
