/**
 * The bridge in workerd, end to end: the test bridge Worker (real runtime, generated Todo API tools) in front of the
 * real sample Todo API Worker, driven with the official MCP SDK v1 client, as a user's MCP client would. Asserts what
 * a user notices: which tools they see, what the calls do to their todo list, the errors a model gets, the step-up
 * challenge, and that no credential ever shows up in anything the bridge returns or logs.
 */
import { InsufficientScopeError } from "@modelcontextprotocol/client";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tools } from "../../generated/tools.ts";
import {
  BOTH,
  connect,
  connectModern,
  leakReport,
  METADATA_URL,
  mintedCount,
  newUser,
  READ,
  rpc,
  rpcResult,
  signToken,
  startBridge,
  startTodoApi,
  toolCall,
  WRITE,
  type Running,
  type TokenOptions,
} from "./stack.ts";

let api: Running;
let bridge: Running;
const clientTokens: string[] = [];

beforeAll(async () => {
  api = await startTodoApi();
  bridge = await startBridge(api.url);
});

afterAll(async () => {
  await bridge?.close();
  await api?.close();
});

async function token(options: TokenOptions = {}): Promise<string> {
  const signed = await signToken(options);
  clientTokens.push(signed);
  return signed;
}

/** A user's MCP client (SDK v1), its tools listed (so the client validates structured results against them). */
async function user(scope = BOTH, sub = newUser()): Promise<{ sub: string; token: string; client: Client }> {
  const signed = await token({ sub, scope });
  const client = await connect(bridge.url, signed);
  await client.listTools();
  return { sub, token: signed, client };
}

interface Todo {
  id: string;
  text: string;
  completed: boolean;
  createdAt: string;
}

type Result = Awaited<ReturnType<Client["callTool"]>>;

function textOf(result: Result): string {
  return (result.content as { type: string; text: string }[]).map((block) => block.text).join("\n");
}

async function todosOf(client: Client): Promise<Todo[]> {
  const result = await client.callTool({ name: "list_todos", arguments: {} });
  expect(result.isError, textOf(result)).toBeFalsy();
  return (result.structuredContent as { todos: Todo[] }).todos;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const definition = (name: string) => tools.find((tool) => tool.name === name)!;

/** structuredContent validated against the tool's generated outputSchema (JSON Schema 2020-12, formats checked). */
function expectMatchesOutputSchema(name: string, result: Result): void {
  const validate = ajv.compile(definition(name).outputSchema!);
  expect(validate(result.structuredContent), ajv.errorsText(validate.errors)).toBe(true);
  // The text block carries the same JSON, for clients that show text only.
  expect(JSON.parse(textOf(result))).toEqual(result.structuredContent);
}

describe("tools/list follows the token of each request", () => {
  it.each([
    ["read", READ, ["list_todos", "get_todo"]],
    ["read and write", BOTH, ["list_todos", "create_todo", "get_todo", "delete_todo", "update_todo"]],
    ["write only", WRITE, ["create_todo", "delete_todo", "update_todo"]],
    ["no API scope", "openid profile", []],
  ])("a token with %s scopes lists %j", async (_label, scope, names) => {
    const client = await connect(bridge.url, await token({ scope }));
    const { tools: listed } = await client.listTools();
    expect(listed.map((tool) => tool.name)).toEqual(names);
  });

  it("lists each tool as generated: schemas, title, description and annotations", async () => {
    const { client } = await user(BOTH);
    const { tools: listed } = await client.listTools();
    for (const tool of tools) {
      const shown = listed.find((entry) => entry.name === tool.name)!;
      expect(shown.inputSchema, tool.name).toEqual(tool.inputSchema);
      expect(shown.outputSchema, tool.name).toEqual(tool.outputSchema);
      expect(shown.title, tool.name).toBe(tool.title);
      expect(shown.description, tool.name).toBe(tool.description);
      expect(shown.description!.length, tool.name).toBeGreaterThan(50);
      expect(shown.annotations, tool.name).toEqual(tool.annotations);
    }
    expect(listed.find((tool) => tool.name === "delete_todo")!.annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
    });
  });

  it("answers two users with different scopes concurrently, each with their own list", async () => {
    const reader = await connect(bridge.url, await token({ scope: READ }));
    const writer = await connect(bridge.url, await token({ scope: BOTH }));
    const lists = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? reader : writer).listTools()));
    lists.forEach((list, i) => expect(list.tools.length).toBe(i % 2 === 0 ? 2 : 5));
  });
});

