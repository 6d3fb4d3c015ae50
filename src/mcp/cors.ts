/**
 * CORS of the MCP endpoint, for MCP clients that run in a browser (e.g. the Inspector's web UI): they must be able to
 * read `WWW-Authenticate` on a 401/403 to find the resource metadata and step up (MCP 2025-11-25, Authorization).
 * The values besides `origin` and `exposeHeaders` are agents' defaults, stated so that the 2025-era JSON lane
 * (stateless-route.ts) sends exactly what agents sends on its own answers.
 */
export const CORS = {
  origin: "*",
  headers: "Content-Type, Accept, Authorization, mcp-session-id, MCP-Protocol-Version, Mcp-Method, Mcp-Name",
  methods: "GET, POST, DELETE, OPTIONS",
  exposeHeaders: "mcp-session-id, WWW-Authenticate, MCP-Protocol-Version",
  maxAge: 86400,
} as const;

/** The same, as response headers. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  "Access-Control-Allow-Headers": CORS.headers,
  "Access-Control-Allow-Methods": CORS.methods,
  "Access-Control-Allow-Origin": CORS.origin,
  "Access-Control-Expose-Headers": CORS.exposeHeaders,
  "Access-Control-Max-Age": String(CORS.maxAge),
};

/** The adapter's refusals (401 challenges) get the same CORS headers as MCP responses. */
export function withCors(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set("Access-Control-Allow-Origin", CORS.origin);
  headers.set("Access-Control-Expose-Headers", CORS.exposeHeaders);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
