/**
 * A test-only bridge Worker: the real runtime (`createBridge`) with the real generated Todo API tools, policy and
 * config, behind the test auth adapter (test-auth.ts), which stands in for the provider adapters through the same
 * `AuthAdapter` interface. The Todo API's base URL comes from TODO_API_BASE_URL (generated/config.ts `api.baseUrlEnv`).
 *
 * For the tests it also records what could leak a credential, without ever exposing one:
 *   GET  /__test/logs    every log event of the bridge and every console line of this isolate
 *   GET  /__test/tokens  how many upstream tokens were minted, and their SHA-256 hashes
 *   POST /__test/scan    counts the minted tokens (whole, or their signature part) found in the posted text
 *   GET  /__test/outbound  every URL this isolate fetched with the global fetch (not through a service binding)
 *   GET  /__test/binding/<path>  forwards to the API through the API_BINDING service binding, without the bridge (the
 *                        benchmark's measure of what the binding and the API cost by themselves)
 *   POST /__test/floor   MCP served the way the bridge serves it (2025-era POSTs in JSON through the SDK transport,
 *                        src/mcp/stateless-route.ts, the rest through agents' createMcpHandler; an SDK McpServer built per
 *                        request with the same tools and listed schemas) but with no authentication, no policy and
 *                        tools that answer a fixed text: the benchmark's measure of what the MCP libraries cost
 *                        by themselves
 *
 * API_BINDING (a var, "" keeps generated/config.ts's value) sets `api.binding`: the service binding the bridge calls
 * the API through (test/runtime/wrangler.binding.jsonc binds TODO_API to the Todo API's Worker).
 */
import { McpServer } from "@modelcontextprotocol/server";
import { createMcpHandler } from "agents/mcp/server";
import { createRemoteJWKSet, type JWK, type JWTVerifyGetKey } from "jose";
import { config } from "../../generated/config.ts";
import { policy } from "../../generated/policy.ts";
import { tools } from "../../generated/tools.ts";
import { createBridge, type Bridge } from "../../src/bridge.ts";
import { readMcpBody } from "../../src/mcp/body.ts";
import { createStatelessRoute } from "../../src/mcp/stateless-route.ts";
import { listedSchema } from "../../src/mcp/listed-schema.ts";
import { createTestAuthAdapter, exchangeTarget } from "./test-auth.ts";

type Env = Record<string, unknown>;

const lines: string[] = [];
const minted: string[] = [];

// Every console line of the isolate (the runtime's, agents', the SDK's) is recorded as well as printed.
for (const level of ["log", "info", "warn", "error", "debug"] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    lines.push(`${level}: ${args.map(text).join(" ")}`);
    original(...args);
  };
}

// Every global fetch of the isolate is recorded (its URL only), to tell the public network from a service binding.
const outbound: string[] = [];
const globalFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  outbound.push(input instanceof Request ? input.url : String(input));
  return globalFetch(input, init);
};

let bridge: Bridge | undefined;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/__test/binding/")) return throughBinding(request, url, env);
    if (url.pathname === FLOOR_ROUTE) return serveFloor(request);
    if (url.pathname.startsWith("/__test/")) return testRoute(request, url.pathname);
    bridge ??= create(env);
    return bridge.fetch(request, env);
  },
};

function create(env: Env): Bridge {
  const keySets = new Map<string, JWTVerifyGetKey>();
  const jwksUrl = required(env, "JWKS_URL");
  const keys: JWTVerifyGetKey = (header, token) => {
    let set = keySets.get(jwksUrl);
    if (!set) keySets.set(jwksUrl, (set = createRemoteJWKSet(new URL(jwksUrl))));
    return set(header, token);
  };
  const signingKey = env["SIGNING_KEY"];
  const adapter = createTestAuthAdapter({
    issuer: required(env, "ISSUER"),
    resource: exchangeTarget(config).resource,
    keys,
    signingKey: (typeof signingKey === "string" ? JSON.parse(signingKey) : signingKey) as JWK,
    upstreamAudience: exchangeTarget(config).upstreamAudience,
    scopesSupported: policy.scopes.map((scope) => scope.name),
    reuseSeconds: numberVar(env, "UPSTREAM_TOKEN_REUSE_SECONDS") ?? 0,
    onMint: (token) => minted.push(token),
  });
  return createBridge({
    config: {
      ...config,
      api: {
        ...config.api,
        timeoutMs: numberVar(env, "UPSTREAM_TIMEOUT_MS") ?? config.api.timeoutMs,
        maxResponseBytes: numberVar(env, "UPSTREAM_MAX_RESPONSE_BYTES") ?? config.api.maxResponseBytes,
        ...(typeof env["API_BINDING"] === "string" && env["API_BINDING"] !== "" && { binding: env["API_BINDING"] }),
      },
    },
    tools,
    policy,
    adapter,
    log: (event) => {
      lines.push(`event: ${JSON.stringify(event)}`);
    },
  });
}

const FLOOR_ROUTE = "/__test/floor";

/** The MCP libraries alone, as the bridge uses them: a server per request with every generated tool, no bridge logic. */
function floorServer(): McpServer {
  const server = new McpServer({ name: "floor", version: "0.0.0" }, { capabilities: { tools: {} } });
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      { description: tool.description, inputSchema: listedSchema(tool.inputSchema) },
      async () => ({ content: [{ type: "text" as const, text: "ok" }] }),
    );
  }
  return server;
}
const floor = createStatelessRoute(floorServer, {}, createMcpHandler(floorServer, { route: FLOOR_ROUTE }));

/** The bridge's routing (src/bridge.ts) without its authentication and policy. */
async function serveFloor(request: Request): Promise<Response> {
  const { parsed: parsedBody, request: forwarded } = await readMcpBody(request);
  return floor(forwarded, { authInfo: { token: "[none]", clientId: "bench", scopes: [] }, parsedBody });
}

/** The request's path below /__test/binding and its Authorization header, sent to the API through API_BINDING. */
async function throughBinding(request: Request, url: URL, env: Env): Promise<Response> {
  const binding = env[String(env["API_BINDING"] ?? "")] as { fetch: typeof fetch } | undefined;
  if (typeof binding?.fetch !== "function") return Response.json({ error: "no API_BINDING service binding" }, { status: 404 });
  const headers = new Headers();
  const authorization = request.headers.get("authorization");
  if (authorization !== null) headers.set("authorization", authorization);
  return binding.fetch(`http://api.binding${url.pathname.slice("/__test/binding".length)}${url.search}`, { headers });
}

async function testRoute(request: Request, path: string): Promise<Response> {
  if (request.method === "GET" && path === "/__test/logs") return Response.json({ lines });
  if (request.method === "GET" && path === "/__test/outbound") return Response.json({ urls: outbound });
  if (request.method === "GET" && path === "/__test/tokens") {
    return Response.json({ count: minted.length, sha256: await Promise.all(minted.map(sha256)) });
  }
  if (request.method === "POST" && path === "/__test/scan") {
    const haystack = `${await request.text()}\n${lines.join("\n")}`;
    const found = minted.filter((token) => haystack.includes(token) || haystack.includes(token.split(".")[2]!)).length;
    return Response.json({ minted: minted.length, found });
  }
  return Response.json({ error: "not_found" }, { status: 404 });
}

async function sha256(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ""}`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (typeof value !== "string" || value === "") throw new Error(`the test bridge needs the var ${name}`);
  return value;
}

function numberVar(env: Env, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === "") return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new Error(`${name} must be a number`);
  return number;
}
