/**
 * The MCP conformance suite (@modelcontextprotocol/conformance) against the bridge: its server scenarios, run by its
 * own CLI, against `<bridge>/mcp`.
 *
 * The bridge under test is test/conformance/worker.ts: the real runtime with the generated Todo API tools, policy and
 * config behind a FIXED-IDENTITY auth adapter (a test configuration: the suite has no authorization scenarios; 401,
 * RFC 9728 metadata and step-up are covered by the runtime and e2e suites). It calls the real sample Todo API, both
 * run by wrangler's `unstable_startWorker` (workerd) on free 127.0.0.1 ports.
 *
 * Every server scenario the installed suite lists must be classified below: run (it applies to a tools-only server,
 * and must pass: no FAILURE check and exit code 0) or not applicable (with the reason printed). A scenario added by a
 * newer suite fails the test until it is classified.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { unstable_startWorker } from "wrangler";
import "../todo-api/provided.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(ROOT, "node_modules/@modelcontextprotocol/conformance/dist/index.js");
/** The suite needs Node 22: the `node` devDependency when vitest itself runs on an older one. */
const NODE = Number(process.versions.node.split(".")[0]) >= 22 ? process.execPath : join(ROOT, "node_modules/.bin/node");

/** Scenarios that apply to a tools-only, stateless server whose tools are generated from an OpenAPI spec. */
const APPLICABLE = new Set([
  "server-initialize",
  "ping",
  "tools-list",
  "dns-rebinding-protection",
  // Stateless: no session id, JSON-RPC answers on the POST's own stream. The suite reports that as WARNING/INFO
  // (session id, priming event and retry field are optional), never as FAILURE.
  "server-sse-multiple-streams",
  "server-sse-polling",
]);

const NO_CAPABILITY = "the bridge declares only the tools capability";
const SUITE_TOOL = (tool: string) => `calls the suite's own example tool \`${tool}\`; the bridge serves only the tools generated from the OpenAPI spec`;

const NOT_APPLICABLE: Record<string, string> = {
  "logging-set-level": `logging/setLevel: ${NO_CAPABILITY} (no logging)`,
  "completion-complete": `completion/complete: ${NO_CAPABILITY} (no completions)`,
  "tools-call-simple-text": SUITE_TOOL("test_simple_text"),
  "tools-call-image": SUITE_TOOL("test_image_content"),
  "tools-call-audio": SUITE_TOOL("test_audio_content"),
  "tools-call-embedded-resource": SUITE_TOOL("test_embedded_resource"),
  "tools-call-mixed-content": SUITE_TOOL("test_multiple_content_types"),
  "tools-call-with-logging": `${SUITE_TOOL("test_tool_with_logging")}, and needs the logging capability`,
  "tools-call-error": SUITE_TOOL("test_error_handling"),
  "tools-call-with-progress": SUITE_TOOL("test_tool_with_progress"),
  "tools-call-sampling": `${SUITE_TOOL("test_sampling")} (server→client sampling)`,
  "tools-call-elicitation": `${SUITE_TOOL("test_elicitation")} (server→client elicitation)`,
  "json-schema-2020-12": SUITE_TOOL("json_schema_2020_12_tool"),
  "elicitation-sep1034-defaults": SUITE_TOOL("test_elicitation_sep1034_defaults"),
  "elicitation-sep1330-enums": SUITE_TOOL("test_elicitation_sep1330_enums"),
  "resources-list": `resources: ${NO_CAPABILITY}`,
  "resources-read-text": `resources: ${NO_CAPABILITY}`,
  "resources-read-binary": `resources: ${NO_CAPABILITY}`,
  "resources-templates-read": `resources: ${NO_CAPABILITY}`,
  "resources-subscribe": `resources: ${NO_CAPABILITY}`,
  "resources-unsubscribe": `resources: ${NO_CAPABILITY}`,
  "prompts-list": `prompts: ${NO_CAPABILITY}`,
  "prompts-get-simple": `prompts: ${NO_CAPABILITY}`,
  "prompts-get-with-args": `prompts: ${NO_CAPABILITY}`,
  "prompts-get-embedded-resource": `prompts: ${NO_CAPABILITY}`,
  "prompts-get-with-image": `prompts: ${NO_CAPABILITY}`,
};

interface Check {
  id: string;
  status: "SUCCESS" | "FAILURE" | "WARNING" | "INFO" | string;
  errorMessage?: string;
}

interface Outcome {
  scenario: string;
  exitCode: number | null;
  checks: Check[];
  output: string;
}

function run(args: string[], timeoutMs = 30_000): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [CLI, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, output });
    });
  });
}

