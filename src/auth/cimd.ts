/**
 * Client ID Metadata Documents (MCP 2025-11-25, "Client Registration"): a client's https `client_id` is the URL of its
 * metadata, which the bridge (workers-oauth-provider) fetches. That is a fetch of a URL the client chooses, so it must
 * not reach private addresses (SSRF into the account's network): the `global_fetch_strictly_public` compatibility flag
 * does that. workers-oauth-provider silently leaves CIMD off without the flag; a bridge.yaml that asks for CIMD fails
 * when the adapter is chosen instead, so the mistake shows at deploy rather than as clients that cannot sign in.
 */
import { AuthConfigError } from "./errors.ts";

export function clientIdMetadataDocumentsEnabled(requested: boolean | undefined): boolean {
  if (!requested) return false;
  const flags = (globalThis as { Cloudflare?: { compatibilityFlags?: Record<string, boolean> } }).Cloudflare?.compatibilityFlags;
  if (flags?.["global_fetch_strictly_public"] !== true) {
    throw new AuthConfigError(
      "identity.clientIdMetadataDocuments: true needs the compatibility flag global_fetch_strictly_public: " +
        'add it to "compatibility_flags" in wrangler.jsonc (it keeps the fetches of client documents off private addresses)',
    );
  }
  return true;
}