describe("tools/call against the Todo API", () => {
  it("creates, lists, completes, gets and deletes a todo", async () => {
    const { client } = await user(BOTH);
    expect(await todosOf(client)).toEqual([]);

    const created = await client.callTool({ name: "create_todo", arguments: { todoText: "Buy oat milk" } });
    expect(created.isError, textOf(created)).toBeFalsy();
    expectMatchesOutputSchema("create_todo", created);
    const todo = created.structuredContent as unknown as Todo;
    expect(todo).toMatchObject({ text: "Buy oat milk", completed: false });

    const listed = await client.callTool({ name: "list_todos", arguments: {} });
    expectMatchesOutputSchema("list_todos", listed);
    expect((listed.structuredContent as { todos: Todo[] }).todos).toEqual([todo]);

    const updated = await client.callTool({ name: "update_todo", arguments: { id: todo.id, completed: true } });
    expect(updated.isError, textOf(updated)).toBeFalsy();
    expectMatchesOutputSchema("update_todo", updated);
    expect(updated.structuredContent).toEqual({ ...todo, completed: true });

    const open = await client.callTool({ name: "list_todos", arguments: { completed: false } });
    expect((open.structuredContent as { todos: Todo[] }).todos).toEqual([]);

    const got = await client.callTool({ name: "get_todo", arguments: { id: todo.id } });
    expectMatchesOutputSchema("get_todo", got);
    expect(got.structuredContent).toEqual({ ...todo, completed: true });

    const deleted = await client.callTool({ name: "delete_todo", arguments: { id: todo.id } });
    expect(deleted.isError, textOf(deleted)).toBeFalsy();
    expect(deleted.structuredContent).toBeUndefined();
    expect(textOf(deleted)).toBe("DELETE /api/todos/{id} succeeded (204 No Content)");

    expect(await todosOf(client)).toEqual([]);
  });

  it("serves a client of the 2026-07-28 revision the same way: its tools, the lifecycle, the step-up challenge", async () => {
    const sub = newUser();
    const writer = await connectModern(bridge.url, await token({ sub, scope: BOTH }));
    expect((await writer.listTools()).tools.map((tool) => tool.name).sort()).toEqual(
      ["create_todo", "delete_todo", "get_todo", "list_todos", "update_todo"],
    );
    const created = await writer.callTool({ name: "create_todo", arguments: { todoText: "Renew the passport" } });
    expect(created.isError).toBeFalsy();
    const todo = created.structuredContent as unknown as Todo;
    expect(todo).toMatchObject({ text: "Renew the passport", completed: false });
    const updated = await writer.callTool({ name: "update_todo", arguments: { id: todo.id, completed: true } });
    expect(updated.structuredContent).toEqual({ ...todo, completed: true });

    // The same user's list, read with a read-only token by a 2025-11-25 client: one API, one list.
    const reader = await connect(bridge.url, await token({ sub, scope: READ }));
    expect(await todosOf(reader)).toEqual([{ ...todo, completed: true }]);

    const readOnly = await connectModern(bridge.url, await token({ sub, scope: READ }));
    expect((await readOnly.listTools()).tools.map((tool) => tool.name).sort()).toEqual(["get_todo", "list_todos"]);
    // The 403 `insufficient_scope` challenge reaches the client as a step-up error naming the scope and the metadata.
    const refused = await readOnly.callTool({ name: "delete_todo", arguments: { id: todo.id } }).then(() => undefined, (error: unknown) => error);
    expect(refused).toBeInstanceOf(InsufficientScopeError);
    const { requiredScope, resourceMetadataUrl } = refused as InsufficientScopeError;
    expect({ requiredScope, resourceMetadataUrl: String(resourceMetadataUrl) }).toEqual({ requiredScope: WRITE, resourceMetadataUrl: METADATA_URL });
    expect(await todosOf(reader)).toHaveLength(1);
  });

  it("shows each user only their own todos", async () => {
    const alice = await user(BOTH);
    const bob = await user(BOTH);
    const created = await alice.client.callTool({ name: "create_todo", arguments: { todoText: "Alice's secret plan" } });
    const id = (created.structuredContent as unknown as Todo).id;

    expect(await todosOf(bob.client)).toEqual([]);
    for (const [name, args] of [["get_todo", { id }], ["update_todo", { id, completed: true }], ["delete_todo", { id }]] as const) {
      const result = await bob.client.callTool({ name, arguments: args });
      expect(result.isError, name).toBe(true);
      // The API's own words reach the model.
      expect(textOf(result), name).toBe(`404 Not Found: No todo with id ${id}.`);
    }
    expect((await todosOf(alice.client)).map((todo) => todo.text)).toEqual(["Alice's secret plan"]);
  });

  it("gives the API's 404 message for an unknown id", async () => {
    const { client } = await user(READ);
    const id = crypto.randomUUID();
    const result = await client.callTool({ name: "get_todo", arguments: { id } });
    expect(result).toEqual({ content: [{ type: "text", text: `404 Not Found: No todo with id ${id}.` }], isError: true });
  });
});

