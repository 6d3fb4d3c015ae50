/**
 * openapi-typescript 7.13's `addJSDocComment` (`lib/ts.ts`, MIT) as text: the `/** … *\/` comment a member gets from
 * its object's title, summary, format, deprecation, description, default, examples, const and enum, written as the
 * printer writes a synthesised comment (api-types-print.ts's blockComment).
 */
import { blockComment } from "./api-types-print.ts";
import { unsupported } from "./api-types-text.ts";

const LB_RE = /\r?\n/g;
const TITLES = ["title", "summary"];
const TAGS = ["description", "default", "example"];
const COMMENT_END = /\*\//g;

/** addJSDocComment's `/** … *\/` for a member at `level`, as the printer writes it (ends with a line break), or "". */
export function docComment(object: unknown, level: number): string {
  if (!object || typeof object !== "object" || Array.isArray(object)) return "";
  const o = object as Record<string, any>;
  const output: string[] = [];
  for (const field of TITLES) {
    if (!o[field]) continue;
    if (typeof o[field] !== "string") unsupported(); // the library calls `.trim()` on it
    output.push(o[field].trim().replace(LB_RE, "\n *     "));
  }
  if (o["format"]) output.push(`Format: ${o["format"]}`);
  if (o["deprecated"]) output.push("@deprecated");
  for (const field of TAGS) {
    const value = o[field];
    if (value === undefined || (value === "" && field === "description")) continue;
    const serialized = typeof value === "object" ? JSON.stringify(value, null, 2) : value;
    output.push(`@${field} ${String(serialized).trim().replace(LB_RE, "\n *     ")}`);
  }
  if (Array.isArray(o["examples"])) {
    for (const example of o["examples"]) {
      const serialized = typeof example === "object" ? JSON.stringify(example, null, 2) : example;
      output.push(`@example ${String(serialized).trim().replace(LB_RE, "\n *     ")}`);
    }
  }
  if ("const" in o) output.push("@constant");
  if (o["enum"]) {
    const type = Array.isArray(o["type"]) ? o["type"].join("|") : typeof o["type"] === "string" ? o["type"] : "unknown";
    output.push(`@enum {${type}${o["nullable"] ? "|null" : ""}}`);
  }
  if (output.length === 0) return "";
  const multiLine = output.some((item) => item.includes("\n"));
  const text = (output.length === 1 && !multiLine ? `* ${output.join("\n")} ` : `*\n * ${output.join("\n * ")}\n `).replace(COMMENT_END, "*\\/");
  const printed = blockComment(`/*${text}*/`, level);
  return printed.endsWith("\n") ? printed : `${printed}\n`;
}
