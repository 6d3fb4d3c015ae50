/**
 * Worker thread: finds api.ts in the cache or renders it and posts it, then validates the spec and posts the problems
 * found, on the second core while the main thread builds the tools; then, in discovery mode, builds the discovery
 * index if the main thread has not taken it yet (api-types-protocol.ts has the messages). Everything happens here,
 * the cache's key (a hash of the spec's bytes) included: the main thread runs synchronously from the moment it has
 * parsed the spec until it waits for these answers, so a lookup it started would only hand the worker its job once
 * the main thread's own work was done. The thread's entry, api-types-worker.mjs, turns the caches on before this
 * module loads.
 */
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { parentPort, workerData } from "node:worker_threads";
import { loadSpec, specProblems } from "../spec/load.ts";
import { apiTypesKey, readCachedApiTypes, writeCachedApiTypes } from "./api-types-cache.ts";
import { withUtf8 } from "./api-types-file.ts";
import { claimIndex, CLAIMED_BY_WORKER, postedApiTypes, type IndexOffer, type WorkerInput } from "./api-types-protocol.ts";
import { buildSearchIndex } from "./search-index-build.ts";
import { importRenderer } from "./api-types-renderer.ts";

const input = workerData as WorkerInput;
const problems = await apiTypesThenProblems(input);
// The document is garbage by now: waiting for the offer (it usually came while this thread rendered) holds nothing.
// It is left to V8 to collect: a full collection forced here before the index (global gc, exposed by the main
// thread) cost ~14-22 ms of this thread's pause (--trace-gc, Stripe) and more CPU than it saved; without it, two
// cores, 15 alternating runs: Stripe CPU -6.1 ms (10/15 lower), Kubernetes -9.7 (10/15), GitHub -2.7 (8/15), the
// peak RSS +1.1 to +1.5 MB (Stripe 155.7 -> 157.0 MB).
const [offer] = input.offer ? ((await once(parentPort!, "message")) as [IndexOffer]) : [{}];
// Validation went first: the main thread waits for it in any case, and takes the index itself if it is free first.
// An invalid spec ends the run with its problems: no index then.
if (offer.documents && problems.length === 0 && claimIndex(offer.claim, CLAIMED_BY_WORKER)) {
  parentPort!.postMessage({ index: buildSearchIndex(offer.documents, true) });
}

/** Posts api.ts, then validates the spec and posts its problems, which it returns. */
async function apiTypesThenProblems({ path, cacheDir }: WorkerInput): Promise<readonly string[]> {
  const bytes = readFile(path);
  bytes.catch(() => {}); // loadSpec reports an unreadable file
  // The walk that reads the spec's refs tells whether it references other files (for the cache's key), and notes
  // what the renderer needs to know of the document too (needed on a miss only, the usual case).
  const spec = await loadSpec(path, bytes, { apiTypesTraits: true });
  const key = cacheDir === undefined ? undefined : await apiTypesKey(path, spec.bundled !== true, bytes);
  const cached = key === undefined ? undefined : await readCachedApiTypes(cacheDir!, key);
  // The renderer's modules only on a miss. This thread's document is its own and nothing has written into it yet, so
  // a parsed tree is still one: the 2.0 conversion then need not note every object it reaches (a Set of ~23,000 on
  // Kubernetes, ~4 ms of its ~43; swagger2-convert.ts). On one core the model shares the document: not passed there.
  const types = cached ?? (await (await importRenderer()).renderApiTypes(spec.document, spec.version, spec.apiTypesTraits, false, spec.parsedTree === true));
  // Posted as UTF-8, transferred (api-types-protocol.ts); the main thread writes api.ts while this thread validates
  // the spec. The cache's entry is written first, from the same bytes, before the transfer takes them from this
  // thread: written after, it encoded the text again.
  const encoded = withUtf8(types);
  const { message, transfer } = postedApiTypes(encoded);
  if (key !== undefined && cached === undefined) await writeCachedApiTypes(cacheDir!, key, encoded);
  parentPort!.postMessage(message, transfer);
  // Then the spec's validation, on this thread's copy of the document (it consumes it), so that the main thread,
  // which has the tools to build, need not: with two cores this is the shorter of the two threads (api-types-job.ts).
  const problems = await specProblems(spec);
  parentPort!.postMessage({ problems });
  return problems;
}
