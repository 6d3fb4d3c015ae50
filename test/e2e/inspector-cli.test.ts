/**
 * The MCP Inspector's CLI mode against the bridge with a bearer header, as people script it:
 * `mcp-inspector --cli <bridge>/mcp --transport http --method … --header "Authorization: Bearer <token>"`.
 * The tokens are real: a dynamically registered public client signs `demo` / `reader` in through the IdP's login and
 * consent pages (auth code + PKCE S256, resource = the bridge), as test/idp/helpers.ts does.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { obtainTokens, registerPublicClient } from "../idp/helpers.ts";
import { ROOT, startStack, type Stack } from "./stack.ts";

const BIN = join(ROOT, "node_modules", ".bin");
const NODE = join(BIN, "node");
const INSPECTOR = join(ROOT, "node_modules", "@modelcontextprotocol", "inspector", "clients", "launcher", "build", "index.js");
const ALL_TOOLS = ["create_todo", "delete_todo", "get_todo", "list_todos", "update_todo"];
const SCOPES = "todo_api:read todo_api:write";

let stack: Stack;
let home: string;
let demoToken: string;
let readerToken: string;

beforeAll(async () => {
  stack = await startStack({ provider: "pingfederate" });
  // The Inspector keeps a catalog, client config and OAuth state under ~/.mcp-inspector: give it a throwaway home.
  home = await mkdtemp(join(tmpdir(), "inspector-e2e-"));
  const { client_id } = await registerPublicClient(stack.issuer, { client_name: "Inspector CLI e2e" });
  const token = async (login: string) => {
    const tokens = await obtainTokens({
      issuer: stack.issuer,
      clientId: client_id,
      user: { login, password: login },
      scope: SCOPES,
      resource: stack.mcpUrl,
    });
    if (tokens.status !== 200) throw new Error(`token for ${login}: ${tokens.status} ${JSON.stringify(tokens.body)}`);
    return String(tokens.body["access_token"]);
  };
  [demoToken, readerToken] = await Promise.all([token("demo"), token("reader")]);
});

afterAll(async () => {
  await stack?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

/** Runs the Inspector CLI once with `--format json` and returns the MCP result it printed (rejects on any failure). */
function inspect(token: string, ...args: string[]): Promise<any> {
  const argv = [
    INSPECTOR,
    "--cli",
    stack.mcpUrl,
    "--transport",
    "http",
    "--header",
    `Authorization: Bearer ${token}`,
    "--format",
    "json",
    "--quiet",
    ...args,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      NODE,
      argv,
      {
        cwd: ROOT,
        timeout: 30_000,
        env: {
          ...process.env,
          HOME: home,
          MCP_CLIENT_CONFIG_PATH: join(home, "client.json"),
          PATH: `${BIN}${delimiter}${process.env.PATH ?? ""}`,
        },
      },
      (error, stdout, stderr) => {
        // Not error.message: it repeats the command line, token included.
        if (error) return reject(new Error(`inspector ${args.join(" ")} failed (exit ${String(error.code)}):\n${stderr}\n${stdout}`));
        // `--format json` prints one envelope: {"result": …} (or {"error": …} with a non-zero exit).
        let envelope: { result?: unknown; error?: unknown };
        try {
          envelope = JSON.parse(stdout);
        } catch {
          return reject(new Error(`inspector printed no JSON:\n${stdout}\n${stderr}`));
        }
        if (envelope.error !== undefined || envelope.result === undefined) {
          return reject(new Error(`inspector ${args.join(" ")}: ${stdout}`));
        }
        resolve(envelope.result);
      },
    );
  });
}

const names = (result: any): string[] => {
  if (!Array.isArray(result?.tools)) throw new Error(`no tools in the Inspector's output: ${JSON.stringify(result).slice(0, 2000)}`);
  return result.tools.map((tool: { name: string }) => tool.name).sort();
};

describe("MCP Inspector CLI with a bearer token from the IdP", () => {
  it("the tokens are the IdP's, for the bridge, with each user's scopes", () => {
    for (const [token, sub, scope] of [
      [demoToken, "demo", SCOPES],
      [readerToken, "reader", "todo_api:read"],
    ] as const) {
      const claims = decodeJwt(token);
      expect(claims).toMatchObject({ iss: stack.issuer, aud: stack.mcpUrl, sub });
      expect(String(claims["scope"]).split(" ").sort().join(" ")).toBe(scope);
    }
  });

  it("demo: tools/list shows all 5 tools; tools/call list_todos returns the API's answer", async () => {
    expect(names(await inspect(demoToken, "--method", "tools/list"))).toEqual(ALL_TOOLS);

    const exchangesBefore = stack.stats.exchanges;
    const result = await inspect(demoToken, "--method", "tools/call", "--tool-name", "list_todos");
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    expect(result.structuredContent ?? JSON.parse(result.content[0].text)).toEqual({ todos: expect.any(Array) });
    // The call went through the bridge's token exchange to the API, not with the Inspector's token.
    expect(stack.stats.exchanges - exchangesBefore).toBe(1);
    expect(stack.apiAuthorizations.at(-1)).not.toBe(`Bearer ${demoToken}`);
  });

  it("reader: tools/list shows only the 2 read tools; the Inspector cannot call create_todo at all", async () => {
    expect(names(await inspect(readerToken, "--method", "tools/list"))).toEqual(["get_todo", "list_todos"]);

    const exchangesBefore = stack.stats.exchanges;
    const tapBefore = stack.apiAuthorizations.length;
    const refused = inspect(readerToken, "--method", "tools/call", "--tool-name", "create_todo", "--tool-arg", "todoText=nope");
    // The Inspector looks the tool up in tools/list first: the reader's list has no create_todo, so it stops there
    // (exit 5, tool_not_found). The bridge's 403 insufficient_scope for a direct call is in pingfederate.test.ts.
    await expect(refused).rejects.toThrow(/exit 5\b[\s\S]*"tool_not_found"/);
    expect(stack.stats.exchanges).toBe(exchangesBefore);
    expect(stack.apiAuthorizations.length).toBe(tapBefore);
  });
});
