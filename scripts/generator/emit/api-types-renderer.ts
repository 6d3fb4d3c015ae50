/**
 * The api.ts renderer (api-types.ts and the 15 modules it imports), loaded when a thread first renders: from one
 * pre-built file when it can, as the CLI's start-up modules are (eager-bundle.mjs). Imported one by one, each module
 * is resolved, read, passed through the load hooks and compiled by Node's ESM loader, and its built-ins get ES module
 * facades: the import took ~7.5 ms of CPU in a one-core run, ~1.6 ms from the bundle (Kubernetes' spec, medians of 9).
 */
import { join } from "node:path";
import { CACHE_DIR } from "../caches.ts";

export type Renderer = typeof import("./api-types.ts");

export async function importRenderer(): Promise<Renderer> {
  // Imported, not bundled: the thread's entry has loaded it already, and the bundler refuses it (its comments name
  // the module-metadata uses a bundle cannot keep).
  const { importBundled } = await import("../eager-bundle.mjs");
  return importBundled(new URL("./api-types.ts", import.meta.url).href, join(CACHE_DIR, "bundle")) as Promise<Renderer>;
}
