/**
 * What the main thread and the api.ts worker (api-types-worker.ts) say to each other, in one place.
 *
 * In: `workerData` (WorkerInput) when the worker starts, then, when WorkerInput says one will come, exactly one
 * message (IndexOffer) once the main thread has chosen the mode: in discovery mode the search documents to index,
 * with a shared claim; otherwise, or when generate() ends without choosing (an error), an offer of nothing.
 *
 * Out, in this order, each message an object with one key naming the answer (WorkerAnswers): `types` (api.ts's body
 * as UTF-8 in a transferred buffer, PostedApiTypes, posted before the spec is validated, so that the main thread writes
 * it meanwhile), `problems` (the spec's validation, empty when valid), then `index` only when the worker claimed the
 * index.
 *
 * The index goes to whichever thread is free first. The worker claims it once it has validated a valid spec; the main
 * thread, once it has staged every other file. A thread builds it only if its claim (a compare-and-swap on the shared
 * word) finds it unclaimed, so it is built once, and the main thread waits for the worker's only when the worker took
 * it first. Only strings and api.ts's bytes cross: the documents (a few per tool) in, api.ts and the serialised index
 * out.
 */
import type { Notice } from "../model/types.ts";
import type { ApiTypes } from "./api-types.ts";
import { typesFromUtf8, withUtf8 } from "./api-types-file.ts";
import type { SearchDocument } from "./search-index-build.ts";

/** The worker's `workerData`: the spec's path (the worker reads it itself), and the api.ts cache's folder if any. */
export interface WorkerInput {
  path: string;
  cacheDir?: string;
  /** An IndexOffer will come (generate() makes one in any case): the worker waits for it after validating. */
  offer?: true;
}

/** The main thread's one message: the documents and the claim (discovery mode), or nothing to index. */
export type IndexOffer = { documents: readonly SearchDocument[]; claim: SharedArrayBuffer } | { documents?: undefined };

/**
 * api.ts's body as the worker posts it: its UTF-8 in a buffer transferred to the main thread, not copied. Posted as
 * a string, it was copied twice (serialised by the worker, deserialised by the main thread, which waits for it) and
 * the main thread then encoded it to write it: Stripe's body is 2.8 million characters, a few beyond Latin-1, so
 * V8 held it at two bytes each (5.6 MB). The worker encodes it instead, off the main thread's path.
 */
export interface PostedApiTypes {
  utf8: Uint8Array;
  notice?: Notice;
}

/** The worker's answers by name (each posted as `{ [name]: value }`). */
export interface WorkerAnswers {
  types: PostedApiTypes;
  problems: readonly string[];
  /** The serialised index as a string literal (emit/search-index-build.ts' buildSearchIndex(documents, true)). */
  index: string;
}

export const WORKER_ANSWERS: readonly (keyof WorkerAnswers)[] = ["types", "problems", "index"];

/** The worker's message for api.ts and the buffer to transfer with it (withUtf8's: never Node's shared pool). */
export function postedApiTypes(types: ApiTypes): { message: { types: PostedApiTypes }; transfer: ArrayBuffer[] } {
  const { utf8 } = withUtf8(types);
  const posted: PostedApiTypes = { utf8, ...(types.notice && { notice: types.notice }) };
  return { message: { types: posted }, transfer: [utf8.buffer as ArrayBuffer] };
}

/**
 * The types as the worker posted them: written as the bytes received (api-types-file.ts); the body's text is decoded
 * only if something reads it (the tests; `npm start` writes `content`).
 */
export function receivedApiTypes(posted: PostedApiTypes): ApiTypes {
  return typesFromUtf8(posted.utf8, posted.notice ? { notice: posted.notice } : {});
}

/** Who builds the index: the shared word holds one of these. */
export const UNCLAIMED = 0;
export const CLAIMED_BY_WORKER = 1;
export const CLAIMED_BY_MAIN = 2;

/** A shared word for an offer, unclaimed. */
export function newClaim(): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
}

/** Claims the index for `by`; false when the other thread has it. */
export function claimIndex(claim: SharedArrayBuffer, by: typeof CLAIMED_BY_WORKER | typeof CLAIMED_BY_MAIN): boolean {
  return Atomics.compareExchange(new Int32Array(claim), 0, UNCLAIMED, by) === UNCLAIMED;
}
