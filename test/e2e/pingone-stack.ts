/**
 * The end-to-end stack in PingOne mode (see oidc-upstream-stack.ts): the local identity provider stands in for
 * PingOne; its token for the bridge has `aud` = the API, as PingOne's would with `resource` = the API. MCP clients may
 * register (DCR) or present a Client ID Metadata Document (`identity.clientIdMetadataDocuments: true`).
 */
import { CALLBACK_PATH, CIMD_ORIGIN, startOidcUpstreamStack, type OidcUpstreamStack } from "./oidc-upstream-stack.ts";

export { CALLBACK_PATH, CIMD_ORIGIN };
export type PingOneStack = OidcUpstreamStack;

/** The repo's bridge.yaml switched to PingOne the way a user would: only `identity` and `upstream` change. */
export function startPingOneStack(options: { visibility?: "hide" | "list" } = {}): Promise<PingOneStack> {
  return startOidcUpstreamStack({
    ...options,
    label: "PingOne",
    slug: "pingone",
    clientEnv: { id: "PINGONE_CLIENT_ID", secret: "PINGONE_CLIENT_SECRET" },
    clientIdMetadataDocuments: true,
    editBridge(document, urls) {
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
    },
  });
}
