/** Every route's happy path, the 404s (unknown, non-UUID, another user's ids, unknown paths) and the 405s. */
import { describe, expect, it } from "vitest";
import { call, listed, userClient, type ErrorBody, type Todo } from "./helpers.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MISSING_ID = "3f2b8c1e-5d4a-4e7b-9a61-2c8d0f1e7a42";

describe("happy paths", () => {
  it("lists an empty list for a new user", async () => {
    const alice = await userClient();
    const response = await alice.call("GET", "/api/todos");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ todos: [] });
  });

  it("creates a todo: 201, Location, the new todo", async () => {
    const alice = await userClient();
    const before = Date.now();
    const response = await alice.call("POST", "/api/todos", { body: { todoText: "Buy milk" } });
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toBe("application/json");
    const todo = (await response.json()) as Todo;
    expect(todo).toEqual({ id: expect.stringMatching(UUID), text: "Buy milk", completed: false, createdAt: expect.any(String) });
    expect(response.headers.get("location")).toBe(`/api/todos/${todo.id}`);
    expect(todo.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(Date.parse(todo.createdAt)).toBeGreaterThanOrEqual(before - 1000);

    const fetched = await alice.call("GET", response.headers.get("location")!);
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toEqual(todo);
  });

  it("lists todos oldest first, and filters by completed", async () => {
    const alice = await userClient();
    const first = await alice.create("first");
    const second = await alice.create("second");
    const third = await alice.create("third");
    await alice.call("PATCH", `/api/todos/${second.id}`, { body: { completed: true } });

    const all = await listed(alice.call("GET", "/api/todos"));
    expect(all.map((todo) => todo.text)).toEqual(["first", "second", "third"]);
    expect(all[1]).toEqual({ ...second, completed: true });

    const open = await listed(alice.call("GET", "/api/todos?completed=false"));
    expect(open.map((todo) => todo.id)).toEqual([first.id, third.id]);
    const done = await listed(alice.call("GET", "/api/todos?completed=true"));
    expect(done.map((todo) => todo.id)).toEqual([second.id]);
  });

  it("keeps creation order when the clock does not move (many todos within one millisecond)", async () => {
    const alice = await userClient();
    const texts = Array.from({ length: 8 }, (_, i) => `todo ${i}`);
    for (const text of texts) await alice.create(text);
    const todos = await listed(alice.call("GET", "/api/todos"));
    expect(todos.map((todo) => todo.text)).toEqual(texts);
  });

  it("gets a todo", async () => {
    const alice = await userClient();
    const todo = await alice.create("Call the dentist");
    const response = await alice.call("GET", `/api/todos/${todo.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual(todo);
  });

  it("completes and reopens a todo (the text stays)", async () => {
    const alice = await userClient();
    const todo = await alice.create("Water the plants");
    const done = await alice.call("PATCH", `/api/todos/${todo.id}`, { body: { completed: true } });
    expect(done.status).toBe(200);
    expect(done.headers.get("content-type")).toBe("application/json");
    expect(await done.json()).toEqual({ ...todo, completed: true });
    expect(await (await alice.call("GET", `/api/todos/${todo.id}`)).json()).toEqual({ ...todo, completed: true });

    const reopened = await alice.call("PATCH", `/api/todos/${todo.id}`, { body: { completed: false } });
    expect(await reopened.json()).toEqual(todo);
  });

  it("deletes a todo: 204 without a body, then it is gone (a second delete is a 404)", async () => {
    const alice = await userClient();
    const keep = await alice.create("keep");
    const todo = await alice.create("remove");
    const response = await alice.call("DELETE", `/api/todos/${todo.id}`);
    expect(response.status).toBe(204);
    expect(response.headers.get("content-type")).toBeNull();
    expect(await response.text()).toBe("");

    expect((await alice.call("GET", `/api/todos/${todo.id}`)).status).toBe(404);
    expect((await alice.call("DELETE", `/api/todos/${todo.id}`)).status).toBe(404);
    expect(await (await alice.call("GET", "/api/todos")).json()).toEqual({ todos: [keep] });
  });

  it("treats ids case-insensitively (UUIDs are)", async () => {
    const alice = await userClient();
    const todo = await alice.create("upper case");
    const response = await alice.call("GET", `/api/todos/${todo.id.toUpperCase()}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(todo);
  });
});

describe("not found", () => {
  for (const [name, id] of [
    ["an unknown id", MISSING_ID],
    ["a non-UUID id", "not-a-uuid"],
    ["a number", "42"],
    ["a UUID with extra characters", `${MISSING_ID}0`],
  ] as const) {
    it(`answers 404 not_found for ${name} on GET, PATCH and DELETE`, async () => {
      const alice = await userClient();
      for (const method of ["GET", "PATCH", "DELETE"]) {
        const response = await alice.call(method, `/api/todos/${id}`, method === "PATCH" ? { body: { completed: true } } : {});
        expect(response.status, method).toBe(404);
        expect(response.headers.get("content-type")).toBe("application/json");
        const body = (await response.json()) as ErrorBody;
        expect(body).toEqual({ error: "not_found", message: expect.any(String) });
      }
    });
  }

  it("isolates users: another user's todo is a 404 for every operation, and stays untouched", async () => {
    const alice = await userClient();
    const bob = await userClient();
    const todo = await alice.create("Alice's secret");

    expect(await (await bob.call("GET", "/api/todos")).json()).toEqual({ todos: [] });
    expect((await bob.call("GET", `/api/todos/${todo.id}`)).status).toBe(404);
    expect((await bob.call("PATCH", `/api/todos/${todo.id}`, { body: { completed: true } })).status).toBe(404);
    expect((await bob.call("DELETE", `/api/todos/${todo.id}`)).status).toBe(404);

    const bobs = await bob.create("Bob's own");
    expect(await (await alice.call("GET", "/api/todos")).json()).toEqual({ todos: [todo] });
    expect(await (await bob.call("GET", "/api/todos")).json()).toEqual({ todos: [bobs] });
  });

  it("answers 404 for unknown paths, before asking for a token", async () => {
    for (const path of ["/", "/api", "/api/todo", "/api/todos/", `/api/todos/${MISSING_ID}/done`, "/API/TODOS"]) {
      const response = await call("GET", path);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toEqual({ error: "not_found", message: expect.any(String) });
    }
  });
});

describe("method not allowed", () => {
  it("answers 405 with Allow for a wrong method on a known path, before asking for a token", async () => {
    const cases = [
      ["PUT", "/api/todos", "GET, POST"],
      ["DELETE", "/api/todos", "GET, POST"],
      ["POST", `/api/todos/${MISSING_ID}`, "GET, PATCH, DELETE"],
      ["PUT", `/api/todos/${MISSING_ID}`, "GET, PATCH, DELETE"],
      ["OPTIONS", "/api/todos", "GET, POST"],
    ];
    for (const [method, path, allow] of cases) {
      const response = await call(method!, path!);
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get("allow")).toBe(allow);
      expect(await response.json()).toEqual({ error: "method_not_allowed", message: expect.any(String) });
    }
  });
});
