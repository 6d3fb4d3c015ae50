/**
 * The PingFederate adapter (resource-server family, DESIGN.md decision 3): PingFederate issues tokens for the bridge;
 * the bridge validates them on every request (decision 1) and, for the API, exchanges them (RFC 8693, decision 4).
 *
 *   handle:       RFC 9728 metadata at /.well-known/oauth-protected-resource[/mcp]
 *   authenticate: Authorization: Bearer → JWT (JWKS) or RFC 7662 introspection → Identity, or an RFC 6750 challenge
 *   credentials:  token-exchange (cached per token and scope set) | none
 */
import type { RuntimeConfig } from "../config/runtime.ts";
import {
  invalidRequestChallenge,
  invalidTokenChallenge,
  missingTokenChallenge,
  readBearer,
  signInAgainChallenge,
  validatorUnavailable,
  type ChallengeContext,
} from "./bearer.ts";
import { identityFrom } from "./claims.ts";
import { assertSecureUrl, createEndpointResolver } from "./endpoints.ts";
import { AuthConfigError, UpstreamCredentialsError, ValidatorUnavailable } from "./errors.ts";
import { createIntrospectionValidator } from "./introspection.ts";
import { createJwtValidator } from "./jwt-validator.ts";
import { advertisedScopes, createResourceMetadataHandler, resourceMetadataUrl } from "./resource-metadata.ts";
import { createTokenExchanger } from "./token-exchange.ts";
import { rememberVerifiedTokens } from "./verified-tokens.ts";
import { noCredentials, type AuthAdapter, type UpstreamCredentials } from "./types.ts";

export interface PingFederateDeps {
  /** Used for discovery, JWKS, introspection and token exchange. */
  readonly fetch?: typeof fetch;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
  /** The API's scopes (generated/policy.ts): advertised in the metadata and named in challenges. */
  readonly scopes?: readonly string[];
}

type PingFederateIdentity = Extract<RuntimeConfig["identity"], { provider: "pingfederate" }>;

export function createPingFederateAdapter(config: RuntimeConfig, deps: PingFederateDeps = {}): AuthAdapter {
  const identity = pingFederateIdentity(config);
  const fetchImpl = deps.fetch ?? ((input, init) => fetch(input, init));
  const now = deps.now ?? Date.now;
  const scopes = advertisedScopes(deps.scopes ?? []);
  const challenge: ChallengeContext = { resourceMetadata: resourceMetadataUrl(identity.resource), scopes };

  const serveMetadata = createResourceMetadataHandler({
    resource: identity.resource,
    issuer: identity.issuer,
    scopes,
    ...(config.api.title ? { resourceName: config.api.title } : {}),
  });
  const endpoint = createEndpointResolver(identity, fetchImpl);
  const clientCredentials = clientCredentialsReader(identity);

  const validate: (token: string, env: Record<string, unknown>) => Promise<Record<string, unknown>> =
    identity.tokenValidation === "introspection"
      ? createIntrospectionValidator({
          issuer: identity.issuer,
          audience: identity.resource,
          endpoint: () => endpoint("introspection_endpoint"),
          clientCredentials,
          fetch: fetchImpl,
          now,
        })
      : rememberVerifiedTokens(
          createJwtValidator({
            issuer: identity.issuer,
            audience: identity.resource,
            algorithms: identity.algorithms,
            jwksUri: () => endpoint("jwks_uri"),
            fetch: fetchImpl,
            now,
          }),
          { now },
        );

  const credentialsFor = upstreamCredentials(config, identity, () => endpoint("token_endpoint"), clientCredentials, fetchImpl, now);

  return {
    async handle(request) {
      return serveMetadata(request);
    },
    async authenticate(request, env) {
      const bearer = readBearer(request);
      if (bearer.kind === "none") return { ok: false, response: missingTokenChallenge(challenge) };
      if (bearer.kind === "malformed") return { ok: false, response: invalidRequestChallenge(challenge) };
      try {
        const claims = await validate(bearer.token, env);
        return { ok: true, identity: identityFrom(claims), credentials: credentialsFor(bearer.token, env) };
      } catch (error) {
        if (error instanceof ValidatorUnavailable || error instanceof UpstreamCredentialsError) {
          return { ok: false, response: validatorUnavailable() };
        }
        // InvalidToken, or claims that do not make an identity: RFC 6750 §3.1 invalid_token.
        return { ok: false, response: invalidTokenChallenge(challenge) };
      }
    },
    reauthenticate() {
      return signInAgainChallenge(challenge);
    },
  };
}

