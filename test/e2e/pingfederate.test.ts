/**
 * PingFederate mode end to end: the local identity provider (PingFederate's paths), the Todo API Worker and a bridge
 * Worker generated from a bridge.yaml for this run, driven by the official MCP SDK v1 client that signs in through
 * the IdP's real login and consent pages (test/e2e/stack.ts, test/e2e/client.ts).
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenRequest } from "../idp/helpers.ts";
import { connectWithSignIn, HeadlessOAuthProvider } from "./client.ts";
import { callOk, LIFECYCLE_API_CALLS, runTodoLifecycle } from "./lifecycle.ts";
import { startStack, type Stack } from "./stack.ts";

const READ = "todo_api:read";
const WRITE = "todo_api:write";
const ALL_TOOLS = ["create_todo", "delete_todo", "get_todo", "list_todos", "update_todo"];
const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

let stack: Stack;
const demo = new HeadlessOAuthProvider({ login: "demo", password: "demo" });
let demoClient: Client | undefined;
let readerClient: Client | undefined;

beforeAll(async () => {
  stack = await startStack({ provider: "pingfederate" });
});

afterAll(async () => {
  await demoClient?.close();
  await readerClient?.close();
  await stack?.close();
});

/** The RFC 9728 metadata URL every challenge of this bridge must name. */
const metadataUrl = () => `${stack.bridgeUrl}/.well-known/oauth-protected-resource/mcp`;

/** A JSON-RPC request POSTed to the bridge as the SDK would (stateless, 2025-11-25), optionally with a token. */
function rpc(body: unknown, token?: string, authorization?: string): Promise<Response> {
  return fetch(stack.mcpUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2025-11-25",
      ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
      ...(authorization !== undefined ? { authorization } : {}),
    },
    body: JSON.stringify(body),
  });
}

const listTools = { jsonrpc: "2.0", id: 1, method: "tools/list" };
const callTool = (name: string, args: Record<string, unknown>) => ({
  jsonrpc: "2.0",
  id: 2,
  method: "tools/call",
  params: { name, arguments: args },
});

/** `Bearer a="x", b="y"` → { a: "x", b: "y" } (null when the header is not a Bearer challenge). */
function challengeParams(header: string | null): Record<string, string> | null {
  if (!header?.startsWith("Bearer ")) return null;
  return Object.fromEntries([...header.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k!, v!]));
}

