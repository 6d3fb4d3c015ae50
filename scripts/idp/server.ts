/**
 * Starts the local identity provider: oidc-provider behind a plain Node HTTP server that also serves the interaction
 * pages. The socket is bound first so that, with port 0, the issuer carries the real port (REFERENCE "Verified").
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import { Provider } from "oidc-provider";
import { API_SCOPES } from "./accounts.ts";
import { ROUTES, buildConfiguration } from "./configuration.ts";
import { handleInteraction } from "./interactions.ts";
import { resolveOptions, type IdentityProviderOptions } from "./options.ts";
import { registerTokenExchange } from "./token-exchange.ts";

export type IdentityProviderStats = {
  /** Authorization requests (GET of the authorization endpoint): each one a client sending the user to sign in. */
  authorizations: number;
  tokenRequests: number;
  exchanges: number;
  registrations: number;
  logins: number;
};

export type RunningIdentityProvider = {
  issuer: string;
  url: string;
  stats: IdentityProviderStats;
  close(): Promise<void>;
};

export async function startIdentityProvider(input: IdentityProviderOptions = {}): Promise<RunningIdentityProvider> {
  const options = resolveOptions(input);
  const server = createServer();
  await listen(server, options.port, options.host);
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${options.host}:${port}`;

  // A fresh signing key per start: tokens never outlive the process, and verifiers fetch /pf/JWKS.
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = randomUUID();
  const signingKey = { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" };
  const verificationKey = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };

  const stats: IdentityProviderStats = { authorizations: 0, tokenRequests: 0, exchanges: 0, registrations: 0, logins: 0 };
  const provider = new Provider(
    issuer,
    buildConfiguration(options, { signingKey, cookieKeys: [randomBytes(32).toString("base64url")] }),
  );
  registerTokenExchange(provider, options, verificationKey, { onExchange: () => void stats.exchanges++ });
  advertiseApiScopes(provider);
  consentForOfflineAccess(provider);
  provider.on("server_error", (_ctx, error) => console.error("identity provider: server error", error));

  const callback = provider.callback();
  server.on("request", (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === ROUTES.authorization) stats.authorizations++;
    if (req.method === "POST" && path === ROUTES.token) stats.tokenRequests++;
    if (req.method === "POST" && path === ROUTES.registration) stats.registrations++;
    if (path?.startsWith("/interaction/")) {
      handleInteraction(provider, req, res, { onLogin: () => void stats.logins++ }).catch((error: unknown) => {
        // Expired or foreign interaction cookies land here: answer plainly instead of dropping the socket.
        if (!res.headersSent) {
          res.writeHead(400, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
        }
        res.end(`interaction failed: ${error instanceof Error ? error.message : String(error)}`);
      });
      return;
    }
    callback(req, res);
  });

  return {
    issuer,
    url: issuer,
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * oidc-provider lists only its OpenID scopes in `scopes_supported`; resource scopes live on resource servers. Add the
 * API scopes to the metadata (RFC 8414 §2) so clients that read it ask for them.
 */
function advertiseApiScopes(provider: Provider): void {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.method !== "GET" || !ctx.path.startsWith("/.well-known/") || ctx.status !== 200) return;
    const body = ctx.body as { scopes_supported?: string[] } | undefined;
    if (body?.scopes_supported) body.scopes_supported = [...new Set([...body.scopes_supported, ...API_SCOPES])];
  });
}

/**
 * oidc-provider drops `offline_access` unless the request carries `prompt=consent` (OIDC Core §11: explicit consent
 * for offline access). MCP clients rarely send a prompt, so an authorization request asking for offline_access with
 * no prompt at all is treated as prompt=consent: the user sees the consent page and the client gets a refresh token.
 */
function consentForOfflineAccess(provider: Provider): void {
  provider.use(async (ctx, next) => {
    const { scope, prompt } = ctx.query;
    if (
      ctx.method === "GET" &&
      ctx.path === ROUTES.authorization &&
      prompt === undefined &&
      typeof scope === "string" &&
      scope.split(" ").includes("offline_access")
    ) {
      ctx.query = { ...ctx.query, prompt: "consent" };
    }
    await next();
  });
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
