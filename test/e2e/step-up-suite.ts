/**
 * The step-up scenarios every mode with sign-in runs, with each real client (step-up.ts): a reader's write ends in a
 * clear error and no sign-in loop; `demo` signed in with read only gets write after exactly one more sign-in. What
 * differs per mode is how many sign-ins the reader's write costs: one in PingFederate mode (the bridge cannot know
 * what PingFederate would grant, so it challenges once and the client's step-up is refused), none where the bridge is
 * the OAuth server and knows what the provider or its claim rules grant (PingOne, Access for SaaS).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdentityProviderStats } from "../../scripts/idp/index.ts";
import type { HeadlessOAuthProvider, User } from "./client.ts";
import { oauthFlow } from "./oauth-flow.ts";
import type { OidcUpstreamStack } from "./oidc-upstream-stack.ts";
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

export interface SignInStack {
  mcpUrl: string;
  /** The identity provider's counters: `authorizations` are its sign-in requests. */
  stats: IdentityProviderStats;
  /** What reached the API. */
  apiAuthorizations: string[];
  close(): Promise<void>;
}

export interface StepUpMode<S extends SignInStack> {
  start(): Promise<S>;
  /** The SDK client's OAuth provider for this mode (its "browser" signs `user` in). */
  provider(stack: S, user: User, options: { firstScope?: string }): HeadlessOAuthProvider;
  /** Authorization requests a reader's write costs: 1 where the bridge must challenge to learn the answer, else 0. */
  readerSignIns: 0 | 1;
}

export function stepUpSuite<S extends SignInStack>(mode: StepUpMode<S>): void {
  let stack: S;
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    stack = await mode.start();
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

  const readerOutcome = mode.readerSignIns === 1 ? "one step-up sign-in the identity provider refuses, then" : "no sign-in,";

  describe("the SDK client", () => {
    it(`reader → create_todo: ${readerOutcome} the tool error naming todo_api:write`, async () => {
      const session = await sdkSession(stack.mcpUrl, { provider: mode.provider(stack, READER, {}) });
      stops.push(() => session.close());
      const apiCalls = stack.apiAuthorizations.length;
      const { value, authorizations } = await counting(() => within(STEP_UP_LIMIT_MS, "the reader's write", session.call(WRITE_CALL.name, WRITE_CALL.arguments)));
      expectMissingWrite(value);
      expect(authorizations).toBe(mode.readerSignIns);
      expect(stack.apiAuthorizations.length).toBe(apiCalls);
      // Asked again: the same answer at once, no sign-in.
      const again = await counting(() => session.call(WRITE_CALL.name, WRITE_CALL.arguments));
      expectMissingWrite(again.value);
      expect(again.authorizations).toBe(0);
    });

    it("demo signed in with read only → create_todo: exactly one more sign-in, then the todo is created", async () => {
      const session = await sdkSession(stack.mcpUrl, { provider: mode.provider(stack, DEMO, { firstScope: READ_ONLY }) });
      stops.push(() => session.close());
      const { value, authorizations } = await counting(() => within(STEP_UP_LIMIT_MS, "demo's write", session.call(WRITE_CALL.name, WRITE_CALL.arguments)));
      expectCreated(value);
      expect(authorizations).toBe(1);
    });
  });

  describe("mcp-remote", () => {
    it(`reader → create_todo: ${readerOutcome} the tool error naming todo_api:write`, async () => {
      const remote = await mcpRemoteSession(stack.mcpUrl, { login: READER.login, password: READER.password });
      stops.push(() => remote.stop());
      const { value, authorizations } = await counting(() => within(STEP_UP_LIMIT_MS, "the reader's write", remote.call(WRITE_CALL.name, WRITE_CALL.arguments)));
      expectMissingWrite(value);
      expect(authorizations).toBe(mode.readerSignIns);
      expect(await remote.signIns()).toBe(1 + mode.readerSignIns);
    });

    it("demo signed in with read only → create_todo: exactly one more sign-in, then the todo is created", async () => {
      const remote = await mcpRemoteSession(stack.mcpUrl, { login: DEMO.login, password: DEMO.password, firstScope: READ_ONLY });
      stops.push(() => remote.stop());
      const { value, authorizations } = await counting(() => within(STEP_UP_LIMIT_MS, "demo's write", remote.call(WRITE_CALL.name, WRITE_CALL.arguments)));
      expectCreated(value);
      expect(authorizations).toBe(1);
    });
  });

  describe("the MCP Inspector CLI (its own OAuth, one run each)", () => {
    it("reader → create_todo: a clear error naming todo_api:write, at most one step-up sign-in, nothing sent to the API", async () => {
      const apiCalls = stack.apiAuthorizations.length;
      const { value, authorizations } = await counting(() => inspectorCall(stack.mcpUrl, { user: READER }, WRITE_CALL.name, WRITE_CALL.arguments));
      expect(value.exitCode).not.toBe(0);
      if (mode.readerSignIns === 1) {
        // It checks the token of its step-up against the challenge and stops there: the error is its own.
        expect(value.envelope.error?.message).toMatch(/required scopes were not granted \(.*todo_api:write\)/);
      } else {
        expectMissingWrite(value.envelope.result!);
      }
      // Its own sign-in, then the step-up where there is one.
      expect(authorizations).toBe(1 + mode.readerSignIns);
      expect(stack.apiAuthorizations.length).toBe(apiCalls);
    });

    it("demo signed in with read only → create_todo: exactly one more sign-in, then the todo is created", async () => {
      const { value, authorizations } = await counting(() => inspectorCall(stack.mcpUrl, { user: DEMO, firstScope: READ_ONLY }, WRITE_CALL.name, WRITE_CALL.arguments));
      expect(value.exitCode, JSON.stringify(value.envelope)).toBe(0);
      expectCreated(value.envelope.result!);
      // Its first sign-in (read only), then the step-up.
      expect(authorizations).toBe(2);
    });
  });
}

/**
 * The suite where the bridge is the OAuth server (PingOne, Access for SaaS): it knows what the provider or its claim
 * rules grant, so a reader's write costs no sign-in; the SDK client signs in through the bridge's consent page.
 */
export function oauthServerStepUpSuite(start: () => Promise<OidcUpstreamStack>): void {
  let current: OidcUpstreamStack;
  const { BridgeSignIn } = oauthFlow(() => current);
  stepUpSuite({
    start: async () => (current = await start()),
    provider: (_stack, user, options) => new BridgeSignIn(user, options),
    readerSignIns: 0,
  });
}
