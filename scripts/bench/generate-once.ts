/**
 * One timed generator run (for bench/generate.ts): `generate-once.ts <bridge.yaml> <outDir>` prints JSON. Like the
 * CLI, with TurboFan held back (generator/jit.mjs) and Node's compile cache on before the generator loads and the
 * files written as the CLI writes them (so the peak RSS is the CLI's); unlike it, without the api.ts cache.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { useCompileCache } from "../generator/caches.ts";
import { holdBackTurbofan } from "../generator/jit.mjs";

holdBackTurbofan();
useCompileCache();
const { generate } = await import("../generator/index.ts");
const { writeFiles } = await import("../generator/stale.ts");

const [config, outDir] = process.argv.slice(2) as [string, string];
const start = performance.now();
const result = await generate({ configPath: config, outDir });
const written = performance.now();
await writeFiles(result.files, outDir);
const wallMs = performance.now() - start;
const phases = [...result.timings, { name: "write files", ms: performance.now() - written }];
console.log(
  JSON.stringify({
    wallMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    phases,
    files: await Promise.all(result.files.map(async (f) => ({ name: f.name, bytes: (await stat(join(outDir, f.name))).size }))),
    listing: result.report.listing,
    tools: result.report.tools,
    skipped: result.report.skipped.length,
    text: result.report.text,
  }),
);
