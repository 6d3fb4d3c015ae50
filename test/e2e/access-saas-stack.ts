/**
 * The end-to-end stack in Access for SaaS mode (`identity.provider: access`, `mode: saas`), everything real and on
 * free loopback ports:
 *
 *   MCP client ─▶ bridge Worker (the OAuth authorization server for MCP clients: DCR, consent, tokens in KV OAUTH_KV)
 *                   │ signs users in at "Access for SaaS" (the local IdP) as a confidential OIDC client, keeps the
 *                   │ Access-issued access token in the grant, calls the API with it
 *                   ▼
 *                 tap (records the Authorization header of every request) ─▶ Todo API Worker (verifies the JWT)
 *
 * The local identity provider stands in for Access. Its issuer is `http://127.0.0.1:<port>` (scripts/idp binds the
 * issuer to the bare origin; it has no option for a path), so it cannot have Access's issuer shape
 * `<teamDomain>/cdn-cgi/access/sso/oidc/<client id>`: bridge.yaml names it as `teamDomain`, and the Worker var
 * `ACCESS_OIDC_ISSUER` overrides the derived issuer with the IdP's real one (access-saas-config.ts). The derived
 * shape itself is covered by test/unit/auth/access-saas.test.ts.
 *
 * Access issues no API scopes: the bridge asks only for `openid email profile groups`, and bridge.yaml's claim rules
 * grant todo_api:read and todo_api:write to `emailDomains: [example.com]`. The IdP's default resource is the API, so
 * the token the bridge obtains has `aud` = the API, as an Access token for an API behind the same Access app would be
 * accepted there; it carries no API scopes.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startIdentityProvider, type IdentityProviderStats } from "../../scripts/idp/index.ts";
import { closerList, E2E_OUT, freePorts, ROOT, startTap, startWorker, writeGeneratedBridge } from "./stack.ts";

export const CALLBACK_PATH = "/oauth/callback";

export interface AccessSaasStack {
  issuer: string;
  bridgeUrl: string;
  mcpUrl: string;
  apiUrl: string;
  bridgeClient: { id: string; secret: string };
  stats: IdentityProviderStats;
  apiAuthorizations: string[];
  dir: string;
  close(): Promise<void>;
}

export async function startAccessSaasStack(): Promise<AccessSaasStack> {
  const { closers, close } = closerList("the Access for SaaS e2e stack");
  try {
    const [bridgePort, apiPort] = (await freePorts(2)) as [number, number];
    const bridgeUrl = `http://127.0.0.1:${bridgePort}`;
    const mcpUrl = `${bridgeUrl}/mcp`;
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const bridgeClient = { id: "access-saas-bridge", secret: randomBytes(24).toString("base64url") };

    const idp = await startIdentityProvider({
      port: 0,
      bridgeResource: apiUrl,
      apiAudience: apiUrl,
      extraClients: [
        {
          client_id: bridgeClient.id,
          client_secret: bridgeClient.secret,
          redirect_uris: [`${bridgeUrl}${CALLBACK_PATH}`],
          grant_types: ["authorization_code", "refresh_token"],
          response_types: ["code"],
          token_endpoint_auth_method: "client_secret_basic",
        },
      ],
    });
    closers.push({ close: () => idp.close() });

    const api = await startWorker({
      config: join(ROOT, "examples/todo-api/wrangler.jsonc"),
      port: apiPort,
      vars: { ISSUER: idp.issuer, JWKS_URL: `${idp.issuer}/pf/JWKS`, AUDIENCE: apiUrl },
    });
    closers.push({ close: api.close });

    const apiAuthorizations: string[] = [];
    const tap = await startTap(apiUrl, apiAuthorizations);
    closers.push({ close: tap.close });

    const dir = join(E2E_OUT, `access-saas-${Date.now()}-${randomUUID().slice(0, 8)}`);
    closers.push({ close: () => rm(dir, { recursive: true, force: true }) });
    await writeBridgeProject(dir, { teamDomain: idp.issuer, resource: mcpUrl, apiUrl });
    await writeFile(
      join(dir, "wrangler.jsonc"),
      JSON.stringify(
        {
          name: "mcp-identity-bridge-access-saas-e2e",
          main: "entry.ts",
          compatibility_date: "2026-11-01",
          compatibility_flags: ["nodejs_compat"],
          send_metrics: false,
          kv_namespaces: [{ binding: "OAUTH_KV", id: "oauth-kv-e2e" }],
          vars: {
            ACCESS_CLIENT_ID: bridgeClient.id,
            ACCESS_CLIENT_SECRET: bridgeClient.secret,
            ACCESS_OIDC_ISSUER: idp.issuer,
            TODO_API_BASE_URL: tap.url,
          },
        },
        null,
        2,
      ),
    );
    const bridge = await startWorker({ config: join(dir, "wrangler.jsonc"), port: bridgePort, vars: {} });
    closers.push({ close: bridge.close });

    return { issuer: idp.issuer, bridgeUrl, mcpUrl, apiUrl, bridgeClient, stats: idp.stats, apiAuthorizations, dir, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/** The repo's bridge.yaml switched to Access for SaaS the way a user would: `identity`, `upstream`, claim rules. */
async function writeBridgeProject(dir: string, urls: { teamDomain: string; resource: string; apiUrl: string }): Promise<void> {
  await writeGeneratedBridge(dir, { apiUrl: urls.apiUrl, run: "Access for SaaS " }, (document) => {
    document.set(
      "identity",
      document.createNode({
        provider: "access",
        mode: "saas",
        teamDomain: urls.teamDomain,
        resource: urls.resource,
        client: { idEnv: "ACCESS_CLIENT_ID", secretEnv: "ACCESS_CLIENT_SECRET" },
      }),
    );
    document.set("upstream", document.createNode({ credentials: "upstream-token" }));
    document.setIn(["scopes", "todo_api:read", "grantTo"], document.createNode({ emailDomains: ["example.com"] }));
    document.setIn(["scopes", "todo_api:write", "grantTo"], document.createNode({ emailDomains: ["example.com"] }));
  });
}
