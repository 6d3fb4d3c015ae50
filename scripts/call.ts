/**
 * npm run call -- --config <bridge.yaml> --tool <name> --args '<json>' --dry-run
 *
 * Shows the exact HTTP request a tool call would make (without credentials: those are added by the runtime's auth
 * adapter), or why the arguments are invalid. It generates the bridge in memory first, so it reflects the current
 * bridge.yaml and spec even before `npm run generate`.
 * Exit codes: 0 printed, 1 invalid arguments or unknown tool, 2 invalid bridge.yaml or spec or usage.
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { validateArguments } from "../src/tools/arguments.ts";
import { buildRequest, renderRequest, RequestBuildError } from "../src/tools/request.ts";
import { toolBaseUrl } from "../src/tools/servers.ts";
import type { ToolDefinition } from "../src/tools/types.ts";
import type { RuntimeConfig } from "../src/config/schema.ts";
import { runCli, UsageError } from "./cli.ts";
import { closest } from "./generator/config/suggest.ts";
import { generate } from "./generator/index.ts";

const USAGE = "usage: npm run call -- [--config <bridge.yaml>] --tool <name> [--args '<json>'] --dry-run";
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      config: { type: "string", default: "bridge.yaml" },
      tool: { type: "string" },
      args: { type: "string", default: "{}" },
      "dry-run": { type: "boolean", default: false },
    },
    strict: true,
  });
  if (!values.tool) throw new UsageError("--tool is required");
  if (!values["dry-run"]) {
    throw new UsageError("only --dry-run is available: calls with credentials go through the deployed bridge");
  }
  const args = parseJsonArgs(values.args);
  const { tools, config } = await loadBridge(values.config);
  const tool = tools.find((t) => t.name === values.tool || t.operationId === values.tool);
  if (!tool) {
    const near = closest(values.tool, tools.map((t) => t.name));
    console.error(`unknown tool "${values.tool}"${near ? ` (did you mean "${near}"?)` : ""}; ${tools.length} tools: see generated/TOOLS.md`);
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

/** Generates into a cache folder inside the project (so generated imports resolve) and loads the result. */
async function loadBridge(configPath: string): Promise<{ tools: readonly ToolDefinition[]; config: RuntimeConfig }> {
  const key = createHash("sha256").update(resolve(configPath)).digest("hex").slice(0, 12);
  const outDir = join(PROJECT_ROOT, ".cache", "call", key);
  const result = await generate({ configPath, outDir });
  await mkdir(outDir, { recursive: true });
  for (const file of result.files) await writeFile(join(outDir, file.name), file.content);
  // A query string makes Node load this run's files even if an earlier run in this process loaded others.
  const version = `?v=${Date.now()}`;
  const { tools } = (await import(pathToFileURL(join(outDir, "tools.ts")).href + version)) as { tools: readonly ToolDefinition[] };
  const { config } = (await import(pathToFileURL(join(outDir, "config.ts")).href + version)) as { config: RuntimeConfig };
  return { tools, config };
}

runCli(main, USAGE);
