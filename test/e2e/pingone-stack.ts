/**
 * The end-to-end stack in PingOne mode, everything real and on free loopback ports:
 *
 *   MCP client ─▶ bridge Worker (the OAuth authorization server for MCP clients: DCR, consent, tokens in KV OAUTH_KV)
 *                   │ signs users in at "PingOne" (the local IdP) as a confidential OIDC client, keeps the upstream
 *                   │ access token in the grant, calls the API with it
 *                   ▼
 *                 tap (records the Authorization header of every request) ─▶ Todo API Worker (verifies the JWT)
 *
 * The local identity provider stands in for PingOne: its one resource obtainable at the authorization endpoint is the
 * API (`bridgeResource: apiUrl`), so the token the bridge obtains at login has `aud` = the API, as PingOne's would
 * with `resource` = the API. The bridge's client there is a static confidential client whose redirect URI is the
 * bridge's callback.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startIdentityProvider, type IdentityProviderStats } from "../../scripts/idp/index.ts";
import { closerList, E2E_OUT, freePorts, ROOT, startTap, startWorker, writeGeneratedBridge } from "./stack.ts";

export const CALLBACK_PATH = "/oauth/callback";

export interface PingOneStack {
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

export async function startPingOneStack(): Promise<PingOneStack> {
  const { closers, close } = closerList("the PingOne e2e stack");
  try {
    const [bridgePort, apiPort] = (await freePorts(2)) as [number, number];
    const bridgeUrl = `http://127.0.0.1:${bridgePort}`;
    const mcpUrl = `${bridgeUrl}/mcp`;
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const bridgeClient = { id: "pingone-bridge", secret: randomBytes(24).toString("base64url") };

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

    const dir = join(E2E_OUT, `pingone-${Date.now()}-${randomUUID().slice(0, 8)}`);
    closers.push({ close: () => rm(dir, { recursive: true, force: true }) });
    await writeBridgeProject(dir, { issuer: idp.issuer, resource: mcpUrl, apiUrl });
    await writeFile(
      join(dir, "wrangler.jsonc"),
      JSON.stringify(
        {
          name: "mcp-identity-bridge-pingone-e2e",
          main: "entry.ts",
          compatibility_date: "2026-11-01",
          compatibility_flags: ["nodejs_compat"],
          send_metrics: false,
          kv_namespaces: [{ binding: "OAUTH_KV", id: "oauth-kv-e2e" }],
          vars: {
            PINGONE_CLIENT_ID: bridgeClient.id,
            PINGONE_CLIENT_SECRET: bridgeClient.secret,
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

/** The repo's bridge.yaml switched to PingOne the way a user would: only `identity` and `upstream` change. */
async function writeBridgeProject(dir: string, urls: { issuer: string; resource: string; apiUrl: string }): Promise<void> {
  await writeGeneratedBridge(dir, { apiUrl: urls.apiUrl, run: "PingOne " }, (document) => {
    document.set(
      "identity",
      document.createNode({
        provider: "pingone",
        issuer: urls.issuer,
        resource: urls.resource,
        client: { idEnv: "PINGONE_CLIENT_ID", secretEnv: "PINGONE_CLIENT_SECRET" },
      }),
    );
    document.set("upstream", document.createNode({ credentials: "upstream-token", resource: urls.apiUrl }));
  });
}
