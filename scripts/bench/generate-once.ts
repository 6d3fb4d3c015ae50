/**
 * One timed generator run (for bench/generate.ts): `generate-once.ts <bridge.yaml> <outDir>` prints JSON. Like the
 * CLI, with Node's compile cache on before the generator loads; unlike it, without the api.ts cache.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { useCompileCache } from "../generator/caches.ts";

useCompileCache();
const { generate } = await import("../generator/index.ts");

const [config, outDir] = process.argv.slice(2) as [string, string];
const start = performance.now();
const result = await generate({ configPath: config, outDir });
for (const file of result.files) await writeFile(join(outDir, file.name), file.content);
const wallMs = performance.now() - start;
console.log(
  JSON.stringify({
    wallMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    phases: result.timings,
    files: result.files.map((f) => ({ name: f.name, bytes: Buffer.byteLength(f.content) })),
    listing: result.report.listing,
    tools: result.report.tools,
    skipped: result.report.skipped.length,
    text: result.report.text,
  }),
);
