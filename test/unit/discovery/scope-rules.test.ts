import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../scripts/generator/config/errors.ts";
import { todoBridgeYaml, todoModel } from "./helpers.ts";

const READ = "todo_api:read";
const WRITE = "todo_api:write";

async function scopesOf(...toolsLines: string[]): Promise<Record<string, string[]>> {
  const model = await todoModel(todoBridgeYaml(...toolsLines));
  return Object.fromEntries(model.tools.map((tool) => [tool.operationId, tool.scopes]));
}

async function problems(...toolsLines: string[]): Promise<string[]> {
  const error = await todoModel(todoBridgeYaml(...toolsLines)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message.split("\n");
}

describe("tools.scopeRules", () => {
  it("replace the spec's scopes by selector: an operation needs every scope of every matching rule", async () => {
    const scopes = await scopesOf(
      "scopeRules:",
      `  - { match: { methods: [get] }, scopes: [${WRITE}] }`,
      `  - { match: { paths: ["/api/todos/{id}"] }, scopes: [${READ}] }`,
    );
    // The spec says read for GETs; the first rule says write; the path rule adds read on /api/todos/{id}.
    expect(scopes).toEqual({
      listTodos: [WRITE],
      createTodo: [WRITE], // no rule matches: the spec's scope stays
      getTodo: [WRITE, READ],
      deleteTodo: [READ],
      updateTodo: [READ],
    });
  });

  it("a per-tool override still wins", async () => {
    const scopes = await scopesOf(
      "scopeRules:",
      `  - { match: { tags: [todos] }, scopes: [${READ}] }`,
      "overrides:",
      `  deleteTodo: { scopes: [${WRITE}] }`,
    );
    expect(scopes["deleteTodo"]).toEqual([WRITE]);
    expect(scopes["createTodo"]).toEqual([READ]);
  });

  it("are checked against the spec and the declared scopes, each problem at its place in bridge.yaml", async () => {
    expect(
      await problems(
        "scopeRules:",
        "  - match: { tags: [todo] }", // line 15
        `    scopes: [${READ}]`,
        "  - match: { paths: [/nothing/**] }", // line 17
        "    scopes: [todo_api:wrte]", // line 18
        "  - match: { methods: [trace] }", // line 19
        `    scopes: [${READ}]`,
      ),
    ).toEqual([
      'bridge.yaml:15:23: tag "todo" does not exist in the spec (did you mean "todos"?)',
      'bridge.yaml:17:24: path "/nothing/**" matches no path in the spec (valid: /api/todos, /api/todos/{id})',
      'bridge.yaml:18:16: scope "todo_api:wrte" is declared neither in the spec nor under scopes: (did you mean "todo_api:write"?)',
      "bridge.yaml:19:14: this rule matches no operation of the spec",
    ]);
  });
});
