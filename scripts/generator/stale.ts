/**
 * Comparing generated files with what is on disk, and writing them: `npm run generate` (and its `--check`) and
 * `npm start`, which regenerates a stale generated/ before running it.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { GeneratedFile } from "./index.ts";

export interface StaleFile {
  /** `<outDir>/<name>`. */
  path: string;
  state: "missing" | "differs";
}

/** The files whose content on disk is not `file.content`, byte for byte, in the order given. */
export async function staleFiles(files: readonly GeneratedFile[], outDir: string): Promise<StaleFile[]> {
  const stale: StaleFile[] = [];
  for (const file of files) {
    const path = join(outDir, file.name);
    const current = await readFile(path, "utf8").catch(() => undefined);
    if (current === undefined) stale.push({ path, state: "missing" });
    else if (current !== file.content) stale.push({ path, state: "differs" });
  }
  return stale;
}

export async function writeFiles(files: readonly GeneratedFile[], outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  for (const file of files) await writeFile(join(outDir, file.name), file.content);
}
