/**
 * Concise tools/list text, for APIs whose full descriptions would crowd a model's context (GitHub's 1,200
 * operations list at ~1.8 MB in full). Every tool, parameter, type, enum, default and `required` stays; what goes is
 * prose: a tool keeps its summary, a parameter its first sentence, nested body properties their names and types,
 * links keep their text. generated/TOOLS.md keeps the full text for people.
 */
import type { Schema } from "../model/types.ts";
import { holdsSchemaMap, ownMembersMapped } from "./listing.ts";

const TOOL_DESCRIPTION_MAX = 160;
const PARAMETER_DESCRIPTION_MAX = 100;

/**
 * Markdown and HTML reduced to the words a model reads: links to their text, tags and emphasis removed. Each rewrite
 * runs only when the text holds the characters it needs to match ("](", "<", ">", "**" or "__"): most descriptions
 * hold none, and a regular expression that cannot match still scans the whole text (the blockquote one at every line).
 * Whitespace is collapsed only when there is any to collapse: most texts' only whitespace is single spaces, which the
 * rewrite replaced one by one with spaces, copying the whole text (GitHub: ~10 MB of copies per run).
 */
export function plainText(text: string): string {
  let plain = text;
  if (plain.includes("](")) plain = plain.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1");
  if (plain.includes("<")) plain = plain.replace(/<[^>]+>/g, "");
  if (plain.includes(">")) plain = plain.replace(/^\s*>\s?(\[!\w+\])?/gm, "");
  if (plain.includes("**") || plain.includes("__")) plain = plain.replace(/(\*\*|__)(.+?)\1/g, "$2");
  if (COLLAPSIBLE_WHITESPACE.test(plain)) plain = plain.replace(WHITESPACE_TO_COLLAPSE, " ");
  return plain.trim();
}

/** What `replace(/\s+/g, " ")` changes: a whitespace character other than a space, or two spaces in a row. */
const COLLAPSIBLE_WHITESPACE = /[^\S ]| {2}/;

/**
 * The runs of whitespace `replace(/\s+/g, " ")` changes, for the same result: a run of two or more (matched whole,
 * from its first character, as the match is greedy) or a lone whitespace character other than a space. `\s+` also
 * matched every single space between words, each match replaced by the same space (searchDocuments on GitHub's
 * 1,223 descriptions, one core, in-process CPU medians of 31 alternating runs: 16.9 → 12.6 ms).
 */
const WHITESPACE_TO_COLLAPSE = /\s{2,}|[^\S ]/g;

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
  const summary = firstParagraph(description);
  return firstSentence(summary || description, TOOL_DESCRIPTION_MAX);
}

const PARAGRAPH_BREAK = /\n\s*\n/;

/**
 * `text.split(/\n\s*\n/)[0]`: the text before the first paragraph break, found by one search that stops there. The
 * split searched the whole description and made every paragraph (GitHub's are long Markdown texts), and
 * destructuring its first made an iterator, only for the summary.
 */
export function firstParagraph(text: string): string {
  const paragraphBreak = PARAGRAPH_BREAK.exec(text);
  return paragraphBreak === null ? text : text.slice(0, paragraphBreak.index);
}

/**
 * Parameters (the input's own properties) keep their first sentence; properties nested inside them keep names,
 * types and constraints only. `additionalProperties: false` stays: a client that validates before calling must get
 * the validator's answer.
 */
export function conciseInputSchema(schema: Schema, made: ConciseSchemas = conciseSchemas()): Schema {
  return conciseNode(schema, 0, made) as Schema;
}

/**
 * What a whole listing has made concise already, for the parts its tools share (which they only read): the listing
 * makes each named schema's expansion once and shares it (a resource's body in Kubernetes' `create`, `replace` and
 * `patch` tools), so each is made concise once per level. Only those parts are remembered: remembering every node
 * cost more than it saved on GitHub's and Stripe's inputs, where few nodes are shared.
 */
export interface ConciseSchemas {
  /** The parts the listing shares between tools. */
  shared: ReadonlySet<object>;
  /** By level: the input itself, a parameter, anything deeper (all alike: it keeps no description). */
  nodes: [Map<object, unknown>, Map<object, unknown>, Map<object, unknown>];
  /** Parameter descriptions cut to their first sentence, by their full text. */
  shortened: Map<string, string>;
}

export function conciseSchemas(shared: ReadonlySet<object> = new Set()): ConciseSchemas {
  return { shared, nodes: [new Map(), new Map(), new Map()], shortened: new Map() };
}

function conciseNode(node: unknown, depth: number, made: ConciseSchemas): unknown {
  if (node === null || typeof node !== "object") return node;
  if (!made.shared.has(node)) return conciseOf(node, depth, made);
  const known = made.nodes[depth === 0 ? 0 : depth === 1 ? 1 : 2];
  let out = known.get(node);
  if (out === undefined) known.set(node, (out = conciseOf(node, depth, made)));
  return out;
}

function conciseOf(node: object, depth: number, made: ConciseSchemas): unknown {
  if (Array.isArray(node)) return node.map((item) => conciseNode(item, depth, made));
  const out: Schema = {};
  const source = node as Record<string, unknown>;
  // Keys by for…in, not Object.entries with for…of or a copy by Object.keys (listing.ts' isRefFree: why).
  for (const key in source) {
    const value = source[key];
    if (key === "description") {
      if (depth <= 1 && typeof value === "string") out[key] = shortDescription(value, made.shortened);
      continue;
    }
    if (key === "enum" || key === "const" || key === "default" || key === "required") out[key] = value;
    else if (holdsSchemaMap(key) && value && typeof value === "object") {
      // Names are data (a property may be called `description`); properties are one level deeper.
      const level = key === "properties" || key === "patternProperties" ? depth + 1 : depth;
      out[key] = ownMembersMapped(value, (member) => conciseNode(member, level, made));
    } else out[key] = conciseNode(value, depth, made);
  }
  return out;
}

