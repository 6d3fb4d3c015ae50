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
  text: WeakMap<object, Map<string, PrintedText>>;
}

export function printedLiterals(): PrintedLiterals {
  return { seen: new WeakSet(), text: new WeakMap() };
}

/** A kept text and its `fitsFrom` (see below). */
interface PrintedText {
  text: string;
  fitsFrom: number;
}

/**
 * Of the text printLiteral last returned: the least budget its one-line form fits (the one-line form's rules, in
 * printObject), or Infinity when the text spans lines. A parent reads it right after printing each of its entries,
 * so each value is printed once and the parent's one-line form is made from its entries' texts. Trying a whole
 * value's one-line form before printing its entries failed part way for most values that span lines, and the part
 * was tried again one level down (Stripe's tools.ts: 107,000 of 187,000 one-line attempts were such).
 */
let fitsFrom = 0;

export function printLiteral(value: unknown, indent = "", printed?: PrintedLiterals): string {
  if (value === undefined || value === null || typeof value !== "object") {
    const text = value === undefined ? "undefined" : JSON.stringify(value);
    fitsFrom = text.length;
    return text;
  }
  if (!printed) return printObject(value, indent, printed);
  // The first time an object is met, it is only marked: most are printed once, and their text need not be kept.
  if (!printed.seen.has(value)) {
    printed.seen.add(value);
    return printObject(value, indent, printed);
  }
  let byIndent = printed.text.get(value);
  if (!byIndent) printed.text.set(value, (byIndent = new Map()));
  let kept = byIndent.get(indent);
  if (kept === undefined) {
    const text = flattened(printObject(value, indent, printed));
    byIndent.set(indent, (kept = { text, fitsFrom }));
  }
  fitsFrom = kept.fitsFrom;
  return kept.text;
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
 * On one line when it fits in ONE_LINE_LIMIT less the indent, else one entry per line. The one-line form is
 * `{ key: value, … }`, `[value, …]`, `{}` or `[]`, each entry on one line too; it fits a budget when the budget is
 * not negative, an array of n items has 4 + 3n of it, each entry fits what is left of it after the entries before
 * (counting 4, and each entry's text and 2), and that count stays within it. Each of these is a lower bound on the
 * budget, so the least budget it fits is the greatest of them (`fitsFrom`), known once the entries are printed.
 *
 * Lines are built by concatenation, not `join`: V8 concatenates by linking the two strings and copies once when the
 * whole file is written, where `join` copies its parts at every level, so the text of a value nested ten deep was
 * copied ten times (tools.ts is 20 MB on Stripe's and Kubernetes' specs). The one-line form is joined: it is short.
 */
function printObject(value: object, indent: string, printed: PrintedLiterals | undefined): string {
  const inner = `${indent}  `;
  const array = Array.isArray(value);
  const keys = array ? undefined : Object.keys(value);
  const count = keys ? keys.length : (value as unknown[]).length;
  const budget = ONE_LINE_LIMIT - indent.length;
  let least = array && count > 0 ? 4 + 3 * count : 0;
  // While the one-line form may fit: its entries and what they count. Lines are made only once it cannot: most
  // values fit on one line.
  let parts: string[] | undefined = least <= budget ? [] : undefined;
  let used = 4;
  let text = array ? "[" : "{";
  for (let i = 0; i < count; i++) {
    const key = keys?.[i];
    const item = key === undefined ? (value as unknown[])[i] : (value as Record<string, unknown>)[key];
    if (key !== undefined && item === undefined) continue;
    const prefix = key === undefined ? "" : `${printKey(key)}: `;
    const entry = printLiteral(item, inner, printed);
    if (parts !== undefined) {
      least = Math.max(least, used + prefix.length + fitsFrom);
      used += prefix.length + entry.length + 2;
      least = Math.max(least, used);
      if (least <= budget) {
        parts.push(prefix + entry);
        continue;
      }
      for (const part of parts) text += `\n${inner}${part},`;
      parts = undefined;
    }
    text += `\n${inner}${prefix}${entry},`;
  }
  if (parts === undefined) {
    fitsFrom = Infinity;
    // With no entry (not even `{}` fits a budget below zero), the opening line is followed by an empty one.
    return `${text === "{" || text === "[" ? `${text}\n` : text}\n${indent}${array ? "]" : "}"}`;
  }
  fitsFrom = least;
  if (array) return `[${parts.join(", ")}]`;
  return parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`;
}
