/**
 * `generated/discovery.ts`: in discovery mode, the names of the three tools, the answer budget and a full-text index
 * of every operation, built here with MiniSearch (the Worker only loads it). One document per tool: its names,
 * summary, description, tags, path segments, parameter names and what its HTTP method means in words, each a field
 * with its own boost at search time (src/discovery/search.ts). In static mode the file says so and holds nothing.
 */
import { METHOD_WORDS } from "../../../src/discovery/terms.ts";
import type { DiscoveryDefinition } from "../../../src/discovery/types.ts";
import type { Model, ToolModel } from "../model/types.ts";
import { firstSentence, firstSentenceOfPlain, plainText } from "./concise.ts";
import { tsHeader } from "./header.ts";
import { printLiteral } from "./literal.ts";
import { buildSearchIndex, type SearchDocument } from "./search-index-build.ts";

const SUMMARY_MAX = 160;

/**
 * One document per tool, in tool order. Each parameter description's first sentence is made once for all of them
 * (GitHub's 1,200 operations repeat a few hundred parameter descriptions ~9,000 times).
 */
export function searchDocuments(tools: readonly ToolModel[]): SearchDocument[] {
  const sentences = new Map<string, string>();
  return tools.map((tool) => searchDocument(tool, sentences));
}

function searchDocument(tool: ToolModel, sentences: Map<string, string>): SearchDocument {
  const [first = "", ...rest] = tool.description.split(/\n\s*\n/);
  // describe() in model/build.ts starts the description with the summary: the text is what follows it.
  const body = tool.title !== undefined && first.trim() === tool.title ? rest.join("\n\n") : tool.description;
  // The summary is the text's first sentence: plainText once for both.
  const text = plainText(body);
  const summary = body.trim() === "" ? "" : firstSentenceOfPlain(text, SUMMARY_MAX);
  return {
    id: tool.name,
    name: `${tool.name} ${tool.operationId}`,
    title: tool.title ?? "",
    text,
    tags: tool.tags.join(" "),
    path: tool.path
      .split("/")
      .filter((segment) => segment !== "" && !segment.startsWith("{"))
      .join(" "),
    params: [...tool.parameters.map((p) => p.key), ...(tool.body?.spread?.map((s) => s.key) ?? [])].join(" "),
    paramText: parameterText(tool, sentences),
    verb: METHOD_WORDS[tool.method] ?? "",
    summary: summary === tool.title ? "" : summary,
  };
}

/**
 * The first sentence of each parameter's description and the words it accepts ("The open or closed state of the
 * issue. open closed"): an enum names what the operation can do ("APPROVE" on a review).
 */
function parameterText(tool: ToolModel, sentences: Map<string, string>): string {
  const properties = (tool.input["properties"] ?? {}) as Record<string, { description?: unknown; enum?: unknown }>;
  const sentence = (description: string): string => {
    let first = sentences.get(description);
    if (first === undefined) sentences.set(description, (first = firstSentence(description, PARAMETER_TEXT_MAX)));
    return first;
  };
  const words: string[] = [];
  for (const property of Object.values(properties)) {
    if (typeof property.description === "string") {
      const first = sentence(property.description);
      if (first !== "") words.push(first);
    }
    if (Array.isArray(property.enum)) for (const value of property.enum) if (typeof value === "string" && value !== "") words.push(value);
  }
  return words.join(" ");
}

const PARAMETER_TEXT_MAX = 200;

export function discoveryDefinition(model: Model): DiscoveryDefinition {
  const { names, answerBudgetTokens } = model.config.tools.discovery;
  return { api: model.api.title, names, answerBudgetTokens, index: buildSearchIndex(searchDocuments(model.tools)) };
}

/**
 * discovery.ts. `indexLiteral`: the index as a string literal when it was built already (on two cores, by the api.ts
 * worker from searchDocuments' documents); else it is built here.
 */
export function emitDiscovery(model: Model, typesImport: string, mode: "static" | "discovery", indexLiteral?: string): string {
  const head = [
    tsHeader(`${model.api.specPath} and bridge.yaml (tools.mode, tools.discovery)`),
    `import type { DiscoveryDefinition } from ${JSON.stringify(typesImport)};`,
    "",
  ];
  if (mode === "static") {
    return [...head, "/** Static mode: every operation is listed as its own tool (generated/tools.ts). */", "export const discovery: DiscoveryDefinition | undefined = undefined;", ""].join("\n");
  }
  const { names, answerBudgetTokens } = model.config.tools.discovery;
  return [
    ...head,
    `/** Discovery mode: ${names.search}, ${names.describe} and ${names.call} reach all ${model.tools.length} operations of generated/tools.ts. */`,
    `export const discovery: DiscoveryDefinition | undefined = {`,
    `  api: ${JSON.stringify(model.api.title)},`,
    `  names: ${printLiteral(names, "  ")},`,
    `  answerBudgetTokens: ${answerBudgetTokens},`,
    "  // MiniSearch.toJSON() of the operations' index (src/discovery/terms.ts has its options).",
    `  index: ${indexLiteral ?? buildSearchIndex(searchDocuments(model.tools), true)},`,
    `};`,
    "",
  ].join("\n");
}
