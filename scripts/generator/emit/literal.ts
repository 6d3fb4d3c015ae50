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
  if (value === undefined) return "undefined";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const flat = printFlat(value);
  if (flat.length + indent.length <= ONE_LINE_LIMIT) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return `[\n${value.map((item) => `${inner}${printLiteral(item, inner)},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return `{\n${entries.map(([k, v]) => `${inner}${printKey(k)}: ${printLiteral(v, inner)},`).join("\n")}\n${indent}}`;
}

function printFlat(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  if (Array.isArray(value)) return `[${value.map(printFlat).join(", ")}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  return `{ ${entries.map(([k, v]) => `${printKey(k)}: ${printFlat(v)}`).join(", ")} }`;
}
