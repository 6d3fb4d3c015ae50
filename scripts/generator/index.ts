/**
 * The generator: bridge.yaml + the API description → the files of `generated/`.
 *
 *   check bridge.yaml and the spec together (check.ts: every problem at once) → emit each file from the model
 *   → validate the spec (on two cores, in the worker that renders api.ts, once it has)
 *
 * Nothing here writes to disk: the CLI (scripts/generate.ts) writes or compares the files, so tests can generate
 * into memory.
 */
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkInputs } from "./check.ts";
import { ConfigError, configDiagnostic, type ConfigDiagnostic, type Locatable } from "./config/errors.ts";
import { apiTypesGeneratedFile } from "./emit/api-types-file.ts";
import { ApiTypesJob } from "./emit/api-types-job.ts";
import { emitBridgeSchema } from "./emit/bridge-schema.ts";
import { UnresolvableAuth } from "./emit/auth-config.ts";
import { BaseUrlMissing, emitConfig } from "./emit/config.ts";
import { emitDocs } from "./emit/docs.ts";
import { chooseMode } from "./emit/mode.ts";
import { emitPolicy } from "./emit/policy.ts";
import { emitDiscovery, searchDocuments } from "./emit/search-index.ts";
import { buildSearchIndex, type SearchDocument } from "./emit/search-index-build.ts";
import { textOf, type Printed } from "./emit/literal.ts";
import { emitTools } from "./emit/tools.ts";
import type { Model } from "./model/types.ts";
import { listingSize, type Report } from "./report.ts";
import { throwIfInvalid, validateSpec } from "./spec/load.ts";
import { Timings, type Phase } from "./timings.ts";

/** The project root, where `src/` lives: generated files import the runtime's types from there. */
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface GenerateOptions {
  /** Path of bridge.yaml, as the user wrote it (messages show it like that). */
  configPath: string;
  /** Directory the files are meant for (only used to compute import paths). */
  outDir: string;
  /** Progress for large specs (operations built / total). */
  onProgress?: (done: number, total: number) => void;
  /** Told the name of each phase as it starts. */
  onPhase?: (name: string) => void;
  /**
   * Where api.ts and bridge.schema.json may be kept between runs (emit/api-types-cache.ts, emit/bridge-schema.ts);
   * none: both are always rendered, and nothing is written.
   */
  cacheDir?: string | undefined;
  /**
   * Given every file but api.ts once they are emitted, before api.ts and the spec's validation are awaited: on two
   * cores the worker is often still busy then (Kubernetes: ~0.25 s), and the CLI writes or compares the files
   * meanwhile. The spec is not yet known to be valid: nothing may be put in place before generate() returns.
   */
  beforeApiTypes?: (files: readonly GeneratedFile[]) => void | Promise<void>;
  /**
   * Given api.ts once it is made, before the spec's validation is awaited: on two cores the worker posts api.ts and
   * then validates (Kubernetes: ~0.1 s), and the CLI writes or compares api.ts meanwhile. Given discovery.ts too when
   * it was not among beforeApiTypes' files (on two cores in discovery mode, its index built after them, by this thread
   * or by the worker). As with beforeApiTypes, the spec is not yet known to be valid.
   */
  beforeValidation?: (file: GeneratedFile) => void | Promise<void>;
}

export interface GeneratedFile {
  /** File name inside the output directory. */
  name: string;
  content: string;
  /**
   * The content in parts, text and blocks of text (see emit/literal.ts' TextBlock), when the emitter made it so
   * (tools.ts, whose `content` is then joined only when read). Writing these one by one never builds the whole text:
   * Stripe's tools.ts is 21 million characters, a few of them beyond Latin-1, so V8 holds it two bytes per character
   * (42 MB at the run's peak). They may be printed only as they are iterated (tools.ts' are), each time.
   */
  parts?: Iterable<Printed>;
}

export interface GenerateResult {
  files: GeneratedFile[];
  model: Model;
  report: Report;
  /** The spec path for messages: absolute when configPath is, else relative to the working directory. */
  specLabel: string;
  /** Wall time of each phase, in milliseconds, in order. */
  timings: readonly Phase[];
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const jobs: { apiTypes?: ApiTypesJob } = {};
  try {
    return await generateWith(options, jobs);
  } finally {
    // The worker waits for one offer of the index's documents after validating: nothing, when none was made.
    jobs.apiTypes?.offerSearchDocuments();
  }
}

