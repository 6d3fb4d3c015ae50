/** What `npm start` prints once everything answers: where things are, who can sign in, how to connect a client. */
import type { Provider } from "./args.ts";
import type { StackUrls } from "./stack.ts";

export const READY_LINE = "try: what is on my todo list?";

export function claudeDesktopConfig(mcpUrl: string): string {
  return JSON.stringify({ mcpServers: { todo: { command: "npx", args: ["mcp-remote", mcpUrl] } } });
}

/** The command a person runs for their Access token in Access mode (the local `cloudflared access login`). */
export function accessTokenCommand(urls: StackUrls, login = "demo"): string {
  return `curl -su ${login}:${login} ${urls.issuer}/cdn-cgi/access/token`;
}

/**
 * The Inspector's command line, listing the tools. In the OAuth modes it signs in by itself (dynamic registration,
 * the browser for the sign-in page, a callback on 127.0.0.1:6276); `MCP_AUTO_OPEN_ENABLED=true` lets it do that when
 * its output is not a terminal too (without it, it refuses: "Interactive OAuth requires a TTY"). Behind Access it
 * sends the Access token instead.
 */
export function inspectorCliCommand(urls: StackUrls, provider: Provider): string {
  const list = `npx @modelcontextprotocol/inspector --cli ${urls.mcp} --transport http --method tools/list`;
  if (provider === "access") return `${list} --header "cf-access-token: $(${accessTokenCommand(urls)})"`;
  return `MCP_AUTO_OPEN_ENABLED=true ${list}`;
}

/** Claude Desktop behind Access: mcp-remote sends the Access token on every request (kept in an env var). */
export function claudeDesktopAccessConfig(mcpUrl: string): string {
  return JSON.stringify({
    mcpServers: {
      todo: {
        command: "npx",
        args: ["mcp-remote", mcpUrl, "--header", "cf-access-token:${CF_ACCESS_TOKEN}"],
        env: { CF_ACCESS_TOKEN: "<your Access token>" },
      },
    },
  });
}

export function banner(urls: StackUrls, provider: Provider = "pingfederate"): string {
  return framed(provider === "access" ? accessLines(urls) : oauthLines(urls, provider));
}

/** The banner's frame and closing lines around a mode's own lines. */
function framed(lines: readonly string[]): string {
  const rule = "─".repeat(78);
  return [rule, ...lines, "", READY_LINE, "", "Ctrl-C stops everything.", rule].join("\n");
}

/** PingFederate and PingOne modes: MCP clients sign in with OAuth. */
function oauthLines(urls: StackUrls, provider: Provider): string[] {
  const pingOne = provider === "pingone";
  return [
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
    "MCP Inspector, command line (signs you in through your browser, then lists the tools):",
    `  ${inspectorCliCommand(urls, provider)}`,
    "MCP Inspector, web UI:",
    `  npx @modelcontextprotocol/inspector, then connect to ${urls.mcp} (Streamable HTTP) and sign in with OAuth`,
  ];
}

/** Access mode: Access signs people in; MCP clients send the Access token. */
function accessLines(urls: StackUrls): string[] {
  const token = `$(${accessTokenCommand(urls)})`;
  return [
    "The MCP identity bridge is running locally, behind Cloudflare Access (--provider access, self-hosted).",
    "",
    `  MCP server (bridge)   ${urls.mcp}   (through its Access edge)`,
    `  Access team           ${urls.issuer}   (stands in for https://<team>.cloudflareaccess.com)`,
    `  Todo API              ${urls.api}/api/todos   (through its Access edge; the bridge is a linked app)`,
    "",
    "Access signs you in, not the bridge. Get your Access token (what `cloudflared access login` gives you):",
    `  ${accessTokenCommand(urls)}`,
    "Accounts (bridge.yaml's claim rules in .cache/start/access/bridge.yaml decide the tools):",
    "  demo / demo        demo@example.com: read and write",
    "  reader / reader    reader@example.com: read only",
    "",
    "Claude Desktop: add this to claude_desktop_config.json (with your token) and restart it:",
    `  ${claudeDesktopAccessConfig(urls.mcp)}`,
    "",
    "Command line:",
    `  npx mcp-remote ${urls.mcp} --header "cf-access-token:${token}"`,
    "",
    "MCP Inspector, command line:",
    `  ${inspectorCliCommand(urls, "access")}`,
  ];
}
