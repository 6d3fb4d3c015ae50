/**
 * `identity.clientIdMetadataDocuments: true` makes the bridge fetch URLs that MCP clients choose; the compatibility
 * flag `global_fetch_strictly_public` keeps those fetches off private addresses, and without it
 * workers-oauth-provider silently leaves the feature off (src/auth/cimd.ts refuses to start then). The flag lives in
 * the Wrangler configuration beside bridge.yaml: when there is one, it is read here, so the mistake shows at generate
 * time. Without one there is nothing to check yet (the Worker's start still checks).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Findings } from "./findings.ts";

const FLAG = "global_fetch_strictly_public";
/** Wrangler's own lookup order for its configuration file. */
const CONFIG_FILES = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"];

export async function checkClientIdMetadataDocuments(requested: boolean | undefined, dir: string, out: Findings): Promise<void> {
  if (!requested) return;
  const file = CONFIG_FILES.find((name) => existsSync(join(dir, name)));
  if (!file) return;
  const flags = await compatibilityFlags(join(dir, file));
  if (flags.includes(FLAG)) return;
  out.error(
    "BRIDGE_CIMD_FLAG_MISSING",
    ["identity", "clientIdMetadataDocuments"],
    `identity.clientIdMetadataDocuments: true needs the compatibility flag ${FLAG}, which ${file} does not set: ` +
      `add it to "compatibility_flags" (it keeps fetches of client documents off private addresses)`,
  );
}

/** Read by Wrangler itself (JSONC and TOML alike). Imported only here: loading Wrangler takes seconds. */
async function compatibilityFlags(path: string): Promise<string[]> {
  const { experimental_readRawConfig: readRawConfig } = await import("wrangler");
  const { rawConfig } = readRawConfig({ config: path });
  return rawConfig.compatibility_flags ?? [];
}
