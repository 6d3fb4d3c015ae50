/**
 * What each identity provider (and Access mode) can do, as bridge.yaml rules see it: the one place in the generator
 * that knows the providers, mirroring src/auth/ (pingfederate.ts, pingone-config.ts, access.ts,
 * access-saas-config.ts, oidc-as.ts). A combination the adapter would refuse at Worker start is refused here instead,
 * with its place in bridge.yaml (DESIGN.md decision 9).
 */
import type { BridgeConfig } from "../schema.ts";

export type Identity = BridgeConfig["identity"];
export type Upstream = BridgeConfig["upstream"];
export type Credentials = Upstream["credentials"];

/** A key bridge.yaml must have in this combination: where it goes and why. */
export interface Needed {
  /** The mapping that lacks it ("identity", "upstream"). */
  section: "identity" | "upstream";
  message: string;
}

/** A key that was written but does nothing in this combination, and the setting that makes it so. */
export interface Unused {
  at: readonly [string, string];
  because: string;
}

/** A key this combination refuses. */
export interface Refused {
  at: readonly [string, string];
  message: string;
}

export interface ProviderFacts {
  /** How messages name the choice: `identity.provider: pingfederate`, `identity.provider: access, mode: saas`. */
  choice: string;
  /** The provider in prose. */
  name: string;
  /** The `upstream.credentials` its adapter implements, and the hint for any other. */
  credentials: readonly Credentials[];
  credentialsHint: string;
  /** identity keys holding URLs the bridge calls or is reached at: https, or http on loopback (RFC 6749 §3.1, §3.2). */
  urls: readonly string[];
  /** identity keys that must be a bare origin (Access's `iss` is exactly the team domain). */
  origins: readonly string[];
  /** The bridge is the OAuth server for MCP clients (workers-oauth-provider, grants in KV `OAUTH_KV`). */
  oauthServer: boolean;
  /**
   * The upstream credential that is the provider's own token, holding only the scopes the provider granted (RFC 8693
   * §2.1 down-scoping for an exchange; the sign-in's grant for PingOne): a scope a claim rule adds never reaches the
   * API through it.
   */
  providerScopedCredential?: Credentials;
  /** Identities carry no API scopes at all: only claim rules (`scopes.<name>.grantTo`) grant them. */
  scopesOnlyFromClaims: boolean;
  /** Why identities lack a claim that claim rules match, or undefined when they can carry it. */
  missingClaim(claim: "email" | "groups"): string | undefined;
  needed(upstream: Upstream): Needed[];
  refused(): Refused[];
  unused(upstream: Upstream): Unused[];
}

const CLIENT = "the bridge's own confidential client: { idEnv, secretEnv }";

export function providerFacts(identity: Identity): ProviderFacts {
  switch (identity.provider) {
    case "pingfederate":
      return {
        choice: "identity.provider: pingfederate",
        name: "PingFederate",
        credentials: ["token-exchange", "none"],
        credentialsHint: "use token-exchange, or none for an API that needs no credentials",
        urls: ["issuer", "resource", "jwksUri", "tokenEndpoint", "introspectionEndpoint"],
        origins: [],
        oauthServer: false,
        providerScopedCredential: "token-exchange",
        scopesOnlyFromClaims: false,
        missingClaim: () => undefined, // whatever the access token manager maps into the token
        needed(upstream) {
          const needs: Needed[] = [];
          const clientFor = [
            ...(upstream.credentials === "token-exchange" ? ["upstream.credentials: token-exchange"] : []),
            ...(identity.tokenValidation === "introspection" ? ["identity.tokenValidation: introspection"] : []),
          ];
          if (!identity.client && clientFor.length > 0) {
            needs.push({ section: "identity", message: `identity: missing required key "client", needed by ${clientFor.join(" and ")} (${CLIENT})` });
          }
          if (upstream.credentials === "token-exchange" && !upstream.audience && !upstream.resource) {
            needs.push({ section: "upstream", message: 'upstream: token-exchange needs "audience" or "resource" (the API the exchanged token is for)' });
          }
          return needs;
        },
        refused: () => [],
        unused(upstream) {
          const jwt = identity.tokenValidation === "jwt";
          const exchange = upstream.credentials === "token-exchange";
          return [
            ...(jwt ? [] : [{ at: ["identity", "jwksUri"], because: "identity.tokenValidation: introspection" } as const]),
            ...(jwt ? [] : [{ at: ["identity", "algorithms"], because: "identity.tokenValidation: introspection" } as const]),
            ...(jwt ? [{ at: ["identity", "introspectionEndpoint"], because: "identity.tokenValidation: jwt" } as const] : []),
            ...(exchange ? [] : [{ at: ["identity", "tokenEndpoint"], because: `upstream.credentials: ${upstream.credentials}` } as const]),
            ...(exchange || !jwt ? [] : [{ at: ["identity", "client"], because: `upstream.credentials: ${upstream.credentials} and identity.tokenValidation: jwt` } as const]),
            ...unusedUpstream(exchange ? [] : ["audience", "resource"], `upstream.credentials: ${upstream.credentials}`),
          ];
        },
      };
    case "pingone":
      return {
        choice: "identity.provider: pingone",
        name: "PingOne",
        credentials: ["upstream-token", "none"],
        credentialsHint: "use upstream-token, or none for an API that needs no credentials",
        urls: ["issuer", "resource"],
        origins: [],
        oauthServer: true,
        providerScopedCredential: "upstream-token",
        scopesOnlyFromClaims: false,
        // OpenID Connect Core §5.4: the `email` scope asks for the email claim; PingOne has no standard groups claim.
        missingClaim: (claim) =>
          claim === "email" && !identity.loginScopes.includes("email") ? "identity.loginScopes does not ask for email (add email to it)" : undefined,
        needed(upstream) {
          if (upstream.credentials !== "upstream-token" || upstream.resource) return [];
          return [{
            section: "upstream",
            message: 'upstream: missing required key "resource", needed by upstream.credentials: upstream-token with PingOne (the API\'s RFC 8707 resource, asked for at sign-in)',
          }];
        },
        refused: () => [],
        // PingOne is asked for the API by `resource` only, at every sign-in (pingone-config.ts): it decides which
        // scopes PingOne grants even with credentials none.
        unused: () => unusedUpstream(["audience"], "identity.provider: pingone, which is asked for upstream.resource only"),
      };
    case "access":
      return identity.mode === "self-hosted" ? accessSelfHosted(identity) : accessSaas(identity);
  }
}

