/**
 * discovery.ts' index on two cores (scripts/generator/emit/api-types-protocol.ts): offered to the api.ts worker with
 * the mode and built by whichever thread claims it first. Whichever builds it, and when there is no worker (one core),
 * discovery.ts is the same file.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ApiTypesJob } from "../../scripts/generator/emit/api-types-job.ts";
import { buildSearchIndex } from "../../scripts/generator/emit/search-index-build.ts";
import { emitDiscovery, searchDocuments } from "../../scripts/generator/emit/search-index.ts";
import { generate, type GenerateResult } from "../../scripts/generator/index.ts";
import { ROOT } from "../helpers/corpus.ts";

// generate() asks node:os how many cores there are: a worker with two, none with one.
const cores = vi.hoisted(() => ({ available: 2 }));
vi.mock("node:os", async (original) => ({ ...(await original<typeof import("node:os")>()), availableParallelism: () => cores.available }));

const WORK = join(ROOT, ".cache", "test-discovery-index");
const CONFIG = join(WORK, "bridge.yaml");
const SPEC = join(ROOT, "openapi", "todo-api.yaml");

/** The project's bridge.yaml in `mode`, naming the spec where it is. */
async function writeConfig(path: string, mode: "static" | "discovery"): Promise<void> {
  const text = await readFile(join(ROOT, "bridge.yaml"), "utf8");
  await writeFile(path, text.replace(/^  spec: .*$/m, `  spec: ${SPEC}`).replace(/^tools:\n/m, `tools:\n  mode: ${mode}\n`));
}

beforeAll(async () => {
  await rm(WORK, { recursive: true, force: true });
  await mkdir(WORK, { recursive: true });
  await writeConfig(CONFIG, "discovery");
});

async function generated(available: number): Promise<GenerateResult> {
  cores.available = available;
  return generate({ configPath: CONFIG, outDir: join(WORK, "generated") });
}

const contentOf = (result: GenerateResult, name: string): string => result.files.find((file) => file.name === name)!.content;

describe("discovery.ts on two cores", () => {
  it("is the file one core writes, in the same place among the files, and staged after the others", async () => {
    const late: string[] = [];
    cores.available = 2;
    const twoCores = await generate({ configPath: CONFIG, outDir: join(WORK, "generated"), beforeValidation: (file) => void late.push(file.name) });
    const oneCore = await generated(1);
    expect(twoCores.report.mode.mode).toBe("discovery");
    expect(twoCores.files.map((file) => file.name)).toEqual(oneCore.files.map((file) => file.name));
    expect(contentOf(twoCores, "discovery.ts")).toBe(contentOf(oneCore, "discovery.ts"));
    expect(contentOf(twoCores, "discovery.ts")).toContain("index: \"{");
    // Given to beforeValidation, as api.ts is, rather than with the files emitted before it.
    expect(late.sort()).toEqual(["api.ts", "discovery.ts"]);
  });

  it("in static mode is emitted with the other files, and the worker is not kept waiting", async () => {
    await writeConfig(join(WORK, "static.yaml"), "static");
    const late: string[] = [];
    cores.available = 2;
    const result = await generate({ configPath: join(WORK, "static.yaml"), outDir: join(WORK, "generated"), beforeValidation: (file) => void late.push(file.name) });
    expect(contentOf(result, "discovery.ts")).toContain("DiscoveryDefinition | undefined = undefined");
    expect(late).toEqual(["api.ts"]);
  });
});

describe("the index offered to the api.ts worker", () => {
  const documentsOf = async () => searchDocuments((await generated(1)).model.tools);

  it("built by the worker when it claims it first is what this thread builds, and what discovery.ts holds", async () => {
    const documents = await documentsOf();
    const job = new ApiTypesJob(SPEC, { parallel: true, offersSearchDocuments: true });
    expect(job.offerSearchDocuments(documents)).toBe(true);
    expect((await job.result()).problems).toEqual([]);
    // The worker claims the index right after posting the spec's problems: give it time to.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const fromWorker = job.searchIndex();
    expect(fromWorker).toBeDefined();
    expect(await fromWorker).toBe(buildSearchIndex(documents, true));
    const { model } = await generated(1);
    expect(emitDiscovery(model, "x", "discovery", await fromWorker)).toBe(emitDiscovery(model, "x", "discovery"));
  });

  it("is left to this thread when it claims it first (the worker then builds nothing and ends)", async () => {
    const job = new ApiTypesJob(SPEC, { parallel: true, offersSearchDocuments: true });
    expect(job.offerSearchDocuments(await documentsOf())).toBe(true);
    expect(job.searchIndex()).toBeUndefined();
    expect((await job.result()).problems).toEqual([]);
  });

  it("is refused without a worker, or by a job not told to expect it (the worker would not wait), and offered once", async () => {
    const documents = await documentsOf();
    expect(new ApiTypesJob(SPEC, { parallel: false, offersSearchDocuments: true }).offerSearchDocuments(documents)).toBe(false);
    const unexpected = new ApiTypesJob(SPEC, { parallel: true });
    expect(unexpected.offerSearchDocuments(documents)).toBe(false);
    expect(unexpected.searchIndex()).toBeUndefined();
    await unexpected.result();
    const job = new ApiTypesJob(SPEC, { parallel: true, offersSearchDocuments: true });
    expect(job.offerSearchDocuments()).toBe(false);
    expect(job.offerSearchDocuments(documents)).toBe(false);
    expect(job.searchIndex()).toBeUndefined();
    await job.result();
  });
});
