/**
 * The end-to-end stack for the authorization-server family (PingOne, Access for SaaS), everything real and on free
 * loopback ports:
 *
 *   MCP client ─▶ bridge Worker (the OAuth authorization server for MCP clients: DCR, consent, tokens in KV OAUTH_KV)
 *                   │ signs users in at the upstream OIDC provider (the local IdP) as a confidential client, keeps
 *                   │ the upstream access token in the grant, calls the API with it
 *                   ▼
 *                 tap (records the Authorization header of every request) ─▶ Todo API Worker (verifies the JWT)
 *
 * The local identity provider's one resource obtainable at the authorization endpoint is the API
 * (`bridgeResource: apiUrl`), so the token the bridge obtains at login has `aud` = the API. The bridge's client there
 * is a static confidential client whose redirect URI is the bridge's callback. A mode says how bridge.yaml changes.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Document } from "yaml";
import type { RuntimeConfig } from "../../src/config/runtime.ts";
import { startIdentityProvider, type IdentityProviderStats } from "../../scripts/idp/index.ts";
import { closerList, E2E_OUT, freePorts, ROOT, startTap, startWorker, writeGeneratedBridge } from "./stack.ts";

export const CALLBACK_PATH = "/oauth/callback";

export interface OidcUpstreamStack {
  issuer: string;
  bridgeUrl: string;
  mcpUrl: string;
  apiUrl: string;
  bridgeClient: { id: string; secret: string };
  stats: IdentityProviderStats;
  apiAuthorizations: string[];
  /**
   * Client ID Metadata Documents the bridge can fetch (mode `clientIdMetadataDocuments`), by URL: an https client_id
   * cannot be served from this machine, so the bridge's outbound fetches to CIMD_ORIGIN are answered from here.
   */
  cimdDocuments: Map<string, unknown>;
  /** How many times the bridge fetched a document. */
  cimdFetches: string[];
  dir: string;
  close(): Promise<void>;
}

/** Sends a request the Worker made (a Request of miniflare's realm, which Node's fetch does not take as is). */
async function forward(request: Request): Promise<Response> {
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
  return fetch(request.url, { method: request.method, headers: request.headers, redirect: "manual", ...(body && { body }) });
}

/** Where the test's CIMD clients "publish" their documents (answered by the stack, never on the network). */
export const CIMD_ORIGIN = "https://mcp-client.example";

export interface OidcUpstreamMode {
  /** In messages: "PingOne". */
  label: string;
  /** In names and folders: "pingone". */
  slug: string;
  /** The env vars bridge.yaml names for the bridge's client at the provider. */
  clientEnv: { id: string; secret: string };
  /** Switches the repo's bridge.yaml to this mode the way a user would. */
  editBridge(document: Document, urls: { issuer: string; resource: string; apiUrl: string }): void;
  /**
   * The test's own resolved config, from the generator's, where the local IdP cannot look like the provider (its
   * issuer is a bare origin): `issuer` is the IdP's.
   */
  resolved?(config: RuntimeConfig, issuer: string): RuntimeConfig;
  /** The sample Todo API's vars besides its issuer, key set and audience. */
  apiVars?: Record<string, string>;
  /** bridge.yaml `identity.clientIdMetadataDocuments: true`, with the compatibility flag it needs. */
  clientIdMetadataDocuments?: boolean;
  /** bridge.yaml `tools.visibility` (default: the repo's bridge.yaml, hide). */
  visibility?: "hide" | "list";
}

export async function startOidcUpstreamStack(mode: OidcUpstreamMode): Promise<OidcUpstreamStack> {
  const { closers, close } = closerList(`the ${mode.label} e2e stack`);
  try {
    const [bridgePort, apiPort] = (await freePorts(2)) as [number, number];
    const bridgeUrl = `http://127.0.0.1:${bridgePort}`;
    const mcpUrl = `${bridgeUrl}/mcp`;
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const bridgeClient = { id: `${mode.slug}-bridge`, secret: randomBytes(24).toString("base64url") };

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
      vars: { ISSUER: idp.issuer, JWKS_URL: `${idp.issuer}/pf/JWKS`, AUDIENCE: apiUrl, ...mode.apiVars },
    });
    closers.push({ close: api.close });

    const apiAuthorizations: string[] = [];
    const tap = await startTap(apiUrl, apiAuthorizations);
    closers.push({ close: tap.close });

    const dir = join(E2E_OUT, `${mode.slug}-${Date.now()}-${randomUUID().slice(0, 8)}`);
    closers.push({ close: () => rm(dir, { recursive: true, force: true }) });
    const urls = { issuer: idp.issuer, resource: mcpUrl, apiUrl };
    const resolved = mode.resolved?.bind(mode);
    const run = { apiUrl, run: `${mode.label} `, ...(resolved && { resolved: (config: RuntimeConfig) => resolved(config, idp.issuer) }) };
    await writeGeneratedBridge(dir, run, (document) => {
      mode.editBridge(document, urls);
      if (mode.clientIdMetadataDocuments) document.setIn(["identity", "clientIdMetadataDocuments"], true);
      if (mode.visibility) document.setIn(["tools", "visibility"], mode.visibility);
    });
    await writeFile(
      join(dir, "wrangler.jsonc"),
      JSON.stringify(
        {
          name: `mcp-identity-bridge-${mode.slug}-e2e`,
          main: "entry.ts",
          compatibility_date: "2026-11-01",
          compatibility_flags: ["nodejs_compat", ...(mode.clientIdMetadataDocuments ? ["global_fetch_strictly_public"] : [])],
          send_metrics: false,
          kv_namespaces: [{ binding: "OAUTH_KV", id: "oauth-kv-e2e" }],
          vars: {
            [mode.clientEnv.id]: bridgeClient.id,
            [mode.clientEnv.secret]: bridgeClient.secret,
            TODO_API_BASE_URL: tap.url,
          },
        },
        null,
        2,
      ),
    );
    const cimdDocuments = new Map<string, unknown>();
    const cimdFetches: string[] = [];
    // The only stand-in: documents under CIMD_ORIGIN; every other fetch of the bridge goes out as it would.
    const outbound = async (request: Request): Promise<Response> => {
      if (!request.url.startsWith(`${CIMD_ORIGIN}/`)) return forward(request);
      cimdFetches.push(request.url);
      const document = cimdDocuments.get(request.url);
      return document === undefined ? new Response("not found", { status: 404 }) : Response.json(document);
    };
    const bridge = await startWorker({
      config: join(dir, "wrangler.jsonc"),
      port: bridgePort,
      vars: {},
      ...(mode.clientIdMetadataDocuments && { outbound }),
    });
    closers.push({ close: bridge.close });

    return { issuer: idp.issuer, bridgeUrl, mcpUrl, apiUrl, bridgeClient, stats: idp.stats, apiAuthorizations, cimdDocuments, cimdFetches, dir, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
