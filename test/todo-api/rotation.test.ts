/**
 * Key rotation: a token signed with a key the Worker has not seen (an unknown `kid`) makes jose fetch the key set
 * again, at most once per cooldown (KEY_SET_OPTIONS.cooldownDuration, 5 s), so a flood of unknown kids cannot turn
 * into a flood of fetches. Within the cooldown such a token is answered 503 with Retry-After (the key set may be out
 * of date: try again), never 401 (which tells the client to sign in again). The clock is moved past the cooldown
 * rather than waited for (this file runs in its own isolate, with the Worker under test).
 */
import { afterEach, expect, it, vi } from "vitest";
import { KEY_SET_OPTIONS } from "../../examples/todo-api/src/auth.ts";
import { call, context, signToken } from "./helpers.ts";

afterEach(() => {
  vi.useRealTimers();
});

it("a newly published key: 503 + Retry-After within the 5 s cooldown after a fetch, accepted once it has passed", async () => {
  expect((await call("GET", "/api/todos", { token: await signToken({ key: "current" }) })).status).toBe(200);
  // Not published yet: the fetch it causes finds no such key, so the token itself is refused.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() + KEY_SET_OPTIONS.cooldownDuration + 1_000);
  expect((await call("GET", "/api/todos", { token: await signToken({ key: "next" }) })).status).toBe(401);

  expect((await fetch(context.rotateUrl, { method: "POST" })).status).toBe(204);
  // Within the cooldown after that fetch: "try again shortly", not "your token is invalid".
  const early = await call("GET", "/api/todos", { token: await signToken({ key: "next" }) });
  expect(early.status).toBe(503);
  expect(early.headers.get("retry-after")).toBe("5");
  expect(early.headers.get("www-authenticate")).toBeNull();
  expect(((await early.json()) as { error: string }).error).toBe("temporarily_unavailable");

  vi.setSystemTime(Date.now() + KEY_SET_OPTIONS.cooldownDuration + 1);
  const sub = `user-${crypto.randomUUID()}`;
  const created = await call("POST", "/api/todos", { token: await signToken({ key: "next", sub }), body: { todoText: "after rotation" } });
  expect(created.status).toBe(201);
  // Tokens signed with the previous key still work while it is published.
  const listed = await call("GET", "/api/todos", { token: await signToken({ key: "current", sub }) });
  expect(listed.status).toBe(200);
  expect(((await listed.json()) as { todos: unknown[] }).todos).toHaveLength(1);
});
