/**
 * The JSON body of an MCP POST, read once per request: the credentials preflight and the step-up decision need the
 * tools it calls, and agents' handler and the SDK's transport take it as `parsedBody` instead of each cloning and
 * parsing the request again. Read from a clone with the SDK's own size limit (`readRequestBody`, 4 MiB), so anything
 * that does not parse here (too large, not JSON) reaches the SDK untouched and gets the SDK's own error answer.
 */
import { DEFAULT_MAX_REQUEST_BODY_SIZE, isJsonContentType, readRequestBody } from "@modelcontextprotocol/server";

/** The parsed body, or undefined when there is none to parse (not a JSON POST, too large, not JSON). */
export async function parsedMcpBody(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type");
  if (request.method !== "POST" || type === null || !isJsonContentType(type)) return undefined;
  try {
    const read = await readRequestBody(request.clone(), DEFAULT_MAX_REQUEST_BODY_SIZE);
    return read.tooLarge ? undefined : (JSON.parse(read.text) as unknown);
  } catch {
    return undefined;
  }
}

/**
 * The tool names of the JSON-RPC `tools/call` requests in a parsed POST body (one message, or a batch as the
 * 2025-03-26 revision allowed); for discovery mode's call tool (`callTool`), the operation it names. Anything else
 * yields none: the MCP handler answers it with the protocol's own error.
 */
export function calledToolNames(body: unknown, callTool: string | undefined): string[] {
  const messages = Array.isArray(body) ? body : [body];
  const names: string[] = [];
  for (const message of messages) {
    if (message === null || typeof message !== "object") continue;
    const { method, params } = message as { method?: unknown; params?: { name?: unknown; arguments?: { name?: unknown } } };
    if (method !== "tools/call" || typeof params?.name !== "string") continue;
    const name = params.name === callTool ? params.arguments?.name : params.name;
    if (typeof name === "string") names.push(name);
  }
  return names;
}