async function generateWith(options: GenerateOptions, jobs: { apiTypes?: ApiTypesJob }): Promise<GenerateResult> {
  const timings = new Timings(options.onPhase);
  // api.ts (emit/api-types-job.ts): looked up in the cache, and on two cores rendered in a worker, from the moment the
  // spec's path is known.
  // The worker may build discovery.ts' index too: generate() offers it the documents, or nothing, in any case.
  const jobOptions = { parallel: availableParallelism() > 1, cacheDir: options.cacheDir, offersSearchDocuments: true };
  // The spec file is read once, for the api.ts cache's key and for parsing.
  let specBytes: Promise<Buffer> | undefined;
  const readSpec = (label: string): Promise<Buffer> => (specBytes ??= readFile(label));
  const checked = await checkInputs(
    {
      configPath: options.configPath,
      ...(options.onProgress && { onProgress: options.onProgress }),
      onSpec: (label: string) => (jobs.apiTypes = new ApiTypesJob(label, { ...jobOptions, specBytes: readSpec(label) })),
      // On one core the cache's lookup starts once the spec's read says whether it references other files.
      onSpecRead: (spec) => jobs.apiTypes?.specRead(spec),
      readSpec,
      // On one core api.ts is rendered in this thread from the document read here (api-types-job.ts).
      apiTypesTraits: !jobOptions.parallel,
    },
    timings,
  );
  // Both readers have it by now: the 13 MB of a large spec need not live until the run ends.
  specBytes = undefined;
  const { loaded, spec, specLabel } = checked;
  const model: Model = { ...checked.built.core, config: loaded.config };
  let result: GenerateResult;
  let discoveryLater: ((indexLiteral?: string) => GeneratedFile) | undefined;
  try {
    ({ discoveryLater, ...result } = emitFiles(model, loaded, specLabel, options, timings, checked.findings.warnings, jobs.apiTypes));
  } catch (error) {
    // An invalid spec can break emission in any way: its validation report is the useful error.
    await validateSpec(spec);
    throw error;
  }
  await options.beforeApiTypes?.(result.files);
  const job = (jobs.apiTypes ??= new ApiTypesJob(specLabel, jobOptions));
  // discovery.ts's index, offered to the worker with the mode: built here unless the worker took it first.
  const workerIndex = discoveryLater && job.searchIndex();
  let discoveryFile: GeneratedFile | undefined;
  if (discoveryLater && !workerIndex) {
    discoveryFile = timings.timeSync("emit discovery.ts", () => discoveryLater());
    await options.beforeValidation?.(discoveryFile);
  }
  // On one core, rendered before validation, which dereferences the document in place.
  if (!jobOptions.parallel) await timings.time("render api.ts", () => job.renderHere(spec));
  // On two cores the worker validates its own copy once api.ts is rendered; a worker that failed leaves it to here,
  // so that an invalid spec is reported as such rather than as the worker's failure.
  const validateHere = async (error: unknown): Promise<never> => {
    await validateSpec(spec);
    throw error;
  };
  const types = await timings.time("wait for api.ts", () => job.types()).catch(validateHere);
  const apiFile = apiTypesGeneratedFile(types, loaded.config.api.spec);
  await options.beforeValidation?.(apiFile);
  if (discoveryLater && workerIndex) {
    // A worker that failed before posting it leaves the index to this thread (the same bytes).
    const index = await timings.time("wait for the index", () => workerIndex).catch(() => undefined);
    discoveryFile = timings.timeSync("emit discovery.ts", () => discoveryLater(index));
    await options.beforeValidation?.(discoveryFile);
  }
  // The worker posts api.ts before it validates; here, api.ts rendered on this thread is written to the cache.
  const outcome = await timings.time(jobOptions.parallel ? "wait for validation" : "cache api.ts", () => job.result()).catch(validateHere);
  if (outcome.problems) throwIfInvalid(spec.path, outcome.problems);
  else await timings.time("validate spec", () => validateSpec(spec));
  if (types.notice) result.report.notices.push(types.notice);
  if (discoveryFile) result.files.push(discoveryFile); // the last file
  result.files.splice(API_TYPES_POSITION, 0, apiFile);
  return result;
}

