/**
 * Concurrent writes to one user's list: every request is a single SQL statement in the user's Durable Object, so
 * none is lost (the public demo read the whole list, changed it and wrote it back).
 */
import { expect, it } from "vitest";
import { listed, userClient, type Todo } from "./helpers.ts";

it("20 parallel creates for one user make exactly 20 todos, none lost, all ids distinct", async () => {
  const alice = await userClient();
  const texts = Array.from({ length: 20 }, (_, i) => `parallel ${i}`);
  const responses = await Promise.all(texts.map((todoText) => alice.call("POST", "/api/todos", { body: { todoText } })));
  expect(responses.map((response) => response.status)).toEqual(texts.map(() => 201));
  const created = (await Promise.all(responses.map((response) => response.json()))) as Todo[];

  const ids = new Set(created.map((todo) => todo.id));
  expect(ids.size).toBe(20);
  const todos = await listed(alice.call("GET", "/api/todos"));
  expect(todos).toHaveLength(20);
  expect(new Set(todos.map((todo) => todo.id))).toEqual(ids);
  expect(todos.map((todo) => todo.text).sort()).toEqual([...texts].sort());
  // Oldest first: creation times never go backwards along the list, and the order is stable.
  const times = todos.map((todo) => Date.parse(todo.createdAt));
  expect(times).toEqual([...times].sort((a, b) => a - b));
  expect(await listed(alice.call("GET", "/api/todos"))).toEqual(todos);
});

it("parallel updates and deletes of different todos do not undo each other", async () => {
  const alice = await userClient();
  const todos: Todo[] = [];
  for (let i = 0; i < 20; i++) todos.push(await alice.create(`todo ${i}`));
  const [toComplete, toDelete] = [todos.filter((_, i) => i % 2 === 0), todos.filter((_, i) => i % 2 === 1)];

  const responses = await Promise.all([
    ...toComplete.map((todo) => alice.call("PATCH", `/api/todos/${todo.id}`, { body: { completed: true } })),
    ...toDelete.map((todo) => alice.call("DELETE", `/api/todos/${todo.id}`)),
    ...Array.from({ length: 5 }, (_, i) => alice.call("POST", "/api/todos", { body: { todoText: `new ${i}` } })),
  ]);
  expect(responses.every((response) => response.ok)).toBe(true);

  const after = await listed(alice.call("GET", "/api/todos"));
  expect(after.slice(0, 10)).toEqual(toComplete.map((todo) => ({ ...todo, completed: true })));
  expect(after.slice(10).map((todo) => todo.text).sort()).toEqual(["new 0", "new 1", "new 2", "new 3", "new 4"]);
});

it("parallel creates of two users each land in their own list", async () => {
  const [alice, bob] = await Promise.all([userClient(), userClient()]);
  await Promise.all(Array.from({ length: 10 }, (_, i) => [alice.create(`alice ${i}`), bob.create(`bob ${i}`)]).flat());
  const [mine, theirs] = await Promise.all([listed(alice.call("GET", "/api/todos")), listed(bob.call("GET", "/api/todos"))]);
  expect(mine.map((todo) => todo.text).every((text) => text.startsWith("alice"))).toBe(true);
  expect(theirs.map((todo) => todo.text).every((text) => text.startsWith("bob"))).toBe(true);
  expect([mine.length, theirs.length]).toEqual([10, 10]);
});
