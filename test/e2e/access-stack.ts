/**
 * The end-to-end stack in self-hosted Cloudflare Access mode (`identity.provider: access`, `mode: self-hosted`,
 * `upstream.credentials: access-linked-app`). Cloudflare's edge cannot run here, so two local stand-ins play it (the
 * only mocked part, the same ones `npm start -- --provider access` runs): a team that publishes `/cdn-cgi/access/certs`
 * and signs application tokens (scripts/access/team.ts), and an "Access edge" proxy in front of each application
 * (scripts/access/edge.ts). Everything behind the edges is real:
 *
 *   MCP client ─▶ edge (bridge app) ─▶ bridge Worker ─Cf-Access-Token─▶ edge (API app, bridge linked) ─▶ Todo API Worker
 *
 * bridge.yaml is the repo's, switched to Access the way a user would: `identity`, `upstream`, and claim rules that give
 * todo_api:read to example.com and todo_api:write to demo@example.com only. The Todo API is configured as behind
 * Access (`ACCESS_TEAM_DOMAIN`, `ACCESS_AUD`, `DEFAULT_SCOPES`).
 */
import { randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeJwt, type JWTPayload } from "jose";
import { startAccessEdge } from "../../scripts/access/edge.ts";
import { startAccessTeam, type AccessTeam } from "../../scripts/access/team.ts";
import { closerList, E2E_OUT, freePorts, ROOT, startWorker, writeGeneratedBridge } from "./stack.ts";

export const BRIDGE_AUD = "b7a2c1d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
export const API_AUD = "a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0";

export interface AccessStack {
  team: AccessTeam;
  /** The bridge as clients reach it: through its Access edge. */
  mcpUrl: string;
  /** The bridge Worker itself, as reachable if a route bypassed Access. */
  bridgeOriginUrl: string;
  apiUrl: string;
  /** The application tokens the API's edge forwarded to the Todo API, decoded. */
  apiAssertions: JWTPayload[];
  /** What the bridge presented to the API's edge in `Cf-Access-Token`, decoded. */
  linkedTokens: JWTPayload[];
  /** Signs a user in at Access: the application token a browser would hold in `CF_Authorization` for the bridge. */
  signIn(email: string, extra?: JWTPayload): Promise<string>;
  close(): Promise<void>;
}

export async function startAccessStack(options: { visibility?: "hide" | "list" } = {}): Promise<AccessStack> {
  const { closers, close } = closerList("the Access e2e stack");
  try {
    const team = await startAccessTeam();
    closers.push({ close: () => team.close() });
    const [bridgePort, apiPort] = (await freePorts(2)) as [number, number];
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const bridgeOriginUrl = `http://127.0.0.1:${bridgePort}`;

    const api = await startWorker({
      config: join(ROOT, "examples/todo-api/wrangler.jsonc"),
      port: apiPort,
      vars: { ACCESS_TEAM_DOMAIN: team.teamDomain, ACCESS_AUD: API_AUD, DEFAULT_SCOPES: "todo_api:read todo_api:write" },
    });
    closers.push({ close: api.close });
    const apiAssertions: JWTPayload[] = [];
    const linkedTokens: JWTPayload[] = [];
    const apiEdge = await startAccessEdge(team, apiUrl, { aud: API_AUD, linked: [BRIDGE_AUD] }, {
      onForward(incoming, forwarded) {
        linkedTokens.push(decodeJwt(incoming));
        apiAssertions.push(decodeJwt(forwarded));
      },
    });
    closers.push({ close: apiEdge.close });

    const bridgeEdge = await startAccessEdge(team, bridgeOriginUrl, { aud: BRIDGE_AUD, linked: [] });
    closers.push({ close: bridgeEdge.close });
    const mcpUrl = `${bridgeEdge.url}/mcp`;

    const dir = join(E2E_OUT, `access-${Date.now()}-${randomUUID().slice(0, 8)}`);
    closers.push({ close: () => rm(dir, { recursive: true, force: true }) });
    await writeGeneratedBridge(dir, { apiUrl: apiEdge.url, run: "Access (self-hosted) " }, (document) => {
      document.set(
        "identity",
        document.createNode({ provider: "access", mode: "self-hosted", teamDomain: team.teamDomain, aud: BRIDGE_AUD, resource: mcpUrl }),
      );
      document.set("upstream", document.createNode({ credentials: "access-linked-app" }));
      document.setIn(["scopes", "todo_api:read", "grantTo"], document.createNode({ emailDomains: ["example.com"] }));
      document.setIn(["scopes", "todo_api:write", "grantTo"], document.createNode({ users: ["demo@example.com"] }));
      if (options.visibility) document.setIn(["tools", "visibility"], options.visibility);
    });
    await writeFile(
      join(dir, "wrangler.jsonc"),
      JSON.stringify(
        {
          name: "mcp-identity-bridge-access-e2e",
          main: "entry.ts",
          compatibility_date: "2026-11-01",
          compatibility_flags: ["nodejs_compat"],
          send_metrics: false,
          vars: { TODO_API_BASE_URL: apiEdge.url },
        },
        null,
        2,
      ),
    );
    const bridge = await startWorker({ config: join(dir, "wrangler.jsonc"), port: bridgePort, vars: {} });
    closers.push({ close: bridge.close });

    const signIn = (email: string, extra: JWTPayload = {}) =>
      team.sign(team.userClaims({ aud: [BRIDGE_AUD], email, sub: `user-${email}`, ...extra }));
    return { team, mcpUrl, bridgeOriginUrl, apiUrl: apiEdge.url, apiAssertions, linkedTokens, signIn, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
