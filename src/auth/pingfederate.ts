/**
 * The PingFederate adapter (resource-server family, DESIGN.md decision 3): PingFederate issues tokens for the bridge;
 * the bridge validates them on every request (decision 1) and, for the API, exchanges them (RFC 8693, decision 4).
 *
 *   handle:       RFC 9728 metadata at /.well-known/oauth-protected-resource[/mcp]
 *   authenticate: Authorization: Bearer → JWT (JWKS) or RFC 7662 introspection → Identity, or an RFC 6750 challenge
 *   step-up:      a 403 challenge for missing scopes, unless this token answers an earlier one (step-up-ledger.ts)
 *   credentials:  token-exchange (cached per token and scope set) | none
 *
 * Its options are resolved and checked by the generator (generated/config.ts): nothing here validates bridge.yaml.
 */
import { systemClock, type Clock } from "../clock.ts";
import { bearerChallenge, bearerToken, signInAgainChallenge, type ChallengeContext } from "./bearer.ts";
import { identityFrom } from "./claims.ts";
import { clientCredentialsFrom, type ClientEnvNames } from "./client-credentials.ts";
import { createEndpointResolver } from "./endpoints.ts";
import { createIntrospectionValidator } from "./introspection.ts";
import { createJwtValidator } from "./jwt-validator.ts";
import { refusalOrFailure } from "./outcomes.ts";
import { advertisedScopes, createResourceMetadataHandler, resourceMetadataUrl } from "./resource-metadata.ts";
import { cacheNotes, createStepUpLedger, type PresentedToken } from "./step-up-ledger.ts";
import { createTokenExchanger } from "./token-exchange.ts";
import { noCredentials, type AdapterDeps, type AuthAdapter, type UpstreamCredentials } from "./types.ts";
import { rememberVerifiedTokens } from "./verified-tokens.ts";

export interface PingFederateOptions {
  /** PingFederate's issuer: the `iss` of its tokens and where discovery starts. */
  readonly issuer: string;
  /** The bridge's canonical MCP URL: the `aud` its tokens must carry (RFC 8707). */
  readonly resource: string;
  /** RFC 9728 `resource_name`: the API's title. */
  readonly resourceName?: string;
  readonly tokenValidation: JwtValidation | IntrospectionValidation;
  readonly credentials: { readonly kind: "none" } | TokenExchangeCredentials;
}

/** Signed JWT access tokens, verified against the issuer's JWKS. */
export interface JwtValidation {
  readonly method: "jwt";
  readonly algorithms: readonly string[];
  /** at+jwt: the `typ` header must say so (RFC 9068 §4); any: not checked. */
  readonly tokenType: "at+jwt" | "any";
  /** Absent: the `jwks_uri` of OpenID Connect discovery. */
  readonly jwksUri?: string;
}

/** Reference tokens, looked up with RFC 7662 introspection as the bridge's client. */
export interface IntrospectionValidation {
  readonly method: "introspection";
  readonly client: ClientEnvNames;
  /** Absent: the `introspection_endpoint` of discovery. */
  readonly endpoint?: string;
}

/** RFC 8693: the caller's token exchanged, as the bridge's client, for one issued for the API. */
export interface TokenExchangeCredentials {
  readonly kind: "token-exchange";
  readonly client: ClientEnvNames;
  /** Absent: the `token_endpoint` of discovery. */
  readonly tokenEndpoint?: string;
  /** RFC 8707 `resource` and RFC 8693 `audience` of the token to obtain (at least one is set). */
  readonly resource?: string;
  readonly audience?: string;
}

type Env = Record<string, unknown>;

export function createPingFederateAdapter(options: PingFederateOptions, deps: AdapterDeps = {}): AuthAdapter {
  const fetchImpl = deps.fetch ?? ((input, init) => fetch(input, init));
  const clock = deps.clock ?? systemClock;
  const scopes = advertisedScopes((deps.scopes ?? []).map((scope) => scope.name));
  const challenge: ChallengeContext = { resourceMetadata: resourceMetadataUrl(options.resource), scopes };
  const serveMetadata = createResourceMetadataHandler({
    resource: options.resource,
    issuer: options.issuer,
    scopes,
    ...(options.resourceName ? { resourceName: options.resourceName } : {}),
  });
  const { tokenValidation, credentials } = options;
  const endpoint = createEndpointResolver(
    {
      issuer: options.issuer,
      ...(tokenValidation.method === "jwt" && tokenValidation.jwksUri ? { jwksUri: tokenValidation.jwksUri } : {}),
      ...(tokenValidation.method === "introspection" && tokenValidation.endpoint ? { introspectionEndpoint: tokenValidation.endpoint } : {}),
      ...(credentials.kind === "token-exchange" && credentials.tokenEndpoint ? { tokenEndpoint: credentials.tokenEndpoint } : {}),
    },
    fetchImpl,
    clock,
  );

  const validate: (token: string, env: Env) => Promise<Record<string, unknown>> =
    tokenValidation.method === "introspection"
      ? createIntrospectionValidator({
          issuer: options.issuer,
          audience: options.resource,
          endpoint: () => endpoint("introspection_endpoint"),
          clientCredentials: (env) => clientCredentialsFrom(tokenValidation.client, env),
          fetch: fetchImpl,
          clock,
        })
      : rememberVerifiedTokens(
          createJwtValidator({
            issuer: options.issuer,
            audience: options.resource,
            algorithms: tokenValidation.algorithms,
            ...(tokenValidation.tokenType === "at+jwt" && { type: "at+jwt" }),
            jwksUri: () => endpoint("jwks_uri"),
            fetch: fetchImpl,
            clock,
          }),
          { clock },
        );

  const credentialsFor =
    credentials.kind === "token-exchange"
      ? tokenExchangeCredentials(options.issuer, credentials, () => endpoint("token_endpoint"), fetchImpl, clock)
      : () => noCredentials;

  // PingFederate decides which scopes a user can get; the bridge remembers its challenges (step-up-ledger.ts).
  const ledger = createStepUpLedger({ clock, shared: cacheNotes(new URL(options.resource).origin) });

  return {
    async handle(request) {
      return serveMetadata(request);
    },
    async authenticate(request, env) {
      try {
        const token = bearerToken(request);
        const claims = await validate(token, env);
        const identity = identityFrom(claims);
        const presented: PresentedToken = {
          issuer: options.issuer,
          subject: identity.subject,
          clientId: typeof identity.claims["client_id"] === "string" ? identity.claims["client_id"] : "",
          issuedAt: typeof claims["iat"] === "number" ? claims["iat"] : undefined,
          token,
        };
        return {
          ok: true,
          identity,
          credentials: credentialsFor(token, env),
          stepUp: { challenge: (missing) => ledger.challenge(presented, missing) },
        };
      } catch (error) {
        // A refusal: RFC 6750 §3.1 (the same invalid_token words whichever check failed); else 503 or 500.
        return refusalOrFailure(error, (refusal) => bearerChallenge(refusal, challenge));
      }
    },
    reauthenticate() {
      return signInAgainChallenge(challenge);
    },
  };
}

function tokenExchangeCredentials(
  issuer: string,
  options: TokenExchangeCredentials,
  tokenEndpoint: () => Promise<string>,
  fetchImpl: typeof fetch,
  clock: Clock,
): (subjectToken: string, env: Env) => UpstreamCredentials {
  const exchange = createTokenExchanger({
    issuer,
    tokenEndpoint,
    clientCredentials: (env) => clientCredentialsFrom(options.client, env),
    ...(options.resource ? { resource: options.resource } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
    fetch: fetchImpl,
    clock,
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
