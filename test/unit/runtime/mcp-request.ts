/** Helpers of the in-process bridge tests: an MCP POST as a 2025-11-25 client sends it, and its JSON-RPC answer. */

/** A POST to the bridge's /mcp; `body` is sent as given when it is a string, as JSON otherwise. */
export function mcpPost(token: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request("http://127.0.0.1:8788/mcp", {
    method: "POST",
    headers: {
      // Node's Request sends no Host header by itself; workerd's incoming requests always have one.
      host: "127.0.0.1:8788",
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2025-11-25",
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** The last JSON-RPC message of a response, whether it came as JSON or as an SSE stream; undefined when empty. */
export async function messageOf(response: Response): Promise<any> {
  const text = await response.text();
  if (text === "") return undefined;
  const data = text.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5));
  return JSON.parse(data.at(-1) ?? text);
}
