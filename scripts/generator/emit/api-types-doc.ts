/**
 * openapi-typescript 7.13's `addJSDocComment` (`lib/ts.ts`, MIT) as text: the `/** … *\/` comment a member gets from
 * its object's title, summary, format, deprecation, description, default, examples, const and enum, written as the
 * printer writes a synthesised comment (api-types-print.ts's blockComment).
 *
 * The library joins its lines into one comment text that the printer then cuts into lines again, trims and indents.
 * For the usual comment (no line break but `\n` and `\r\n`) the printed lines are written directly, without joining,
 * re-splitting and trimming whole texts (all 29,925 comments of GitHub's api.ts, 14,703 of Kubernetes', 9,483 of
 * Stripe's). Any other comment takes the library's way (libraryComment).
 */
import { blockComment } from "./api-types-print.ts";
import { indent, unsupported } from "./api-types-text.ts";

const LB_RE = /\r?\n/g;
const COMMENT_END = /\*\//g;

/**
 * A line of the comment before the library joins them: `text` trimmed; `broken` when the library puts each of its
 * `\r\n` / `\n` line breaks on a continuation line (`\n *     `), else the text is used as it is.
 */
interface Item {
  text: string;
  broken: boolean;
}

/** addJSDocComment's `/** … *\/` for a member at `level`, as the printer writes it (ends with a line break), or "". */
export function docComment(object: unknown, level: number): string {
  if (!object || typeof object !== "object" || Array.isArray(object)) return "";
  const o = object as Record<string, any>;
  const items: Item[] = [];
  title(o["title"], items);
  title(o["summary"], items);
  if (o["format"]) items.push({ text: `Format: ${o["format"]}`, broken: false });
  if (o["deprecated"]) items.push({ text: "@deprecated", broken: false });
  if (o["description"] !== "") tag("description", o["description"], items);
  tag("default", o["default"], items);
  tag("example", o["example"], items);
  if (Array.isArray(o["examples"])) {
    for (const example of o["examples"]) {
      const serialized = typeof example === "object" ? JSON.stringify(example, null, 2) : example;
      items.push({ text: `@example ${String(serialized).trim()}`, broken: true });
    }
  }
  if ("const" in o) items.push({ text: "@constant", broken: false });
  if (o["enum"]) {
    const type = Array.isArray(o["type"]) ? o["type"].join("|") : typeof o["type"] === "string" ? o["type"] : "unknown";
    items.push({ text: `@enum {${type}${o["nullable"] ? "|null" : ""}}`, broken: false });
  }
  if (items.length === 0) return "";
  return directComment(items, level) ?? libraryComment(items, level);
}

/** A `title` or `summary` line, when truthy. */
function title(value: unknown, items: Item[]): void {
  if (!value) return;
  if (typeof value !== "string") unsupported(); // the library calls `.trim()` on it
  items.push({ text: value.trim(), broken: true });
}

/** A `@description`, `@default` or `@example` line, when the value is there. */
function tag(field: string, value: unknown, items: Item[]): void {
  if (value === undefined) return;
  const serialized = typeof value === "object" ? JSON.stringify(value, null, 2) : value;
  items.push({ text: `@${field} ${String(serialized).trim()}`, broken: true });
}

/**
 * The comment as the library builds it (`/**`, ` * ` before each line, ` *\/`) and the printer writes it (its lines
 * cut where computeLineStarts cuts, each trimmed and indented): for any comment.
 */
function libraryComment(items: readonly Item[], level: number): string {
  const output = items.map(({ text, broken }) => (broken ? text.replace(LB_RE, "\n *     ") : text));
  const multiLine = output.some((item) => item.includes("\n"));
  const text = (output.length === 1 && !multiLine ? `* ${output.join("\n")} ` : `*\n * ${output.join("\n * ")}\n `).replace(COMMENT_END, "*\\/");
  const printed = blockComment(`/*${text}*/`, level);
  return printed.endsWith("\n") ? printed : `${printed}\n`;
}

/**
 * The same text written line by line, or undefined for a comment holding a line break other than `\n` and `\r\n`
 * (computeLineStarts also cuts at a lone `\r`, U+2028 and U+2029) or a `\n` the library leaves as it is (in `format`
 * or `type`): the printer would start such a line at that line's own indent. Otherwise each printed line is the
 * library's line trimmed: ` * ` (or ` *     ` on a continuation) and the text, at the level's indent plus the one
 * space before `*`; a one-line comment stays on one line. No `*\/` can span two lines, so each line is escaped alone.
 */
function directComment(items: readonly Item[], level: number): string | undefined {
  // Index loops, not for...of with destructuring: nearly all of a run is code V8 has not optimised, where each step
  // of a for...of allocates (GitHub's api.ts has ~30,000 comments).
  let multiLine = items.length > 1;
  for (let i = 0; i < items.length; i++) {
    const text = items[i]!.text;
    if (text.includes("\u2028") || text.includes("\u2029")) return undefined;
    if (!text.includes("\n")) {
      if (text.includes("\r")) return undefined;
      continue;
    }
    if (!items[i]!.broken || hasLoneCarriageReturn(text)) return undefined;
    multiLine = true;
  }
  if (!multiLine) return `${indent(level)}/** ${escapeEnd(items[0]!.text)} */\n`;
  const pad = `${indent(level)} `;
  let out = `${indent(level)}/**\n`;
  for (let i = 0; i < items.length; i++) {
    const text = items[i]!.text;
    if (!text.includes("\n")) {
      out += commentLine(pad, "* ", text);
      continue;
    }
    const lines = text.split(LB_RE);
    out += commentLine(pad, "* ", lines[0]!);
    for (let j = 1; j < lines.length; j++) out += commentLine(pad, "*     ", lines[j]!);
  }
  return `${out}${pad}*/\n`;
}

/**
 * `${pad}${escapeEnd(`${lead}${text}`.trimEnd())}\n` without the two copies of the line: `lead` ends with a space, so
 * the line trimmed is `lead` and `text` trimmed, or `*` when `text` is blank; and no `*\/` spans `lead` and `text`.
 */
function commentLine(pad: string, lead: string, text: string): string {
  const trimmed = text.trimEnd();
  return trimmed === "" ? `${pad}*\n` : `${pad}${lead}${escapeEnd(trimmed)}\n`;
}

/** Whether `text` holds a `\r` that does not start a `\r\n`. */
function hasLoneCarriageReturn(text: string): boolean {
  for (let at = text.indexOf("\r"); at !== -1; at = text.indexOf("\r", at + 1)) if (text.charCodeAt(at + 1) !== 10) return true;
  return false;
}

function escapeEnd(line: string): string {
  return line.includes("*/") ? line.replace(COMMENT_END, "*\\/") : line;
}
