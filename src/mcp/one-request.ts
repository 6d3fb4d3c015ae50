/**
 * The 2025-era lane's usual POST, one JSON-RPC request, answered through a transport of the bridge's own that
 * implements the SDK's `Transport` interface: the SDK's McpServer still parses, validates and dispatches the request
 * and validates its result; what is left out is the HTTP transport's bookkeeping around a single exchange.
 *
 * Why: for one request the SDK's `WebStandardStreamableHTTPServerTransport` checks the message's kind with zod six to
 * eight times on its way in and out (`isJSONRPCRequest`, `isInitializeRequest`, `isJSONRPCResultResponse`, ...), and
 * in workerd zod has no code generation, so each check walks the whole message, and on the way out the whole answer
 * (docs/benchmarks.md, the Miniflare lane, fifth pass).
 *
 * Only what that transport would answer exactly so takes this path (MCP 2025-11-25 Transports, "Sending Messages to
 * the Server"; the transport's checks, in its order): a single request (not a batch, a notification or a response),
 * not `initialize`, whose Accept names both `application/json` and `text/event-stream`, whose Content-Type is JSON, that
 * the SDK's `JSONRPCMessageSchema` accepts, whose `MCP-Protocol-Version` (when sent) the server supports, and that no
 * scope challenge answers with 403. Anything else, and anything unexpected on the way, goes to the SDK's transport,
 * which answers it as it always did.
 */
import {
  isJsonContentType,
  parseJSONRPCMessage,
  type AuthInfo,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type McpServer,
  type MessageExtraInfo,
  type Transport,
} from "@modelcontextprotocol/server";

/** Says a stateless server cannot ask the client anything (no stream to ask on, no session to answer on). */
export const SERVER_REQUESTS_REFUSED = "Server-to-client requests are unavailable on the bridge's stateless 2025-era lane.";

/** The POST's one JSON-RPC request when the exchange may take this path, else `undefined`. */
export function soleRequestOf(request: Request, parsedBody: unknown): JSONRPCRequest | undefined {
  if (!isSingleRequestShape(parsedBody)) return undefined;
  const accept = request.headers.get("accept");
  if (!accept?.includes("application/json") || !accept.includes("text/event-stream")) return undefined;
  if (!isJsonContentType(request.headers.get("content-type"))) return undefined;
  let message: JSONRPCMessage;
  try {
    message = parseJSONRPCMessage(parsedBody);
  } catch {
    return undefined;
  }
  return "method" in message && "id" in message ? message : undefined;
}

/** JSON-RPC 2.0 §4: a request has a `method` and an `id` (a string or number here, as MCP requires). */
function isSingleRequestShape(body: unknown): body is { method: string; id: string | number } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  const { method, id } = body as { method?: unknown; id?: unknown };
  return typeof method === "string" && method !== "initialize" && (typeof id === "string" || typeof id === "number");
}

/**
 * Serves `message` on `server` (not yet connected) and resolves with the JSON answer, or with `undefined` when the
 * SDK's transport must answer instead (a scope challenge, an unsupported protocol version); `server` is then not
 * connected (never, or closed again), so the caller serves the request with it through the SDK's transport.
 */
export async function answerSoleRequest(server: McpServer, message: JSONRPCRequest, request: Request, authInfo: AuthInfo): Promise<Response | undefined> {
  // The transport answers a call beyond the caller's scopes with 403 before dispatch (MCP 2025-11-25 Authorization,
  // "Scope Challenge Handling"); leave the whole challenge, its headers and its body, to it.
  if ((await server.resolveScopeChallenge({ request: message, authInfo })) !== undefined) return undefined;
  const transport = new SoleRequestTransport(message.id);
  await server.connect(transport);
  if (!transport.supportsVersionOf(request)) {
    await server.close();
    return undefined;
  }
  const extra: MessageExtraInfo = { authInfo, request };
  transport.onmessage?.(message, extra);
  return transport.answer;
}

/** One request in, its one JSON answer out. Notifications the server sends meanwhile are dropped, as in JSON mode. */
class SoleRequestTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport["onmessage"];
  readonly answer: Promise<Response>;
  readonly #id: string | number;
  #resolve!: (response: Response) => void;
  #versions: readonly string[] = [];

  constructor(id: string | number) {
    this.#id = id;
    this.answer = new Promise((resolve) => (this.#resolve = resolve));
  }

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.onclose?.();
  }

  /** The server tells its transport which versions it speaks when it connects. */
  setSupportedProtocolVersions(versions: string[]): void {
    this.#versions = versions;
  }

  /** As the SDK transport's check: a request need not name its version, but one it names must be supported. */
  supportsVersionOf(request: Request): boolean {
    const version = request.headers.get("mcp-protocol-version");
    return version === null || this.#versions.includes(version);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if ("method" in message) {
      if ("id" in message) this.onmessage?.({ jsonrpc: "2.0", id: message.id, error: { code: -32603, message: SERVER_REQUESTS_REFUSED } });
      return;
    }
    if (message.id === this.#id) this.#resolve(Response.json(message, { status: 200, headers: { "Content-Type": "application/json" } }));
  }
}
