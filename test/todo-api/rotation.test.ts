/**
 * Key rotation: a token signed with a key the Worker has not seen (an unknown `kid`) makes jose refetch the key set,
 * at most once per cooldown (30 s), so a flood of unknown kids cannot turn into a flood of fetches. The clock is
 * moved past the cooldown rather than waited for (this file runs in its own isolate, with the Worker under test).
 */
import { afterEach, expect, it, vi } from "vitest";
import { call, context, signToken } from "./helpers.ts";

afterEach(() => {
  vi.useRealTimers();
});

it("accepts a token signed with a newly published key once the key set is refetched", async () => {
  expect((await call("GET", "/api/todos", { token: await signToken({ key: "current" }) })).status).toBe(200);
  // Not published yet: refused.
  expect((await call("GET", "/api/todos", { token: await signToken({ key: "next" }) })).status).toBe(401);

  expect((await fetch(context.rotateUrl, { method: "POST" })).status).toBe(204);
  // Within the cooldown after the last fetch, the key set is not fetched again.
  expect((await call("GET", "/api/todos", { token: await signToken({ key: "next" }) })).status).toBe(401);

  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() + 31_000);
  const sub = `user-${crypto.randomUUID()}`;
  const created = await call("POST", "/api/todos", { token: await signToken({ key: "next", sub }), body: { todoText: "after rotation" } });
  expect(created.status).toBe(201);
  // Tokens signed with the previous key still work while it is published.
  const listed = await call("GET", "/api/todos", { token: await signToken({ key: "current", sub }) });
  expect(listed.status).toBe(200);
  expect(((await listed.json()) as { todos: unknown[] }).todos).toHaveLength(1);
});
