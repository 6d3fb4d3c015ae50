/**
 * Worker thread: renders generated/api.ts. openapi-typescript (and the TypeScript compiler it loads) work here, on
 * the second core, while the main thread builds the tools and validates the spec. The modules are imported once
 * Node's compile cache is on in this thread too (it is per thread).
 */
import { parentPort, workerData } from "node:worker_threads";
import { useCompileCache } from "../caches.ts";

useCompileCache();
const { loadSpec } = await import("../spec/load.ts");
const { renderApiTypes } = await import("./api-types.ts");
const spec = await loadSpec((workerData as { path: string }).path);
parentPort!.postMessage(await renderApiTypes(spec.document, spec.version));
