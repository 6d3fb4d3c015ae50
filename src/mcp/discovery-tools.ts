/**
 * The three tools of discovery mode as tools/list shows them: names from bridge.yaml, inputs, descriptions that tell
 * a model the search → describe → call sequence, and honest hints. Plain data, so the generator can measure the
 * listing it will cost (scripts/generator/emit/mode.ts) from the same definitions the Worker serves.
 */
import type { DiscoveryDefinition } from "../discovery/types.ts";
import type { JsonSchema, ToolAnnotations } from "../tools/types.ts";

export const SEARCH_LIMIT_DEFAULT = 8;
export const SEARCH_LIMIT_MAX = 25;

export interface DiscoveryTool {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  annotations: ToolAnnotations;
}

/** Reading the bridge's own catalogue: safe, repeatable, and nothing outside the bridge is reached. */
const CATALOGUE_HINTS: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/**
 * Each input's JSON Schema as tools/list shows it: `z.toJSONSchema` of the input (discovery-inputs.ts), less its
 * `$schema`, written out rather than converted. The generator measures the discovery listing on every run
 * (scripts/generator/emit/mode.ts), and converting these three small schemas there cost ~2.8 ms of CPU per run, one
 * core, on every spec (the conversion's code is compiled for them alone). test/unit/discovery/discovery-tools.test.ts
 * holds each, key order included, to `z.toJSONSchema` of its input.
 */
export const INPUT_SCHEMAS: Readonly<Record<"search" | "describe" | "call", JsonSchema>> = {
  search: {
    type: "object",
    properties: {
      query: { type: "string", minLength: 1, maxLength: 500, description: 'What the user wants to do, in a few words, e.g. "close an issue".' },
      limit: { description: `Most operations to return (default ${SEARCH_LIMIT_DEFAULT}).`, type: "integer", minimum: 1, maximum: SEARCH_LIMIT_MAX },
    },
    required: ["query"],
    additionalProperties: false,
  },
  describe: {
    type: "object",
    properties: { name: { type: "string", minLength: 1, maxLength: 128, description: "An operation name from the search." } },
    required: ["name"],
    additionalProperties: false,
  },
  call: {
    type: "object",
    properties: {
      name: { type: "string", minLength: 1, maxLength: 128, description: "An operation name from the search." },
      arguments: { description: "The operation's arguments, as its input schema says.", type: "object", propertyNames: { type: "string" }, additionalProperties: {} },
    },
    required: ["name"],
    additionalProperties: false,
  },
};

/**
 * `callHints`: what the operations this caller may call have in common (see callAnnotations); the call tool is as
 * read-only, idempotent or destructive as the operations it can reach.
 */
export function discoveryTools(discovery: DiscoveryDefinition, callHints: ToolAnnotations): DiscoveryTool[] {
  const { search, describe, call } = discovery.names;
  return [
    {
      name: search,
      title: `Search the ${discovery.api} operations`,
      description:
        `Finds operations of the ${discovery.api} that do what the user asks: give a few words such as "close an issue" ` +
        `or "list workflow runs". Returns the best matches the user may call (name, title, summary, HTTP method and ` +
        `path, scopes). Then call ${describe} for an operation's parameters and ${call} to run it.`,
      inputSchema: INPUT_SCHEMAS.search,
      annotations: CATALOGUE_HINTS,
    },
    {
      name: describe,
      title: "Describe an operation",
      description: `Shows one operation found with ${search}: its full description, the input schema of the arguments ${call} takes, its output schema and hints.`,
      inputSchema: INPUT_SCHEMAS.describe,
      annotations: CATALOGUE_HINTS,
    },
    {
      name: call,
      title: "Call an operation",
      description:
        `Calls an operation of the ${discovery.api} for the signed-in user, with arguments matching the input schema ` +
        `${describe} shows, and returns the API's answer. An operation that needs more access than the user has ` +
        `asks the user to grant it where the sign-in can, and otherwise says the account lacks it.`,
      inputSchema: INPUT_SCHEMAS.call,
      annotations: callHints,
    },
  ];
}

/**
 * The call tool's hints for a caller, from the operations it may call: read-only and idempotent when every one is;
 * destructive when any may be (MCP 2025-11-25: a tool that is not read-only is destructive unless it says otherwise).
 * It always reaches the API.
 */
export function callAnnotations(callable: Iterable<ToolAnnotations>): ToolAnnotations {
  let readOnly = true;
  let idempotent = true;
  let destructive = false;
  for (const hints of callable) {
    const writes = hints.readOnlyHint !== true;
    readOnly &&= !writes;
    idempotent &&= !writes || hints.idempotentHint === true;
    destructive ||= writes && hints.destructiveHint !== false;
  }
  return { readOnlyHint: readOnly, destructiveHint: destructive, idempotentHint: idempotent, openWorldHint: true };
}
