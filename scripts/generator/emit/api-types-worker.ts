/**
 * Worker thread: renders generated/api.ts and validates the spec, on the second core, while the main thread builds
 * the tools. The modules are imported once Node's compile cache is on in this thread too (it is per thread).
 */
import { parentPort, workerData } from "node:worker_threads";
import { useCompileCache } from "../caches.ts";

useCompileCache();
const { loadSpec, specProblems } = await import("../spec/load.ts");
const { renderApiTypes } = await import("./api-types.ts");
const spec = await loadSpec((workerData as { path: string }).path);
const types = await renderApiTypes(spec.document, spec.version);
// Then the spec's validation, on this thread's copy of the document (it consumes it), so that the main thread,
// which has the tools to build, need not: with two cores this is the shorter of the two threads (api-types-job.ts).
parentPort!.postMessage({ types, problems: await specProblems(spec) });
