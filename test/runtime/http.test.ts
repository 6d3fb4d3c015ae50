/**
 * The bridge's HTTP surface in workerd, before any tool runs: Origin and Host checks (DNS rebinding), the 401
 * challenges of RFC 6750 §3 with RFC 9728 `resource_metadata`, CORS preflight, MCP-Protocol-Version, and the routes
 * that are not MCP. Raw HTTP, as a browser or a misbehaving client would send it.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BOTH,
  context,
  leakReport,
  METADATA_URL,
  READ,
  RESOURCE,
  recordingFetch,
  rpc,
  rpcResult,
  signToken,
  startBridge,
  type Running,
} from "./stack.ts";

let bridge: Running;
const clientTokens: string[] = [];

beforeAll(async () => {
  // No tool is called here: the API's address is one nothing listens on.
  bridge = await startBridge("http://127.0.0.1:9");
});

afterAll(async () => {
  await bridge?.close();
});

async function token(options: Parameters<typeof signToken>[0] = {}): Promise<string> {
  const signed = await signToken(options);
  clientTokens.push(signed);
  return signed;
}

const listTools = { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} };
const initialize = {
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};

/** A request with a Host header of our choosing (fetch does not let one set Host). */
function withHost(host: string, token: string): Promise<{ status: number; body: string }> {
  const url = new URL(`${bridge.url}/mcp`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: {
          host,
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-protocol-version": "2025-11-25",
        },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(listTools));
  });
}

/** The parameters of a `Bearer` challenge, and the scheme's presence. */
function challengeParams(header: string | null): Record<string, string> {
  expect(header).toMatch(/^Bearer /);
  return Object.fromEntries([...header!.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1]!, match[2]!]));
}

describe("Origin and Host (DNS rebinding protection)", () => {
  it("refuses a foreign Origin with 403 before authentication, even without a token", async () => {
    const response = await rpc(bridge.url, listTools, { headers: { origin: "https://evil.example" } });
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toBeNull();
    expect(await response.text()).toContain("Invalid Origin");
  });

  it("refuses a foreign Origin with a valid token too", async () => {
    const response = await rpc(bridge.url, listTools, { token: await token(), headers: { origin: "https://evil.example" } });
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain("list_todos");
  });

  it("serves a loopback Origin (a local browser-based client)", async () => {
    const response = await rpc(bridge.url, listTools, { token: await token({ scope: READ }), headers: { origin: "http://localhost:6274" } });
    expect(response.status).toBe(200);
    expect((await rpcResult(response)).result.tools.map((tool: { name: string }) => tool.name)).toEqual(["list_todos", "get_todo"]);
  });

  it("refuses a foreign Host header with 403", async () => {
    const { status, body } = await withHost("evil.example", await token());
    expect(status).toBe(403);
    expect(body).toContain("Invalid Host");
  });

  it("serves the loopback Host names", async () => {
    const port = new URL(bridge.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      expect((await withHost(host, await token())).status, host).toBe(200);
    }
  });
});

describe("401 challenges (RFC 6750 §3, RFC 9728)", () => {
  it("answers no token with 401 and a challenge carrying resource_metadata and no error code", async () => {
    const response = await rpc(bridge.url, listTools);
    expect(response.status).toBe(401);
    const header = response.headers.get("www-authenticate");
    const params = challengeParams(header);
    expect(params["resource_metadata"]).toBe(METADATA_URL);
    expect(params["error"]).toBeUndefined();
    expect(params["scope"]).toBe(BOTH);
    expect(response.headers.get("access-control-expose-headers")).toMatch(/WWW-Authenticate/i);
  });

  it("treats another scheme as no credentials", async () => {
    const response = await rpc(bridge.url, listTools, { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(response.status).toBe(401);
    expect(challengeParams(response.headers.get("www-authenticate"))["error"]).toBeUndefined();
  });

  it.each<[string, () => Promise<string>]>([
    ["garbage", async () => "not-a-jwt"],
    ["an expired token", () => token({ expiresIn: -120 })],
    ["a token for the Todo API (another audience)", () => token({ aud: context.audience })],
    ["a token for no audience of ours", () => token({ aud: "https://other.example/mcp" })],
    ["a token with its signature changed", async () => `${(await token()).slice(0, -6)}AAAAAA`],
  ])("answers %s with 401 error=\"invalid_token\"", async (_label, make) => {
    const response = await rpc(bridge.url, listTools, { token: await make() });
    expect(response.status).toBe(401);
    const params = challengeParams(response.headers.get("www-authenticate"));
    expect(params).toMatchObject({ error: "invalid_token", resource_metadata: METADATA_URL });
  });

  it("serves the protected resource metadata the challenge points to", async () => {
    const path = new URL(METADATA_URL).pathname;
    const response = await recordingFetch(`${bridge.url}${path}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ resource: RESOURCE, authorization_servers: [context.issuer] });
  });
});

describe("CORS preflight", () => {
  it("answers OPTIONS from an allowed origin with CORS headers, without a token", async () => {
    const response = await recordingFetch(`${bridge.url}/mcp`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:6274",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type, mcp-protocol-version",
      },
    });
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get("access-control-allow-origin")).toMatch(/^(\*|http:\/\/localhost:6274)$/);
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    const allowed = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase();
    for (const name of ["authorization", "content-type", "mcp-protocol-version"]) expect(allowed).toContain(name);
  });

  it("refuses OPTIONS from a foreign origin", async () => {
    const response = await recordingFetch(`${bridge.url}/mcp`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(response.status).toBe(403);
  });
});

describe("the MCP endpoint", () => {
  it("answers an unsupported MCP-Protocol-Version with 400", async () => {
    const response = await rpc(bridge.url, listTools, { token: await token(), headers: { "mcp-protocol-version": "1999-01-01" } });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Unsupported protocol version");
  });

  it("negotiates 2025-11-25 on initialize, statelessly (no session id)", async () => {
    const response = await rpc(bridge.url, initialize, { token: await token() });
    expect(response.status).toBe(200);
    expect(response.headers.get("mcp-session-id")).toBeNull();
    const { result } = await rpcResult(response);
    expect(result.protocolVersion).toBe("2025-11-25");
    expect(result.capabilities.tools).toBeDefined();
    expect(result.serverInfo).toMatchObject({ name: "todo-mcp-bridge", version: "1.0.0" });
  });

  it("serves tools/list without initialize (the stateless lane)", async () => {
    const response = await rpc(bridge.url, listTools, { token: await token() });
    expect(response.status).toBe(200);
    expect((await rpcResult(response)).result.tools).toHaveLength(5);
  });

  it("answers GET /mcp (no standalone SSE stream when stateless) with 405", async () => {
    const response = await recordingFetch(`${bridge.url}/mcp`, {
      headers: { authorization: `Bearer ${await token()}`, accept: "text/event-stream" },
    });
    expect(response.status).toBe(405);
  });

  it("answers other paths with 404", async () => {
    const response = await recordingFetch(`${bridge.url}/admin`, { headers: { authorization: `Bearer ${await token()}` } });
    expect(response.status).toBe(404);
  });

  it("never echoes a token in any of these answers", async () => {
    const report = await leakReport(bridge.url, clientTokens);
    expect(clientTokens.length).toBeGreaterThan(10);
    expect(report).toMatchObject({ clientFound: 0, mintedFound: 0, jwtShaped: [] });
  });
});
