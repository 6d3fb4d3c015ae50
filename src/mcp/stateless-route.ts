/**
 * The stateless /mcp route, and its 2025-era lane (clients that start with `initialize`, revisions up to 2025-11-25)
 * answered with one JSON object per POST instead of an SSE stream. MCP 2025-11-25 Transports, "Sending Messages to
 * the Server": for a POST that holds requests the server MUST return either `text/event-stream` or
 * `application/json`, and the client MUST support both; a stateless server that never sends a request or
 * notification of its own before the answer has nothing to stream.
 *
 * Why not agents' legacy lane: it offers no JSON answers for an SDK v2 server, and its SSE stream costs about as much
 * Worker CPU as the bridge's own work (docs/benchmarks.md, the Miniflare lane): a keep-alive timer, the SDK's stream,
 * agents' copy of that stream, and CORS applied by copying the response. This is the composition the SDK documents
 * for keeping a legacy wiring next to its handler (`isLegacyRequest`, then `WebStandardStreamableHTTPServerTransport`);
 * agents still serves the 2026-07-28 lane (JSON already), GET/DELETE (405) and CORS preflights.
 *
 * A POST holding one request that the SDK transport would answer in the usual way is served through a transport of the
 * bridge's own (one-request.ts: the same answer without that transport's zod checks of the message's kind); everything
 * else is the SDK transport's own: the protocol version header, batches, the JSON-RPC errors, and the 403
 * `insufficient_scope` challenge from the server's scope challenge resolver. The server is built per request for
 * that request's caller, as on every lane (DESIGN.md decisions 1 and 2).
 */
import {
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
  type AuthInfo,
  type JSONRPCMessage,
  type McpHandlerRequestOptions,
  type McpServer,
} from "@modelcontextprotocol/server";
import { answerSoleRequest, SERVER_REQUESTS_REFUSED, soleRequestOf } from "./one-request.ts";

export interface LegacyLaneRequest {
  authInfo: AuthInfo;
  /** The request's JSON body, read once (body.ts). */
  parsedBody: unknown;
}

/** What serves everything but a 2025-era POST: agents' `createMcpHandler(...)`. */
export interface McpHandler {
  fetch(request: Request, options?: McpHandlerRequestOptions): Promise<Response>;
}

/**
 * The stateless /mcp route: a 2025-era POST (the SDK's own `isLegacyRequest`, so the routing never disagrees with the
 * SDK's) to the JSON lane, anything else to `handler`. `parsedBody` is undefined when the body did not parse: the
 * handler then reads it and answers with the SDK's own error.
 */
export function createStatelessRoute(factory: (authInfo: AuthInfo) => McpServer, cors: Readonly<Record<string, string>>, handler: McpHandler) {
  const legacy = createLegacyJsonLane(factory, cors);
  return async function route(request: Request, { authInfo, parsedBody }: { authInfo: AuthInfo; parsedBody: unknown }): Promise<Response> {
    if (parsedBody === undefined) return handler.fetch(request, { authInfo });
    if (await isLegacyRequest(request, parsedBody)) return legacy(request, { authInfo, parsedBody });
    return handler.fetch(request, { authInfo, parsedBody });
  };
}

/**
 * Serves one 2025-era POST with a server built by `factory`; the answer is JSON, with `cors` headers on it. A POST
 * holding one request is answered through the bridge's own transport when that gives the same answer
 * (one-request.ts), anything else through the SDK's.
 */
export function createLegacyJsonLane(factory: (authInfo: AuthInfo) => McpServer, cors: Readonly<Record<string, string>>) {
  return async function serveLegacy(request: Request, { authInfo, parsedBody }: LegacyLaneRequest): Promise<Response> {
    const server = factory(authInfo);
    const sole = soleRequestOf(request, parsedBody);
    const answer = sole && (await answerSoleRequest(server, sole, request, authInfo));
    const response = answer ?? (await serveWithSdkTransport(server, request, { authInfo, parsedBody }));
    for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);
    return response;
  };
}

/** The SDK's transport in JSON mode: every case the lane's own transport leaves to it. */
async function serveWithSdkTransport(server: McpServer, request: Request, { authInfo, parsedBody }: LegacyLaneRequest): Promise<Response> {
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  refuseServerRequests(transport);
  await server.connect(transport);
  // No teardown: with JSON answers nothing outlives the response (no stream, no timer, no pending request), and
  // closing builds an error per request only to reject handlers that have all settled.
  return transport.handleRequest(request, { authInfo, parsedBody });
}

/**
 * A stateless server cannot ask the client anything (there is no stream to ask on, nor a session to answer on): a
 * request the server would send is answered at once with an error, as agents' legacy lane does, instead of leaving
 * the tool waiting.
 */
function refuseServerRequests(transport: WebStandardStreamableHTTPServerTransport): void {
  const send = transport.send.bind(transport);
  transport.send = async (message, options) => {
    if (!isRequest(message)) return send(message, options);
    transport.onmessage?.({
      jsonrpc: "2.0",
      id: message.id,
      error: { code: -32603, message: SERVER_REQUESTS_REFUSED },
    });
  };
}

/**
 * JSON-RPC 2.0 §4: a request has a `method` and an `id`; a response has no `method`, a notification no `id`. Checked by
 * shape: the message was built by the SDK itself, and its zod `isJSONRPCRequest` would parse the whole answer (every
 * tool's schema, for tools/list) once more on its way out.
 */
function isRequest(message: JSONRPCMessage): message is JSONRPCMessage & { id: string | number; method: string } {
  return "method" in message && "id" in message;
}
