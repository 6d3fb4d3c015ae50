/**
 * `npm start` never runs a stale bridge: before the Workers start, generated/ is compared byte for byte with what
 * bridge.yaml, the spec and the generator produce now (what `npm run generate -- --check` compares), and rewritten
 * when it differs, as `npm run generate` would.
 *
 * Why the output rather than a hash of the inputs: comparing what would be written catches every way generated/ falls
 * behind (bridge.yaml or the spec edited, a file the spec references, the generator or a dependency updated, a hand
 * edit) with no list of inputs to keep complete, and leaves the committed files (and `--check`) exactly as they are.
 * It costs one generation in memory, under a second for the sample API.
 */
import { join, relative } from "node:path";
import { apiTypesCacheDir } from "../generator/caches.ts";
import { generate } from "../generator/index.ts";
import { staleFiles, writeFiles, type StaleFile } from "../generator/stale.ts";

export interface Refreshed {
  /** The files that were missing or differed, and were rewritten (empty: generated/ was current). */
  rewritten: StaleFile[];
  /** One line for the user. */
  message: string;
}

/**
 * Regenerates `<root>/generated/` from `<root>/bridge.yaml` when it is not what they produce now. Throws the
 * generator's ConfigError / SpecError when bridge.yaml or the spec is invalid (nothing is written then).
 */
export async function refreshGenerated(root: string): Promise<Refreshed> {
  const outDir = join(root, "generated");
  // Messages name bridge.yaml as the user sees it from the project root, where npm start runs.
  const configPath = relative(process.cwd(), join(root, "bridge.yaml")) || "bridge.yaml";
  // api.ts from the cache when the spec has not changed since (bridge.yaml edited): as `npm run generate` does.
  const result = await generate({ configPath, outDir, cacheDir: apiTypesCacheDir(false, process.env) });
  const rewritten = await staleFiles(result.files, outDir);
  if (rewritten.length === 0) return { rewritten, message: "generated/ is up to date with bridge.yaml and the spec" };
  await writeFiles(result.files, outDir);
  const names = rewritten.map(({ path, state }) => `${relative(outDir, path)}${state === "missing" ? " (was missing)" : ""}`);
  return {
    rewritten,
    message:
      `generated/ did not match bridge.yaml, the spec and the generator (${names.join(", ")}): regenerated it, as ` +
      "`npm run generate` does; commit the change with bridge.yaml",
  };
}
