/**
 * Refusals and failures end where they should, with their code in the one log hook: the whole bridge in process
 * (`createBridge`, the generated Todo tools, the real PingFederate adapter against the authorization-server double)
 * and a fake Todo API. What the caller sees stays generic; the log says which check failed, never with a token.
 */
import { describe, expect, it } from "vitest";
import { policy } from "../../../generated/policy.ts";
import { tools } from "../../../generated/tools.ts";
import { createPingFederateAdapter } from "../../../src/auth/pingfederate.ts";
import { createBridge } from "../../../src/bridge.ts";
import { ManualClock } from "../../helpers/manual-clock.ts";
import { API_SCOPES, bridgeConfig, CLIENT_ENV, ENV, pingFederateOptions, SCOPES } from "../auth/fixtures.ts";
import { messageOf, mcpPost } from "./mcp-request.ts";
import { pingFederateBridge } from "./pingfederate-bridge.ts";

const harness = pingFederateBridge();
const { apiCalls, logs, bridge, token } = harness;

const callList = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "list_todos", arguments: {} } };
const listTools = { jsonrpc: "2.0", id: 1, method: "tools/list" };

describe("refusals reach the log with the check that failed; the caller sees the same words", () => {
  it.each([
    ["an expired token", { exp: Math.floor(Date.now() / 1000) - 120 }, "ERR_TOKEN_EXPIRED", {}],
    ["a token for another audience", { aud: "http://127.0.0.1:8787" }, "ERR_TOKEN_CLAIM_INVALID", { claim: "aud" }],
    ["a token from another issuer", { iss: "http://127.0.0.1:1" }, "ERR_TOKEN_CLAIM_INVALID", { claim: "iss" }],
  ])("%s", async (_case, claims, code, detail) => {
    const sent = await token(claims);
    const response = await bridge().fetch(mcpPost(sent, listTools), ENV);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain('error_description="The access token is invalid or expired"');
    expect(logs).toEqual([expect.objectContaining({ event: "auth_refused", code, ...detail })]);
    expect(JSON.stringify(logs)).not.toContain(sent);
  });

  it("no token at all is a refusal too (ERR_AUTH_NO_CREDENTIALS), with the challenge that has no error code", async () => {
    const response = await bridge().fetch(new Request("http://127.0.0.1:8788/mcp", { method: "POST", headers: { host: "127.0.0.1:8788" } }), ENV);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).not.toContain("error=");
    expect(logs).toEqual([expect.objectContaining({ event: "auth_refused", code: "ERR_AUTH_NO_CREDENTIALS" })]);
  });
});

describe("an identity provider that is down", () => {
  it("at authentication (introspection answers 503): HTTP 503 with Retry-After, never 401", async () => {
    const options = pingFederateOptions(harness.as.issuer, { tokenValidation: { method: "introspection", client: CLIENT_ENV } });
    const down = bridge(options, { fetch: async (input, init) => (String(input).includes("introspect") ? new Response("busy", { status: 503 }) : fetch(input, init)) });
    const response = await down.fetch(mcpPost("ref-token", listTools), ENV);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(await response.json()).toEqual({ error: "temporarily_unavailable", error_description: "The identity provider could not be reached; try again" });
    expect(logs).toEqual([expect.objectContaining({ event: "auth_failed", code: "ERR_IDP_UNAVAILABLE", endpoint: "introspection" })]);
  });

  it("at the tool call (the exchange answers 503): a tool error that says to try again, not to sign in again", async () => {
    harness.as.onExchange = () => ({ status: 503, body: { error: "temporarily_unavailable" } });
    const response = await bridge().fetch(mcpPost(await token(), callList), ENV);
    expect(response.status).toBe(200);
    const text: string = (await messageOf(response)).result.content[0].text;
    expect(text).toBe("The identity provider could not be reached to get access to the API for list_todos: try again in a moment.");
    expect(text).not.toMatch(/sign in/);
    expect(apiCalls).toHaveLength(0);
    expect(logs).toContainEqual(expect.objectContaining({ event: "credentials_failed", code: "ERR_IDP_UNAVAILABLE", endpoint: "token" }));
  });

  it("the bridge's client refused by the IdP (invalid_client): a tool error for the operator, logged with the OAuth error", async () => {
    harness.as.onExchange = () => ({ status: 401, body: { error: "invalid_client" } });
    const response = await bridge().fetch(mcpPost(await token(), callList), ENV);
    const text: string = (await messageOf(response)).result.content[0].text;
    expect(text).toContain("the identity provider or the bridge's configuration refused it");
    expect(logs).toContainEqual(expect.objectContaining({ code: "ERR_IDP_REFUSED", oauthError: "invalid_client" }));
  });
});