/** `conformance list --server`: "  - <name> [<spec versions>]" per scenario. */
async function serverScenarios(): Promise<string[]> {
  const { exitCode, output } = await run(["list", "--server"]);
  expect(exitCode, output).toBe(0);
  return [...output.matchAll(/^\s+-\s+(\S+)\s+\[/gm)].map((match) => match[1]!);
}

async function runScenario(url: string, scenario: string, outputDir: string): Promise<Outcome> {
  const dir = join(outputDir, scenario);
  const { exitCode, output } = await run(["server", "--url", url, "--scenario", scenario, "--output-dir", dir]);
  // Results land in <dir>/server-<scenario>-<timestamp>/checks.json.
  const checks: Check[] = [];
  for (const entry of await readdir(dir).catch(() => [] as string[])) {
    checks.push(...(JSON.parse(await readFile(join(dir, entry, "checks.json"), "utf8")) as Check[]));
  }
  return { scenario, exitCode, checks, output };
}

interface Started {
  url: string;
  dispose(): Promise<void>;
}

async function startWorker(config: string, vars: Record<string, string>): Promise<Started> {
  const worker = await unstable_startWorker({
    config: join(ROOT, config),
    bindings: Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, { type: "plain_text", value }])),
    dev: { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, logLevel: "none", watch: false, persist: false },
  });
  await worker.ready;
  return { url: (await worker.url).origin, dispose: () => worker.dispose() };
}

describe("MCP conformance suite (server scenarios) against the bridge", () => {
  const context = inject("todoApi");
  let todoApi: Started | undefined;
  let bridge: Started | undefined;
  let outputDir: string;

  beforeAll(async () => {
    outputDir = await mkdtemp(join(tmpdir(), "mcp-conformance-"));
    todoApi = await startWorker("examples/todo-api/wrangler.jsonc", {
      ISSUER: context.issuer,
      AUDIENCE: context.audience,
      JWKS_URL: context.jwksUrl,
    });
    bridge = await startWorker("test/conformance/wrangler.jsonc", {
      TODO_API_BASE_URL: todoApi.url,
      ISSUER: context.issuer,
      SIGNING_KEY: JSON.stringify(context.keys.current.privateJwk),
    });
  });

  afterAll(async () => {
    await bridge?.dispose();
    await todoApi?.dispose();
    if (outputDir) await rm(outputDir, { recursive: true, force: true });
  });

  it("the fixed-identity bridge serves the generated tools and reaches the real Todo API", async () => {
    const response = await fetch(`${bridge!.url}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "list_todos", arguments: {} } }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    const data = text.includes("data:") ? text.split("\n").filter((line) => line.startsWith("data:")).at(-1)!.slice(5) : text;
    const message = JSON.parse(data) as { result?: { isError?: boolean; content?: unknown[] } };
    expect(message.result?.isError ?? false, text).toBe(false);
    expect(message.result?.content?.length).toBeGreaterThan(0);
  });

  it("passes every server scenario that applies to a tools-only server", async () => {
    const scenarios = await serverScenarios();
    expect(scenarios.length).toBeGreaterThan(0);
    const unclassified = scenarios.filter((name) => !APPLICABLE.has(name) && !(name in NOT_APPLICABLE));
    expect(unclassified, "classify new conformance scenarios in test/conformance/conformance.test.ts").toEqual([]);
    const missing = [...APPLICABLE].filter((name) => !scenarios.includes(name));
    expect(missing, "applicable scenarios the installed suite no longer lists").toEqual([]);

    const started = performance.now();
    const outcomes = await Promise.all(
      scenarios.filter((name) => APPLICABLE.has(name)).map((name) => runScenario(`${bridge!.url}/mcp`, name, outputDir)),
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);

    const passed = (outcome: Outcome) => outcome.exitCode === 0 && outcome.checks.length > 0 && !outcome.checks.some((check) => check.status === "FAILURE");
    const lines = [`MCP conformance server scenarios against ${bridge!.url}/mcp (${seconds}s):`];
    for (const name of scenarios) {
      const outcome = outcomes.find((candidate) => candidate.scenario === name);
      if (!outcome) {
        lines.push(`  skip  ${name}: not applicable: ${NOT_APPLICABLE[name]}`);
        continue;
      }
      const notes = outcome.checks
        .filter((check) => check.status === "FAILURE" || check.status === "WARNING")
        .map((check) => `${check.status} ${check.id}${check.errorMessage ? `: ${check.errorMessage}` : ""}`);
      const counts = `${outcome.checks.filter((check) => check.status === "SUCCESS").length} checks passed`;
      lines.push(`  ${passed(outcome) ? "pass" : "FAIL"}  ${name} (${counts}${notes.length ? `; ${notes.join("; ")}` : ""})`);
    }
    console.log(lines.join("\n"));

    const failed = outcomes.filter((outcome) => !passed(outcome));
    expect(
      failed.map((outcome) => ({ scenario: outcome.scenario, exitCode: outcome.exitCode, checks: outcome.checks.filter((check) => check.status === "FAILURE"), output: outcome.output.slice(-2000) })),
    ).toEqual([]);
  });
});
