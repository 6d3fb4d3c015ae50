/** Starts rendering generated/api.ts in a worker thread; see api-types.ts for what it contains. */
import { runWorker } from "../worker.ts";
import type { ApiTypes } from "./api-types.ts";

/** `path`: the spec file to read; `specPath`: how the file header names it. */
export function startApiTypes(path: string, specPath: string): Promise<ApiTypes> {
  const job = runWorker<ApiTypes>(new URL("./api-types-worker.ts", import.meta.url), { path, specPath });
  job.catch(() => {}); // awaited by the caller; an early failure must not be an unhandled rejection meanwhile
  return job;
}
