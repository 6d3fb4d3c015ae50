/**
 * openapi-typescript's `scanDiscriminators` (7.13, `lib/utils.ts`, MIT), step for step, but with the path of the node
 * being visited kept in one array that grows and shrinks, where the library's `walk` makes a new array per node
 * (`path.concat(key)`): its two walks of the whole document took ~0.2 s of CPU on GitHub's spec, plus the garbage.
 *
 * What it finds and what it changes in the document are the library's: the objects that carry a `discriminator`
 * (keyed by their pointer, made by the library's `createRef`), the `allOf` members that inherit one, and the enum
 * each mapped schema gets for the discriminator's property (OpenAPI 3.0 §4.7.25 / 3.1 §4.8.25: the value a payload
 * of that schema must carry), in the same order and with the same warnings. test/corpus/api-types-oracles.test.ts
 * compares both on every corpus spec, test/unit/emit/discriminators.test.ts on edge cases.
 */
import type * as OpenApiTypescript from "openapi-typescript";

/** A node of the document, read as loosely as the library reads it. */
type Json = Record<string, any>;
type Path = (string | number)[];
type DiscriminatorScan = ReturnType<typeof OpenApiTypescript.scanDiscriminators>;
/** The library functions used as they are. */
type DiscriminatorHelpers = Pick<typeof OpenApiTypescript, "createRef" | "resolveRef" | "warn">;

/**
 * `within`: when given, the only objects and arrays the walks enter (the document's root aside): those holding an
 * object with a `discriminator` or an `allOf` member, themselves included (api-types-scan.ts). Anywhere else both
 * callbacks return at once, and nothing the scan patches in adds such a member, so entering there changes nothing.
 */
export function scanDiscriminators(
  schema: unknown,
  options: { silent?: boolean },
  helpers: DiscriminatorHelpers,
  within?: ReadonlySet<object>,
): DiscriminatorScan {
  const { createRef } = helpers;
  const objects: Record<string, Json> = {};
  const refsHandled: string[] = [];

  // First walk: every object with a discriminator, and the enum of each schema its oneOf or mapping names.
  walk(schema, within, (obj, path) => {
    const discriminator = obj?.["discriminator"];
    if (!discriminator?.propertyName) return;
    const ref = createRef(path);
    objects[ref] = discriminator;
    if (!obj?.["oneOf"] || !Array.isArray(obj["oneOf"])) return;
    const mapping: Record<string, { inferred?: string; defined?: string[] }> = {};
    for (const item of obj["oneOf"]) {
      if ("$ref" in item) {
        const value = item.$ref.split("/").pop();
        if (value) {
          if (!mapping[item.$ref]) mapping[item.$ref] = { inferred: value };
          else mapping[item.$ref]!.inferred = value;
        }
      }
    }
    if (discriminator.mapping) {
      for (const mappedValue in discriminator.mapping) {
        const mappedRef = discriminator.mapping[mappedValue];
        if (!mappedRef) continue;
        if (!mapping[mappedRef]?.defined) mapping[mappedRef] = { defined: [] };
        mapping[mappedRef]!.defined?.push(mappedValue);
      }
    }
    for (const [mappedRef, { inferred, defined }] of Object.entries(mapping)) {
      if (refsHandled.includes(mappedRef)) continue;
      if (!inferred && !defined) continue;
      const mappedValues = defined ?? [inferred!];
      if (patchDiscriminatorEnum(schema as Json, mappedRef, mappedValues, discriminator, ref, options, helpers)) refsHandled.push(mappedRef);
    }
  });

  // Second walk: allOf members that inherit a discriminator, and the enum a mapping gives the schema holding them.
  walk(schema, within, (obj, path) => {
    if (!obj || !Array.isArray(obj["allOf"])) return;
    for (const item of obj["allOf"]) {
      if ("$ref" in item) {
        if (!objects[item.$ref]) return;
        const ref = createRef(path);
        const discriminator = objects[item.$ref]!;
        const mappedValues: string[] = [];
        if (discriminator["mapping"]) {
          for (const mappedValue in discriminator["mapping"]) {
            if (discriminator["mapping"][mappedValue] === ref) mappedValues.push(mappedValue);
          }
          if (mappedValues.length > 0) {
            if (patchDiscriminatorEnum(schema as Json, ref, mappedValues, discriminator, item.$ref, options, helpers)) refsHandled.push(ref);
          }
        }
        objects[ref] = { ...objects[item.$ref] };
      } else if (item.discriminator?.propertyName) {
        objects[createRef(path)] = { ...item.discriminator };
      }
    }
  });
  return { objects, refsHandled } as DiscriminatorScan;
}

function patchDiscriminatorEnum(
  schema: Json,
  ref: string,
  values: string[],
  discriminator: Json,
  discriminatorRef: string,
  options: { silent?: boolean },
  { resolveRef, warn }: DiscriminatorHelpers,
): boolean {
  const resolvedSchema = resolveRef(schema as never, ref, { silent: options.silent ?? false }) as Json | undefined;
  if (resolvedSchema?.["allOf"]) {
    resolvedSchema["allOf"].push({
      type: "object",
      required: [discriminator["propertyName"]],
      properties: { [discriminator["propertyName"]]: discriminatorEnum(values) },
    });
    return true;
  } else if (typeof resolvedSchema === "object" && "type" in resolvedSchema && resolvedSchema["type"] === "object") {
    if (!resolvedSchema["properties"]) resolvedSchema["properties"] = {};
    if (!resolvedSchema["required"]) resolvedSchema["required"] = [discriminator["propertyName"]];
    else if (!resolvedSchema["required"].includes(discriminator["propertyName"])) resolvedSchema["required"].push(discriminator["propertyName"]);
    resolvedSchema["properties"][discriminator["propertyName"]] = discriminatorEnum(values, resolvedSchema["properties"][discriminator["propertyName"]]);
    return true;
  }
  warn(
    `Discriminator mapping has an invalid schema (neither an object schema nor an allOf array): ${ref} => ${values.join(", ")} (Discriminator: ${discriminatorRef})`,
    options.silent,
  );
  return false;
}

function discriminatorEnum(values: string[], previous?: Json): Json {
  return {
    type: "string",
    enum: values,
    description: previous?.["description"]
      ? `${previous["description"]} (enum property replaced by openapi-typescript)`
      : "discriminator enum property added by openapi-typescript",
  };
}

/**
 * The library's walk: objects depth first in key order (keys read after the callback, which may add some), arrays
 * item by item up to their current length, the callback on objects only. `path` is the walk's own array, valid
 * during the callback only (the callbacks above only turn it into a pointer). An object or array not `within` (when
 * given) is passed by.
 */
function walk(obj: unknown, within: ReadonlySet<object> | undefined, callback: (obj: Json, path: Path) => void, path: Path = []): void {
  if (!obj || typeof obj !== "object") return;
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) {
      const item = obj[i];
      if (within && item && typeof item === "object" && !within.has(item)) continue;
      path.push(i);
      walk(item, within, callback, path);
      path.pop();
    }
    return;
  }
  callback(obj as Json, path);
  for (const key of Object.keys(obj)) {
    const value = (obj as Json)[key];
    if (within && value && typeof value === "object" && !within.has(value)) continue;
    path.push(key);
    walk(value, within, callback, path);
    path.pop();
  }
}
