/**
 * Worker thread: finds api.ts in the cache or renders it and posts it, then validates the spec and posts the problems
 * found, on the second core while the main thread builds the tools. Everything happens here, the cache's key (a hash
 * of the spec's bytes) included: the main thread runs synchronously from the moment it has parsed the spec until it
 * waits for these answers, so a lookup it started would only hand the worker its job once the main thread's own work
 * was done. The thread's entry, api-types-worker.mjs, turns the caches on before this module loads.
 */
import { readFile } from "node:fs/promises";
import { parentPort, workerData } from "node:worker_threads";
import { loadSpec, specProblems } from "../spec/load.ts";
import { apiTypesKey, readCachedApiTypes, writeCachedApiTypes } from "./api-types-cache.ts";

const { path, cacheDir } = workerData as { path: string; cacheDir?: string };
const bytes = readFile(path);
bytes.catch(() => {}); // loadSpec reports an unreadable file
const key = cacheDir === undefined ? undefined : await apiTypesKey(path, bytes);
const cached = key === undefined ? undefined : await readCachedApiTypes(cacheDir!, key);
// On a miss, the walk that reads the spec's refs notes what the renderer needs to know of the document too.
const spec = await loadSpec(path, bytes, { apiTypesTraits: cached === undefined });
// The renderer's modules only on a miss.
const types = cached ?? (await (await import("./api-types.ts")).renderApiTypes(spec.document, spec.version, spec.apiTypesTraits));
// Posted at once: the main thread writes api.ts while this thread validates the spec.
parentPort!.postMessage({ types });
// Written before the last answer, so that a run that follows this one finds it.
if (key !== undefined && cached === undefined) await writeCachedApiTypes(cacheDir!, key, types);
// Then the spec's validation, on this thread's copy of the document (it consumes it), so that the main thread,
// which has the tools to build, need not: with two cores this is the shorter of the two threads (api-types-job.ts).
parentPort!.postMessage({ problems: await specProblems(spec) });
