/**
 * What the deployed Worker reads of bridge.yaml (`generated/config.ts`), written by the generator after it validated
 * the file (scripts/generator/config/schema.ts): no spec path, no tool selection (already applied), and secrets only
 * as environment variable names. Hand-written so the Worker does not load the schema (zod) to know its own input.
 */

/** Environment variable names of the bridge's own confidential client at the identity provider. */
export interface ClientEnvNames {
  readonly idEnv: string;
  readonly secretEnv: string;
}

export interface PingFederateIdentity {
  readonly provider: "pingfederate";
  readonly issuer: string;
  readonly resource: string;
  readonly client?: ClientEnvNames;
  readonly tokenValidation: "jwt" | "introspection";
  readonly jwksUri?: string;
  readonly introspectionEndpoint?: string;
  readonly tokenEndpoint?: string;
  readonly algorithms: readonly string[];
}

export interface PingOneIdentity {
  readonly provider: "pingone";
  readonly issuer: string;
  readonly resource: string;
  readonly client: ClientEnvNames;
  readonly acrValues?: string;
  readonly clientIdMetadataDocuments?: boolean;
  readonly loginScopes: readonly string[];
}

export interface AccessIdentity {
  readonly provider: "access";
  readonly mode: "self-hosted" | "saas";
  readonly teamDomain: string;
  readonly aud?: string;
  readonly resource: string;
  readonly client?: ClientEnvNames;
  readonly clientIdMetadataDocuments?: boolean;
}

export type IdentityConfig = PingFederateIdentity | PingOneIdentity | AccessIdentity;

export interface UpstreamConfig {
  readonly credentials: "token-exchange" | "upstream-token" | "access-linked-app" | "none";
  readonly audience?: string;
  readonly resource?: string;
}

export interface RuntimeConfig {
  readonly api: {
    readonly name: string;
    readonly title: string;
    readonly version: string;
    /** Absolute base URL of the API; `baseUrlEnv`, when set and present at run time, wins. */
    readonly baseUrl?: string;
    readonly baseUrlEnv?: string;
    /** A service binding to the API's Worker: when set, upstream requests go through `env[binding].fetch`. */
    readonly binding?: string;
    readonly timeoutMs: number;
    readonly maxResponseBytes: number;
  };
  readonly identity: IdentityConfig;
  readonly upstream: UpstreamConfig;
}