describe("an identity provider that hangs (the clock is moved past its time limit, no waiting)", () => {
  /** A fetch to `path` that answers nothing until its signal aborts; everything else reaches the double. */
  const hangingAt =
    (path: string): typeof fetch =>
    (input, init) =>
      new URL(input instanceof Request ? input.url : String(input)).pathname === path
        ? new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)))
        : fetch(input, init);

  it("its key set: HTTP 503 with Retry-After after 5 s", async () => {
    const clock = new ManualClock(Date.now());
    const options = pingFederateOptions(harness.as.issuer, { tokenValidation: { method: "jwt", algorithms: ["RS256"], tokenType: "any", jwksUri: `${harness.as.issuer}/pf/JWKS` } });
    const request = mcpPost(await token(), listTools);
    const started = clock.now();
    const response = await clock.runUntilSettled(bridge(options, { clock, fetch: hangingAt("/pf/JWKS") }).fetch(request, ENV));
    expect(clock.now() - started).toBe(5_000);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(logs).toEqual([expect.objectContaining({ event: "auth_failed", code: "ERR_IDP_UNAVAILABLE", endpoint: "jwks" })]);
  });

  it("its token endpoint, at the tool call: a tool error after 10 s that says to try again", async () => {
    const clock = new ManualClock(Date.now());
    const hanging = bridge(pingFederateOptions(harness.as.issuer), { clock, fetch: hangingAt("/as/token.oauth2") });
    const sent = await token();
    // Discovery and keys first, on a frozen clock: the only time limit left to pass is the exchange's.
    expect((await hanging.fetch(mcpPost(sent, listTools), ENV)).status).toBe(200);
    const started = clock.now();
    const response = await clock.runUntilSettled(hanging.fetch(mcpPost(sent, callList), ENV));
    expect(clock.now() - started).toBe(10_000);
    expect((await messageOf(response)).result.content[0].text).toBe(
      "The identity provider could not be reached to get access to the API for list_todos: try again in a moment.",
    );
    expect(logs).toContainEqual(expect.objectContaining({ code: "ERR_IDP_UNAVAILABLE", endpoint: "token", reason: "the token request failed: no answer within the time limit" }));
    expect(apiCalls).toHaveLength(0);
  });
});

describe("a programming error is a 500 with its reason in the log", () => {
  it("thrown while authenticating (not a 401, not a 503)", async () => {
    const broken = bridge(pingFederateOptions(harness.as.issuer), {
      clock: {
        now: () => {
          throw new TypeError("clock is broken");
        },
        setTimer: () => () => {},
      },
    });
    const response = await broken.fetch(mcpPost(await token(), listTools), ENV);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: "server_error",
      error_description: "The bridge could not handle the request; its operator can see why in its log",
    });
    expect(logs).toEqual([expect.objectContaining({ event: "request_failed", code: "ERR_INTERNAL", reason: "TypeError: clock is broken" })]);
  });

  it("thrown while getting a tool's credentials: 500 before the MCP answer, the API not called", async () => {
    const options = pingFederateOptions(harness.as.issuer);
    const adapter = createPingFederateAdapter(options, { scopes: API_SCOPES });
    const broken = createBridge({
      config: bridgeConfig({ adapter: "pingfederate", options }),
      tools,
      policy,
      adapter: {
        ...adapter,
        async authenticate(request, env) {
          const outcome = await adapter.authenticate(request, env);
          if (!outcome.ok) return outcome;
          return { ...outcome, credentials: { headersFor: async () => JSON.parse("{") as Record<string, string> } };
        },
      },
      fetch: async () => Response.json({}),
      log: (event) => logs.push(event),
    });
    const response = await broken.fetch(mcpPost(await token(), callList), ENV);
    expect(response.status).toBe(500);
    expect(logs).toEqual([expect.objectContaining({ event: "request_failed", code: "ERR_INTERNAL", reason: expect.stringMatching(/^SyntaxError/) })]);
    expect(harness.as.exchanges).toHaveLength(0);
  });

  it("thrown inside a tool call (an adapter without a sign-in-again answer): a generic tool error, the reason only in the log", async () => {
    const broken = createBridge({
      config: bridgeConfig({ adapter: "pingfederate", options: pingFederateOptions(harness.as.issuer) }),
      tools,
      policy,
      adapter: {
        authenticate: async () => ({
          ok: true,
          identity: { subject: "demo", scopes: [...SCOPES], claims: {} },
          credentials: { headersFor: async () => JSON.parse("{") as Record<string, string> },
        }),
      },
      fetch: async () => Response.json({}),
      log: (event) => logs.push(event),
    });
    const response = await broken.fetch(mcpPost(await token(), callList), ENV);
    const text: string = (await messageOf(response)).result.content[0].text;
    expect(text).toBe("The bridge failed on this call of list_todos (an internal error: its operator can see why in its log).");
    expect(logs).toContainEqual(expect.objectContaining({ event: "tool_failed", code: "ERR_INTERNAL", reason: expect.stringMatching(/^SyntaxError/) }));
  });
});
