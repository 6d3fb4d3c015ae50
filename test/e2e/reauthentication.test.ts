/**
 * PingFederate mode: a sign-in the identity provider no longer accepts for the API makes the MCP client sign the user
 * in again, instead of the model being told a tool failed. Here the IdP issues 3-second tokens: once one has expired,
 * the bridge still accepts it for a while (30 s clock-skew leeway, RFC 7519 §4.1.4 allows some), but the IdP refuses
 * to exchange it (`invalid_grant`, RFC 8693 §2.2.2). The bridge answers that tools/call with HTTP 401 `invalid_token`
 * before any MCP response starts; the official SDK client then runs its authorization flow again, and the retried
 * call succeeds. Everything is real: the local IdP, the bridge and the Todo API in workerd, the SDK client.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import type { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectWithSignIn, HeadlessOAuthProvider } from "./client.ts";
import { callOk } from "./lifecycle.ts";
import { DEMO } from "./oauth-flow.ts";
import { startStack, type Stack } from "./stack.ts";

const TOKEN_TTL_SECONDS = 3;
let stack: Stack;
let client: Client | undefined;

beforeAll(async () => {
  stack = await startStack({ provider: "pingfederate", accessTokenTtl: TOKEN_TTL_SECONDS });
});

afterAll(async () => {
  await client?.close();
  await stack?.close();
});

describe("a refused token exchange (invalid_grant) during tools/call", () => {
  it("is answered with 401 invalid_token; the SDK client signs in again and the retried call succeeds", async () => {
    const provider = new HeadlessOAuthProvider(DEMO);
    client = await connectWithSignIn(stack.mcpUrl, provider);
    const firstToken = provider.accessToken;
    // An exchange while the token is fresh (write scope), cached by the bridge for later write calls.
    await callOk(client, "create_todo", { todoText: "before expiry" });

    await new Promise((resolve) => setTimeout(resolve, (TOKEN_TTL_SECONDS + 1.5) * 1000));
    const apiCallsBefore = stack.apiAuthorizations.length;
    const loginsBefore = stack.stats.logins;

    // A read needs a new exchange (another scope set): the IdP refuses the expired subject token.
    const refused = await client.callTool({ name: "list_todos", arguments: {} }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UnauthorizedError);
    // The SDK reacted to the 401 by running the authorization flow: the headless browser signed in again.
    expect(stack.stats.logins).toBe(loginsBefore + 1);
    expect(stack.apiAuthorizations.length).toBe(apiCallsBefore);

    await (client.transport as StreamableHTTPClientTransport).finishAuth(provider.code());
    expect(provider.accessToken).not.toBe(firstToken);
    const listed = await callOk(client, "list_todos");
    expect(listed.todos.map((todo: { text: string }) => todo.text)).toEqual(["before expiry"]);
    expect(stack.apiAuthorizations.length).toBe(apiCallsBefore + 1);
  });
});
