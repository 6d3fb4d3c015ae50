/**
 * `generated/discovery.ts`: in discovery mode, the names of the three tools, the answer budget and a full-text index
 * of every operation, built here with MiniSearch (the Worker only loads it). One document per tool: its names,
 * summary, description, tags, path segments, parameter names and what its HTTP method means in words, each a field
 * with its own boost at search time (src/discovery/search.ts). In static mode the file says so and holds nothing.
 */
import { INDEX_OPTIONS, indexTerm, METHOD_WORDS, type IndexField } from "../../../src/discovery/terms.ts";
import type { DiscoveryDefinition } from "../../../src/discovery/types.ts";
import type { Model, ToolModel } from "../model/types.ts";
import { firstSentence, firstSentenceOfPlain, plainText } from "./concise.ts";
import { tsHeader } from "./header.ts";
import { printLiteral } from "./literal.ts";
import { serializedSearchIndex } from "./search-index-json.ts";

type SearchDocument = Record<IndexField, string> & { id: string; summary: string };

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

/**
 * The serialised index: the same bytes for the same model (documents are added in tool order). `asStringLiteral`: as
 * `JSON.stringify` of it would print it, the way discovery.ts holds it.
 */
export function buildSearchIndex(model: Model, asStringLiteral = false): string {
  return serializedSearchIndex({ ...INDEX_OPTIONS, processTerm: rememberedIndexTerm() }, searchDocuments(model.tools), asStringLiteral);
}

/**
 * indexTerm, each word stemmed once per index: GitHub's 1,200 operations index about 300,000 words drawn from a few
 * thousand, and stemming every one again was a third of building the index. The Worker loads the index with
 * INDEX_OPTIONS as they are (the terms are the same).
 */
function rememberedIndexTerm(): typeof indexTerm {
  const known = new Map<string, ReturnType<typeof indexTerm>>();
  return (term) => {
    let processed = known.get(term);
    if (processed === undefined) known.set(term, (processed = indexTerm(term)));
    return processed;
  };
}

export function discoveryDefinition(model: Model): DiscoveryDefinition {
  const { names, answerBudgetTokens } = model.config.tools.discovery;
  return { api: model.api.title, names, answerBudgetTokens, index: buildSearchIndex(model) };
}

export function emitDiscovery(model: Model, typesImport: string, mode: "static" | "discovery"): string {
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
    `  index: ${buildSearchIndex(model, true)},`,
    `};`,
    "",
  ].join("\n");
}
