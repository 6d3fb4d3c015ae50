/**
 * A bridge project outside the repo's own generated/: the repo's bridge.yaml (comments kept) with `api.spec` made
 * absolute and whatever `edit` changes, `generate()` into `<dir>/generated/`, and an `entry.ts` that does what
 * src/index.ts does with that generated folder. Used by `npm start -- --provider …` and the end-to-end stacks; each
 * writes its own wrangler.jsonc next to it (`main: "entry.ts"`).
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { parseDocument, type Document } from "yaml";
import type { RuntimeConfig } from "../../src/config/runtime.ts";
import { emitRuntimeConfig, runtimeConfig } from "../generator/emit/config.ts";
import { generate } from "../generator/index.ts";

export interface BridgeProject {
  /** The repo root (where bridge.yaml and src/ are). */
  root: string;
  /** Where to write bridge.yaml, generated/ and entry.ts. */
  dir: string;
  /** The first comment line of entry.ts: who wrote it. */
  writtenBy: string;
  edit(document: Document): void;
  /**
   * Changes the resolved config before generated/config.ts is written: a test's own config where the local stand-ins
   * differ from the real provider (an issuer the generator would derive otherwise). Never used by `npm start`.
   */
  resolved?(config: RuntimeConfig): RuntimeConfig;
}

export async function writeBridgeProject(project: BridgeProject): Promise<void> {
  const { root, dir } = project;
  const generatedDir = join(dir, "generated");
  await rm(generatedDir, { recursive: true, force: true });
  await mkdir(generatedDir, { recursive: true });

  const document = parseDocument(await readFile(join(root, "bridge.yaml"), "utf8"));
  document.setIn(["api", "spec"], resolve(root, String(document.getIn(["api", "spec"]))));
  project.edit(document);
  const configPath = join(dir, "bridge.yaml");
  await writeFile(configPath, document.toString());

  const result = await generate({ configPath, outDir: generatedDir });
  for (const file of result.files) await writeFile(join(generatedDir, file.name), file.content);
  if (project.resolved) {
    const typesImport = relative(generatedDir, join(root, "src", "config", "runtime.ts")).split("\\").join("/");
    await writeFile(join(generatedDir, "config.ts"), emitRuntimeConfig(project.resolved(runtimeConfig(result.model)), typesImport));
  }

  const src = (path: string) => relative(dir, join(root, "src", path)).split("\\").join("/");
  await writeFile(
    join(dir, "entry.ts"),
    `// ${project.writtenBy}: src/index.ts with the generated folder next to it.
import { config } from "./generated/config.ts";
import { discovery } from "./generated/discovery.ts";
import { policy } from "./generated/policy.ts";
import { tools } from "./generated/tools.ts";
import { bridgeWorker } from "${src("worker.ts")}";

export default bridgeWorker({ config, tools, policy, discovery });
`,
  );
}
