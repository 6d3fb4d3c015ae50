/**
 * The bracket convention for values OpenAPI leaves undefined: arrays and nested objects inside a `deepObject`
 * parameter or a styled form field (OpenAPI 3.1.1 §4.8.12.4 defines `deepObject` for one level of scalars only).
 * DESIGN.md decision 8: write them the way most servers parse them (Rails/Rack, PHP, the `qs` package behind
 * Express): `a[b][c]=1`, arrays per the configured ArrayFormat, arrays of objects or arrays always indexed
 * (`items[0][price]=5`).
 *
 * Returns raw pairs: names and values are encoded by the caller for its place (query, form body, multipart part).
 */
import type { ArrayFormat } from "./types.ts";

export interface RawPair {
  readonly name: string;
  readonly value: string;
}

/** The default where bridge.yaml sets none (`tools.arrayFormat`). */
export const DEFAULT_ARRAY_FORMAT: ArrayFormat = "brackets";

function isDefined(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function isStructured(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

/**
 * The pairs for `value` under `name`: an object's members as `name[member]`, an array's items per `format`, a
 * scalar as one pair (`text` turns it into its wire text). Absent members (undefined, null) are not sent.
 */
export function bracketPairs(name: string, value: unknown, format: ArrayFormat, text: (scalar: unknown) => string): RawPair[] {
  if (Array.isArray(value)) {
    const items = value.filter(isDefined);
    if (items.some(isStructured)) {
      return items.flatMap((item, i) => bracketPairs(`${name}[${i}]`, item, format, text));
    }
    return items.map((item, i) => ({ name: arrayItemName(name, i, format), value: text(item) }));
  }
  if (isStructured(value)) {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => isDefined(member))
      .flatMap(([member, memberValue]) => bracketPairs(`${name}[${member}]`, memberValue, format, text));
  }
  return isDefined(value) ? [{ name, value: text(value) }] : [];
}

function arrayItemName(name: string, index: number, format: ArrayFormat): string {
  switch (format) {
    case "brackets":
      return `${name}[]`;
    case "indices":
      return `${name}[${index}]`;
    case "repeat":
      return name;
  }
}
