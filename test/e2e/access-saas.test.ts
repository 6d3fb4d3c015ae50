/**
 * Access for SaaS mode end to end (`identity.provider: access`, `mode: saas`): the bridge is the OAuth authorization
 * server for MCP clients exactly as in PingOne mode, and a confidential OIDC client of "Access for SaaS" (the local
 * IdP, named by the test's own resolved config: see access-saas-stack.ts). Access issues no API scopes, so what a
 * caller may do comes from bridge.yaml's claim rules: todo_api:read for `emailDomains: [example.com]`, todo_api:write
 * for `users: [demo@example.com]`. Driven by the official MCP SDK v1 client and a headless cookie-jar browser.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CookieJar, parseForms } from "../idp/helpers.ts";
import { CALLBACK_PATH, startAccessSaasStack, type AccessSaasStack } from "./access-saas-stack.ts";
import { connectWithSignIn } from "./client.ts";
import { LIFECYCLE_API_CALLS, runTodoLifecycle } from "./lifecycle.ts";
import { ALL_TOOLS, browse, DEMO, oauthFlow, READ, rpcResult, WRITE } from "./oauth-flow.ts";

let stack: AccessSaasStack;
let demoClient: Client | undefined;

beforeAll(async () => {
  stack = await startAccessSaasStack();
});

afterAll(async () => {
  await demoClient?.close();
  await stack?.close();
});

const { BridgeSignIn, register, authorizeUrl, rpc, signInForToken } = oauthFlow(() => stack);

describe("Access for SaaS mode end to end", () => {
  it("publishes RFC 9728 and RFC 8414 metadata: the bridge is the authorization server; no token → 401", async () => {
    const prm = await (await fetch(`${stack.bridgeUrl}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(prm).toMatchObject({ resource: stack.mcpUrl, authorization_servers: [stack.bridgeUrl], scopes_supported: [READ, WRITE] });
    const as = await (await fetch(`${stack.bridgeUrl}/.well-known/oauth-authorization-server`)).json();
    expect(as).toMatchObject({
      issuer: stack.bridgeUrl,
      authorization_endpoint: `${stack.bridgeUrl}/authorize`,
      token_endpoint: `${stack.bridgeUrl}/oauth/token`,
      registration_endpoint: `${stack.bridgeUrl}/oauth/register`,
      code_challenge_methods_supported: ["S256"],
    });
    const unauthenticated = await rpc({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get("www-authenticate")).toContain(
      `resource_metadata="${stack.bridgeUrl}/.well-known/oauth-protected-resource/mcp"`,
    );
  });

  it("after consent: a redirect to Access with PKCE S256 and a nonce, OIDC scopes only (no API scopes, no resource)", async () => {
    const clientId = await register();
    const jar = new CookieJar();
    const page = await browse(jar, (await authorizeUrl(clientId)).url.href);
    const html = await page.text();
    expect(page.status).toBe(200);
    const params = new URLSearchParams(parseForms(html)[0]!.fields);
    params.delete("scope");
    for (const [, scope] of html.matchAll(/name="scope" value="([^"]*)"/g)) params.append("scope", scope!);
    const approved = await browse(jar, `${stack.bridgeUrl}/authorize`, params);
    expect(approved.status).toBe(302);
    const upstream = new URL(approved.headers.get("location")!);
    expect(upstream.origin).toBe(stack.issuer);
    const q = upstream.searchParams;
    expect(q.get("client_id")).toBe(stack.bridgeClient.id);
    expect(q.get("redirect_uri")).toBe(`${stack.bridgeUrl}${CALLBACK_PATH}`);
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("nonce")).toBeTruthy();
    expect(q.get("resource")).toBeNull();
    expect(q.get("scope")!.split(" ").sort()).toEqual(["email", "groups", "openid", "profile"]);
  });

  it("the SDK client signs in as demo@example.com; tools/list follows the claim rules; the Todo lifecycle runs on the Access token", async () => {
    const provider = new BridgeSignIn(DEMO);
    const log: string[] = [];
    demoClient = await connectWithSignIn(stack.mcpUrl, provider, log);
    const steps = provider.trip!.steps;
    const consentAt = steps.findIndex((s) => s === "200 bridge /authorize");
    const idpAt = steps.findIndex((s) => s.includes(" idp "));
    expect(consentAt).toBeGreaterThanOrEqual(0);
    expect(idpAt).toBeGreaterThan(consentAt);

    // Every tool: the rules grant read (`emailDomains: [example.com]`) and write (`users: [demo@example.com]`).
    const { tools } = await demoClient.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(ALL_TOOLS);

    const before = stack.apiAuthorizations.length;
    await runTodoLifecycle(demoClient, "access saas e2e");
    const sent = stack.apiAuthorizations.slice(before);
    expect(sent).toHaveLength(LIFECYCLE_API_CALLS);
    // What reached the API: the Access-issued token (sub = demo), never the MCP client's token; it carries no API
    // scopes (Access issues none): the bridge let the calls through on the claim rule, the API on its DEFAULT_SCOPES.
    for (const header of new Set(sent)) {
      const upstreamToken = header.replace(/^Bearer /, "");
      expect(upstreamToken).not.toBe(provider.accessToken);
      const claims = decodeJwt(upstreamToken);
      expect(claims.iss).toBe(stack.issuer);
      expect(claims.sub).toBe("demo");
      expect(String(claims["scope"] ?? "").split(" ")).not.toContain(READ);
    }
    expect(() => decodeJwt(provider.accessToken)).toThrow();
  });

  it("claim rules grant only within the client's consent: consented to read only → only the read tools; a bad token → 401", async () => {
    // The MCP client consents to read only: the claim rule would grant write too, but never beyond the consent.
    const clientId = await register();
    const { accessToken } = await signInForToken(clientId, DEMO, { scope: READ });
    await rpc({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } } }, accessToken);
    const listed = await rpcResult(await rpc({ jsonrpc: "2.0", id: 2, method: "tools/list" }, accessToken));
    expect(listed.result.tools.map((t: { name: string }) => t.name).sort()).toEqual(["get_todo", "list_todos"]);

    const invalid = await rpc({ jsonrpc: "2.0", id: 3, method: "tools/list" }, "not-a-token");
    expect(invalid.status).toBe(401);
    expect(invalid.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });
});
