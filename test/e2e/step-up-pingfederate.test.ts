/**
 * Step-up in PingFederate mode with every real client (step-up.ts): the bridge cannot know whether PingFederate will
 * grant a scope, so a reader's first write is challenged (403 insufficient_scope); the client signs in again asking
 * for it, PingFederate (the local IdP) still does not grant it, and the retried call is a tool error naming the
 * permission: one sign-in more, no loop. `demo` signed in with read only gets write after exactly one more sign-in.
 * The stack is the repo's bridge.yaml with `tools.visibility: list`, the setting that lets a model see, and so call,
 * a tool its user has not been granted yet.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HeadlessOAuthProvider } from "./client.ts";
import { startStack, type Stack } from "./stack.ts";
import {
  DEMO,
  expectCreated,
  expectMissingWrite,
  inspectorCall,
  mcpRemoteSession,
  READ_ONLY,
  READER,
  sdkSession,
  STEP_UP_LIMIT_MS,
  within,
  WRITE_CALL,
} from "./step-up.ts";

let stack: Stack;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  stack = await startStack({ provider: "pingfederate", visibility: "list" });
});

afterAll(async () => {
  for (const stop of stops) await stop().catch(() => undefined);
  await stack?.close();
});

/** Authorization requests the IdP sees while `run` runs. */
async function counting<T>(run: () => Promise<T>): Promise<{ value: T; authorizations: number }> {
  const before = stack.stats.authorizations;
  const value = await run();
  return { value, authorizations: stack.stats.authorizations - before };
}

describe("the SDK client", () => {
  it("reader → create_todo: one step-up sign-in PingFederate refuses, then the tool error naming todo_api:write", async () => {
    const session = await sdkSession(stack.mcpUrl, { provider: new HeadlessOAuthProvider(READER) });
    stops.push(() => session.close());
    const apiCalls = stack.apiAuthorizations.length;
    const { value, authorizations } = await counting(() => within(STEP_UP_LIMIT_MS, "the reader's write", session.call(WRITE_CALL.name, WRITE_CALL.arguments)));
    expectMissingWrite(value);
    expect(authorizations).toBe(1);
    expect(stack.apiAuthorizations.length).toBe(apiCalls);
    // Asked again, the same token is refused at once: no further sign-in.
    const again = await counting(() => session.call(WRITE_CALL.name, WRITE_CALL.arguments));
    expectMissingWrite(again.value);
    expect(again.authorizations).toBe(0);
  });

  it("demo signed in with read only → create_todo: exactly one more sign-in, then the todo is created", async () => {
    const session = await sdkSession(stack.mcpUrl, { provider: new HeadlessOAuthProvider(DEMO, { firstScope: READ_ONLY }) });
    stops.push(() => session.close());
    const { value, authorizations } = await counting(() => session.call(WRITE_CALL.name, WRITE_CALL.arguments));
    expectCreated(value);
    expect(authorizations).toBe(1);
  });
});

describe("mcp-remote", () => {
  it("reader → create_todo: one step-up sign-in PingFederate refuses, then the tool error naming todo_api:write", async () => {
    const remote = await mcpRemoteSession(stack.mcpUrl, { login: READER.login, password: READER.password });
    stops.push(() => remote.stop());
    const { value, authorizations } = await counting(() => within(STEP_UP_LIMIT_MS, "the reader's write", remote.call(WRITE_CALL.name, WRITE_CALL.arguments)));
    expectMissingWrite(value);
    expect(authorizations).toBe(1);
    expect(await remote.signIns()).toBe(2);
  });

  it("demo signed in with read only → create_todo: exactly one more sign-in, then the todo is created", async () => {
    const remote = await mcpRemoteSession(stack.mcpUrl, { login: DEMO.login, password: DEMO.password, firstScope: READ_ONLY });
    stops.push(() => remote.stop());
    const { value, authorizations } = await counting(() => within(STEP_UP_LIMIT_MS, "demo's write", remote.call(WRITE_CALL.name, WRITE_CALL.arguments)));
    expectCreated(value);
    expect(authorizations).toBe(1);
  });
});

describe("the MCP Inspector CLI (its own OAuth)", () => {
  it("reader → create_todo: it signs in, steps up once, sees the scope not granted and says so; no loop", async () => {
    const apiCalls = stack.apiAuthorizations.length;
    const { value, authorizations } = await counting(() => inspectorCall(stack.mcpUrl, { user: READER }, WRITE_CALL.name, WRITE_CALL.arguments));
    // The Inspector checks the token it got against the challenge and stops there: the error is its own.
    expect(value.exitCode).not.toBe(0);
    expect(value.envelope.error?.message).toMatch(/required scopes were not granted \(.*todo_api:write\)/);
    expect(authorizations).toBe(2);
    expect(stack.apiAuthorizations.length).toBe(apiCalls);
  });

  it("demo signed in with read only → create_todo: exactly one more sign-in, then the todo is created", async () => {
    const { value, authorizations } = await counting(() => inspectorCall(stack.mcpUrl, { user: DEMO, firstScope: READ_ONLY }, WRITE_CALL.name, WRITE_CALL.arguments));
    expect(value.exitCode, JSON.stringify(value.envelope)).toBe(0);
    expectCreated(value.envelope.result!);
    // The first sign-in (read only), then the step-up.
    expect(authorizations).toBe(2);
  });
});
