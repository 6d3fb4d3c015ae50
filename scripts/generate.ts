/**
 * npm run generate -- [--config <bridge.yaml>] [--out <dir>] [--check] [--strict] [--verbose]
 *
 * Writes generated/ from bridge.yaml and the API description. `--check` writes nothing and exits 1 when any file
 * would change (CI runs it). `--strict` treats the summary's warnings (e.g. tools anyone signed in may call) as
 * failures: it writes nothing and exits 1. Exit codes: 0 done, 1 out of date or a warning under --strict,
 * 2 invalid bridge.yaml or spec.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { runCli } from "./cli.ts";
import { generate, type GeneratedFile } from "./generator/index.ts";
import { formatReport, warningCount } from "./generator/report.ts";

const USAGE = "usage: npm run generate -- [--config <bridge.yaml>] [--out <dir>] [--check] [--strict] [--verbose]";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      config: { type: "string", default: "bridge.yaml" },
      out: { type: "string", default: "generated" },
      check: { type: "boolean", default: false },
      strict: { type: "boolean", default: false },
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
  const summary = formatReport(result.report, result.specLabel, relative(process.cwd(), outDir) || ".", values.verbose);
  const warnings = warningCount(result.report);
  if (values.strict && warnings > 0) {
    console.error(`${summary}\n--strict: ${warnings} warning${warnings === 1 ? "" : "s"} above; nothing was written`);
    return 1;
  }
  if (values.check) return check(result.files, outDir);
  await mkdir(outDir, { recursive: true });
  for (const file of result.files) await writeFile(join(outDir, file.name), file.content);
  console.log(summary);
  return 0;
}

async function check(files: readonly GeneratedFile[], outDir: string): Promise<number> {
  const stale: string[] = [];
  for (const file of files) {
    const path = join(outDir, file.name);
    const current = await readFile(path, "utf8").catch(() => undefined);
    if (current === undefined) stale.push(`${path} (missing)`);
    else if (current !== file.content) stale.push(`${path} (differs)`);
  }
  if (stale.length === 0) {
    console.log(`${outDir}/ is up to date (${files.length} files)`);
    return 0;
  }
  console.error(`${outDir}/ is out of date; run \`npm run generate\` and commit the result:`);
  for (const line of stale) console.error(`  ${line}`);
  return 1;
}

runCli(main, USAGE);
