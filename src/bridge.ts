/**
 * The Worker's request path: Host/Origin checks → the auth adapter (its own endpoints, then authentication) →
 * the stateless MCP route, whose server is built per request for that request's identity.
 *
 *   request ─▶ adapter.handle? ─▶ adapter.authenticate ─▶ identity ─▶ credentials preflight ─▶ buildMcpServer
 *           ─▶ tool ─▶ upstream
 */
import {
  hostHeaderValidationResponse,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  originValidationResponse,
  type AuthInfo,
} from "@modelcontextprotocol/server";
import { createMcpHandler } from "agents/mcp/server";
import type { AuthAdapter } from "./auth/types.ts";
import type { RuntimeConfig } from "./config/schema.ts";
import { parsedMcpBody } from "./mcp/body.ts";
import { memoizeCredentials, preflightCredentials } from "./mcp/credentials-preflight.ts";
import { buildMcpServer, type Caller } from "./mcp/server.ts";
import type { PolicyDefinition } from "./policy/types.ts";
import type { ToolDefinition } from "./tools/types.ts";
import { upstreamFetchFor } from "./upstream/binding.ts";

export const MCP_ROUTE = "/mcp";

/**
 * CORS for MCP clients that run in a browser (e.g. the Inspector's web UI): they must be able to read
 * `WWW-Authenticate` on a 401/403 to find the resource metadata and step up (MCP 2025-11-25, Authorization).
 */
const CORS = {
  origin: "*",
  exposeHeaders: "mcp-session-id, WWW-Authenticate, MCP-Protocol-Version",
} as const;

export interface BridgeOptions {
  config: RuntimeConfig;
  tools: readonly ToolDefinition[];
  policy: PolicyDefinition;
  adapter: AuthAdapter;
  /** The fetch used for upstream calls when bridge.yaml sets no `api.binding` (tests may route it). */
  fetch?: typeof fetch;
  log?: (event: Record<string, unknown>) => void;
}

export interface Bridge {
  fetch(request: Request, env: Record<string, unknown>): Promise<Response>;
}

export function createBridge(options: BridgeOptions): Bridge {
  const { config, adapter } = options;
  const resource = new URL(config.identity.resource);
  const allowedHostnames = unique([resource.hostname, ...(isLoopback(resource.hostname) ? localhostAllowedHostnames() : [])]);
  const allowedOrigins = unique([resource.hostname, ...localhostAllowedOrigins()]);
  const log = options.log ?? ((event: Record<string, unknown>) => console.log(JSON.stringify(event)));
  const toolsByName = new Map(options.tools.map((tool) => [tool.name, tool]));

  const mcp = createMcpHandler(
    ({ authInfo }) => {
      const session = authInfo?.extra?.["session"] as { caller: Caller; env: Record<string, unknown> } | undefined;
      if (!session) throw new Error("MCP request without an authenticated caller");
      const upstream = upstreamFetchFor(config, session.env, options.fetch ?? fetch);
      return buildMcpServer(session.caller, {
        name: `${config.api.name}-mcp-bridge`,
        version: config.api.version || "0.0.0",
        tools: options.tools,
        policy: options.policy,
        ...(upstream.unavailable !== undefined && { unavailable: upstream.unavailable }),
        upstream: {
          baseUrl: baseUrlFor(config, session.env),
          env: session.env,
          fetch: upstream.fetch,
          serverFetch: options.fetch ?? fetch,
          timeoutMs: config.api.timeoutMs,
          maxResponseBytes: config.api.maxResponseBytes,
          log,
        },
      });
    },
    {
      route: MCP_ROUTE,
      allowedHostnames,
      allowedOriginHostnames: allowedOrigins,
      corsOptions: CORS,
      onerror: (error) => log({ event: "mcp_error", message: error.message }),
    },
  );

  return {
    async fetch(request, env) {
      const url = new URL(request.url);
      const own = await adapter.handle?.(request, env);
      if (own) return own;
      if (url.pathname !== MCP_ROUTE) return notFound();
      // Checked before authentication: a page on another origin must get 403 even without a token
      // (MCP 2025-11-25 transports, "Security Warning": validate Origin to prevent DNS rebinding).
      const rejected = hostHeaderValidationResponse(request, allowedHostnames) ?? originValidationResponse(request, allowedOrigins);
      if (rejected) return rejected;
      if (request.method === "OPTIONS") return mcp.fetch(request);
      const outcome = await adapter.authenticate(request, env);
      if (!outcome.ok) return withCors(outcome.response);
      const caller: Caller = { identity: outcome.identity, credentials: memoizeCredentials(outcome.credentials) };
      const parsedBody = await parsedMcpBody(request);
      if (adapter.reauthenticate && (await preflightCredentials(parsedBody, toolsByName, caller, options.policy)) === "reauthenticate") {
        return withCors(adapter.reauthenticate());
      }
      const authInfo: AuthInfo = {
        // The SDK only needs to know the request is authenticated; the token itself stays with the adapter.
        token: "[verified]",
        clientId: typeof outcome.identity.claims["client_id"] === "string" ? outcome.identity.claims["client_id"] : "mcp-client",
        scopes: [...outcome.identity.scopes],
        resource,
        extra: { session: { caller, env } },
      };
      return mcp.fetch(request, { authInfo, ...(parsedBody !== undefined && { parsedBody }) });
    },
  };
}

/** bridge.yaml's `api.baseUrlEnv` (a Worker var) wins over `api.baseUrl`. */
export function baseUrlFor(config: RuntimeConfig, env: Record<string, unknown>): string {
  const fromEnv = config.api.baseUrlEnv ? env[config.api.baseUrlEnv] : undefined;
  const baseUrl = typeof fromEnv === "string" && fromEnv !== "" ? fromEnv : config.api.baseUrl;
  if (!baseUrl) throw new Error(`the API base URL is not set: define ${config.api.baseUrlEnv ?? "api.baseUrl"}`);
  return baseUrl;
}

/** The adapter's refusals (401 challenges) get the same CORS headers as MCP responses. */
function withCors(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set("Access-Control-Allow-Origin", CORS.origin);
  headers.set("Access-Control-Expose-Headers", CORS.exposeHeaders);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function notFound(): Response {
  return Response.json({ error: "not_found", message: `the MCP endpoint is ${MCP_ROUTE}` }, { status: 404 });
}

function isLoopback(hostname: string): boolean {
  return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
