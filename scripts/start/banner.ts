/** What `npm start` prints once everything answers: where things are, who can sign in, how to connect a client. */
import type { Provider } from "./args.ts";
import type { StackUrls } from "./stack.ts";

export const READY_LINE = "try: what is on my todo list?";

export function claudeDesktopConfig(mcpUrl: string): string {
  return JSON.stringify({ mcpServers: { todo: { command: "npx", args: ["mcp-remote", mcpUrl] } } });
}

export function banner(urls: StackUrls, provider: Provider = "pingfederate"): string {
  const rule = "─".repeat(78);
  const pingOne = provider === "pingone";
  return [
    rule,
    pingOne ? "The MCP identity bridge is running locally, in PingOne mode (--provider pingone)." : "The MCP identity bridge is running locally.",
    "",
    `  MCP server (bridge)   ${urls.mcp}`,
    `  identity provider     ${urls.issuer}   (stands in for ${pingOne ? "PingOne" : "PingFederate"})`,
    `  Todo API              ${urls.api}/api/todos`,
    "",
    ...(pingOne
      ? [
          "The bridge is the OAuth authorization server for MCP clients (registration, its own consent page, tokens in",
          "KV OAUTH_KV) and signs you in at the identity provider; config: .cache/start/pingone/bridge.yaml.",
          "",
        ]
      : []),
    "Sign in as:",
    "  demo / demo        read and write (todo_api:read todo_api:write)",
    "  reader / reader    read only (todo_api:read)",
    "",
    "Claude Desktop: add this to claude_desktop_config.json and restart it:",
    `  ${claudeDesktopConfig(urls.mcp)}`,
    "",
    "Command line (opens the sign-in page in your browser):",
    `  npx mcp-remote ${urls.mcp}`,
    "",
    "MCP Inspector:",
    "  npx @modelcontextprotocol/inspector",
    `  then connect to ${urls.mcp} (transport Streamable HTTP) and sign in with OAuth`,
    "",
    READY_LINE,
    "",
    "Ctrl-C stops everything.",
    rule,
  ].join("\n");
}
