/**
 * Prints plain data as a TypeScript literal that reads like hand-written code: identifier keys unquoted, short
 * objects and arrays on one line, long ones one entry per line. Deterministic: key order is the data's own.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const ONE_LINE_LIMIT = 100;

export function printKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/**
 * Objects printed more than once, and their text at each indent. Listings share objects (Stripe's compacted output
 * schemas: 314,000 objects printed, 13,700 distinct), so a caller printing many values passes one, and each shared
 * object is printed twice at most. Its values must not change while it is in use.
 */
export interface PrintedLiterals {
  seen: WeakSet<object>;
  text: WeakMap<object, Map<string, string>>;
}

export function printedLiterals(): PrintedLiterals {
  return { seen: new WeakSet(), text: new WeakMap() };
}

export function printLiteral(value: unknown, indent = "", printed?: PrintedLiterals): string {
  if (value === undefined) return "undefined";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (!printed) return printObject(value, indent, printed);
  // The first time an object is met, it is only marked: most are printed once, and their text need not be kept.
  if (!printed.seen.has(value)) {
    printed.seen.add(value);
    return printObject(value, indent, printed);
  }
  let byIndent = printed.text.get(value);
  if (!byIndent) printed.text.set(value, (byIndent = new Map()));
  let text = byIndent.get(indent);
  if (text === undefined) byIndent.set(indent, (text = flattened(printObject(value, indent, printed))));
  return text;
}

/**
 * The text of an object printed again, flattened when short. Concatenated text is a tree of its parts until V8 needs
 * its characters, and then each use is walked part by part: writing tools.ts walked the trees of shared objects once
 * per use (Stripe: 314,000 objects printed from 13,700). `Number(text)` makes V8 flatten the string in place, so each
 * later use copies one block. Long texts are left as trees: their parts are shorter shared texts already flat, and
 * flattening them too would hold a copy of those parts at every level (Stripe: ~12 MB more at the peak).
 */
function flattened(text: string): string {
  if (text.length < FLATTEN_LIMIT) Number(text);
  return text;
}

const FLATTEN_LIMIT = 4096;

/**
 * One entry per line. Built by concatenation, not `join`: V8 concatenates by linking the two strings and copies once
 * when the whole file is written, where `join` copies its parts at every level, so the text of a value nested ten
 * deep was copied ten times (tools.ts is 20 MB on Stripe's and Kubernetes' specs).
 */
function printObject(value: object, indent: string, printed: PrintedLiterals | undefined): string {
  const flat = printFlat(value, ONE_LINE_LIMIT - indent.length);
  if (flat !== undefined) return flat;
  const inner = `${indent}  `;
  const array = Array.isArray(value);
  let text = array ? "[\n" : "{\n";
  let first = true;
  if (array) {
    for (const item of value) {
      text += `${first ? "" : "\n"}${inner}${printLiteral(item, inner, printed)},`;
      first = false;
    }
  } else {
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      text += `${first ? "" : "\n"}${inner}${printKey(key)}: ${printLiteral(item, inner, printed)},`;
      first = false;
    }
  }
  return `${text}\n${indent}${array ? "]" : "}"}`;
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
