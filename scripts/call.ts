/**
 * npm run call -- [--config <bridge.yaml>] [--out <dir>] --tool <name> [--args '<json>'] --dry-run
 *
 * Shows the exact HTTP request a tool call would make (without credentials: those are added by the runtime's auth
 * adapter), or why the arguments are invalid. It generates the bridge in memory first, so it reflects the current
 * bridge.yaml and spec even before `npm run generate`.
 * Exit codes: 0 printed, 1 invalid arguments or unknown tool, 2 invalid bridge.yaml or spec or usage.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { validateArguments } from "../src/tools/arguments.ts";
import { buildRequest, RequestBuildError } from "../src/tools/request.ts";
import { renderRequest } from "./render-request.ts";
import { toolBaseUrl } from "../src/tools/servers.ts";
import type { ToolDefinition } from "../src/tools/types.ts";
import type { RuntimeConfig } from "../src/config/runtime.ts";
import { enterUserCwd, outDirFor, projectPath, runCli, UsageError } from "./cli.ts";
import { didYouMeanOrChoices } from "./generator/config/suggest.ts";
import { generate, type GenerateResult } from "./generator/index.ts";
import { writeFiles } from "./generator/stale.ts";

const USAGE = `usage: npm run call -- [--config <bridge.yaml>] [--out <dir>] --tool <name> [--args '<json>'] --dry-run

Prints the exact HTTP request a tool call makes (without credentials, which the Worker adds), or names each wrong
argument. The bridge is generated in memory from <bridge.yaml> (default: the project's bridge.yaml), so the request
follows bridge.yaml and the spec as they are now. <dir> is where \`npm run generate\` wrote that bridge (default:
generated/ next to bridge.yaml), for its TOOLS.md.`;
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

async function main(): Promise<number> {
  enterUserCwd("call");
  const { values } = parseArgs({
    options: {
      config: { type: "string" },
      out: { type: "string" },
      tool: { type: "string" },
      args: { type: "string", default: "{}" },
      "dry-run": { type: "boolean", default: false },
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
  if (!values.tool) throw new UsageError("--tool is required");
  if (!values["dry-run"]) {
    throw new UsageError("only --dry-run is available: calls with credentials go through the deployed bridge");
  }
  const args = parseJsonArgs(values.args);
  const { tools, config, generated } = await loadBridge(configPath);
  const tool = tools.find((t) => t.name === values.tool || t.operationId === values.tool);
  if (!tool) {
    console.error(`${unknownTool(values.tool, tools, generated)}\n${await toolsDoc(outDir, generated, configPath)}`);
    return 1;
  }
  const checked = validateArguments(tool, args);
  if (!checked.ok) {
    console.error(`invalid arguments for ${tool.name}:\n${checked.problems.map((p) => `  ${p}`).join("\n")}`);
    return 1;
  }
  const baseUrl = (config.api.baseUrlEnv && process.env[config.api.baseUrlEnv]) || config.api.baseUrl;
  if (!baseUrl) throw new UsageError(`set ${config.api.baseUrlEnv} to the API's base URL`);
  try {
    console.log(await renderRequest(buildRequest(tool.http, checked.args, toolBaseUrl(tool.http, baseUrl, process.env))));
  } catch (error) {
    if (!(error instanceof RequestBuildError)) throw error;
    console.error(`invalid arguments for ${tool.name}:\n  ${error.message}`);
    return 1;
  }
  return 0;
}

function parseJsonArgs(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--args is not JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new UsageError("--args must be a JSON object");
  return value as Record<string, unknown>;
}

/**
 * Why `name` is no tool: an operation bridge.yaml's tools.include / tools.exclude left out, one the generator skipped,
 * or a name that does not exist (with the closest tool or the list of them).
 */
function unknownTool(name: string, tools: readonly ToolDefinition[], generated: GenerateResult): string {
  const excluded = generated.model.excluded.find((op) => op.name === name || op.operation === name);
  if (excluded) {
    return `"${name}" is not a tool of this bridge: operation ${excluded.operation} (${excluded.pointer}) is left out by tools.include / tools.exclude in bridge.yaml`;
  }
  const skipped = generated.model.skipped.find((op) => op.operation === name);
  if (skipped) return `"${name}" is not a tool of this bridge: operation ${skipped.operation} (${skipped.pointer}) was skipped: ${skipped.reason}`;
  return `unknown tool "${name}"${didYouMeanOrChoices(name, tools.map((t) => t.name))}`;
}

/** Where the bridge's tools are documented: `<out>/TOOLS.md` when it is this bridge.yaml's, else how to write it. */
async function toolsDoc(outDir: string, generated: GenerateResult, configPath: string): Promise<string> {
  const path = join(outDir, "TOOLS.md");
  const current = await readFile(path, "utf8").catch(() => undefined);
  const expected = generated.files.find((file) => file.name === "TOOLS.md")?.content;
  if (current !== undefined && current === expected) return `see ${path} for every tool, its parameters and scopes`;
  const command = `npm run generate -- --config ${configPath} --out ${outDir}`;
  return `${path} ${current === undefined ? "does not exist" : "is not this bridge.yaml's as it is now"}: \`${command}\` writes it`;
}

/** Generates into a cache folder inside the project (so generated imports resolve) and loads the result. */
async function loadBridge(configPath: string): Promise<{ tools: readonly ToolDefinition[]; config: RuntimeConfig; generated: GenerateResult }> {
  const key = createHash("sha256").update(resolve(configPath)).digest("hex").slice(0, 12);
  const outDir = join(PROJECT_ROOT, ".cache", "call", key);
  const result = await generate({ configPath, outDir });
  await writeFiles(result.files, outDir);
  // A query string makes Node load this run's files even if an earlier run in this process loaded others.
  const version = `?v=${Date.now()}`;
  const { tools } = (await import(pathToFileURL(join(outDir, "tools.ts")).href + version)) as { tools: readonly ToolDefinition[] };
  const { config } = (await import(pathToFileURL(join(outDir, "config.ts")).href + version)) as { config: RuntimeConfig };
  return { tools, config, generated: result };
}

runCli(main, USAGE);
