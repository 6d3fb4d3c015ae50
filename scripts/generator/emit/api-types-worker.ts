/**
 * Worker thread: renders generated/api.ts. openapi-typescript (and the TypeScript compiler it loads) work here, on
 * the second core, while the main thread builds the tools and validates the spec.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadSpec } from "../spec/load.ts";
import { renderApiTypes } from "./api-types.ts";

const input = workerData as { path: string; specPath: string };
const spec = await loadSpec(input.path);
parentPort!.postMessage(await renderApiTypes(spec.document, spec.version, input.specPath));
