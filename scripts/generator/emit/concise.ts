/**
 * Concise tools/list text, for APIs whose full descriptions would crowd a model's context (GitHub's 1,200
 * operations list at ~1.8 MB in full). Every tool, parameter, type, enum, default and `required` stays; what goes is
 * prose: a tool keeps its summary, a parameter its first sentence, nested body properties their names and types,
 * links keep their text. generated/TOOLS.md keeps the full text for people.
 */
import type { Schema } from "../model/types.ts";
import { holdsSchemaMap } from "./listing.ts";

const TOOL_DESCRIPTION_MAX = 160;
const PARAMETER_DESCRIPTION_MAX = 100;

/**
 * Markdown and HTML reduced to the words a model reads: links to their text, tags and emphasis removed. Each rewrite
 * runs only when the text holds the characters it needs to match ("](", "<", ">", "**" or "__"): most descriptions
 * hold none, and a regular expression that cannot match still scans the whole text (the blockquote one at every line).
 */
export function plainText(text: string): string {
  let plain = text;
  if (plain.includes("](")) plain = plain.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1");
  if (plain.includes("<")) plain = plain.replace(/<[^>]+>/g, "");
  if (plain.includes(">")) plain = plain.replace(/^\s*>\s?(\[!\w+\])?/gm, "");
  if (plain.includes("**") || plain.includes("__")) plain = plain.replace(/(\*\*|__)(.+?)\1/g, "$2");
  return plain.replace(/\s+/g, " ").trim();
}

/** The first sentence, cut at a word boundary with an ellipsis when still too long. */
export function firstSentence(text: string, max: number): string {
  return firstSentenceOfPlain(plainText(text), max);
}

/** firstSentence of a text already made plainText (the discovery index has it for the operation's text). */
export function firstSentenceOfPlain(plain: string, max: number): string {
  const match = /^(.+?[.!?])(?=\s|$)/.exec(plain);
  const sentence = match?.[1] ?? plain;
  if (sentence.length <= max) return sentence;
  return `${sentence.slice(0, max - 1).replace(/\s+\S*$/, "")}…`;
}

/** A tool's summary (the description's first paragraph, as the model builds it) or else its first sentence. */
export function conciseToolDescription(description: string): string {
  const [summary = ""] = description.split(/\n\s*\n/);
  return firstSentence(summary || description, TOOL_DESCRIPTION_MAX);
}

/**
 * Parameters (the input's own properties) keep their first sentence; properties nested inside them keep names,
 * types and constraints only. `additionalProperties: false` stays: a client that validates before calling must get
 * the validator's answer.
 */
export function conciseInputSchema(schema: Schema, shortened: ShortenedDescriptions = new Map()): Schema {
  return conciseNode(schema, 0, shortened) as Schema;
}

/**
 * Parameter descriptions already cut to their first sentence, by their full text: one map for a whole listing, as
 * Kubernetes gives the same few hundred descriptions to its 1,000 operations.
 */
export type ShortenedDescriptions = Map<string, string>;

function conciseNode(node: unknown, depth: number, shortened: ShortenedDescriptions): unknown {
  if (Array.isArray(node)) return node.map((item) => conciseNode(item, depth, shortened));
  if (node === null || typeof node !== "object") return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "description") {
      if (depth <= 1 && typeof value === "string") out[key] = shortDescription(value, shortened);
      continue;
    }
    if (key === "enum" || key === "const" || key === "default" || key === "required") out[key] = value;
    else if (holdsSchemaMap(key) && value && typeof value === "object") {
      // Names are data (a property may be called `description`); properties are one level deeper.
      const level = key === "properties" || key === "patternProperties" ? depth + 1 : depth;
      out[key] = Object.fromEntries(Object.entries(value).map(([name, member]) => [name, conciseNode(member, level, shortened)]));
    } else out[key] = conciseNode(value, depth, shortened);
  }
  return out;
}

function shortDescription(text: string, shortened: ShortenedDescriptions): string {
  let short = shortened.get(text);
  if (short === undefined) shortened.set(text, (short = firstSentence(text, PARAMETER_DESCRIPTION_MAX)));
  return short;
}
