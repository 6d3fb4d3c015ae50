/**
 * The generator and dry-run CLIs as a user runs them: exit codes, what is written, what --check reports, and that
 * errors name the place (bridge.yaml:LINE:COL, the spec's JSON pointer, the parameter).
 */
import { execFile } from "node:child_process";
import { cp, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/corpus.ts";
import { runScript } from "../helpers/cli.ts";

const WORK = join(ROOT, ".cache", "test-cli");
const TODO_SPEC = join(ROOT, "openapi", "todo-api.yaml");

/** A copy of the repo's bridge.yaml and Todo spec in a scratch folder. */
async function scratchBridge(name: string): Promise<string> {
  const dir = join(WORK, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "openapi"), { recursive: true });
  await cp(join(ROOT, "bridge.yaml"), join(dir, "bridge.yaml"));
  await cp(TODO_SPEC, join(dir, "openapi", "todo-api.yaml"));
  return dir;
}

describe("npm run generate", () => {
  beforeEach(async () => {
    await mkdir(WORK, { recursive: true });
  });

  it("writes every generated file and a summary, and the committed generated/ matches it byte for byte", async () => {
    const dir = await scratchBridge("write");
    const out = join(dir, "generated");
    const run = await runScript("generate.ts", ["--config", join(dir, "bridge.yaml"), "--out", out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Generated 5 tools from .*todo-api\.yaml into /);
    expect(run.stdout).toMatch(/tools\/list: [\d,]+ bytes, ~[\d,]+ tokens \(budget 25,000\), full descriptions/);
    expect(run.stdout).toMatch(/\n {2}mode: static \(tools\.mode: auto, the static tools\/list \(~[\d,]+ tokens\) fits tools\.listBudgetTokens \(25,000\)\)\n/);
    expect((await readdir(out)).sort()).toEqual(["TOOLS.md", "api.ts", "bridge.schema.json", "config.ts", "discovery.ts", "policy.ts", "tools.ts"]);
    for (const name of ["tools.ts", "policy.ts", "config.ts", "discovery.ts", "TOOLS.md", "bridge.schema.json"]) {
      const header = (await readFile(join(out, name), "utf8")).slice(0, 400);
      if (name !== "bridge.schema.json") expect(header).toContain("Do not edit");
    }
    // Same inputs, same bytes: the repo's generated/ differs only in the import paths (it lives elsewhere).
    const importPaths = /from ".*?src\//g;
    for (const name of ["tools.ts", "policy.ts", "config.ts", "discovery.ts", "api.ts", "TOOLS.md", "bridge.schema.json"]) {
      const mine = (await readFile(join(out, name), "utf8")).replace(importPaths, 'from "src/');
      const committed = (await readFile(join(ROOT, "generated", name), "utf8")).replace(importPaths, 'from "src/');
      expect(mine, name).toBe(committed);
    }
  });

  it("--check passes on fresh output, and fails naming each stale or missing file without writing", async () => {
    const dir = await scratchBridge("check");
    const out = join(dir, "generated");
    const config = join(dir, "bridge.yaml");
    expect((await runScript("generate.ts", ["--config", config, "--out", out])).code).toBe(0);
    const fresh = await runScript("generate.ts", ["--config", config, "--out", out, "--check"]);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain("is up to date (7 files)");

    await writeFile(join(out, "tools.ts"), "// edited by hand\n");
    await rm(join(out, "TOOLS.md"));
    const stale = await runScript("generate.ts", ["--config", config, "--out", out, "--check"]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`${join(out, "tools.ts")} (differs)`);
    expect(stale.stderr).toContain(`${join(out, "TOOLS.md")} (missing)`);
    expect(stale.stderr).not.toContain("policy.ts");
    expect(await readFile(join(out, "tools.ts"), "utf8")).toBe("// edited by hand\n");
  });

  it("a bridge.yaml mistake exits 1 with FILE:LINE:COL, a suggestion, and writes nothing", async () => {
    const dir = await scratchBridge("config-error");
    const config = join(dir, "bridge.yaml");
    const text = (await readFile(config, "utf8")).replace("provider: pingfederate", "provider: pingfed").replace("include: { tags: [todos] }", "include: { tags: [todo] }");
    await writeFile(config, text);
    const run = await runScript("generate.ts", ["--config", config, "--out", join(dir, "generated")]);
    expect(run.code).toBe(1);
    const line = text.split("\n").findIndex((l) => l.includes("provider: pingfed")) + 1;
    expect(run.stderr).toContain(`${config}:${line}:13: identity.provider: "pingfed" is not valid; expected one of pingfederate, pingone, access (did you mean "pingfederate"?)`);
    await expect(readdir(join(dir, "generated"))).rejects.toThrow();
  });

  it("names a tag that the spec lacks, at its place in bridge.yaml", async () => {
    const dir = await scratchBridge("tag-error");
    const config = join(dir, "bridge.yaml");
    const text = (await readFile(config, "utf8")).replace("include: { tags: [todos] }", "include: { tags: [todo] }");
    await writeFile(config, text);
    const run = await runScript("generate.ts", ["--config", config, "--out", join(dir, "generated")]);
    expect(run.code).toBe(1);
    const line = text.split("\n").findIndex((l) => l.includes("tags: [todo]")) + 1;
    const col = text.split("\n")[line - 1]!.indexOf("todo]") + 1;
    expect(run.stderr.trim().split("\n")).toEqual([
      `${config}:${line}:${col}: tag "todo" does not exist in the spec (did you mean "todos"?)`,
      // The rules that count the selected tools wait for a selection that means what it says.
      `${config}:${line}:3: note: not checked until tools.include is fixed: scopes of left-out operations, scopes without claim rules, security schemes and tools anyone may call`,
    ]);
  });

  it("a misspelt scope under scopes: exits 1 with the scope meant, and writes nothing", async () => {
    const dir = await scratchBridge("scope-typo");
    const config = join(dir, "bridge.yaml");
    const text = (await readFile(config, "utf8")).replace("todo_api:read:  {", "todo_api:reed:  {");
    await writeFile(config, text);
    const run = await runScript("generate.ts", ["--config", config, "--out", join(dir, "generated")]);
    expect(run.code).toBe(1);
    const line = text.split("\n").findIndex((l) => l.includes("todo_api:reed")) + 1;
    expect(run.stderr.trim()).toBe(
      `${config}:${line}:3: scopes["todo_api:reed"]: no selected operation or override uses this scope and the spec does not declare it (did you mean "todo_api:read"?)`,
    );
    await expect(readdir(join(dir, "generated"))).rejects.toThrow();
  });

  it("reports independent mistakes of every kind in one run", async () => {
    const dir = await scratchBridge("many");
    const config = join(dir, "bridge.yaml");
    const text = (await readFile(config, "utf8"))
      .replace("baseUrlEnv: TODO_API_BASE_URL", "baseUrlEnv: TODO-API-BASE-URL")
      .replace("credentials: token-exchange", "credentials: upstream-token")
      .replace("todo_api:read:  {", "todo_api:reed:  {")
      .replace("include: { tags: [todos] }", "include: { tags: [todo] }");
    await writeFile(config, text);
    const run = await runScript("generate.ts", ["--config", config, "--out", join(dir, "generated")]);
    expect(run.code).toBe(1);
    const at = (needle: string, col: number) => `${config}:${text.split("\n").findIndex((l) => l.includes(needle)) + 1}:${col}: `;
    expect(run.stderr.trim().split("\n")).toEqual([
      `${at("TODO-API", 15)}api.baseUrlEnv: "TODO-API-BASE-URL" is not valid: must be a Worker variable name: ASCII letters, digits and _, not starting with a digit (did you mean "TODO_API_BASE_URL"?)`,
      `${at("credentials: upstream-token", 16)}upstream.credentials: upstream-token is not available with identity.provider: pingfederate (use token-exchange, or none for an API that needs no credentials)`,
      `${at("todo_api:reed", 3)}scopes["todo_api:reed"]: no selected operation or override uses this scope and the spec does not declare it (did you mean "todo_api:read"?)`,
      `${at("tags: [todo]", 21)}tag "todo" does not exist in the spec (did you mean "todos"?)`,
      `${at("TODO-API", 3)}note: not checked until api.baseUrlEnv and tools.include are fixed: Worker variable names, scopes of left-out operations, scopes without claim rules, security schemes, the base URL and tools anyone may call`,
    ]);
  });

  it("--strict fails on a warning (tools anyone signed in may call), writing nothing; without it the same config generates", async () => {
    const dir = await scratchBridge("strict");
    const config = join(dir, "bridge.yaml");
    const text = `${await readFile(config, "utf8")}  overrides:\n    listTodos: { scopes: [] }\n`;
    await writeFile(config, text);
    const out = join(dir, "generated");
    const strict = await runScript("generate.ts", ["--config", config, "--out", out, "--strict"]);
    expect(strict.code).toBe(1);
    const line = text.split("\n").findIndex((l) => l === "tools:") + 1;
    expect(strict.stderr).toContain(
      `  ${config}:${line}:1: warning: 1 tool requires no scope, so anyone who can sign in may call it: list_todos (require scopes with tools.scopeRules or tools.overrides.<operationId>.scopes, or leave it out with tools.exclude)\n`,
    );
    expect(strict.stderr).toMatch(/--strict: 1 warning above; nothing was written\n$/);
    await expect(readdir(out)).rejects.toThrow();

    const lenient = await runScript("generate.ts", ["--config", config, "--out", out]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain("warning: 1 tool requires no scope");
    expect((await readdir(out)).length).toBe(7);
  });

  it("--check --strict passes on the repo's own bridge.yaml (what npm test runs)", async () => {
    const run = await runScript("generate.ts", ["--check", "--strict"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("generated/ is up to date (7 files)");
  });

  it("an invalid spec exits 1 naming each problem by JSON pointer", async () => {
    const dir = await scratchBridge("spec-error");
    const spec = (await readFile(TODO_SPEC, "utf8")).replace("$ref: '#/components/schemas/TodoList'", "$ref: '#/components/schemas/TodoLists'");
    await writeFile(join(dir, "openapi", "todo-api.yaml"), spec);
    const config = join(dir, "bridge.yaml");
    const run = await runScript("generate.ts", ["--config", config, "--out", join(dir, "generated")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("invalid API description");
    expect(run.stderr).toMatch(/#\/paths\/~1api~1todos\/get\/responses\/200\/content\/application~1json\/schema\/\$ref: "#\/components\/schemas\/TodoLists" points to nothing/);
  });

  it("a spec only validation finds invalid leaves generated/ as it was: the files written meanwhile are discarded", async () => {
    const dir = await scratchBridge("spec-invalid-late");
    const config = join(dir, "bridge.yaml");
    const out = join(dir, "generated");
    expect((await runScript("generate.ts", ["--config", config, "--out", out])).code).toBe(0);
    const before = await Promise.all((await readdir(out)).sort().map(async (name) => [name, await readFile(join(out, name), "utf8")]));
    // A change every file but api.ts shows (the title), and a key the OpenAPI meta-schema refuses.
    const spec = (await readFile(TODO_SPEC, "utf8")).replace(/^openapi: .*$/m, "$&\nbogus: true").replace(/^(  title: ).*$/m, "$1Renamed API");
    await writeFile(join(dir, "openapi", "todo-api.yaml"), spec);
    const run = await runScript("generate.ts", ["--config", config, "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("invalid API description");
    const after = await Promise.all((await readdir(out)).sort().map(async (name) => [name, await readFile(join(out, name), "utf8")]));
    expect(after).toEqual(before);
  });

  it("reports a duplicate operationId with both places", async () => {
    const dir = await scratchBridge("dup-error");
    await writeFile(join(dir, "openapi", "todo-api.yaml"), (await readFile(TODO_SPEC, "utf8")).replace("operationId: getTodo", "operationId: listTodos"));
    const config = join(dir, "bridge.yaml");
    const run = await runScript("generate.ts", ["--config", config, "--out", join(dir, "generated")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('#/paths/~1api~1todos~1{id}/get/operationId: "listTodos" is already the operationId of #/paths/~1api~1todos/get');
  });

  it("rejects an unknown option with the usage line", async () => {
    const run = await runScript("generate.ts", ["--chek"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("usage: npm run generate");
  });
});

describe("npm run call -- --dry-run", () => {
  it("prints the exact request, without credentials", async () => {
    const run = await runScript("call.ts", ["--tool", "create_todo", "--args", '{"todoText":"Buy milk"}', "--dry-run"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      "POST http://127.0.0.1:8787/api/todos HTTP/1.1\naccept: application/json\ncontent-type: application/json\n\n" +
        '{"todoText":"Buy milk"}\n',
    );
    expect(run.stdout.toLowerCase()).not.toContain("authorization");
  });

  it("honours the base URL override from the environment", async () => {
    const run = await runScript("call.ts", ["--tool", "list_todos", "--args", '{"completed":false}', "--dry-run"], ROOT, {
      TODO_API_BASE_URL: "https://todos.example.com/v2",
    });
    expect(run.stdout.split("\n")[0]).toBe("GET https://todos.example.com/v2/api/todos?completed=false HTTP/1.1");
  });

  it("names every wrong parameter and sends nothing", async () => {
    const run = await runScript("call.ts", ["--tool", "update_todo", "--args", '{"id":"../admin","completed":"yes","colour":1}', "--dry-run"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("invalid arguments for update_todo:");
    expect(run.stderr).toMatch(/^ {2}id: /m);
    expect(run.stderr).toContain("  completed: expected boolean, received string");
    expect(run.stderr).toContain('  unknown parameter "colour"');
  });

  it("says when a required parameter is missing", async () => {
    const run = await runScript("call.ts", ["--tool", "create_todo", "--dry-run"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("  todoText: required parameter is missing");
  });

  it("suggests the closest tool name", async () => {
    const run = await runScript("call.ts", ["--tool", "updat_todo", "--dry-run"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('unknown tool "updat_todo" (did you mean "update_todo"?)');
  });
});

describe("the CLIs behave like CLIs", () => {
  beforeEach(async () => {
    await mkdir(WORK, { recursive: true });
  });

  it.each([
    ["generate.ts", "usage: npm run generate"],
    ["call.ts", "usage: npm run call"],
    ["start/main.ts", "usage: npm start"],
    ["bench/generate.ts", "usage: npm run bench:generate"],
    ["bench/runtime.ts", "usage: npm run bench:runtime"],
    ["idp/main.ts", "usage: node_modules/.bin/node scripts/idp/main.ts"],
    ["corpus/github-spec.ts", "usage: node_modules/.bin/node scripts/corpus/github-spec.ts"],
  ])("%s --help: the usage on stdout, exit 0", async (script, usage) => {
    for (const flag of ["--help", "-h"]) {
      const run = await runScript(script, [flag]);
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
      expect(run.stdout.startsWith(usage), run.stdout).toBe(true);
    }
  });

  it.each(["bench/generate.ts", "bench/runtime.ts", "idp/main.ts"])("%s with an argument it does not take: exit 2 with the usage", async (script) => {
    const run = await runScript(script, ["--fast"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^unknown argument "--fast"\nusage: /);
  });

  it("counts every operation once: tools, left out by include/exclude, skipped", async () => {
    const dir = await scratchBridge("counts");
    const config = join(dir, "bridge.yaml");
    await writeFile(config, (await readFile(config, "utf8")).replace("include: { tags: [todos] }", "exclude: { methods: [delete, patch] }"));
    const run = await runScript("generate.ts", ["--config", config]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Generated 3 tools from");
    expect(run.stdout).toContain("  5 operations in the spec: 3 tools, 2 left out by tools.include / tools.exclude, 0 skipped\n");
  });

  it("names paths as they were given: absolute after an absolute --config, relative to where the command runs otherwise; --out defaults to generated/ next to bridge.yaml", async () => {
    const dir = await scratchBridge("paths");
    const absolute = await runScript("generate.ts", ["--config", join(dir, "bridge.yaml")]);
    expect(absolute.stdout.split("\n")[0]).toBe(`Generated 5 tools from ${join(dir, "openapi/todo-api.yaml")} into ${join(dir, "generated")}`);
    const relative = await runScript("generate.ts", ["--config", "paths/bridge.yaml"], WORK);
    expect(relative.stdout.split("\n")[0]).toBe("Generated 5 tools from paths/openapi/todo-api.yaml into paths/generated");
    const stale = await runScript("generate.ts", ["--config", "paths/bridge.yaml", "--out", "elsewhere", "--check"], WORK);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("elsewhere/ is out of date; run `npm run generate -- --config paths/bridge.yaml --out elsewhere` and commit the result:");
  });

  it("npm run from a subdirectory: paths are relative to where npm was run (INIT_CWD), defaults are the project's", async () => {
    const dir = await scratchBridge("npm-subdir");
    const npm = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile("npm", ["run", "-s", ...args], { cwd: dir }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr })),
      );
    const own = await npm(["generate", "--", "--config", "bridge.yaml"]);
    expect(own.code, own.stderr).toBe(0);
    expect(own.stdout.split("\n")[0]).toBe("Generated 5 tools from openapi/todo-api.yaml into generated");
    expect((await readdir(join(dir, "generated"))).length).toBe(7);
    const project = await npm(["generate", "--", "--check"]);
    expect(project.stdout.trim()).toBe("../../../generated/ is up to date (7 files)");
  });

  it("call: a tool bridge.yaml left out is named as such; an unknown one gets the closest or the list, and where TOOLS.md is", async () => {
    const dir = await scratchBridge("call-unknown");
    const config = join(dir, "bridge.yaml");
    await writeFile(config, (await readFile(config, "utf8")).replace("include: { tags: [todos] }", "exclude: { methods: [delete] }"));
    const excluded = await runScript("call.ts", ["--config", config, "--tool", "delete_todo", "--dry-run"]);
    expect(excluded.code).toBe(1);
    expect(excluded.stderr).toContain('"delete_todo" is not a tool of this bridge: operation deleteTodo (#/paths/~1api~1todos~1{id}/delete) is left out by tools.include / tools.exclude in bridge.yaml');
    // No generated/ next to this bridge.yaml yet: the command that writes it.
    const out = join(dir, "generated");
    expect(excluded.stderr).toContain(`${join(out, "TOOLS.md")} does not exist: \`npm run generate -- --config ${config} --out ${out}\` writes it`);

    expect((await runScript("generate.ts", ["--config", config])).code).toBe(0);
    const unknown = await runScript("call.ts", ["--config", config, "--tool", "frobnicate", "--dry-run"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(`unknown tool "frobnicate" (valid: list_todos, create_todo, get_todo, update_todo)\nsee ${join(out, "TOOLS.md")} for every tool, its parameters and scopes\n`);
  });
});

describe("the generated bridge bundles as a Worker", () => {
  it("wrangler deploy --dry-run builds the Worker with the generated tools", async () => {
    const out = join(WORK, "bundle");
    await rm(out, { recursive: true, force: true });
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(process.execPath, [join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js"), "deploy", "--dry-run", "--outdir", out], { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: "false" } }, (error, stdout, stderr) =>
        resolve({ code: error ? 1 : 0, output: stdout + stderr }),
      );
    });
    expect(result.output).toContain("--dry-run: exiting now.");
    expect(result.code).toBe(0);
    const bundle = await readFile(join(out, "index.js"), "utf8");
    expect(bundle).toContain('"list_todos"');
    expect(bundle).not.toContain("openapi-typescript");
  });
});
