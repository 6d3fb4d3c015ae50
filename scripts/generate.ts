/**
 * npm run generate -- [--config <bridge.yaml>] [--out <dir>] [--check] [--verbose]
 *
 * Writes generated/ from bridge.yaml and the API description. `--check` writes nothing and exits 1 when any file
 * would change (CI runs it). Exit codes: 0 done, 1 out of date, 2 invalid bridge.yaml or spec.
 */
import { parseArgs } from "node:util";
import { enterUserCwd, outDirFor, projectPath, runCli } from "./cli.ts";
import { generate, type GeneratedFile } from "./generator/index.ts";
import { formatReport } from "./generator/report.ts";
import { staleFiles, writeFiles } from "./generator/stale.ts";

const USAGE = `usage: npm run generate -- [--config <bridge.yaml>] [--out <dir>] [--check] [--verbose]

Writes <dir> (default: generated/ next to <bridge.yaml>) from <bridge.yaml> (default: the project's) and the API
description it names, and prints a summary: the tools, the operations left out or skipped, what tools/list costs.
  --check     write nothing; exit 1 naming each file that differs from what would be written
  --verbose   list every notice (the first 15 otherwise)
Exit codes: 0 done, 1 out of date (--check), 2 invalid bridge.yaml, spec or command line.`;

async function main(): Promise<number> {
  enterUserCwd("generate");
  const { values } = parseArgs({
    options: {
      config: { type: "string" },
      out: { type: "string" },
      check: { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const configPath = values.config ?? projectPath("bridge.yaml");
  const outDir = values.out ?? outDirFor(values.config);
  const result = await generate({
    configPath,
    outDir,
    onProgress: (done, total) => {
      if (total >= 200 && (done === total || done % 250 === 0)) process.stderr.write(`  built ${done}/${total} operations\n`);
    },
  });
  // The command that fixes a stale folder, with the user's own paths when they gave any.
  const rerun =
    values.config === undefined && values.out === undefined ? "npm run generate" : `npm run generate -- --config ${configPath} --out ${outDir}`;
  if (values.check) return check(result.files, outDir, rerun);
  await writeFiles(result.files, outDir);
  console.log(formatReport(result.report, result.specLabel, outDir, values.verbose));
  return 0;
}

async function check(files: readonly GeneratedFile[], outDir: string, rerun: string): Promise<number> {
  const stale = await staleFiles(files, outDir);
  if (stale.length === 0) {
    console.log(`${outDir}/ is up to date (${files.length} files)`);
    return 0;
  }
  console.error(`${outDir}/ is out of date; run \`${rerun}\` and commit the result:`);
  for (const { path, state } of stale) console.error(`  ${path} (${state})`);
  return 1;
}

runCli(main, USAGE);
