/** 400 invalid_request for malformed requests, 422 validation_failed (with details) for bodies that break the schema. */
import { describe, expect, it } from "vitest";
import { call, signToken, userClient, READ, type ErrorBody } from "./helpers.ts";

type Client = Awaited<ReturnType<typeof userClient>>;

async function expectError(response: Response, status: number, error: string): Promise<ErrorBody> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/json");
  const body = (await response.json()) as ErrorBody;
  expect(body.error).toBe(error);
  expect(body.message).toEqual(expect.any(String));
  return body;
}

describe("400 invalid_request", () => {
  const malformed: [string, { body: string; headers?: Record<string, string> }][] = [
    ["a body that is not JSON", { body: "{todoText: 'Buy milk'}" }],
    ["truncated JSON", { body: '{"todoText": "Buy milk"' }],
    ["an empty body", { body: "" }],
    ["Content-Type text/plain", { body: '{"todoText":"Buy milk"}', headers: { "content-type": "text/plain" } }],
    ["Content-Type application/x-www-form-urlencoded", { body: "todoText=Buy+milk", headers: { "content-type": "application/x-www-form-urlencoded" } }],
    ["no Content-Type", { body: '{"todoText":"Buy milk"}', headers: { "content-type": "" } }],
  ];

  for (const [name, request] of malformed) {
    it(`rejects ${name} on POST and PATCH`, async () => {
      const alice = await userClient();
      const todo = await alice.create("existing");
      await expectError(await alice.call("POST", "/api/todos", request), 400, "invalid_request");
      await expectError(await alice.call("PATCH", `/api/todos/${todo.id}`, request), 400, "invalid_request");
    });
  }

  it("accepts application/json with parameters, in any case", async () => {
    const alice = await userClient();
    const response = await alice.call("POST", "/api/todos", {
      body: { todoText: "charset" },
      headers: { "content-type": "Application/JSON; charset=utf-8" },
    });
    expect(response.status).toBe(201);
  });

  for (const query of ["completed=yes", "completed=1", "completed=", "completed=TRUE", "completed=true&completed=false"]) {
    it(`rejects the query ${query} on listTodos`, async () => {
      const alice = await userClient();
      await expectError(await alice.call("GET", `/api/todos?${query}`), 400, "invalid_request");
    });
  }
});

describe("422 validation_failed", () => {
  const newTodoCases: [string, unknown, { field: string; message: string }[]][] = [
    ["a missing todoText", {}, [{ field: "todoText", message: "is required" }]],
    ["an empty todoText", { todoText: "" }, [{ field: "todoText", message: "must be between 1 and 500 characters" }]],
    ["a todoText of 501 characters", { todoText: "x".repeat(501) }, [{ field: "todoText", message: "must be between 1 and 500 characters" }]],
    ["a todoText of 501 emoji", { todoText: "📝".repeat(501) }, [{ field: "todoText", message: "must be between 1 and 500 characters" }]],
    ["a numeric todoText", { todoText: 42 }, [{ field: "todoText", message: "must be a string" }]],
    ["a null todoText", { todoText: null }, [{ field: "todoText", message: "must be a string" }]],
    ["an array todoText", { todoText: ["Buy milk"] }, [{ field: "todoText", message: "must be a string" }]],
    ["a lone surrogate", { todoText: "broken \ud800 text" }, [{ field: "todoText", message: "must be valid Unicode text" }]],
    ["an unknown field", { todoText: "Buy milk", completed: true }, [{ field: "completed", message: "is not allowed" }]],
    ["the old `text` name", { text: "Buy milk" }, [{ field: "text", message: "is not allowed" }, { field: "todoText", message: "is required" }]],
    ["a __proto__ field", JSON.parse('{"todoText":"x","__proto__":{"admin":true}}'), [{ field: "__proto__", message: "is not allowed" }]],
    ["an array body", ["Buy milk"], [{ field: "(body)", message: "must be a JSON object" }]],
    ["a string body", "Buy milk", [{ field: "(body)", message: "must be a JSON object" }]],
    ["a null body", null, [{ field: "(body)", message: "must be a JSON object" }]],
  ];

  for (const [name, body, details] of newTodoCases) {
    it(`createTodo: ${name}`, async () => {
      const alice = await userClient();
      // JSON.stringify keeps a string body a JSON string ("Buy milk" → "\"Buy milk\""): valid JSON, wrong shape.
      const response = await alice.call("POST", "/api/todos", { body: JSON.stringify(body) });
      const error = await expectError(response, 422, "validation_failed");
      expect(error.details).toEqual(details);
      expect(await alice.call("GET", "/api/todos").then((r) => r.json())).toEqual({ todos: [] });
    });
  }

  it("createTodo: counts characters as code points (500 emoji are 500 characters), and accepts 1 and 500", async () => {
    const alice = await userClient();
    for (const text of ["x", "x".repeat(500), "📝".repeat(500), " "]) {
      const response = await alice.call("POST", "/api/todos", { body: { todoText: text } });
      expect(response.status, `${text.length} code units`).toBe(201);
      expect(((await response.json()) as { text: string }).text).toBe(text);
    }
  });

  const updateCases: [string, unknown, { field: string; message: string }[]][] = [
    ["a missing completed", {}, [{ field: "completed", message: "is required" }]],
    ["a string completed", { completed: "true" }, [{ field: "completed", message: "must be a boolean" }]],
    ["a numeric completed", { completed: 1 }, [{ field: "completed", message: "must be a boolean" }]],
    ["a null completed", { completed: null }, [{ field: "completed", message: "must be a boolean" }]],
    ["a text change", { completed: true, text: "renamed" }, [{ field: "text", message: "is not allowed" }]],
    ["several problems at once", { todoText: "x", done: true }, [
      { field: "todoText", message: "is not allowed" },
      { field: "done", message: "is not allowed" },
      { field: "completed", message: "is required" },
    ]],
    ["an array body", [true], [{ field: "(body)", message: "must be a JSON object" }]],
  ];

  for (const [name, body, details] of updateCases) {
    it(`updateTodo: ${name}`, async () => {
      const alice = await userClient();
      const todo = await alice.create("unchanged");
      const response = await alice.call("PATCH", `/api/todos/${todo.id}`, { body: JSON.stringify(body) });
      const error = await expectError(response, 422, "validation_failed");
      expect(error.details).toEqual(details);
      expect(await (await alice.call("GET", `/api/todos/${todo.id}`)).json()).toEqual(todo);
    });
  }
});

describe("order of checks", () => {
  it("asks for a token before looking at the body", async () => {
    const response = await call("POST", "/api/todos", { body: "not json" });
    expect(response.status).toBe(401);
  });

  it("checks the scope before the body", async () => {
    const response = await call("POST", "/api/todos", { token: await signToken({ scope: READ }), body: { todoText: "" } });
    expect(response.status).toBe(403);
  });

  it("answers 404 for a non-UUID id before looking at the body", async () => {
    const alice: Client = await userClient();
    const response = await alice.call("PATCH", "/api/todos/nope", { body: "not json" });
    expect(response.status).toBe(404);
  });
});
