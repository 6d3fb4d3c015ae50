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
 * The lines of the comment being made, before the library joins them: line i is `leads[i]` + `values[i]`. A lead is a
 * fixed text ("", "Format: ", "@description "…: no line break, no `*`, ending with a space unless empty), the value
 * what the document gives, trimmed where the library trims it; `broken[i]` when the library puts each of its `\r\n` /
 * `\n` line breaks on a continuation line (`\n *     `), else the text is used as it is.
 *
 * Lists reused from one comment to the next, not an object per line in a new list (GitHub's ~30,000 comments: ~8 MB),
 * and the value looked at and cut apart alone: `includes`, `split` and `trimEnd` on a lead and value concatenated
 * would first copy them into one flat string (~2.5 MB more). docComment is not re-entered while it fills them.
 */
const leads: string[] = [];
const values: string[] = [];
const broken: boolean[] = [];
let count = 0;

function add(lead: string, value: string, isBroken: boolean): void {
  leads[count] = lead;
  values[count] = value;
  broken[count] = isBroken;
  count++;
}

/** addJSDocComment's `/** … *\/` for a member at `level`, as the printer writes it (ends with a line break), or "". */
export function docComment(object: unknown, level: number): string {
  if (!object || typeof object !== "object" || Array.isArray(object)) return "";
  const o = object as Record<string, any>;
  count = 0;
  // Each field looked at before calling title or tag for it: most are absent, and a call costs more than the look in
  // this unoptimised code (docComment runs for every member of api.ts: ~100,000 times on GitHub).
  const titleValue = o["title"];
  if (titleValue) title(titleValue);
  const summary = o["summary"];
  if (summary) title(summary);
  if (o["format"]) add("Format: ", `${o["format"]}`, false);
  if (o["deprecated"]) add("", "@deprecated", false);
  const description = o["description"];
  if (description !== "" && description !== undefined) tag("@description ", description);
  const defaultValue = o["default"];
  if (defaultValue !== undefined) tag("@default ", defaultValue);
  const example = o["example"];
  if (example !== undefined) tag("@example ", example);
  const examples = o["examples"];
  if (Array.isArray(examples)) {
    for (let i = 0; i < examples.length; i++) {
      const example = examples[i];
      const serialized = typeof example === "object" ? JSON.stringify(example, null, 2) : example;
      add("@example ", String(serialized).trim(), true);
    }
  }
  if ("const" in o) add("", "@constant", false);
  if (o["enum"]) {
    const type = Array.isArray(o["type"]) ? o["type"].join("|") : typeof o["type"] === "string" ? o["type"] : "unknown";
    add("", `@enum {${type}${o["nullable"] ? "|null" : ""}}`, false);
  }
  if (count === 0) return "";
  return directComment(level) ?? libraryComment(level);
}

/** A `title` or `summary` line (a truthy value). */
function title(value: unknown): void {
  if (typeof value !== "string") unsupported(); // the library calls `.trim()` on it
  add("", value.trim(), true);
}

/** A `@description`, `@default` or `@example` line (`lead`), for a value that is there. */
function tag(lead: string, value: unknown): void {
  const serialized = typeof value === "object" ? JSON.stringify(value, null, 2) : value;
  add(lead, String(serialized).trim(), true);
}

/**
 * The comment as the library builds it (`/**`, ` * ` before each line, ` *\/`) and the printer writes it (its lines
 * cut where computeLineStarts cuts, each trimmed and indented): for any comment.
 */
function libraryComment(level: number): string {
  const output: string[] = [];
  for (let i = 0; i < count; i++) {
    const text = leads[i]! + values[i]!;
    output.push(broken[i] ? text.replace(LB_RE, "\n *     ") : text);
  }
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
 * space before `*`; a one-line comment stays on one line. No `*\/` can span two lines, nor a lead and its value, so
 * each value is escaped alone.
 */
function directComment(level: number): string | undefined {
  let multiLine = count > 1;
  for (let i = 0; i < count; i++) {
    const value = values[i]!;
    if (value.includes("\u2028") || value.includes("\u2029")) return undefined;
    if (!value.includes("\n")) {
      if (value.includes("\r")) return undefined;
      continue;
    }
    if (!broken[i] || hasLoneCarriageReturn(value)) return undefined;
    multiLine = true;
  }
  if (!multiLine) return `${indent(level)}/** ${leads[0]}${escapeEnd(values[0]!)} */\n`;
  const pad = `${indent(level)} `;
  let out = `${indent(level)}/**\n`;
  for (let i = 0; i < count; i++) {
    const value = values[i]!;
    if (!value.includes("\n")) {
      out += commentLine(pad, "* ", leads[i]!, value);
      continue;
    }
    const lines = value.split(LB_RE);
    out += commentLine(pad, "* ", leads[i]!, lines[0]!);
    for (let j = 1; j < lines.length; j++) out += commentLine(pad, "*     ", "", lines[j]!);
  }
  return `${out}${pad}*/\n`;
}

/**
 * `${pad}${escapeEnd(`${marker}${lead}${text}`.trimEnd())}\n` without copying the line: `marker` and a lead that is not
 * empty end with a space, so the line trimmed is `marker`, `lead` and `text` trimmed, or without `text` when that is
 * blank (and `*` alone when the lead is empty too); a lead holds no `*\/`.
 */
function commentLine(pad: string, marker: string, lead: string, text: string): string {
  const trimmed = text.trimEnd();
  if (trimmed !== "") return `${pad}${marker}${lead}${escapeEnd(trimmed)}\n`;
  const bare = lead.trimEnd();
  return bare === "" ? `${pad}*\n` : `${pad}${marker}${bare}\n`;
}

/** Whether `text` holds a `\r` that does not start a `\r\n`. */
function hasLoneCarriageReturn(text: string): boolean {
  for (let at = text.indexOf("\r"); at !== -1; at = text.indexOf("\r", at + 1)) if (text.charCodeAt(at + 1) !== 10) return true;
  return false;
}

function escapeEnd(line: string): string {
  return line.includes("*/") ? line.replace(COMMENT_END, "*\\/") : line;
}
