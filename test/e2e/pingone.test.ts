/**
 * PingOne mode end to end: the bridge is the OAuth authorization server for MCP clients (DCR, per-client consent,
 * PKCE S256, tokens in KV) and a confidential OIDC client of "PingOne" (the local IdP), whose access token it keeps
 * in the grant and sends to the Todo API. Driven by the official MCP SDK v1 client and a headless cookie-jar browser
 * that crosses from the bridge's consent page to the IdP's login and back.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { decodeJwt } from "jose";
import { generateRandomCodeVerifier } from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CookieJar, parseForms, REDIRECT_URI } from "../idp/helpers.ts";
import { connectWithSignIn } from "./client.ts";
import { ALL_TOOLS, browse, DEMO, oauthFlow, READ, rpcResult, WRITE } from "./oauth-flow.ts";
import { CALLBACK_PATH, CIMD_ORIGIN, startPingOneStack, type PingOneStack } from "./pingone-stack.ts";

let stack: PingOneStack;
let demoClient: Client | undefined;

beforeAll(async () => {
  stack = await startPingOneStack();
});

afterAll(async () => {
  await demoClient?.close();
  await stack?.close();
});

const { travel, BridgeSignIn, register, authorizeUrl, token, rpc, signInForToken } = oauthFlow(() => stack);

describe("PingOne mode end to end", () => {
  it("publishes RFC 9728 and RFC 8414 metadata: the bridge is the authorization server, S256 only, DCR", async () => {
    const prm = await (await fetch(`${stack.bridgeUrl}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(prm).toMatchObject({ resource: stack.mcpUrl, authorization_servers: [stack.bridgeUrl], scopes_supported: [READ, WRITE] });
    const as = await (await fetch(`${stack.bridgeUrl}/.well-known/oauth-authorization-server`)).json();
    expect(as).toMatchObject({
      issuer: stack.bridgeUrl,
      authorization_endpoint: `${stack.bridgeUrl}/authorize`,
      token_endpoint: `${stack.bridgeUrl}/oauth/token`,
      registration_endpoint: `${stack.bridgeUrl}/oauth/register`,
      code_challenge_methods_supported: ["S256"],
      authorization_response_iss_parameter_supported: true,
      client_id_metadata_document_supported: true,
    });
    const unauthenticated = await rpc({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get("www-authenticate")).toContain(
      `resource_metadata="${stack.bridgeUrl}/.well-known/oauth-protected-resource/mcp"`,
    );
  });

  it("the SDK client: DCR at the bridge → consent page → login at the IdP as demo → token → tools → the API gets the upstream token", async () => {
    const provider = new BridgeSignIn(DEMO);
    const log: string[] = [];
    demoClient = await connectWithSignIn(stack.mcpUrl, provider, log);
    const paths = log.map((line) => line.replace(/^(\w+) http:\/\/127\.0\.0\.1:\d+/, "$1 "));
    expect(paths).toContain("POST /oauth/register");
    expect(paths.some((p) => p.startsWith("POST /oauth/token"))).toBe(true);

    // The browser saw the bridge's consent page before the IdP, then the IdP's login.
    const steps = provider.trip!.steps;
    const consentAt = steps.findIndex((s) => s === "200 bridge /authorize");
    const idpAt = steps.findIndex((s) => s.includes(" idp "));
    expect(consentAt).toBeGreaterThanOrEqual(0);
    expect(idpAt).toBeGreaterThan(consentAt);
    expect(provider.trip!.consentPages[0]!.html).toContain("e2e MCP client");

    const { tools } = await demoClient.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(ALL_TOOLS);

    const before = stack.apiAuthorizations.length;
    const created = await demoClient.callTool({ name: "create_todo", arguments: { todoText: "pingone e2e" } });
    expect(created.isError, JSON.stringify(created.content)).toBeFalsy();
    const listed = await demoClient.callTool({ name: "list_todos", arguments: {} });
    expect(JSON.stringify(listed.structuredContent)).toContain("pingone e2e");

    // What reached the API: the IdP's token for the API (aud = the API, sub = demo), never the MCP client's token.
    const sent = stack.apiAuthorizations.slice(before);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const header of sent) {
      expect(header).toMatch(/^Bearer /);
      const upstreamToken = header.slice("Bearer ".length);
      expect(upstreamToken).not.toBe(provider.accessToken);
      const claims = decodeJwt(upstreamToken);
      expect(claims.iss).toBe(stack.issuer);
      expect(claims.aud).toBe(stack.apiUrl);
      expect(claims.sub).toBe("demo");
    }
    // The MCP token is the bridge's own opaque token, not a JWT from the IdP.
    expect(() => decodeJwt(provider.accessToken)).toThrow();
  });

  it("the consent page names the client, its redirect URI and the scopes, escapes metadata, cannot be framed", async () => {
    const clientId = await register({ client_name: `<img src=x onerror=alert(1)> "Evil" & co` });
    const { url } = await authorizeUrl(clientId);
    const response = await fetch(url, { redirect: "manual" });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&#60;img src&#61;x onerror&#61;alert(1)&#62; &#34;Evil&#34; &#38; co");
    expect(html).toContain(clientId);
    expect(html).toContain("127.0.0.1:6274/oauth/callback");
    expect(html).toContain(READ);
    expect(html).toContain(WRITE);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("cache-control")).toContain("no-store");
    const cookies = response.headers.getSetCookie();
    expect(cookies.some((c) => /^__Host-[^=]+=/.test(c) && /HttpOnly/i.test(c) && /Secure/i.test(c))).toBe(true);
    // Nothing went to the IdP yet.
    expect(response.headers.get("location")).toBeNull();
  });

  it("consent skipped → refused: a POST from another browser (no binding cookie) and a callback without a state", async () => {
    const clientId = await register();
    const { url } = await authorizeUrl(clientId);
    const page = await fetch(url, { redirect: "manual" });
    const form = parseForms(await page.text())[0]!;
    // The attacker has the handle (e.g. from a page they opened) but not the victim's binding cookie.
    const forged = await fetch(`${stack.bridgeUrl}/authorize`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...form.fields, scope: READ }),
    });
    expect(forged.status).toBe(400);
    expect(forged.headers.get("location")).toBeNull();

    const noState = await fetch(`${stack.bridgeUrl}${CALLBACK_PATH}?code=abc`, { redirect: "manual" });
    expect(noState.status).toBe(400);
    expect(noState.headers.get("location")).toBeNull();
  });

  it("after approval: a redirect to the IdP with PKCE S256, a nonce, resource = the API and a fresh state", async () => {
    const clientId = await register();
    const jar = new CookieJar();
    const page = await browse(jar, (await authorizeUrl(clientId)).url.href);
    const html = await page.text();
    const params = new URLSearchParams(parseForms(html)[0]!.fields);
    params.delete("scope");
    for (const [, scope] of html.matchAll(/name="scope" value="([^"]*)"/g)) params.append("scope", scope!);
    const approved = await browse(jar, `${stack.bridgeUrl}/authorize`, params);
    expect(approved.status).toBe(302);
    const upstream = new URL(approved.headers.get("location")!);
    expect(upstream.origin + upstream.pathname).toBe(`${stack.issuer}/as/authorization.oauth2`);
    const q = upstream.searchParams;
    expect(q.get("client_id")).toBe(stack.bridgeClient.id);
    expect(q.get("redirect_uri")).toBe(`${stack.bridgeUrl}${CALLBACK_PATH}`);
    expect(q.get("response_type")).toBe("code");
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("nonce")).toBeTruthy();
    expect(q.get("resource")).toBe(stack.apiUrl);
    expect(q.get("scope")!.split(" ")).toEqual(expect.arrayContaining(["openid", "offline_access", READ, WRITE]));
    expect(q.get("state")).toBeTruthy();
    expect(q.get("state")).not.toBe("client-state");
    expect(approved.headers.getSetCookie().some((c) => c.startsWith("__Host-"))).toBe(true);
    // The handle is single use: posting the same form again is refused.
    const again = await browse(jar, `${stack.bridgeUrl}/authorize`, params);
    expect(again.status).toBe(400);
  });

  it("CSRF token missing → refused", async () => {
    const clientId = await register();
    const { url } = await authorizeUrl(clientId);
    const jar = new CookieJar();
    await browse(jar, url.href);
    const response = await browse(jar, `${stack.bridgeUrl}/authorize`, new URLSearchParams({ decision: "approve", scope: READ }));
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain("security token");
  });

  it("the upstream state is single use: a replayed callback is refused; a callback with a foreign state too", async () => {
    const clientId = await register();
    const { url, verifier } = await authorizeUrl(clientId);
    const jar = new CookieJar();
    // Stop the trip at the bridge's callback: the redirect URI to watch for is the callback itself.
    const trip = await travel(url.href, DEMO, `${stack.bridgeUrl}${CALLBACK_PATH}`, jar);
    const callbackUrl = trip.landing!;
    expect(callbackUrl.searchParams.get("state")).toBeTruthy();
    expect(callbackUrl.searchParams.get("iss")).toBe(stack.issuer);

    // Another browser (no binding cookie) cannot use it.
    const otherBrowser = await fetch(callbackUrl, { redirect: "manual" });
    expect(otherBrowser.status).toBe(400);

    const first = await browse(jar, callbackUrl.href);
    expect(first.status).toBe(302);
    const landing = new URL(first.headers.get("location")!);
    expect(landing.href.startsWith(REDIRECT_URI)).toBe(true);
    expect(landing.searchParams.get("state")).toBe("client-state");
    expect(landing.searchParams.get("iss")).toBe(stack.bridgeUrl);
    const code = landing.searchParams.get("code")!;

    const replay = await browse(jar, callbackUrl.href);
    expect(replay.status).toBe(400);
    expect(replay.headers.get("location")).toBeNull();

    // The code from the first callback works once, with the right verifier; the token carries the granted scopes.
    const tokens = await token({
      grant_type: "authorization_code",
      client_id: clientId,
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      resource: stack.mcpUrl,
    });
    expect(tokens.status).toBe(200);
    expect(tokens.body["scope"]).toBe(`${READ} ${WRITE}`);
    expect(tokens.body["expires_in"]).toBeGreaterThan(3000);
    expect(tokens.body["expires_in"]).toBeLessThanOrEqual(3600);
    expect(tokens.body["refresh_token"]).toBeTruthy();

    // Refresh: the bridge refreshes the upstream token too; the new MCP token works, the old refresh token rotates.
    const beforeRefresh = stack.stats.tokenRequests;
    const refreshed = await token({ grant_type: "refresh_token", client_id: clientId, refresh_token: tokens.body["refresh_token"] });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body["refresh_token"]).not.toBe(tokens.body["refresh_token"]);
    expect(stack.stats.tokenRequests).toBeGreaterThan(beforeRefresh);
    const list = await rpcResult(await rpc({ jsonrpc: "2.0", id: 1, method: "tools/list" }, refreshed.body["access_token"]));
    expect(list.result.tools.map((t: { name: string }) => t.name).sort()).toEqual(ALL_TOOLS);
    const call = await rpcResult(
      await rpc({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "list_todos", arguments: {} } }, refreshed.body["access_token"]),
    );
    expect(call.result.isError).toBeFalsy();
  });

  describe("refresh-token reuse (RFC 9700 §4.14.2)", () => {
    const refresh = (clientId: string, refreshToken: string) => token({ grant_type: "refresh_token", client_id: clientId, refresh_token: refreshToken });
    const listTools = async (accessToken: string) => (await rpc({ jsonrpc: "2.0", id: 1, method: "tools/list" }, accessToken)).status;

    it("RT1 again after RT1 → RT2 works once (a lost response); a second replay revokes the grant and all its tokens", async () => {
      const clientId = await register();
      const { refreshToken: rt1 } = await signInForToken(clientId, DEMO);
      const rotated = await refresh(clientId, rt1);
      expect(rotated.status).toBe(200);
      const lost = await refresh(clientId, rt1);
      expect(lost.status).toBe(200);
      expect(await listTools(lost.body["access_token"])).toBe(200);

      const replay = await refresh(clientId, rt1);
      expect(replay).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
      for (const rt of [rotated.body["refresh_token"], lost.body["refresh_token"]]) expect((await refresh(clientId, rt)).status).toBe(400);
      expect(await listTools(lost.body["access_token"])).toBe(401);
    });

    it("a retired refresh token (RT1 after RT2 was used) mints nothing and revokes the grant", async () => {
      const clientId = await register();
      const { refreshToken: rt1 } = await signInForToken(clientId, DEMO);
      const rt2 = (await refresh(clientId, rt1)).body["refresh_token"];
      const current = await refresh(clientId, rt2);
      expect(current.status).toBe(200);
      expect((await refresh(clientId, rt1)).status).toBe(400);
      expect((await refresh(clientId, current.body["refresh_token"])).status).toBe(400);
      expect(await listTools(current.body["access_token"])).toBe(401);
    });
  });

  it("a remembered approval skips the page for the same client, and only in the browser that approved", async () => {
    const clientId = await register();
    const jar = new CookieJar();
    const first = await travel((await authorizeUrl(clientId)).url.href, DEMO, REDIRECT_URI, jar);
    expect(first.consentPages).toHaveLength(1);
    expect(first.landing?.searchParams.get("code")).toBeTruthy();
    const again = await travel((await authorizeUrl(clientId)).url.href, DEMO, REDIRECT_URI, jar);
    expect(again.consentPages).toHaveLength(0);
    expect(again.landing?.searchParams.get("code")).toBeTruthy();
    // Another client in the same browser is asked again.
    const other = await register();
    const page = await browse(jar, (await authorizeUrl(other)).url.href);
    expect(page.status).toBe(200);
  });

  it("deny → access_denied back to the client", async () => {
    const clientId = await register();
    const jar = new CookieJar();
    const page = await browse(jar, (await authorizeUrl(clientId)).url.href);
    const deny = parseForms(await page.text()).find((f) => f.fields["decision"] === "deny")!;
    const response = await browse(jar, `${stack.bridgeUrl}/authorize`, new URLSearchParams(deny.fields));
    expect(response.status).toBe(302);
    const landing = new URL(response.headers.get("location")!);
    expect(landing.href.startsWith(REDIRECT_URI)).toBe(true);
    expect(landing.searchParams.get("error")).toBe("access_denied");
  });

  it("redirect URI mismatch → an error page at the bridge, never a redirect", async () => {
    const clientId = await register();
    const { url } = await authorizeUrl(clientId, { redirect_uri: "http://127.0.0.1:6274/elsewhere" });
    const response = await fetch(url, { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
  });

  it("plain PKCE → refused, no consent page", async () => {
    const clientId = await register();
    const verifier = generateRandomCodeVerifier();
    const { url } = await authorizeUrl(clientId, { code_challenge: verifier, code_challenge_method: "plain" });
    const response = await fetch(url, { redirect: "manual" });
    expect(response.status === 400 || response.status === 302).toBe(true);
    if (response.status === 302) {
      const landing = new URL(response.headers.get("location")!);
      expect(landing.href.startsWith(REDIRECT_URI)).toBe(true);
      expect(landing.searchParams.get("error")).toBe("invalid_request");
      expect(landing.searchParams.get("code")).toBeNull();
    } else {
      expect(await response.text()).not.toContain('name="handle"');
    }
  });

  it("scopes follow what the IdP granted: reader gets todo_api:read only, and only the read tools", async () => {
    const reader = new BridgeSignIn({ login: "reader", password: "reader" });
    const client = await connectWithSignIn(stack.mcpUrl, reader);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(["get_todo", "list_todos"]);
      const before = stack.apiAuthorizations.length;
      const listed = await client.callTool({ name: "list_todos", arguments: {} });
      expect(listed.isError, JSON.stringify(listed.content)).toBeFalsy();
      const claims = decodeJwt(stack.apiAuthorizations.slice(before)[0]!.slice("Bearer ".length));
      expect(claims.sub).toBe("reader");
      expect(String(claims["scope"]).split(" ")).not.toContain(WRITE);
    } finally {
      await client.close();
    }
  });

  it("an invalid MCP token → 401 invalid_token", async () => {
    const response = await rpc({ jsonrpc: "2.0", id: 1, method: "tools/list" }, "not-a-real-token");
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  describe("Client ID Metadata Documents (identity.clientIdMetadataDocuments: true)", () => {
    const cimdClient = (path: string, metadata: Record<string, unknown> = {}) => {
      const clientId = `${CIMD_ORIGIN}${path}`;
      stack.cimdDocuments.set(clientId, {
        client_id: clientId,
        client_name: "CIMD e2e client",
        client_uri: CIMD_ORIGIN,
        redirect_uris: [REDIRECT_URI],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "none",
        ...metadata,
      });
      return clientId;
    };

    it("a client identified by its document URL (no registration): consent names it, sign-in, token, tools", async () => {
      const clientId = cimdClient("/apps/e2e.json");
      const registrationsBefore = stack.stats.registrations;
      const { accessToken, trip } = await signInForToken(clientId, DEMO);
      expect(stack.cimdFetches).toContain(clientId);
      // The consent page showed the document's metadata (escaped like any client's), before the IdP was involved.
      expect(trip.consentPages[0]?.html).toContain("CIMD e2e client");
      await rpc({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "cimd", version: "1" } } }, accessToken);
      const listed = await rpcResult(await rpc({ jsonrpc: "2.0", id: 2, method: "tools/list" }, accessToken));
      expect(listed.result.tools.map((t: { name: string }) => t.name).sort()).toEqual(ALL_TOOLS);
      // Nothing was registered at the bridge or at the IdP for this client.
      expect(stack.stats.registrations).toBe(registrationsBefore);
    });

    it("refuses a document that names another client_id, a redirect URI it does not list, and a missing document", async () => {
      const impostor = cimdClient("/apps/impostor.json", { client_id: `${CIMD_ORIGIN}/apps/someone-else.json` });
      const wrongRedirect = cimdClient("/apps/elsewhere.json", { redirect_uris: ["http://127.0.0.1:6274/elsewhere"] });
      for (const clientId of [impostor, wrongRedirect, `${CIMD_ORIGIN}/apps/missing.json`]) {
        const { url } = await authorizeUrl(clientId);
        const page = await browse(new CookieJar(), url.href);
        expect(page.status, clientId).toBeGreaterThanOrEqual(400);
        // Never a redirect to an unverified redirect URI, never a consent form to approve.
        expect(page.headers.get("location"), clientId).toBeNull();
        expect(parseForms(await page.text()), clientId).toEqual([]);
      }
    });
  });
});
