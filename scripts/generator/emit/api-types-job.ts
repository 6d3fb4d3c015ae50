/**
 * How generate() obtains api.ts (see api-types.ts for what it contains): from the cache when it holds this spec's
 * types (api-types-cache.ts), else rendered. With a second core a worker thread does all of it as soon as the spec's
 * path is known: it reads the spec itself, looks in the cache, renders on a miss and posts api.ts, and then validates
 * the spec too (the main thread builds the tools meanwhile, and writes api.ts while the worker validates). On one core a worker only adds work (a second
 * read of the spec, a second copy of the modules, time slices), so api.ts is rendered in this thread from the
 * document already read. The renderer and the cache are imported only when this thread uses them: never on two
 * cores, not the renderer on a cache hit (~7 ms of CPU).
 */
import { runWorker } from "../worker.ts";
import type { LoadedSpec } from "../spec/load.ts";
import type { ApiTypes } from "./api-types.ts";

export interface ApiTypesJobOptions {
  /** Render in a worker thread (there is a second core). */
  parallel: boolean;
  /** The cache's folder; none: always render. */
  cacheDir?: string | undefined;
  /** The spec file's bytes, when the caller reads them anyway (for the cache's key; else the key reads the file). */
  specBytes?: Promise<Buffer> | undefined;
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
  private readonly lookup: Promise<Lookup>;
  private rendered: Promise<ApiTypes> | undefined;
  /** The worker's validation of its copy of the spec, posted after api.ts. */
  private problems: Promise<readonly string[]> | undefined;

  /** On two cores starts the worker; on one, starts looking in the cache. `specFile`: the spec's path, to read it. */
  constructor(specFile: string, options: ApiTypesJobOptions) {
    this.specFile = specFile;
    this.cacheDir = options.cacheDir;
    if (options.parallel) {
      this.lookup = Promise.resolve({}); // the worker's own
      this.startWorker();
    } else {
      this.lookup = options.cacheDir === undefined ? Promise.resolve({}) : lookUp(options.cacheDir, specFile, options.specBytes);
    }
  }

  /** On one core, renders api.ts here unless cached: before validation, which dereferences the document in place. */
  async renderHere(spec: LoadedSpec): Promise<void> {
    if (this.rendered) return;
    const found = await this.lookup;
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
    const { key, cached } = await this.lookup;
    if (key !== undefined && this.cacheDir !== undefined && cached === undefined) {
      const { writeCachedApiTypes } = await import("./api-types-cache.ts");
      await writeCachedApiTypes(this.cacheDir, key, types);
    }
    return { types };
  }

  /** The worker looks in the cache (and writes to it) itself; it posts the types, then the spec's problems. */
  private startWorker(): void {
    const data = this.cacheDir === undefined ? { path: this.specFile } : { path: this.specFile, cacheDir: this.cacheDir };
    const [types, problems] = runWorker<[{ types: ApiTypes }, { problems: readonly string[] }]>(new URL("./api-types-worker.mjs", import.meta.url), data, 2);
    this.rendered = types.then((message) => message.types);
    this.problems = problems.then((message) => message.problems);
    // Awaited by types() and result(); an early failure must not be an unhandled rejection meanwhile.
    this.rendered.catch(() => {});
    this.problems.catch(() => {});
  }
}

async function render(spec: LoadedSpec): Promise<ApiTypes> {
  const { renderApiTypes } = await import("./api-types.ts");
  return renderApiTypes(spec.document, spec.version, spec.apiTypesTraits);
}

async function lookUp(cacheDir: string, specFile: string, specBytes?: Promise<Buffer>): Promise<Lookup> {
  const { apiTypesKey, readCachedApiTypes } = await import("./api-types-cache.ts");
  const key = await apiTypesKey(specFile, specBytes);
  return { key, cached: key === undefined ? undefined : await readCachedApiTypes(cacheDir, key) };
}