/** Checks the configuration once, at creation, so a wrong bridge.yaml fails at deploy rather than per request. */
function pingFederateIdentity(config: RuntimeConfig): PingFederateIdentity {
  const identity = config.identity;
  if (identity.provider !== "pingfederate") {
    throw new AuthConfigError(`the PingFederate adapter was given identity.provider: ${identity.provider}`);
  }
  const credentials = config.upstream.credentials;
  if (credentials === "upstream-token" || credentials === "access-linked-app") {
    throw new AuthConfigError(
      `upstream.credentials: ${credentials} is not available with identity.provider: pingfederate ` +
        "(use token-exchange, or none for an API that needs no credentials)",
    );
  }
  if (credentials === "token-exchange" && !identity.client) {
    throw new AuthConfigError("upstream.credentials: token-exchange needs identity.client (the bridge's confidential client)");
  }
  if (credentials === "token-exchange" && !config.upstream.audience && !config.upstream.resource) {
    throw new AuthConfigError("upstream.credentials: token-exchange needs upstream.audience or upstream.resource (the API)");
  }
  if (identity.tokenValidation === "introspection" && !identity.client) {
    throw new AuthConfigError("identity.tokenValidation: introspection needs identity.client (the bridge's confidential client)");
  }
  const urls: [string, string | undefined][] = [
    ["identity.issuer", identity.issuer],
    ["identity.jwksUri", identity.jwksUri],
    ["identity.tokenEndpoint", identity.tokenEndpoint],
    ["identity.introspectionEndpoint", identity.introspectionEndpoint],
  ];
  for (const [name, url] of urls) {
    const problem = url === undefined ? undefined : assertSecureUrl(url, name);
    if (problem) throw new AuthConfigError(problem);
  }
  return identity;
}

/** The bridge's client id and secret, read per request from the Worker's env (names from identity.client). */
function clientCredentialsReader(identity: PingFederateIdentity) {
  return (env: Record<string, unknown>): { clientId: string; clientSecret: string } => {
    const names = identity.client;
    const clientId = names ? env[names.idEnv] : undefined;
    const clientSecret = names ? env[names.secretEnv] : undefined;
    if (typeof clientId !== "string" || clientId === "" || typeof clientSecret !== "string" || clientSecret === "") {
      throw new UpstreamCredentialsError(
        `the bridge's client credentials are not set: define ${names?.idEnv ?? "the client id"} and ${names?.secretEnv ?? "the client secret"}`,
      );
    }
    return { clientId, clientSecret };
  };
}

function upstreamCredentials(
  config: RuntimeConfig,
  identity: PingFederateIdentity,
  tokenEndpoint: () => Promise<string>,
  clientCredentials: (env: Record<string, unknown>) => { clientId: string; clientSecret: string },
  fetchImpl: typeof fetch,
  now: () => number,
): (subjectToken: string, env: Record<string, unknown>) => UpstreamCredentials {
  if (config.upstream.credentials !== "token-exchange") return () => noCredentials;
  const exchange = createTokenExchanger({
    issuer: identity.issuer,
    tokenEndpoint,
    clientCredentials,
    ...(config.upstream.resource ? { resource: config.upstream.resource } : {}),
    ...(config.upstream.audience ? { audience: config.upstream.audience } : {}),
    fetch: fetchImpl,
    now,
  });
  return (subjectToken, env) => ({
    async headersFor(tool, grantedScopes) {
      // Only the tool's scopes the caller holds (call.ts already intersects; done again so this holds on its own).
      const scopes = tool.scopes.filter((scope) => grantedScopes.includes(scope));
      const token = await exchange({ subjectToken, scopes, env });
      return { authorization: `Bearer ${token}` };
    },
  });
}
