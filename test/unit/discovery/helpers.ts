/** The Todo API's model built in memory from a bridge.yaml text (the repo's spec), for the discovery tests. */
import { parseConfigText } from "../../../scripts/generator/config/load.ts";
import { buildModel } from "../../../scripts/generator/model/build.ts";
import type { Model } from "../../../scripts/generator/model/types.ts";
import { loadSpec } from "../../../scripts/generator/spec/load.ts";

/** bridge.yaml for the Todo API with `tools` lines appended (indented under `tools:`); line 14 is the first of them. */
export function todoBridgeYaml(...toolsLines: string[]): string {
  return [
    /*  1 */ "api:",
    /*  2 */ "  name: todo",
    /*  3 */ "  spec: openapi/todo-api.yaml",
    /*  4 */ "  baseUrl: http://127.0.0.1:8787",
    /*  5 */ "identity:",
    /*  6 */ "  provider: pingfederate",
    /*  7 */ "  issuer: http://127.0.0.1:9031",
    /*  8 */ "  resource: http://127.0.0.1:8788/mcp",
    /*  9 */ "upstream: { credentials: token-exchange, audience: http://127.0.0.1:8787 }",
    /* 10 */ "scopes:",
    /* 11 */ "  todo_api:read: { description: Read }",
    /* 12 */ "  todo_api:write: { description: Write }",
    /* 13 */ "tools:",
    ...toolsLines.map((line) => `  ${line}`),
    "",
  ].join("\n");
}

export async function todoModel(text: string): Promise<Model> {
  return buildModel(await loadSpec("openapi/todo-api.yaml"), parseConfigText(text, "bridge.yaml"));
}
