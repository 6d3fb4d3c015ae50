/**
 * One timed generator run (for bench/generate.ts): `generate-once.ts <bridge.yaml> <outDir>` prints JSON. Like the
 * CLI, with TurboFan held back (generator/jit.mjs) and Node's compile cache on before the generator loads, and the
 * files written as the CLI writes them: every file but api.ts staged while api.ts is awaited, then the rest (so the
 * peak RSS and the phases are the CLI's); unlike it, without the api.ts cache.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { useCompileCache } from "../generator/caches.ts";
import { holdBackTurbofan } from "../generator/jit.mjs";

holdBackTurbofan();
useCompileCache();
const { generate } = await import("../generator/index.ts");
const { stageFiles, writeFiles } = await import("../generator/stale.ts");

const [config, outDir] = process.argv.slice(2) as [string, string];
const start = performance.now();
let staged: ReturnType<typeof stageFiles> | undefined;
let stagingMs = 0;
let stagingApiMs = 0;
const result = await generate({
  configPath: config,
  outDir,
  beforeApiTypes: (files) => {
    const staging = performance.now();
    const cpu0 = process.cpuUsage();
    staged = stageFiles(files, outDir);
    const cpu1 = process.cpuUsage(cpu0);
    (globalThis as any).stageCpu = (cpu1.user + cpu1.system) / 1000;
    stagingMs = performance.now() - staging;
  },
  // api.ts, and discovery.ts when its index was built after the other files (two cores, discovery mode).
  beforeValidation: (file) => {
    const staging = performance.now();
    staged?.add([file]);
    stagingApiMs += performance.now() - staging;
  },
});
const written = performance.now();
await writeFiles(result.files, outDir, staged);
const wallMs = performance.now() - start;
// Staging happens between the emitters and api.ts: listed there, so the phases read in the order they ran.
const afterEmitters = result.timings.findIndex((phase) => phase.name === "render api.ts" || phase.name === "wait for api.ts");
const phases = [...result.timings, { name: "write files", ms: performance.now() - written }];
phases.splice(afterEmitters < 0 ? result.timings.length : afterEmitters, 0, { name: "stage files", ms: stagingMs });
const afterApiTypes = phases.findIndex((phase) => phase.name === "wait for validation" || phase.name === "cache api.ts");
phases.splice(afterApiTypes < 0 ? phases.length - 1 : afterApiTypes, 0, { name: "stage api.ts", ms: stagingApiMs });
console.log(
  JSON.stringify({
    wallMs, stageCpu: (globalThis as any).stageCpu,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    phases,
    files: await Promise.all(result.files.map(async (f) => ({ name: f.name, bytes: (await stat(join(outDir, f.name))).size }))),
    listing: result.report.listing,
    tools: result.report.tools,
    skipped: result.report.skipped.length,
    text: result.report.text,
  }),
);
