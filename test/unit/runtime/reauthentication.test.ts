/**
 * A sign-in the identity provider no longer accepts for the API (RFC 8693 §2.2.2 `invalid_grant` on the exchange)
 * is answered with HTTP 401 `invalid_token`, so MCP clients sign the user in again, instead of a tool error shown to
 * the model. The whole bridge in process: `createBridge` with the generated Todo tools, the real PingFederate adapter
 * against the authorization-server double (tokens, JWKS, token endpoint), and a fake Todo API that records calls.
 */
import { describe, expect, it } from "vitest";
import { ENV, PRM_URL } from "../auth/fixtures.ts";
import { messageOf, mcpPost } from "./mcp-request.ts";
import { pingFederateBridge } from "./pingfederate-bridge.ts";

const harness = pingFederateBridge();
const { apiCalls, logs } = harness;
const signIn = harness.token;

function post(token: string, body: unknown): Promise<Response> {
  return harness.bridge().fetch(mcpPost(token, body), ENV);
}

const callList = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "list_todos", arguments: {} } };

describe("tools/call when the identity provider refuses the exchange", () => {
  it("answers invalid_grant with HTTP 401 invalid_token and the resource metadata; the API is not called", async () => {
    harness.as.onExchange = () => ({ status: 400, body: { error: "invalid_grant", error_description: "subject token revoked" } });
    const token = await signIn();
    const response = await post(token, callList);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      `Bearer error="invalid_token", error_description="The identity provider no longer accepts this sign-in for the API; sign in again", ` +
        `resource_metadata="${PRM_URL}", scope="todo_api:read todo_api:write"`,
    );
    // Browser-based clients must be able to read the challenge.
    expect(response.headers.get("access-control-expose-headers")).toContain("WWW-Authenticate");
    const body = await response.text();
    expect(body).toContain("invalid_token");
    expect(body).not.toContain(token);
    expect(body).not.toContain("revoked");
    expect(harness.as.exchanges).toHaveLength(1);
    expect(apiCalls).toHaveLength(0);
    expect(JSON.stringify(logs)).not.toContain(token);
  });

  it("makes one exchange per call even when the IdP's answer is not cacheable (no expires_in)", async () => {
    harness.as.onExchange = (_request, n) => ({ status: 200, body: { access_token: `exchanged-${n}`, token_type: "Bearer" } });
    const response = await post(await signIn(), callList);
    expect(response.status).toBe(200);
    expect((await messageOf(response)).result.isError).toBeUndefined();
    expect(harness.as.exchanges).toHaveLength(1);
    expect(harness.as.exchanges[0]!.form.get("scope")).toBe("todo_api:read");
    expect(apiCalls.map((call) => call.headers.get("authorization"))).toEqual(["Bearer exchanged-1"]);
  });

  it("leaves other IdP failures to the tool result (not the caller's sign-in), with one exchange attempt", async () => {
    harness.as.onExchange = () => ({ status: 401, body: { error: "invalid_client" } });
    const response = await post(await signIn(), callList);
    expect(response.status).toBe(200);
    const message = await messageOf(response);
    expect(message.result.isError).toBe(true);
    expect(message.result.content[0].text).toContain("Could not get access to the API for list_todos");
    expect(harness.as.exchanges).toHaveLength(1);
    expect(apiCalls).toHaveLength(0);
  });

  it("exchanges nothing for tools/list or for a call the caller's scopes refuse (403 step-up instead)", async () => {
    const reader = await signIn({ scope: "todo_api:read" });
    const listed = await post(reader, { jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(listed.status).toBe(200);
    const create = { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "create_todo", arguments: { todoText: "x" } } };
    const refused = await post(reader, create);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    expect(harness.as.exchanges).toHaveLength(0);
  });
});