describe("PingFederate mode end to end", () => {
  it("the demo user signs in with the SDK client: 401 → RFC 9728 discovery → DCR → PKCE login → 5 tools", async () => {
    const before = { ...stack.stats };
    const log: string[] = [];
    demoClient = await connectWithSignIn(stack.mcpUrl, demo, log);

    // Discovery from the bridge's 401, then the IdP's metadata, dynamic registration and the code exchange.
    const paths = log.map((line) => line.replace(/^(\w+) http:\/\/127\.0\.0\.1:\d+/, "$1 "));
    expect(log.some((line) => line === `GET ${metadataUrl()}` || line.endsWith(metadataUrl()))).toBe(true);
    expect(paths).toContain("POST /as/clients.oauth2");
    expect(paths).toContain("POST /as/token.oauth2");
    expect(stack.stats.registrations - before.registrations).toBe(1);
    expect(stack.stats.logins - before.logins).toBe(1);

    // The authorization request: the IdP's endpoint, PKCE S256, the bridge as the RFC 8707 resource.
    const authorization = demo.authorizationUrl!;
    expect(`${authorization.origin}${authorization.pathname}`).toBe(`${stack.issuer}/as/authorization.oauth2`);
    expect(authorization.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorization.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(authorization.searchParams.get("resource")).toBe(stack.mcpUrl);

    // The client's token: issued by the IdP for the bridge (RFC 9068), with both API scopes.
    const claims = decodeJwt(demo.accessToken);
    expect(decodeProtectedHeader(demo.accessToken).typ).toBe("at+jwt");
    expect(claims.iss).toBe(stack.issuer);
    expect(claims.aud).toBe(stack.mcpUrl);
    expect(claims.sub).toBe("demo");
    expect(String(claims["scope"]).split(" ").sort()).toEqual([READ, WRITE]);

    const { tools } = await demoClient.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(ALL_TOOLS);
  });

  it("runs the Todo lifecycle through bridge → token exchange → Todo API, one exchange per scope set", async () => {
    const client = demoClient!;
    const exchangesBefore = stack.stats.exchanges;
    const tapBefore = stack.apiAuthorizations.length;

    await runTodoLifecycle(client, "Walk the e2e dog");

    // 9 upstream calls with two scope sets ({read}, {write}): the IdP saw exactly two exchanges (the bridge's cache).
    expect(stack.stats.exchanges - exchangesBefore).toBe(2);

    // What reached the API: only exchanged tokens (aud = the API, act = the bridge), never the client's token.
    const seen = stack.apiAuthorizations.slice(tapBefore);
    expect(seen).toHaveLength(LIFECYCLE_API_CALLS);
    const tokens = seen.map((header) => {
      expect(header).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      return header.slice("Bearer ".length);
    });
    expect(tokens).not.toContain(demo.accessToken);
    expect(new Set(tokens).size).toBe(2);
    for (const token of new Set(tokens)) {
      const claims = decodeJwt(token);
      expect(claims.iss).toBe(stack.issuer);
      expect(claims.aud).toBe(stack.apiUrl);
      expect(claims.sub).toBe("demo");
      expect(claims["act"]).toEqual({ sub: stack.bridgeClient.id });
      expect([READ, WRITE]).toContain(claims["scope"]);
    }

    // The client's own token does not open the API (wrong audience), while the bridge's calls above succeeded.
    const direct = await fetch(`${stack.apiUrl}/api/todos`, { headers: { authorization: `Bearer ${demo.accessToken}` } });
    expect(direct.status).toBe(401);
    expect(direct.headers.get("www-authenticate")).toContain('error="invalid_token"');
    const viaExchange = await fetch(`${stack.apiUrl}/api/todos`, { headers: { authorization: `Bearer ${tokens[0]}` } });
    expect(viaExchange.status).toBe(200);
  });

  it("a reader sees only the read tools and gets a 403 insufficient_scope challenge for a write", async () => {
    const reader = new HeadlessOAuthProvider({ login: "reader", password: "reader" });
    readerClient = await connectWithSignIn(stack.mcpUrl, reader);
    expect(String(decodeJwt(reader.accessToken)["scope"])).toBe(READ);

    const { tools } = await readerClient.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(["get_todo", "list_todos"]);
    expect((await callOk(readerClient, "list_todos")).todos).toEqual([]);

    const exchangesBefore = stack.stats.exchanges;
    const tapBefore = stack.apiAuthorizations.length;
    const response = await rpc(callTool("create_todo", { todoText: "not allowed" }), reader.accessToken);
    expect(response.status).toBe(403);
    const header = response.headers.get("www-authenticate");
    expect(challengeParams(header)).toMatchObject({
      error: "insufficient_scope",
      scope: WRITE,
      resource_metadata: metadataUrl(),
    });
    expect(header).toMatch(/^Bearer error="insufficient_scope", /);
    await response.body?.cancel();
    // Refused before any exchange or upstream call.
    expect(stack.stats.exchanges).toBe(exchangesBefore);
    expect(stack.apiAuthorizations.length).toBe(tapBefore);
  });

  describe("attacks against the bridge (raw HTTP)", () => {
    it("serves RFC 9728 metadata naming the IdP", async () => {
      const response = await fetch(metadataUrl());
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        resource: stack.mcpUrl,
        authorization_servers: [stack.issuer],
        scopes_supported: [READ, WRITE],
      });
    });

    it("no token → 401 challenge with resource_metadata and no error", async () => {
      const response = await rpc(listTools);
      expect(response.status).toBe(401);
      const params = challengeParams(response.headers.get("www-authenticate"));
      expect(params).toMatchObject({ resource_metadata: metadataUrl() });
      expect(params).not.toHaveProperty("error");
      await response.body?.cancel();
    });

    it("an exchanged token for the API (audience = API) → 401 invalid_token", async () => {
      // The bridge's own exchange, done here with its client credentials: a genuine IdP token, wrong audience.
      const exchanged = await tokenRequest(
        stack.issuer,
        {
          grant_type: TOKEN_EXCHANGE,
          subject_token: demo.accessToken,
          subject_token_type: ACCESS_TOKEN,
          audience: stack.apiUrl,
          scope: READ,
        },
        [stack.bridgeClient.id, stack.bridgeClient.secret],
      );
      expect(exchanged.status).toBe(200);
      const apiToken = String(exchanged.body["access_token"]);
      expect(decodeJwt(apiToken).aud).toBe(stack.apiUrl);

      const response = await rpc(listTools, apiToken);
      expect(response.status).toBe(401);
      expect(challengeParams(response.headers.get("www-authenticate"))).toMatchObject({
        error: "invalid_token",
        resource_metadata: metadataUrl(),
      });
      await response.body?.cancel();
    });

    it("a token signed by another key (same kid, claims as the IdP's) → 401 invalid_token", async () => {
      const genuine = decodeJwt(demo.accessToken);
      const { kid } = decodeProtectedHeader(demo.accessToken);
      const { privateKey } = await generateKeyPair("RS256", { extractable: true });
      const now = Math.floor(Date.now() / 1000);
      const forged = await new SignJWT({ scope: `${READ} ${WRITE}`, client_id: genuine["client_id"] })
        .setProtectedHeader({ alg: "RS256", typ: "at+jwt", ...(kid ? { kid } : {}) })
        .setIssuer(stack.issuer)
        .setAudience(stack.mcpUrl)
        .setSubject("demo")
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(privateKey);

      const response = await rpc(listTools, forged);
      expect(response.status).toBe(401);
      expect(challengeParams(response.headers.get("www-authenticate"))).toMatchObject({ error: "invalid_token" });
      await response.body?.cancel();
    });

    it("an unsigned token (alg: none) → 401", async () => {
      const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
      const now = Math.floor(Date.now() / 1000);
      const unsigned = `${b64({ alg: "none", typ: "at+jwt" })}.${b64({
        iss: stack.issuer,
        aud: stack.mcpUrl,
        sub: "demo",
        scope: `${READ} ${WRITE}`,
        iat: now,
        exp: now + 300,
      })}.`;

      const response = await rpc(listTools, unsigned);
      expect(response.status).toBe(401);
      expect(challengeParams(response.headers.get("www-authenticate"))).toMatchObject({
        error: "invalid_token",
        resource_metadata: metadataUrl(),
      });
      await response.body?.cancel();
    });
  });
});
