/**
 * Prints plain data as a TypeScript literal that reads like hand-written code: identifier keys unquoted, short
 * objects and arrays on one line, long ones one entry per line. Deterministic: key order is the data's own.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const ONE_LINE_LIMIT = 100;

export function printKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

export function printLiteral(value: unknown, indent = ""): string {
  const out: string[] = [];
  writeLiteral(value, indent, out);
  return out.join("");
}

/**
 * Appends the literal's pieces to `out`, joined once at the end: joining each level's lines into a string of its own
 * copied every value once per level above it (Stripe's tools.ts is 20 MB, nested ten levels deep).
 */
function writeLiteral(value: unknown, indent: string, out: string[]): void {
  if (value === undefined) {
    out.push("undefined");
    return;
  }
  if (value === null || typeof value !== "object") {
    out.push(`${JSON.stringify(value)}`);
    return;
  }
  const flat = printFlat(value, ONE_LINE_LIMIT - indent.length);
  if (flat !== undefined) {
    out.push(flat);
    return;
  }
  const inner = `${indent}  `;
  const array = Array.isArray(value);
  out.push(array ? "[\n" : "{\n");
  let written = 0;
  for (const [key, item] of Object.entries(value)) {
    if (!array && item === undefined) continue;
    out.push(array ? inner : `${inner}${printKey(key)}: `);
    writeLiteral(item, inner, out);
    out.push(",\n");
    written++;
  }
  // An empty list still has its line between the brackets, as `[\n${lines.join("\n")}\n]` gave it.
  if (written === 0) out.push("\n");
  out.push(indent, array ? "]" : "}");
}

/**
 * The one-line form, or undefined as soon as it would exceed `budget` characters (so printing a deep value stays
 * linear instead of re-flattening every subtree at every level).
 */
function printFlat(value: unknown, budget: number): string | undefined {
  if (budget < 0) return undefined;
  // A string's JSON is at least two quotes longer: a long description is not escaped again at every level above it.
  if (typeof value === "string" && value.length + 2 > budget) return undefined;
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value) ?? "undefined";
    return text.length <= budget ? text : undefined;
  }
  // Each item takes at least 3 characters (its text and ", "): a wide array fails at once. Entries are read one at a
  // time, as most attempts stop after a few: this runs at every level of printLiteral.
  const array = Array.isArray(value);
  if (array && value.length > 0 && 4 + 3 * value.length > budget) return undefined;
  const keys = array ? undefined : Object.keys(value);
  const count = keys ? keys.length : (value as unknown[]).length;
  const parts: string[] = [];
  let used = 4;
  for (let i = 0; i < count; i++) {
    const key = keys?.[i];
    const item = key === undefined ? (value as unknown[])[i] : (value as Record<string, unknown>)[key];
    if (key !== undefined && item === undefined) continue;
    const prefix = key === undefined ? "" : `${printKey(key)}: `;
    const text = printFlat(item, budget - used - prefix.length);
    if (text === undefined) return undefined;
    parts.push(prefix + text);
    used += prefix.length + text.length + 2;
    if (used > budget) return undefined;
  }
  if (array) return `[${parts.join(", ")}]`;
  return parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`;
}
