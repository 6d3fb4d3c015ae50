/** Options of the local identity provider and their defaults (DESIGN decision 7: ports 9031 / 8787 / 8788). */
export type StaticClient = {
  client_id: string;
  client_secret?: string;
  redirect_uris?: string[];
  grant_types?: string[];
  response_types?: string[];
  token_endpoint_auth_method?: string;
  /** "opaque" makes this client's access tokens for the bridge resource opaque (introspect them); default "jwt". */
  access_token_format?: "jwt" | "opaque";
  [key: string]: unknown;
};

export type IdentityProviderOptions = {
  /** 0 picks a free port; default 9031 (PingFederate's runtime port). */
  port?: number;
  host?: "127.0.0.1";
  /** The bridge's canonical URL: the audience of tokens MCP clients obtain. */
  bridgeResource?: string;
  /** The upstream API: the audience of tokens the bridge obtains by token exchange. */
  apiAudience?: string;
  bridgeClient?: { id: string; secret: string };
  extraClients?: StaticClient[];
  /** Lifetime of exchanged (API) tokens in seconds; short on purpose, the bridge caches and re-exchanges. */
  exchangedTokenTtl?: number;
  /** Lifetime of access tokens for the bridge resource in seconds. */
  accessTokenTtl?: number;
};

export type ResolvedOptions = Required<Omit<IdentityProviderOptions, "extraClients">> & {
  extraClients: StaticClient[];
};

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

export function resolveOptions(options: IdentityProviderOptions = {}): ResolvedOptions {
  return {
    port: options.port ?? 9031,
    host: options.host ?? "127.0.0.1",
    bridgeResource: options.bridgeResource ?? "http://127.0.0.1:8788/mcp",
    apiAudience: options.apiAudience ?? "http://127.0.0.1:8787",
    bridgeClient: options.bridgeClient ?? { id: "mcp-bridge", secret: "mcp-bridge-secret" },
    extraClients: options.extraClients ?? [],
    exchangedTokenTtl: options.exchangedTokenTtl ?? 300,
    accessTokenTtl: options.accessTokenTtl ?? 3600,
  };
}
