/**
 * The end-to-end stack in Access for SaaS mode (`identity.provider: access`, `mode: saas`; see
 * oidc-upstream-stack.ts).
 *
 * The local identity provider stands in for Access. Its issuer is `http://127.0.0.1:<port>` (scripts/idp binds the
 * issuer to the bare origin; it has no option for a path), so it cannot have Access's issuer shape
 * `<teamDomain>/cdn-cgi/access/sso/oidc/<client id>` nor Access's endpoint paths: bridge.yaml names it as
 * `teamDomain`, and this test's own resolved config (TEST ONLY) names the IdP's real issuer, discovered as any
 * issuer is. The derived shape itself is covered by test/unit/emit/auth-config.test.ts and
 * test/unit/auth/access-saas.test.ts.
 *
 * Access issues no API scopes: the bridge asks only for `openid email profile groups`, and bridge.yaml's claim rules
 * grant todo_api:read to `emailDomains: [example.com]` and todo_api:write to `users: [demo@example.com]` (so
 * reader@example.com reads only). The IdP's default resource is the API, so
 * the token the bridge obtains has `aud` = the API, as an Access token for an API behind the same Access app would be
 * accepted there; it carries no API scopes. The sample Todo API is configured as an API behind Access would be:
 * `DEFAULT_SCOPES` grants read and write to a token naming no API scope (Access's policies decided who got in).
 */
import { CALLBACK_PATH, startOidcUpstreamStack, type OidcUpstreamStack } from "./oidc-upstream-stack.ts";

export { CALLBACK_PATH };
export type AccessSaasStack = OidcUpstreamStack;

/** The repo's bridge.yaml switched to Access for SaaS the way a user would: `identity`, `upstream`, claim rules. */
export function startAccessSaasStack(options: { visibility?: "hide" | "list" } = {}): Promise<AccessSaasStack> {
  return startOidcUpstreamStack({
    ...options,
    label: "Access for SaaS",
    slug: "access-saas",
    clientEnv: { id: "ACCESS_CLIENT_ID", secret: "ACCESS_CLIENT_SECRET" },
    resolved(config, issuer) {
      if (config.auth.adapter !== "oauth-server") throw new Error(`Access for SaaS resolved to ${config.auth.adapter}`);
      const { endpoints: _derived, ...provider } = config.auth.options.provider;
      return { ...config, auth: { ...config.auth, options: { ...config.auth.options, provider: { ...provider, issuer, issuerEndsWithClientId: false } } } };
    },
    apiVars: { DEFAULT_SCOPES: "todo_api:read todo_api:write" },
    editBridge(document, urls) {
      document.set(
        "identity",
        document.createNode({
          provider: "access",
          mode: "saas",
          teamDomain: urls.issuer,
          resource: urls.resource,
          client: { idEnv: "ACCESS_CLIENT_ID", secretEnv: "ACCESS_CLIENT_SECRET" },
        }),
      );
      document.set("upstream", document.createNode({ credentials: "upstream-token" }));
      document.setIn(["scopes", "todo_api:read", "grantTo"], document.createNode({ emailDomains: ["example.com"] }));
      document.setIn(["scopes", "todo_api:write", "grantTo"], document.createNode({ users: ["demo@example.com"] }));
    },
  });
}
