/**
 * `npm start -- --provider pingone`: the repo's bridge.yaml switched to PingOne the way a user would (only `identity`
 * and `upstream` change), generated into `.cache/start/pingone/` with an entry like src/index.ts and a wrangler.jsonc
 * with the KV namespace PingOne mode keeps its grants in (`OAUTH_KV`, simulated locally by `wrangler dev`).
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { parseDocument } from "yaml";
import { generate } from "../generator/index.ts";
import type { StackUrls } from "./stack.ts";

/** The env names bridge.yaml's `identity.client` names in PingOne mode (passed to `wrangler dev` as `--var`s). */
export const PINGONE_CLIENT_ENV = { id: "PINGONE_CLIENT_ID", secret: "PINGONE_CLIENT_SECRET" } as const;

export function pingOneDir(root: string): string {
  return join(root, ".cache", "start", "pingone");
}

/** Writes bridge.yaml, generated/, entry.ts and wrangler.jsonc into `.cache/start/pingone/`; returns the wrangler.jsonc path. */
export async function writePingOneBridge(root: string, urls: StackUrls): Promise<string> {
  const dir = pingOneDir(root);
  const generatedDir = join(dir, "generated");
  await rm(generatedDir, { recursive: true, force: true });
  await mkdir(generatedDir, { recursive: true });

  const document = parseDocument(await readFile(join(root, "bridge.yaml"), "utf8"));
  document.setIn(["api", "spec"], resolve(root, String(document.getIn(["api", "spec"]))));
  document.set(
    "identity",
    document.createNode({
      provider: "pingone",
      issuer: urls.issuer,
      resource: urls.mcp,
      client: { idEnv: PINGONE_CLIENT_ENV.id, secretEnv: PINGONE_CLIENT_ENV.secret },
    }),
  );
  document.set("upstream", document.createNode({ credentials: "upstream-token", resource: urls.api }));
  const configPath = join(dir, "bridge.yaml");
  await writeFile(configPath, document.toString());

  const result = await generate({ configPath, outDir: generatedDir });
  for (const file of result.files) await writeFile(join(generatedDir, file.name), file.content);

  const src = (path: string) => relative(dir, join(root, "src", path)).split("\\").join("/");
  await writeFile(
    join(dir, "entry.ts"),
    `// Written by \`npm start -- --provider pingone\`: src/index.ts with the PingOne-mode generated folder next to it.
import { config } from "./generated/config.ts";
import { policy } from "./generated/policy.ts";
import { tools } from "./generated/tools.ts";
import { adapterFor } from "${src("auth/index.ts")}";
import { createBridge } from "${src("bridge.ts")}";

const bridge = createBridge({ config, tools, policy, adapter: adapterFor(config, { policy }) });

export default {
  fetch(request: Request, env: unknown) {
    return bridge.fetch(request, env as Record<string, unknown>);
  },
};
`,
  );
  const wranglerPath = join(dir, "wrangler.jsonc");
  await writeFile(
    wranglerPath,
    `// Written by \`npm start -- --provider pingone\` (regenerated on every run): the bridge in PingOne mode.\n` +
      JSON.stringify(
        {
          name: "mcp-identity-bridge-pingone-local",
          main: "entry.ts",
          compatibility_date: "2026-11-01",
          compatibility_flags: ["nodejs_compat"],
          send_metrics: false,
          // wrangler dev simulates the namespace locally: the id only has to be there.
          kv_namespaces: [{ binding: "OAUTH_KV", id: "oauth-kv-local" }],
        },
        null,
        2,
      ) +
      "\n",
  );
  return wranglerPath;
}
