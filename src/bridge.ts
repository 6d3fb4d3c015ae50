/**
 * The Worker's request path: Host/Origin checks → the auth adapter (its own endpoints, then authentication) →
 * the stateless MCP route, whose server is built per request for that request's identity.
 *
 *   request ─▶ adapter.handle? ─▶ adapter.authenticate ─▶ identity ─▶ step-up decision ─▶ credentials preflight
 *           ─▶ buildMcpServer ─▶ tool ─▶ upstream
 *
 * Every refusal and failure reaches the one log hook (`log`) with its code and reason; anything thrown that is not
 * one of the bridge's errors is a bug, answered 500 with its stack in the log.
 */
import {
  hostHeaderValidationResponse,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  originValidationResponse,
  type AuthInfo,
} from "@modelcontextprotocol/server";
import { createMcpHandler } from "agents/mcp/server";
import { AuthRefusal } from "./auth/errors.ts";
import { serverErrorResponse } from "./auth/outcomes.ts";
import type { AuthAdapter } from "./auth/types.ts";
import { systemClock, type Clock } from "./clock.ts";
import type { RuntimeConfig } from "./config/runtime.ts";
import type { DiscoveryDefinition } from "./discovery/types.ts";
import { failureFields, jsonLineLog, type Log } from "./log.ts";
import { onlyToolCalls, readMcpBody } from "./mcp/body.ts";
import { memoizeCredentials, preflightCredentials } from "./mcp/credentials-preflight.ts";
import { CORS, CORS_HEADERS, withCors } from "./mcp/cors.ts";
import { createStatelessRoute } from "./mcp/stateless-route.ts";
import { buildMcpServer, type Caller } from "./mcp/server.ts";
import { refusedStepUps } from "./mcp/step-up.ts";
import type { PolicyDefinition } from "./policy/types.ts";
import type { ToolDefinition } from "./tools/types.ts";
import { upstreamFetchFor } from "./upstream/binding.ts";
import { ApiBaseUrlMissing } from "./upstream/errors.ts";

export const MCP_ROUTE = "/mcp";

export interface BridgeOptions {
  config: RuntimeConfig;
  tools: readonly ToolDefinition[];
  policy: PolicyDefinition;
  /** generated/discovery.ts: set in discovery mode (three tools reach every operation), undefined in static mode. */
  discovery?: DiscoveryDefinition | undefined;
  adapter: AuthAdapter;
  /** The fetch used for upstream calls when bridge.yaml sets no `api.binding` (tests may route it). */
  fetch?: typeof fetch;
  /** The one log hook (default: one JSON line per event). */
  log?: Log;
  /** Time for upstream calls' limits and waits (default: the Worker's clock). */
  clock?: Clock;
}

export interface Bridge {
  fetch(request: Request, env: Record<string, unknown>): Promise<Response>;
}

export function createBridge(options: BridgeOptions): Bridge {
  const { config, adapter } = options;
  const resource = new URL(config.auth.options.resource);
  const allowedHostnames = unique([resource.hostname, ...(isLoopback(resource.hostname) ? localhostAllowedHostnames() : [])]);
  const allowedOrigins = unique([resource.hostname, ...localhostAllowedOrigins()]);
  const log = options.log ?? jsonLineLog;
  const toolsByName = new Map(options.tools.map((tool) => [tool.name, tool]));

  /** The MCP server for one request's caller (every lane builds it per request: DESIGN.md decisions 1 and 2). */
  const serverFor = (authInfo: AuthInfo | undefined) => {
    const session = authInfo?.extra?.["session"] as { caller: Caller; env: Record<string, unknown> } | undefined;
    if (!session) throw new Error("MCP request without an authenticated caller");
    const upstream = upstreamFetchFor(config, session.env, options.fetch ?? fetch);
    const baseUrl = baseUrlFor(config, session.env);
    const unavailable = upstream.unavailable ?? (baseUrl === undefined ? new ApiBaseUrlMissing(config.api.baseUrlEnv ?? "api.baseUrl") : undefined);
    return buildMcpServer(session.caller, {
      name: `${config.api.name}-mcp-bridge`,
      version: config.api.version || "0.0.0",
      tools: options.tools,
      policy: options.policy,
      discovery: options.discovery,
      ...(unavailable !== undefined && { unavailable }),
      upstream: {
        baseUrl: baseUrl ?? "",
        fetch: upstream.fetch,
        serverFetch: options.fetch ?? fetch,
        timeoutMs: config.api.timeoutMs,
        maxResponseBytes: config.api.maxResponseBytes,
        clock: options.clock ?? systemClock,
        log,
        env: session.env,
      },
    });
  };

  const mcp = createMcpHandler(
    ({ authInfo }) => serverFor(authInfo),
    {
      route: MCP_ROUTE,
      allowedHostnames,
      allowedOriginHostnames: allowedOrigins,
      corsOptions: CORS,
      onerror: (error) => log({ event: "mcp_error", ...failureFields(error) }),
    },
  );
  // agents serves the 2026-07-28 lane, GET/DELETE and preflights; 2025-era POSTs are answered in JSON (stateless-route.ts).
  const route = createStatelessRoute(serverFor, CORS_HEADERS, mcp);

  async function serve(request: Request, env: Record<string, unknown>): Promise<Response> {
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
    if (!outcome.ok) {
      log({ event: outcome.error instanceof AuthRefusal ? "auth_refused" : "auth_failed", ...failureFields(outcome.error) });
      return withCors(outcome.response);
    }
    const { parsed: parsedBody, request: forwarded } = await readMcpBody(request);
    const caller: Caller = {
      identity: outcome.identity,
      credentials: memoizeCredentials(outcome.credentials),
      // Which calls beyond the caller's scopes get a tool error instead of the 403 challenge (DESIGN.md decision 5).
      refused: await refusedStepUps(parsedBody, toolsByName, outcome, options.policy, options.discovery?.names.call),
      canStepUp: outcome.stepUp !== undefined,
      calls: onlyToolCalls(parsedBody),
    };
    // Only adapters that can ask for a new sign-in get their credentials before the MCP answer (the others get them
    // when the tool runs, after its arguments are checked).
    const verdict = adapter.reauthenticate
      ? await preflightCredentials(parsedBody, toolsByName, caller, options.policy, options.discovery?.names.call)
      : undefined;
    if (verdict?.kind === "internal") throw verdict.error;
    if (verdict?.kind === "reauthenticate" && adapter.reauthenticate) {
      log({ event: "auth_refused", subject: outcome.identity.subject, ...failureFields(verdict.error) });
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
    return route(forwarded, { authInfo, parsedBody });
  }

  return {
    async fetch(request, env) {
      try {
        return await serve(request, env);
      } catch (error) {
        log({ event: "request_failed", ...failureFields(error) });
        return withCors(serverErrorResponse());
      }
    },
  };
}

/** bridge.yaml's `api.baseUrlEnv` (a Worker var) wins over `api.baseUrl`; undefined when neither gives one. */
export function baseUrlFor(config: RuntimeConfig, env: Record<string, unknown>): string | undefined {
  const fromEnv = config.api.baseUrlEnv ? env[config.api.baseUrlEnv] : undefined;
  return typeof fromEnv === "string" && fromEnv !== "" ? fromEnv : config.api.baseUrl;
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
