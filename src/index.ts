/**
 * The bridge Worker's entry. The MCP endpoint (`/mcp`), its auth adapters and policy arrive with the runtime; for
 * now the Worker serves what it was generated with, so a deployment can be checked end to end.
 */
import { config } from "../generated/config.ts";
import { policy } from "../generated/policy.ts";
import { tools } from "../generated/tools.ts";

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/" && request.method === "GET") {
      return Response.json({
        name: `${config.api.name}-mcp-bridge`,
        api: { title: config.api.title, version: config.api.version },
        provider: config.identity.provider,
        tools: tools.length,
        scopes: policy.scopes.map((s) => s.name),
      });
    }
    return Response.json({ error: "not_found", message: "the MCP endpoint /mcp is not served yet" }, { status: 404 });
  },
} satisfies ExportedHandler;