describe("invalid arguments are refused before the API is called", () => {
  const id = "6f1c0a57-0d2c-4a3c-9a57-2b8f3c1d9e10";
  it.each<[string, string, Record<string, unknown>, RegExp]>([
    ["a missing argument", "create_todo", {}, /todoText: required parameter is missing/],
    ["a wrongly typed argument", "create_todo", { todoText: 42 }, /todoText: expected string, received number/],
    ["an empty text", "create_todo", { todoText: "" }, /todoText: Too small/],
    ["a text over 500 characters", "create_todo", { todoText: "x".repeat(501) }, /todoText: Too big/],
    ["an unknown argument", "create_todo", { todoText: "milk", colour: "red" }, /unknown parameter "colour"/],
    ["a string for a boolean", "update_todo", { id, completed: "yes" }, /completed: expected boolean, received string/],
    ["a missing id", "update_todo", { completed: true }, /id: required parameter is missing/],
    ["an id that is no uuid", "delete_todo", { id: "42" }, /id: Invalid GUID/],
  ])("%s (%s)", async (_label, name, args, problem) => {
    const { client } = await user(BOTH);
    await client.callTool({ name: "create_todo", arguments: { todoText: "keep me" } });
    const before = await todosOf(client);
    const minted = await mintedCount(bridge.url);

    const result = await client.callTool({ name, arguments: args });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(new RegExp(`^Invalid arguments for ${name}:\\n- `));
    expect(textOf(result)).toMatch(problem);

    // No upstream credentials were requested (one is minted per API call), and the list is unchanged.
    expect(await mintedCount(bridge.url)).toBe(minted);
    expect(await todosOf(client)).toEqual(before);
  });

  it.each(["../admin", "..", "%2F..%2Fadmin", "a/b", "x?y=1#z", "\r\nX-Injected: 1", ""])(
    "get_todo refuses the id %j (not a uuid) without calling the API",
    async (bad) => {
      const { client } = await user(READ);
      const minted = await mintedCount(bridge.url);
      const result = await client.callTool({ name: "get_todo", arguments: { id: bad } });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe("Invalid arguments for get_todo:\n- id: Invalid GUID");
      expect(await mintedCount(bridge.url)).toBe(minted);
    },
  );
});

describe("the step-up challenge", () => {
  /** The parameters of a `Bearer` challenge. */
  function challengeParams(header: string | null): Record<string, string> {
    expect(header).toMatch(/^Bearer /);
    return Object.fromEntries([...header!.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1]!, match[2]!]));
  }

  it("answers a read-only token calling create_todo with HTTP 403 insufficient_scope naming todo_api:write", async () => {
    const reader = await token({ scope: READ });
    const client = await connect(bridge.url, reader);
    const before = (await client.callTool({ name: "list_todos", arguments: {} })).structuredContent;
    const minted = await mintedCount(bridge.url);

    const response = await rpc(bridge.url, toolCall("create_todo", { todoText: "sneaky" }), { token: reader });
    expect(response.status).toBe(403);
    const header = response.headers.get("www-authenticate");
    expect(header).toMatch(/^Bearer error="insufficient_scope", /);
    expect(challengeParams(header)).toMatchObject({
      error: "insufficient_scope",
      scope: WRITE,
      resource_metadata: METADATA_URL,
    });
    // Browser-based clients must be able to read the challenge.
    expect(response.headers.get("access-control-expose-headers")).toMatch(/WWW-Authenticate/i);
    expect(await response.json()).toMatchObject({ error: "insufficient_scope" });

    // Nothing was created.
    expect(await mintedCount(bridge.url)).toBe(minted);
    expect((await client.callTool({ name: "list_todos", arguments: {} })).structuredContent).toEqual(before);
  });

  it("names the read scope when a write-only token calls list_todos", async () => {
    const response = await rpc(bridge.url, toolCall("list_todos", {}), { token: await token({ scope: WRITE }) });
    expect(response.status).toBe(403);
    expect(challengeParams(response.headers.get("www-authenticate"))).toMatchObject({ error: "insufficient_scope", scope: READ });
  });

  it("reaches the SDK client as an HTTP 403 error (it has no authProvider to step up with)", async () => {
    const client = await connect(bridge.url, await token({ scope: READ }));
    const failure = await client.callTool({ name: "create_todo", arguments: { todoText: "sneaky" } }).then(
      () => undefined,
      (error: unknown) => error as Error & { code?: number },
    );
    expect(failure?.constructor.name).toBe("StreamableHTTPError");
    expect(failure?.code).toBe(403);
    expect(failure?.message).toContain("insufficient_scope");
  });

  it("does not challenge a token holding the scope", async () => {
    const response = await rpc(bridge.url, toolCall("create_todo", { todoText: "allowed" }), { token: await token({ scope: BOTH }) });
    expect(response.status).toBe(200);
    const message = await rpcResult(response);
    expect(message.result.structuredContent).toMatchObject({ text: "allowed", completed: false });
  });
});

// Last in this file: everything the tests above made the bridge say or log.
describe("no credential leaks", () => {
  it("no client token and no minted upstream token appears in any response, result or log line", async () => {
    const report = await leakReport(bridge.url, clientTokens);
    expect(report.minted).toBeGreaterThan(10);
    expect(report.logLines).toBeGreaterThan(10);
    expect(report.searched).toBeGreaterThan(10_000);
    expect(clientTokens.length).toBeGreaterThan(10);
    expect(report).toMatchObject({ mintedFound: 0, clientFound: 0, jwtShaped: [] });
  });
});