function shortDescription(text: string, shortened: Map<string, string>): string {
  let short = shortened.get(text);
  if (short === undefined) shortened.set(text, (short = firstSentence(text, PARAMETER_DESCRIPTION_MAX)));
  return short;
}

/**
 * The UTF-8 length of `JSON.stringify(conciseInputSchema(schema, …))`, counted without making the concise copy: in
 * `auto` mode a listing too big in full is made concise only for its size to be reported (and compared with the
 * budget), and discovery mode then serves neither. Follows conciseOf key for key; `sizes` remembers the shared parts'
 * sizes as ConciseSchemas remembers their copies (Kubernetes' create, replace and patch tools share a body). A unit
 * test and the corpus suite hold it to the copy's JSON.
 */
export function conciseInputSchemaBytes(schema: Schema, sizes: ConciseSizes = conciseSizes()): number {
  return conciseNodeBytes(schema, 0, sizes)!;
}

export interface ConciseSizes {
  shared: ReadonlySet<object>;
  /** By the levels of ConciseSchemas.nodes: a shared part's concise JSON length, or undefined if it has none. */
  nodes: [Map<object, number | undefined>, Map<object, number | undefined>, Map<object, number | undefined>];
  /** A parameter description's shortened text's JSON length, by its full text. */
  shortened: Map<string, number>;
}

export function conciseSizes(shared: ReadonlySet<object> = new Set()): ConciseSizes {
  return { shared, nodes: [new Map(), new Map(), new Map()], shortened: new Map() };
}

/** conciseNode's JSON length; undefined where it gives undefined (JSON.stringify leaves the member out). */
function conciseNodeBytes(node: unknown, depth: number, sizes: ConciseSizes): number | undefined {
  if (node === null || typeof node !== "object") return jsonBytes(node);
  if (!sizes.shared.has(node)) return conciseBytesOf(node, depth, sizes);
  const known = sizes.nodes[depth === 0 ? 0 : depth === 1 ? 1 : 2];
  if (known.has(node)) return known.get(node);
  const bytes = conciseBytesOf(node, depth, sizes);
  known.set(node, bytes);
  return bytes;
}

function conciseBytesOf(node: object, depth: number, sizes: ConciseSizes): number {
  if (Array.isArray(node)) {
    // `[a,b]`; an item JSON cannot hold is written `null`.
    let bytes = 1 + node.length;
    for (let i = 0; i < node.length; i++) bytes += conciseNodeBytes(node[i], depth, sizes) ?? 4;
    return node.length === 0 ? 2 : bytes;
  }
  const source = node as Record<string, unknown>;
  let bytes = 1;
  let members = 0;
  for (const key in source) {
    const value = source[key];
    let valueBytes: number | undefined;
    if (key === "description") {
      if (depth > 1 || typeof value !== "string") continue;
      valueBytes = shortDescriptionBytes(value, sizes.shortened);
    } else if (value === null || typeof value !== "object") {
      // What every other branch gives a value that is not an object: most values (a type, a bound), asked first.
      valueBytes = jsonBytes(value);
    } else if (key === "enum" || key === "const" || key === "default" || key === "required") valueBytes = jsonBytes(value);
    else if (holdsSchemaMap(key) && value && typeof value === "object") {
      valueBytes = membersBytes(value as Record<string, unknown>, key === "properties" || key === "patternProperties" ? depth + 1 : depth, sizes);
    } else valueBytes = conciseNodeBytes(value, depth, sizes);
    if (valueBytes === undefined) continue;
    bytes += stringBytes(key) + 1 + valueBytes + 1;
    members++;
  }
  return members === 0 ? 2 : bytes;
}

/** A schema map made concise: an object of the same names (an array's indices included, as Object.entries gives). */
function membersBytes(members: Record<string, unknown>, level: number, sizes: ConciseSizes): number {
  let bytes = 1;
  let count = 0;
  for (const name in members) {
    const memberBytes = conciseNodeBytes(members[name], level, sizes);
    if (memberBytes === undefined) continue;
    bytes += stringBytes(name) + 1 + memberBytes + 1;
    count++;
  }
  return count === 0 ? 2 : bytes;
}

function shortDescriptionBytes(text: string, shortened: Map<string, number>): number {
  let bytes = shortened.get(text);
  if (bytes === undefined) shortened.set(text, (bytes = stringBytes(firstSentence(text, PARAMETER_DESCRIPTION_MAX))));
  return bytes;
}

/**
 * JSON.stringify(value)'s UTF-8 length, undefined where it gives undefined. A boolean is counted without its JSON text
 * and Buffer.byteLength (Kubernetes' schemas hold ~4,700 `uniqueItems`).
 */
function jsonBytes(value: unknown): number | undefined {
  if (typeof value === "string") return stringBytes(value);
  if (typeof value === "boolean") return value ? 4 : 5;
  const json = JSON.stringify(value) as string | undefined;
  return json === undefined ? undefined : Buffer.byteLength(json);
}

/** Printable ASCII but `"` and `\`: a string of these alone is written as it is, between quotes. */
const NEEDS_ESCAPE_OR_MULTIBYTE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;

function stringBytes(text: string): number {
  return NEEDS_ESCAPE_OR_MULTIBYTE.test(text) ? Buffer.byteLength(JSON.stringify(text)) : text.length + 2;
}
