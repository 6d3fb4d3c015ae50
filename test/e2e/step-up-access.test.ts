/**
 * Self-hosted Cloudflare Access mode with every real client (step-up.ts): Access signs users in before the bridge and
 * there is no OAuth server an MCP client could step up with, so a call beyond the caller's claim-rule scopes is never
 * challenged: it is a tool error naming the permission, in the same request (before, the 403 challenge sent
 * mcp-remote looking for dynamic client registration at the bridge, which answered 404). No client is ever sent to
 * sign in. The clients present the user's Access token as command-line clients do (`Cf-Access-Token`) to the stand-in
 * Access edge (access-stack.ts); claim rules give todo_api:read to example.com and todo_api:write to demo@example.com.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAccessStack, type AccessStack } from "./access-stack.ts";
import { expectCreated, expectMissingWrite, inspectorCall, mcpRemoteSession, sdkSession, STEP_UP_LIMIT_MS, within, WRITE_CALL } from "./step-up.ts";

let stack: AccessStack;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  stack = await startAccessStack({ visibility: "list" });
});

afterAll(async () => {
  for (const stop of stops) await stop().catch(() => undefined);
  await stack?.close();
});

const READER = "reader@example.com";
const DEMO = "demo@example.com";
const accessHeader = async (email: string) => ({ "cf-access-token": await stack.signIn(email) });

describe("the SDK client", () => {
  it("reader → create_todo: the tool error naming todo_api:write at once, the API never called", async () => {
    const session = await sdkSession(stack.mcpUrl, { headers: await accessHeader(READER) });
    stops.push(() => session.close());
    const before = stack.apiAssertions.length;
    expectMissingWrite(await within(STEP_UP_LIMIT_MS, "the reader's write", session.call(WRITE_CALL.name, WRITE_CALL.arguments)));
    expect(stack.apiAssertions.length).toBe(before);
  });

  it("demo (write by a claim rule) → create_todo: created, no sign-in of any kind", async () => {
    const session = await sdkSession(stack.mcpUrl, { headers: await accessHeader(DEMO) });
    stops.push(() => session.close());
    expectCreated(await session.call(WRITE_CALL.name, WRITE_CALL.arguments));
  });
});

describe("mcp-remote", () => {
  for (const [who, email] of [["reader", READER], ["demo", DEMO]] as const) {
    it(`${who} → create_todo: ${who === "reader" ? "the tool error naming todo_api:write" : "created"}, and mcp-remote never looks for a sign-in`, async () => {
      const token = await stack.signIn(email);
      const remote = await mcpRemoteSession(stack.mcpUrl, { args: ["--header", `cf-access-token:${token}`] });
      stops.push(() => remote.stop());
      const result = await within(STEP_UP_LIMIT_MS, `${who}'s write`, remote.call(WRITE_CALL.name, WRITE_CALL.arguments));
      if (who === "reader") expectMissingWrite(result);
      else expectCreated(result);
      expect(await remote.signIns()).toBe(0);
      expect(remote.peer.log()).not.toMatch(/regist/i);
    });
  }
});

describe("the MCP Inspector CLI", () => {
  it("reader → create_todo: the tool error naming todo_api:write; demo → created", async () => {
    const reader = await inspectorCall(stack.mcpUrl, { headers: await accessHeader(READER) }, WRITE_CALL.name, WRITE_CALL.arguments);
    expectMissingWrite(reader.envelope.result!);
    const demo = await inspectorCall(stack.mcpUrl, { headers: await accessHeader(DEMO) }, WRITE_CALL.name, WRITE_CALL.arguments);
    expect(demo.exitCode, JSON.stringify(demo.envelope)).toBe(0);
    expectCreated(demo.envelope.result!);
  });
});