type AccessIdentity = Extract<Identity, { provider: "access" }>;

/**
 * Both Access modes: identities carry no API scopes (claim rules grant them) and the team domain is the issuer's
 * origin. Claims: email for users, and groups when present (self-hosted: in the assertion; SaaS: the sign-in asks for
 * openid email profile groups, access-saas-config.ts).
 */
const ACCESS = {
  urls: ["teamDomain", "resource"],
  origins: ["teamDomain"],
  scopesOnlyFromClaims: true,
  missingClaim: () => undefined,
} as const;

function accessSelfHosted(identity: AccessIdentity): ProviderFacts {
  return {
    ...ACCESS,
    choice: "identity.provider: access, mode: self-hosted",
    name: "Cloudflare Access",
    credentials: ["access-linked-app", "none"],
    credentialsHint: "use access-linked-app for an API behind Access, or none",
    oauthServer: false,
    needed() {
      const needs: Needed[] = [];
      if (!identity.aud) needs.push({ section: "identity", message: 'identity: missing required key "aud", needed by mode: self-hosted (the Access application\'s AUD tag)' });
      return needs;
    },
    refused() {
      if (!identity.clientIdMetadataDocuments) return [];
      const message = "identity.clientIdMetadataDocuments applies to mode: saas only (self-hosted Access has no OAuth flow for MCP clients)";
      return [{ at: ["identity", "clientIdMetadataDocuments"], message }];
    },
    unused: () => [{ at: ["identity", "client"], because: "identity.mode: self-hosted" }, ...unusedUpstream(["audience", "resource"], "identity.mode: self-hosted")],
  };
}

function accessSaas(identity: AccessIdentity): ProviderFacts {
  return {
    ...ACCESS,
    choice: "identity.provider: access, mode: saas",
    name: "Cloudflare Access for SaaS",
    credentials: ["upstream-token", "none"],
    credentialsHint: "use upstream-token for the Access-issued access token, or none for an API that needs no credentials",
    oauthServer: true,
    needed() {
      if (identity.client) return [];
      return [{ section: "identity", message: 'identity: missing required key "client", needed by mode: saas (the Access for SaaS application\'s client: { idEnv, secretEnv })' }];
    },
    refused: () => [],
    // Access for SaaS takes no RFC 8707 resource and no audience (access-saas-config.ts).
    unused: () => [{ at: ["identity", "aud"], because: "identity.mode: saas" }, ...unusedUpstream(["audience", "resource"], "identity.mode: saas, which takes neither")],
  };
}

function unusedUpstream(keys: readonly ("audience" | "resource")[], because: string): Unused[] {
  return keys.map((key) => ({ at: ["upstream", key], because }));
}