/**
 * A file given in parts, its content joined when first read. Made out here, so that the getter keeps only the parts
 * alive: a closure made in emitFiles would keep its whole scope, the listings included, until the files are written.
 */
function partsFile(name: string, parts: Iterable<Printed>): GeneratedFile {
  let content: string | undefined;
  return {
    name,
    parts,
    get content() {
      if (content === undefined) {
        content = "";
        for (const part of parts) content += textOf(part);
      }
      return content;
    },
  };
}

/**
 * discovery.ts once its index is known, built here from the documents already made when this thread claimed it or
 * the worker failed. Made out here for the reason partsFile is: a closure made in emitFiles would keep the listings.
 */
function laterDiscoveryFile(model: Model, typesImport: string, documents: readonly SearchDocument[]): (indexLiteral?: string) => GeneratedFile {
  return (indexLiteral = buildSearchIndex(documents, true)) => ({ name: "discovery.ts", content: emitDiscovery(model, typesImport, "discovery", indexLiteral) });
}

/** Where api.ts sits in the file list (the order files are written and reported in). */
const API_TYPES_POSITION = 3;

function emitFiles(
  model: Model,
  loaded: Locatable,
  specLabel: string,
  options: GenerateOptions,
  timings: Timings,
  warnings: ConfigDiagnostic[],
  apiTypes: ApiTypesJob | undefined,
): GenerateResult & { discoveryLater?: (indexLiteral?: string) => GeneratedFile } {
  const importFrom = (target: string): string => {
    const path = relative(resolve(options.outDir), resolve(PROJECT_ROOT, target)).replaceAll("\\", "/");
    return path.startsWith(".") ? path : `./${path}`;
  };
  const notices = model.notices;
  const mode = timings.timeSync("choose mode", () => chooseMode(model));
  // In discovery mode on two cores the index's documents go to the worker at once: the index is built by whichever
  // thread is free first (emit/api-types-protocol.ts), and discovery.ts comes after the other files.
  const discoveryImport = importFrom("src/discovery/types.ts");
  const documents = mode.mode === "discovery" && apiTypes?.takesSearchDocuments() === true ? timings.timeSync("search documents", () => searchDocuments(model.tools)) : undefined;
  const offered = documents !== undefined && apiTypes!.offerSearchDocuments(documents);
  if (mode.mode === "static") apiTypes?.offerSearchDocuments();
  const tools = timings.timeSync("emit tools.ts", () => emitTools(model, importFrom("src/tools/types.ts"), notices, mode.listing));
  const discovery = offered ? undefined : timings.timeSync("emit discovery.ts", () => emitDiscovery(model, discoveryImport, mode.mode));
  let config: string;
  try {
    config = emitConfig(model, importFrom("src/config/runtime.ts"));
  } catch (error) {
    if (error instanceof UnresolvableAuth) throw new ConfigError(error.problems.map((p) => configDiagnostic(loaded, p.at, p.message)));
    if (!(error instanceof BaseUrlMissing)) throw error;
    throw new ConfigError([configDiagnostic(loaded, ["api"], error.message, "key")]);
  }
  const policy = emitPolicy(model, importFrom("src/policy/types.ts"));
  const docs = timings.timeSync("emit TOOLS.md", () => emitDocs(model, mode.mode));
  const files: GeneratedFile[] = [
    partsFile("tools.ts", tools.parts),
    { name: "policy.ts", content: policy },
    { name: "config.ts", content: config },
    { name: "TOOLS.md", content: docs },
    { name: "bridge.schema.json", content: emitBridgeSchema(options.cacheDir) },
    ...(discovery === undefined ? [] : [{ name: "discovery.ts", content: discovery }]),
  ];
  const report: Report = {
    tools: model.tools.length,
    skipped: model.skipped,
    excluded: model.excluded.length,
    notices,
    warnings,
    listing: mode.staticSize ?? listingSize(tools.listed),
    budgetTokens: model.config.tools.listBudgetTokens,
    text: mode.staticText ?? tools.text,
    mode: { mode: mode.mode, reason: mode.reason, ...(mode.discoverySize && { listing: mode.discoverySize }) },
  };
  const result = { files, model, report, specLabel, timings: timings.phases };
  return offered ? { ...result, discoveryLater: laterDiscoveryFile(model, discoveryImport, documents) } : result;
}
