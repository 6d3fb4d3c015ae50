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
import { type BodyWriter, EMPTY_RECORD, member, NEVER, TextBody, type Type, Utf8Body, unsupported } from "./api-types-text.ts";
import { createRef } from "./openapi-typescript-refs.ts";

type Json = Record<string, any>;

/**
 * The library's `WithRequired` helper, parsed from source by it and written by TypeScript's printer (a document that
 * needs it is rendered both ways in test/unit/emit/api-types-direct.test.ts).
 */
export const WITH_REQUIRED = "type WithRequired<T, K extends keyof T> = T & {\n    [P in K]-?: T[P];\n};\n";

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

/** transformSchema: the statements of api.ts's body, as text (the tests compare it with the library's). */
export function emitApiTypes(document: Json, ctx: Context): string {
  const body = new TextBody();
  const operations = new TextBody();
  const footer = emitRoots(document, ctx, body, operations);
  writeFooter(footer, body, () => body.write(operations.text));
  return body.text;
}

/** The body as UTF-8 (what api.ts's file and the cache's entry hold), and its text's length. */
export function emitApiTypesUtf8(document: Json, ctx: Context): { utf8: Uint8Array; length: number } {
  const body = new Utf8Body();
  const operations = new Utf8Body();
  const footer = emitRoots(document, ctx, body, operations);
  // The members of `operations` copied as bytes: a TextBody's text would be one more copy to encode.
  writeFooter(footer, body, () => body.append(operations));
  return { utf8: body.bytes(), length: body.length };
}

/**
 * The root interfaces written to `body` a member at a time, as each is made; the members of `operations` (met within
 * path items) to `operations`. Returns the footer's statements, in the order the library adds them.
 */
function emitRoots(document: Json, ctx: Context, body: BodyWriter, operations: BodyWriter): readonly string[] {
  const direct: DirectContext = { ...ctx, operations, parameterLines: new Map() };
  for (const root of ["paths", "webhooks", "components", "$defs"] as const) {
    const node = document[root];
    if (!node || typeof node !== "object") {
      body.write(emptyRoot(root));
      continue;
    }
    if (!isObject(node)) unsupported();
    rootInterface(root, node, direct, body);
  }
  return direct.footer;
}

/** The footer: `operations` (its members written by `operationMembers`) and WithRequired, in `footer`'s order. */
function writeFooter(footer: readonly string[], body: BodyWriter, operationMembers: () => void): void {
  for (const name of footer) {
    if (name !== "operations") {
      body.write(WITH_REQUIRED);
      continue;
    }
    body.write("export interface operations {\n");
    operationMembers();
    body.write("}\n");
  }
  if (!footer.includes("operations")) body.write(emptyRoot("operations"));
}

function emptyRoot(name: string): string {
  return `export type ${name} = ${EMPTY_RECORD.text};\n`;
}

/** A type literal with members becomes an interface; anything else an empty record. */
function rootInterface(root: "paths" | "webhooks" | "components" | "$defs", node: Json, ctx: DirectContext, body: BodyWriter): void {
  switch (root) {
    case "paths":
      return membersOrEmpty(body, `export interface paths {\n`, "}\n", emptyRoot(root), (members) => pathsMembers(node, ctx, members));
    case "webhooks":
      return membersOrEmpty(body, `export interface webhooks {\n`, "}\n", emptyRoot(root), (members) => webhooksMembers(node, ctx, members));
    case "components":
      body.write("export interface components {\n");
      componentsMembers(node, ctx, body);
      return body.write("}\n");
    case "$defs": {
      const type = schemaType(node, createRef(["$defs"]), 0, ctx);
      return body.write(type.members ? `export interface $defs {\n${type.members}}\n` : emptyRoot(root));
    }
  }
}

/**
 * `head`, the members `write` writes, `tail`; or `empty` when it writes none (emitTypeLiteral's `{}`). The head waits
 * for the first member: nothing is written twice nor taken back.
 */
function membersOrEmpty(body: BodyWriter, head: string, tail: string, empty: string, write: (members: BodyWriter) => void): void {
  let any = false;
  write({
    write(text) {
      if (!any) body.write(head);
      any = true;
      body.write(text);
    },
  });
  body.write(any ? tail : empty);
}

/** transformPathsObject: a member per path (a path item that is a `$ref` typed as the reference). */
function pathsMembers(paths: Json, ctx: DirectContext, members: BodyWriter): void {
  for (const url in paths) {
    const item = paths[url];
    if (!item || typeof item !== "object") continue;
    if (!isObject(item)) unsupported();
    if ("$ref" in item) members.write(member(1, `${propertyName(url)}: ${refType(item["$ref"]).text}`, docComment(item, 1)));
    else members.write(member(1, `${propertyName(url)}: ${pathItemType(item, createRef(["paths", url]), 1, ctx).text}`));
  }
}

function webhooksMembers(webhooks: Json, ctx: DirectContext, members: BodyWriter): void {
  for (const name in webhooks) {
    const item = webhooks[name];
    if (!isObject(item)) unsupported();
    members.write(member(1, `${propertyName(name)}: ${pathItemType(item, createRef(["webhooks", name]), 1, ctx).text}`));
  }
}

/** transformComponentsObject: each kind of component, `never` when there is none. */
function componentsMembers(components: Json, ctx: DirectContext, body: BodyWriter): void {
  for (const key of ["schemas", "responses", "parameters", "requestBodies", "headers", "pathItems"] as const) {
    const items = components[key];
    membersOrEmpty(body, `    ${key}: {\n`, "    };\n", `    ${key}: ${NEVER.text};\n`, (members) => {
      if (!items) return;
      if (!isObject(items)) unsupported();
      for (const name in items) {
        const item = items[name];
        const path = createRef(["components", key, name]);
        members.write(member(2, `${propertyName(name)}: ${componentType(key, item, path, ctx).text}`, docComment(item, 2)));
      }
    });
  }
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
