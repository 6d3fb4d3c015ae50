/**
 * Reading a listed input schema (JSON Schema 2020-12 as tools/list serves it) for the sampler: `$ref`s into its
 * `$defs` followed, `allOf` merged into one schema, one type chosen.
 */
export type Node = { [keyword: string]: unknown };

/** The schema admits no value the sampler can make. */
export class Unsampleable extends Error {}

/** The schema with `$ref` followed and `allOf` merged (properties, required and constraints together). */
export function merged(raw: unknown, root: Node): Node {
  const schema = deref(raw, root);
  if (!Array.isArray(schema["allOf"])) return schema;
  const { allOf, ...rest } = schema;
  const out: Node = {};
  const properties: Node = {};
  const required: string[] = [];
  for (const member of [rest, ...allOf].map((m) => merged(m, root))) {
    for (const [key, value] of Object.entries(member)) {
      if (key === "properties" && isNode(value)) Object.assign(properties, value);
      else if (key === "required") required.push(...stringList(value));
      else if (key === "type" && out["type"] !== undefined) out["type"] = commonType(out["type"], value);
      else if (out[key] === undefined) out[key] = value;
    }
  }
  if (Object.keys(properties).length > 0) out["properties"] = properties;
  if (required.length > 0) out["required"] = [...new Set(required)];
  return out;
}

/** The schema a chain of `$ref`s (into the listed schema's own `$defs`) leads to; siblings of a `$ref` kept. */
export function deref(raw: unknown, root: Node): Node {
  let node = isNode(raw) ? raw : {};
  for (let hops = 0; typeof node["$ref"] === "string"; hops++) {
    const ref = node["$ref"];
    if (hops > 32) throw new Unsampleable(`$ref ${ref} leads to itself`);
    const { $ref: _, ...siblings } = node;
    const target = pointer(root, ref);
    if (!isNode(target)) throw new Error(`unresolved $ref ${ref} in a listed schema`);
    node = Object.keys(siblings).length > 0 ? { allOf: [siblings, target] } : target;
  }
  return node;
}

function pointer(root: Node, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(part).replaceAll("~1", "/").replaceAll("~0", "~");
    node = isNode(node) || Array.isArray(node) ? (node as Node)[key] : undefined;
  }
  return node;
}

/** One type: the first non-null one listed, else what the keywords imply, else string. */
export function typeOf(schema: Node): string {
  const type = schema["type"];
  if (typeof type === "string") return type;
  if (Array.isArray(type)) return (type.find((t) => t !== "null") as string | undefined) ?? "null";
  if (isNode(schema["properties"]) || isNode(schema["additionalProperties"])) return "object";
  if (schema["items"] !== undefined) return "array";
  return "string";
}

function commonType(a: unknown, b: unknown): unknown {
  const list = (t: unknown): string[] => (Array.isArray(t) ? (t as string[]) : [t as string]);
  const widen = (types: string[]): string[] => (types.includes("number") ? [...types, "integer"] : types);
  const common = widen(list(a)).filter((t) => widen(list(b)).includes(t));
  if (common.length === 0) throw new Unsampleable(`allOf of types ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
  return common.length === 1 ? common[0] : common;
}

export function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
