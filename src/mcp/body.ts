/**
 * The JSON body of an MCP POST, read once per request: the credentials preflight needs it, and agents' handler and
 * the SDK's transport take it as `parsedBody` instead of each cloning and parsing the request again. Read from a
 * clone with the SDK's own size limit (`readRequestBody`, 4 MiB), so anything that does not parse here (too large,
 * not JSON) reaches the SDK untouched and gets the SDK's own error answer.
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
