/**
 * npm run generate -- [--config <bridge.yaml>] [--out <dir>] [--check] [--verbose]
 *
 * Writes generated/ from bridge.yaml and the API description. `--check` writes nothing and exits 1 when any file
 * would change (CI runs it). Exit codes: 0 done, 1 out of date, 2 invalid bridge.yaml or spec.
 */
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { runCli } from "./cli.ts";
import { generate, type GeneratedFile } from "./generator/index.ts";
import { formatReport } from "./generator/report.ts";
import { staleFiles, writeFiles } from "./generator/stale.ts";

const USAGE = "usage: npm run generate -- [--config <bridge.yaml>] [--out <dir>] [--check] [--verbose]";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      config: { type: "string", default: "bridge.yaml" },
      out: { type: "string", default: "generated" },
      check: { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const outDir = values.out;
  const result = await generate({
    configPath: values.config,
    outDir,
    onProgress: (done, total) => {
      if (total >= 200 && (done === total || done % 250 === 0)) process.stderr.write(`  built ${done}/${total} operations\n`);
    },
  });
  if (values.check) return check(result.files, outDir);
  await writeFiles(result.files, outDir);
  console.log(formatReport(result.report, result.specLabel, relative(process.cwd(), outDir) || ".", values.verbose));
  return 0;
}

async function check(files: readonly GeneratedFile[], outDir: string): Promise<number> {
  const stale = await staleFiles(files, outDir);
  if (stale.length === 0) {
    console.log(`${outDir}/ is up to date (${files.length} files)`);
    return 0;
  }
  console.error(`${outDir}/ is out of date; run \`npm run generate\` and commit the result:`);
  for (const { path, state } of stale) console.error(`  ${path} (${state})`);
  return 1;
}

runCli(main, USAGE);
