/**
 * The Todo lifecycle every end-to-end mode runs through the bridge with a signed-in MCP client: list (empty), create,
 * list, complete, get, filter, delete, list (empty), get (gone). 9 tools/call requests, so 9 calls reach the API.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { expect } from "vitest";

export const LIFECYCLE_API_CALLS = 9;

/** A tools/call that must succeed; its structured result. */
export async function callOk(client: Client, name: string, args: Record<string, unknown> = {}): Promise<any> {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError, `${name}: ${JSON.stringify(result.content)}`).toBeFalsy();
  return result.structuredContent;
}

export async function runTodoLifecycle(client: Client, text: string): Promise<void> {
  expect((await callOk(client, "list_todos")).todos).toEqual([]);
  const created = await callOk(client, "create_todo", { todoText: text });
  expect(created).toMatchObject({ text, completed: false });
  const id = created.id as string;
  expect((await callOk(client, "list_todos")).todos.map((todo: { id: string }) => todo.id)).toEqual([id]);
  expect(await callOk(client, "update_todo", { id, completed: true })).toMatchObject({ id, completed: true });
  expect(await callOk(client, "get_todo", { id })).toMatchObject({ id, completed: true });
  expect((await callOk(client, "list_todos", { completed: true })).todos).toHaveLength(1);
  const deleted = await client.callTool({ name: "delete_todo", arguments: { id } });
  expect(deleted.isError, JSON.stringify(deleted.content)).toBeFalsy();
  expect((await callOk(client, "list_todos")).todos).toEqual([]);
  // Deleted really means gone at the API.
  const gone = await client.callTool({ name: "get_todo", arguments: { id } });
  expect(gone.isError).toBe(true);
}
