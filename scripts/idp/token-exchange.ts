/**
 * RFC 8693 token exchange, registered as a custom grant: the bridge (a confidential client) trades a user's access
 * token for the bridge resource for a short-lived, down-scoped access token for the API, with `act` naming the bridge.
 */
import { createLocalJWKSet, jwtVerify, type JWK, type JWTPayload } from "jose";
import { errors, type KoaContextWithOIDC, type Provider } from "oidc-provider";
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT, type ResolvedOptions } from "./options.ts";

/** RFC 8693 §2.1 request parameters (`resource` and `audience` may repeat). */
const PARAMETERS = [
  "subject_token",
  "subject_token_type",
  "requested_token_type",
  "actor_token",
  "actor_token_type",
  "resource",
  "audience",
  "scope",
];

export type ExchangeHooks = { onExchange(): void };

export function registerTokenExchange(
  provider: Provider,
  options: ResolvedOptions,
  publicKey: JWK,
  hooks: ExchangeHooks,
): void {
  const keys = createLocalJWKSet({ keys: [publicKey] });
  // Which clients may exchange: the statically configured ones that list the grant, never a DCR client, even one that
  // registered the grant type for itself.
  const allowed = new Set(
    [{ client_id: options.bridgeClient.id, grant_types: [TOKEN_EXCHANGE_GRANT] }, ...options.extraClients]
      .filter((client) => client.grant_types?.includes(TOKEN_EXCHANGE_GRANT))
      .map((client) => client.client_id),
  );

  provider.registerGrantType(
    TOKEN_EXCHANGE_GRANT,
    async (ctx) => {
      const { client, params } = ctx.oidc;
      if (client.clientAuthMethod === "none" || !allowed.has(client.clientId)) {
        throw new errors.UnauthorizedClient("this client may not use token exchange");
      }
      const subjectToken = single(params, "subject_token");
      if (!subjectToken) throw new errors.InvalidRequest("missing required parameter 'subject_token'");
      if (single(params, "subject_token_type") !== ACCESS_TOKEN_TYPE) {
        throw new errors.InvalidRequest(`subject_token_type must be ${ACCESS_TOKEN_TYPE}`);
      }
      const requested = single(params, "requested_token_type");
      if (requested !== undefined && requested !== ACCESS_TOKEN_TYPE) {
        throw new errors.InvalidRequest(`requested_token_type must be ${ACCESS_TOKEN_TYPE}`);
      }
      if (params["actor_token"] !== undefined) {
        throw new errors.InvalidRequest("actor_token is not supported (the authenticated client is the actor)");
      }
      checkTarget(params, options.apiAudience);
      const subject = await verifySubject(subjectToken, keys, provider.issuer, options.bridgeResource);
      const scope = downScope(single(params, "scope"), subject);

      const token = new provider.AccessToken({
        accountId: subject.sub,
        client,
        gty: "token_exchange",
        scope,
      });
      token.resourceServer = new provider.ResourceServer(options.apiAudience, {
        audience: options.apiAudience,
        scope,
        accessTokenTTL: options.exchangedTokenTtl,
        accessTokenFormat: "jwt",
        jwt: { sign: { alg: "RS256" } },
      });
      const value = await token.save();
      hooks.onExchange();
      // RFC 8693 §2.2.1
      ctx.body = {
        access_token: value,
        issued_token_type: ACCESS_TOKEN_TYPE,
        token_type: "Bearer",
        expires_in: token.expiration,
        scope,
      };
    },
    PARAMETERS,
    ["resource", "audience"],
  );
}

function single(params: KoaContextWithOIDC["oidc"]["params"], name: string): string | undefined {
  const value = params[name];
  if (Array.isArray(value)) throw new errors.InvalidRequest(`'${name}' must not be repeated`);
  return value;
}

/** RFC 8693 §2.1: `resource` and `audience` name the target; here the only possible target is the API. */
function checkTarget(params: KoaContextWithOIDC["oidc"]["params"], api: string): void {
  const targets = [params["resource"], params["audience"]].flat().filter((t): t is string => typeof t === "string");
  for (const target of targets) {
    if (target !== api) throw new errors.InvalidTarget(`token exchange is available only for ${api}`);
  }
}

/**
 * The subject token must be one this provider issued for the bridge (RFC 8693 §2.1: the server validates it as
 * appropriate). RFC 9068 §4 checks: signature with our own key, `typ` at+jwt, `iss`, `aud`, `exp`.
 */
async function verifySubject(
  token: string,
  keys: ReturnType<typeof createLocalJWKSet>,
  issuer: string,
  audience: string,
): Promise<JWTPayload & { sub: string; scope: string }> {
  try {
    const { payload } = await jwtVerify(token, keys, {
      issuer,
      audience,
      typ: "at+jwt",
      algorithms: ["RS256"],
      requiredClaims: ["sub", "exp"],
    });
    return { ...payload, sub: payload.sub as string, scope: typeof payload["scope"] === "string" ? payload["scope"] : "" };
  } catch {
    throw new errors.InvalidGrant("subject_token is invalid, expired or not issued for the bridge");
  }
}

/** RFC 8693 §2.1 / RFC 6749 §3.3: the scope asked for must be within what the subject token holds. */
function downScope(requested: string | undefined, subject: { scope: string }): string {
  const held = new Set(subject.scope.split(" ").filter(Boolean));
  if (requested === undefined) return [...held].join(" ");
  const asked = [...new Set(requested.split(" ").filter(Boolean))];
  const extra = asked.filter((scope) => !held.has(scope));
  if (extra.length) throw new errors.InvalidScope("requested scope exceeds the subject token's", extra.join(" "));
  return asked.join(" ");
}
