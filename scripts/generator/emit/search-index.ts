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
  const documents: SearchDocument[] = [];
  for (let i = 0; i < tools.length; i++) documents.push(searchDocument(tools[i]!, sentences));
  return documents;
}

// Here and below, index loops rather than destructuring, spreads, for...of and array callbacks: nearly all of a run
// is code V8 has not optimised, where each step of an iterator allocates (Kubernetes' 1,014 tools hold 6,049
// parameters).
function searchDocument(tool: ToolModel, sentences: Map<string, string>): SearchDocument {
  const body = descriptionBody(tool);
  // The summary is the text's first sentence: plainText once for both.
  const text = plainText(body);
  const summary = body.trim() === "" ? "" : firstSentenceOfPlain(text, SUMMARY_MAX);
  return {
    id: tool.name,
    name: `${tool.name} ${tool.operationId}`,
    title: tool.title ?? "",
    text,
    tags: tool.tags.join(" "),
    path: pathWords(tool.path),
    params: parameterKeys(tool),
    paramText: parameterText(tool, sentences),
    verb: METHOD_WORDS[tool.method] ?? "",
    summary: summary === tool.title ? "" : summary,
  };
}

const PARAGRAPH_BREAK = /\n\s*\n/;

/**
 * What follows the summary in a tool's description (describe() in model/build.ts starts it with the summary), or the
 * whole description when it does not start with the summary's paragraph: the text after the first paragraph break, as
 * it stands. Splitting the description into all its paragraphs and joining the rest with "\n\n" copied it (GitHub's
 * descriptions are long Markdown texts) only to change the later breaks' whitespace, which plainText makes one space
 * either way (its link and tag patterns take such a run in whole, the blockquote one starts on the line after its
 * first line feed, the emphasis one stops at it). test/unit/discovery/search-documents.test.ts holds the two to the same
 * plainText on 4,000 random descriptions.
 */
export function descriptionBody(tool: Pick<ToolModel, "title" | "description">): string {
  const description = tool.description;
  const paragraphBreak = PARAGRAPH_BREAK.exec(description);
  const summary = paragraphBreak === null ? description : description.slice(0, paragraphBreak.index);
  if (tool.title === undefined || summary.trim() !== tool.title) return description;
  return paragraphBreak === null ? "" : description.slice(paragraphBreak.index + paragraphBreak[0].length);
}

/** The path's literal segments ("/repos/{owner}/{repo}/issues" → "repos issues"). */
function pathWords(path: string): string {
  const segments = path.split("/");
  const literal: string[] = [];
  for (let i = 0; i < segments.length; i++) if (segments[i] !== "" && !segments[i]!.startsWith("{")) literal.push(segments[i]!);
  return literal.join(" ");
}

/** The input's keys for the parameters, then for the body's spread properties. */
function parameterKeys(tool: ToolModel): string {
  const keys: string[] = [];
  for (let i = 0; i < tool.parameters.length; i++) keys.push(tool.parameters[i]!.key);
  const spread = tool.body?.spread;
  if (spread !== undefined) for (let i = 0; i < spread.length; i++) keys.push(spread[i]!.key);
  return keys.join(" ");
}

/**
 * The first sentence of each parameter's description and the words it accepts ("The open or closed state of the
 * issue. open closed"): an enum names what the operation can do ("APPROVE" on a review).
 */
function parameterText(tool: ToolModel, sentences: Map<string, string>): string {
  const properties = (tool.input["properties"] ?? {}) as Record<string, { description?: unknown; enum?: unknown }>;
  const keys = Object.keys(properties);
  const words: string[] = [];
  for (let k = 0; k < keys.length; k++) {
    const property = properties[keys[k]!]!;
    const description = property.description;
    if (typeof description === "string") {
      let first = sentences.get(description);
      if (first === undefined) sentences.set(description, (first = firstSentence(description, PARAMETER_TEXT_MAX)));
      if (first !== "") words.push(first);
    }
    const values = property.enum;
    if (Array.isArray(values)) for (let i = 0; i < values.length; i++) if (typeof values[i] === "string" && values[i] !== "") words.push(values[i] as string);
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
