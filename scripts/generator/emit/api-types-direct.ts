/**
 * api.ts's body written straight from the document: the text openapi-typescript 7.13's `transformSchema` (with
 * api-types.ts's options) and api-types-print.ts would write, without building a TypeScript node, so neither
 * openapi-typescript nor TypeScript need be loaded. The library's `transform/*.ts` (MIT), one function each, in the
 * same order, with the same pointers: here the root (`transform/index.ts`) and the paths, webhooks and components
 * objects (OpenAPI 3.0 §4.7.8-9, 3.1 §4.8.7-8); path items, operations, parameters, bodies, responses and headers in
 * api-types-operations.ts; schemas in api-types-schema.ts; the text of types in api-types-text.ts,
 * api-types-literals.ts and api-types-doc.ts.
 *
 * Exact or nothing: any input it does not reproduce exactly throws Unsupported, and api-types.ts then renders the
 * whole file with the library. test/corpus/api-types-oracles.test.ts holds it to the library on every corpus spec.
 */
import { docComment } from "./api-types-doc.ts";
import { propertyName, refType } from "./api-types-literals.ts";
import { headerType, parameterType, pathItemType, requestBodyType, responseType, type DirectContext } from "./api-types-operations.ts";
import { schemaType, type Context } from "./api-types-schema.ts";
import { EMPTY_RECORD, member, NEVER, rootMember, type Type, typeLiteral, unsupported } from "./api-types-text.ts";
import { createRef } from "./openapi-typescript-refs.ts";

type Json = Record<string, any>;

/**
 * The library's `WithRequired` helper, parsed from source by it and written by TypeScript's printer (a document that
 * needs it is rendered both ways in test/unit/emit/api-types-direct.test.ts).
 */
export const WITH_REQUIRED = "type WithRequired<T, K extends keyof T> = T & {\n    [P in K]-?: T[P];\n};\n";

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

/** transformSchema: the statements of api.ts's body. */
export function emitApiTypes(document: Json, ctx: Context): string {
  const direct: DirectContext = { ...ctx, operations: "", parameterLines: new Map() };
  let out = "";
  for (const root of ["paths", "webhooks", "components", "$defs"] as const) {
    const node = document[root];
    if (!node || typeof node !== "object") {
      out += emptyRoot(root);
      continue;
    }
    if (!isObject(node)) unsupported();
    const type = rootType(root, node, direct);
    // A type literal with members becomes an interface; anything else an empty record.
    out += type.members ? `export interface ${root} {\n${type.members}}\n` : emptyRoot(root);
  }
  for (const name of direct.footer) out += name === "operations" ? `export interface operations {\n${direct.operations}}\n` : WITH_REQUIRED;
  if (!direct.footer.includes("operations")) out += emptyRoot("operations");
  return out;
}

function emptyRoot(name: string): string {
  return `export type ${name} = ${EMPTY_RECORD.text};\n`;
}

function rootType(root: "paths" | "webhooks" | "components" | "$defs", node: Json, ctx: DirectContext): Type {
  switch (root) {
    case "paths":
      return pathsType(node, ctx);
    case "webhooks":
      return webhooksType(node, ctx);
    case "components":
      return componentsType(node, ctx);
    case "$defs":
      return schemaType(node, createRef(["$defs"]), 0, ctx);
  }
}

/** transformPathsObject: a member per path (a path item that is a `$ref` typed as the reference). */
function pathsType(paths: Json, ctx: DirectContext): Type {
  let members = "";
  for (const url in paths) {
    const item = paths[url];
    if (!item || typeof item !== "object") continue;
    if (!isObject(item)) unsupported();
    if ("$ref" in item) members += rootMember(1, `${propertyName(url)}: ${refType(item["$ref"]).text}`, docComment(item, 1));
    else members += rootMember(1, `${propertyName(url)}: ${pathItemType(item, createRef(["paths", url]), 1, ctx).text}`);
  }
  return typeLiteral(members, 0);
}

function webhooksType(webhooks: Json, ctx: DirectContext): Type {
  let members = "";
  for (const name in webhooks) {
    const item = webhooks[name];
    if (!isObject(item)) unsupported();
    members += rootMember(1, `${propertyName(name)}: ${pathItemType(item, createRef(["webhooks", name]), 1, ctx).text}`);
  }
  return typeLiteral(members, 0);
}

/** transformComponentsObject: each kind of component, `never` when there is none. */
function componentsType(components: Json, ctx: DirectContext): Type {
  let members = "";
  for (const key of ["schemas", "responses", "parameters", "requestBodies", "headers", "pathItems"] as const) {
    const items = components[key];
    let itemMembers = "";
    if (items) {
      if (!isObject(items)) unsupported();
      for (const name in items) {
        const item = items[name];
        const path = createRef(["components", key, name]);
        itemMembers += rootMember(2, `${propertyName(name)}: ${componentType(key, item, path, ctx).text}`, docComment(item, 2));
      }
    }
    members += member(1, `${key}: ${itemMembers === "" ? NEVER.text : typeLiteral(itemMembers, 1).text}`);
  }
  return typeLiteral(members, 0);
}

function componentType(key: string, item: unknown, path: string, ctx: DirectContext): Type {
  if (key === "schemas") return schemaType(item, path, 2, ctx);
  if (!isObject(item)) unsupported(); // each of the others reads a property of it
  switch (key) {
    case "responses":
      return responseType(item, path, 2, ctx);
    case "parameters":
      return parameterType(item, path, 2, ctx);
    case "requestBodies":
      return requestBodyType(item, path, 2, ctx);
    case "headers":
      return headerType(item, path, 2, ctx);
    default:
      return pathItemType(item, path, 2, ctx);
  }
}
