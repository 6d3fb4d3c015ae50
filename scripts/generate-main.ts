/**
 * npm run generate -- [--config <bridge.yaml>] [--out <dir>] [--check] [--strict] [--verbose] [--no-cache]
 *
 * Writes generated/ from bridge.yaml and the API description. `--check` writes nothing and exits 1 when any file
 * would change (CI runs it). `--strict` treats the summary's warnings (e.g. tools anyone signed in may call) as
 * failures: it writes nothing and exits 1. Exit codes: 0 done; 1 invalid bridge.yaml or spec, out of date, or a
 * warning under --strict; 2 a command-line mistake.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { enterUserCwd, outDirFor, projectPath, runCli } from "./cli.ts";
import { apiTypesCacheDir } from "./generator/caches.ts";
import { generate, type GeneratedFile } from "./generator/index.ts";
import { terminalProgress } from "./generator/progress.ts";
import { formatReport, warningCount } from "./generator/report.ts";
import { stageFiles, staleFiles, writeFiles, type StaleFile, type StagedFiles } from "./generator/stale.ts";

const USAGE = `usage: npm run generate -- [--config <bridge.yaml>] [--out <dir>] [--check] [--strict] [--verbose] [--no-cache]

Writes <dir> (default: generated/ next to <bridge.yaml>) from <bridge.yaml> (default: the project's) and the API
description it names, and prints a summary: the tools, the operations left out or skipped, what tools/list costs.
  --check     write nothing; exit 1 naming each file that differs from what would be written
  --strict    treat the summary's warnings (e.g. tools anyone signed in may call) as failures: exit 1, write nothing
  --verbose   list every notice (the first 15 otherwise)
  --no-cache  render api.ts and bridge.schema.json even when node_modules/.cache/mcp-bridge/ holds them (so does
              MCP_BRIDGE_NO_CACHE=1)
Exit codes: 0 done, 1 invalid bridge.yaml or spec, out of date (--check) or a warning (--strict), 2 a command-line
mistake.`;

async function main(): Promise<number> {
  enterUserCwd("generate");
  const { values } = parseArgs({
    options: {
      config: { type: "string" },
      out: { type: "string" },
      check: { type: "boolean", default: false },
      strict: { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      "no-cache": { type: "boolean", default: false },
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
  const progress = terminalProgress(process.stderr);
  // The files ready before api.ts are written under temporary names (or compared) while the spec is validated.
  let staged: StagedFiles | undefined;
  let comparedBefore: Promise<Compared> | undefined;
  let result;
  try {
    result = await generate({
      configPath,
      outDir,
      cacheDir: apiTypesCacheDir(values["no-cache"], process.env),
      beforeApiTypes: (files) => {
        if (values.check) comparedBefore = compareSoon(files, outDir);
        else staged = stageFiles(files, outDir);
      },
      // api.ts, posted by the api.ts worker before it validates the spec.
      beforeValidation: (file) => {
        if (values.check) comparedBefore = compareSoon([file], outDir, comparedBefore);
        else staged?.add([file]);
      },
      ...(progress && { onProgress: progress.operations, onPhase: progress.phase }),
    });
  } catch (error) {
    staged?.discard();
    await comparedBefore?.catch(() => {});
    throw error;
  } finally {
    progress?.done();
  }
  // The command that fixes a stale folder, with the user's own paths when they gave any.
  const rerun =
    values.config === undefined && values.out === undefined ? "npm run generate" : `npm run generate -- --config ${configPath} --out ${outDir}`;
  const summary = formatReport(result.report, result.specLabel, outDir, values.verbose);
  const warnings = warningCount(result.report);
  if (values.strict && warnings > 0) {
    staged?.discard();
    console.error(`${summary}\n--strict: ${warnings} warning${warnings === 1 ? "" : "s"} above; nothing was written`);
    return 1;
  }
  if (values.check) return check(result.files, outDir, rerun, await comparedBefore);
  await writeFiles(result.files, outDir, staged);
  console.log(summary);
  return 0;
}

/** Files compared already (while the spec was validated), and those of them found stale. */
interface Compared {
  names: ReadonlySet<string>;
  stale: StaleFile[];
}

/** Compares `files` with the disk, after and together with those compared `before`. */
async function compareSoon(files: readonly GeneratedFile[], outDir: string, before?: Promise<Compared>): Promise<Compared> {
  const earlier = await before;
  const stale = await staleFiles(files, outDir);
  return { names: new Set([...(earlier?.names ?? []), ...files.map((file) => file.name)]), stale: [...(earlier?.stale ?? []), ...stale] };
}

async function check(files: readonly GeneratedFile[], outDir: string, rerun: string, compared?: Compared): Promise<number> {
  const rest = await staleFiles(compared ? files.filter((file) => !compared.names.has(file.name)) : files, outDir);
  const found = new Map([...(compared?.stale ?? []), ...rest].map((file) => [file.path, file]));
  // In the files' order, as one comparison would list them.
  const stale = files.flatMap((file) => found.get(join(outDir, file.name)) ?? []);
  if (stale.length === 0) {
    console.log(`${outDir}/ is up to date (${files.length} files)`);
    return 0;
  }
  console.error(`${outDir}/ is out of date; run \`${rerun}\` and commit the result:`);
  for (const { path, state } of stale) console.error(`  ${path} (${state})`);
  return 1;
}

runCli(main, USAGE);
