/**
 * The JSON body of an MCP POST, read once per request: the credentials preflight and the step-up decision need the
 * tools it calls, and the MCP handlers take it as `parsedBody` instead of each reading and parsing the request again.
 *
 * Read from the request itself, whole, when its Content-Length fits the SDK's limit (4 MiB; the runtime holds a body
 * to its declared length): a clone would tee the stream, and reading chunk by chunk under a cap costs more than the
 * rest of reading a small body. Otherwise from a clone, with the SDK's own capped reader. Anything that does not
 * parse here reaches the SDK with its body intact and gets the SDK's own error answer: a body that is not JSON is
 * handed on rebuilt from the text read, and one without a length, or over the limit, is read from a clone so the
 * original stays unread.
 */
import { DEFAULT_MAX_REQUEST_BODY_SIZE, isJsonContentType, readRequestBody } from "@modelcontextprotocol/server";

export interface McpBody {
  /** The parsed body, or undefined when there is none to parse (not a JSON POST, too large, not JSON). */
  parsed: unknown;
  /** The request to hand on: the original, or one carrying the same body when the original's was read. */
  request: Request;
}

export async function readMcpBody(request: Request): Promise<McpBody> {
  const type = request.headers.get("content-type");
  if (request.method !== "POST" || type === null || !isJsonContentType(type)) return { parsed: undefined, request };
  const length = Number(request.headers.get("content-length") ?? Number.NaN);
  const readOriginal = Number.isSafeInteger(length) && length <= DEFAULT_MAX_REQUEST_BODY_SIZE;
  let text: string;
  try {
    if (readOriginal) text = await request.text();
    else {
      const read = await readRequestBody(request.clone(), DEFAULT_MAX_REQUEST_BODY_SIZE);
      if (read.tooLarge) return { parsed: undefined, request };
      text = read.text;
    }
  } catch {
    return { parsed: undefined, request: readOriginal ? withBody(request, "") : request };
  }
  try {
    return { parsed: JSON.parse(text) as unknown, request };
  } catch {
    return { parsed: undefined, request: readOriginal ? withBody(request, text) : request };
  }
}

function withBody(request: Request, text: string): Request {
  return new Request(request.url, { method: request.method, headers: request.headers, body: text, signal: request.signal });
}

/**
 * The tool names of the JSON-RPC `tools/call` requests in a parsed POST body (one message, or a batch as the
 * 2025-03-26 revision allowed); for discovery mode's call tool (`callTool`), the operation it names. Anything else
 * yields none: the MCP handler answers it with the protocol's own error.
 */
export function calledToolNames(body: unknown, callTool: string | undefined): string[] {
  const names: string[] = [];
  for (const message of messagesOf(body)) {
    const call = toolCallOf(message);
    if (!call) continue;
    const name = call.name === callTool ? call.arguments?.name : call.name;
    if (typeof name === "string") names.push(name);
  }
  return names;
}

/**
 * The tools a body calls when it does nothing else: every message a `tools/call` naming a tool (one, or a batch).
 * Undefined for anything else (a listing, an initialize, a mixed batch, no body): the server then needs every tool.
 */
export function onlyToolCalls(body: unknown): ReadonlySet<string> | undefined {
  const names = new Set<string>();
  for (const message of messagesOf(body)) {
    const call = toolCallOf(message);
    if (!call) return undefined;
    names.add(call.name);
  }
  return names.size > 0 ? names : undefined;
}

function messagesOf(body: unknown): unknown[] {
  return Array.isArray(body) ? body : [body];
}

interface ToolCallParams {
  name: string;
  arguments?: { name?: unknown };
}

/** The params of a `tools/call` request that names a tool; undefined for any other message. */
function toolCallOf(message: unknown): ToolCallParams | undefined {
  if (message === null || typeof message !== "object") return undefined;
  const { method, params } = message as { method?: unknown; params?: Partial<Record<keyof ToolCallParams, unknown>> };
  return method === "tools/call" && typeof params?.name === "string" ? (params as ToolCallParams) : undefined;
}
