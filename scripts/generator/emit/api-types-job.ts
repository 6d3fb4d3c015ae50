/**
 * How generate() obtains api.ts (see api-types.ts for what it contains): from the cache when it holds this spec's
 * types (api-types-cache.ts), else rendered. With a second core a worker thread does all of it as soon as the spec's
 * path is known: it reads the spec itself, looks in the cache, renders on a miss and posts api.ts, and then validates
 * the spec too (the main thread builds the tools meanwhile, and writes api.ts while the worker validates); in discovery
 * mode it may then build the discovery index, if it is free before the main thread is (offerSearchDocuments,
 * api-types-protocol.ts). On one core a worker only adds work (a second read of the spec, a second copy of the
 * modules, time slices), so api.ts is rendered in this thread from the document already read, and so is the index.
 * The renderer is imported only when this thread renders: never on two cores, nor on a cache hit (~7 ms of CPU); and
 * then from its own bundle (api-types-renderer.ts). The cache's module is in the CLI's start-up bundle: imported on
 * its own, it was one more module through Node's ESM loader, with ES module facades for its built-ins.
 */
import { runWorker, type RunningWorker } from "../worker.ts";
import type { LoadedSpec } from "../spec/load.ts";
import type { ApiTypes } from "./api-types.ts";
import { apiTypesKey, readCachedApiTypes, writeCachedApiTypes } from "./api-types-cache.ts";
import { withUtf8 } from "./api-types-file.ts";
import { importRenderer } from "./api-types-renderer.ts";
import { claimIndex, CLAIMED_BY_MAIN, newClaim, receivedApiTypes, WORKER_ANSWERS, type IndexOffer, type WorkerAnswers, type WorkerInput } from "./api-types-protocol.ts";
import type { SearchDocument } from "./search-index-build.ts";

export interface ApiTypesJobOptions {
  /** Render in a worker thread (there is a second core). */
  parallel: boolean;
  /** The cache's folder; none: always render. */
  cacheDir?: string | undefined;
  /** The spec file's bytes, when the caller reads them anyway (for the cache's key; else the key reads the file). */
  specBytes?: Promise<Buffer> | undefined;
  /**
   * The caller will call offerSearchDocuments, at least with nothing (generate() does in any case): the worker waits
   * for that offer once it has validated. Without it, the worker ends after validating, and offers are refused.
   */
  offersSearchDocuments?: boolean;
}

interface Lookup {
  key?: string | undefined;
  cached?: ApiTypes | undefined;
}

/** What the job produced: the types, and the spec's problems when the worker validated it (none: valid). */
export interface ApiTypesOutcome {
  types: ApiTypes;
  /** Absent when the spec was not validated along the way (rendered or taken from the cache on this thread). */
  problems?: readonly string[];
}

export class ApiTypesJob {
  private readonly specFile: string;
  private readonly cacheDir: string | undefined;
  /** The spec's bytes for the cache's key, until it is computed (one core). */
  private specBytes: Promise<Buffer> | undefined;
  /** Started once the spec is read (one core; the worker's own on two). */
  private lookup: Promise<Lookup> | undefined;
  private rendered: Promise<ApiTypes> | undefined;
  /** The worker's validation of its copy of the spec, posted after api.ts. */
  private problems: Promise<readonly string[]> | undefined;
  private worker: RunningWorker<WorkerAnswers> | undefined;
  /** The claim sent with the search documents, once they are. */
  private claim: SharedArrayBuffer | undefined;
  private readonly offers: boolean;
  private offered = false;

  /** On two cores starts the worker. `specFile`: the spec's path, to read it. */
  constructor(specFile: string, options: ApiTypesJobOptions) {
    this.specFile = specFile;
    this.cacheDir = options.cacheDir;
    this.offers = options.offersSearchDocuments === true;
    if (options.parallel) {
      this.lookup = Promise.resolve({}); // the worker's own
      this.startWorker();
    } else {
      this.specBytes = options.specBytes;
    }
  }

  /**
   * On one core, starts looking in the cache once the spec is read: whether it references other files (not cached)
   * is known then. Before this, or without it, renderHere looks.
   */
  specRead(spec: LoadedSpec): void {
    this.lookup ??= this.cacheDir === undefined ? Promise.resolve({}) : lookUp(this.cacheDir, this.specFile, spec, this.specBytes);
    this.specBytes = undefined;
  }

  /** On one core, renders api.ts here unless cached: before validation, which dereferences the document in place. */
  async renderHere(spec: LoadedSpec): Promise<void> {
    if (this.rendered) return;
    this.specRead(spec);
    const found = await this.lookup!;
    this.rendered = Promise.resolve(found.cached ?? (await render(spec)));
  }

  /** The types, once ready: from the worker before it validates, so that they can be written meanwhile. */
  types(): Promise<ApiTypes> {
    if (!this.rendered) this.startWorker();
    return this.rendered!;
  }

  /** The types (ones rendered here are then written to the cache), and the worker's validation if it ran. */
  async result(): Promise<ApiTypesOutcome> {
    const types = await this.types();
    if (this.problems) return { types, problems: await this.problems };
    const { key, cached } = (await this.lookup) ?? {};
    if (key !== undefined && this.cacheDir !== undefined && cached === undefined) {
      await writeCachedApiTypes(this.cacheDir, key, types);
    }
    return { types };
  }

  /** A worker runs and has had no offer yet: offerSearchDocuments would post one. */
  takesSearchDocuments(): boolean {
    return this.worker !== undefined && this.offers && !this.offered;
  }

  /**
   * Offers the worker the discovery index's documents (discovery mode), or nothing (none given): the worker waits for
   * this one offer once it has validated the spec. False when there is no worker (one core): the caller builds the
   * index. Only the first offer counts.
   */
  offerSearchDocuments(documents?: readonly SearchDocument[]): boolean {
    if (!this.worker || !this.offers || this.offered) return false;
    this.offered = true;
    if (documents) this.claim = newClaim();
    const offer: IndexOffer = documents ? { documents, claim: this.claim! } : {};
    this.worker.post(offer);
    return documents !== undefined;
  }

  /**
   * The worker's index when it took it first; undefined when this thread takes it now (it builds it). A worker that
   * fails before posting it rejects the promise: the caller builds the index then.
   */
  searchIndex(): Promise<string> | undefined {
    if (!this.claim || claimIndex(this.claim, CLAIMED_BY_MAIN)) return undefined;
    return this.worker!.answers.index;
  }

  /** The worker looks in the cache (and writes to it) itself; it posts the types, then the spec's problems. */
  private startWorker(): void {
    const data: WorkerInput = { path: this.specFile, ...(this.cacheDir !== undefined && { cacheDir: this.cacheDir }), ...(this.offers && { offer: true as const }) };
    this.worker = runWorker<WorkerAnswers>(new URL("./api-types-worker.mjs", import.meta.url), data, WORKER_ANSWERS);
    this.rendered = this.worker.answers.types.then(receivedApiTypes);
    this.problems = this.worker.answers.problems;
  }
}

/**
 * Rendered here, the body is UTF-8 once (written so by the direct emitter, else encoded), and api.ts is staged from
 * those bytes and the cache's entry written from them (api-types-file.ts, api-types-cache.ts): each encoded the text
 * on its own, after flattening its rope of members into a flat copy of its own (Stripe: 2.8 million characters, two
 * bytes each).
 */
async function render(spec: LoadedSpec): Promise<ApiTypes> {
  const { renderApiTypes } = await importRenderer();
  return withUtf8(await renderApiTypes(spec.document, spec.version, spec.apiTypesTraits));
}

async function lookUp(cacheDir: string, specFile: string, spec: LoadedSpec, specBytes?: Promise<Buffer>): Promise<Lookup> {
  const key = await apiTypesKey(specFile, spec.bundled !== true, specBytes);
  return { key, cached: key === undefined ? undefined : await readCachedApiTypes(cacheDir, key) };
}

