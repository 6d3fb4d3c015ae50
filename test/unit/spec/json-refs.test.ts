/**
 * json-refs.ts: a JSON spec's `$ref`s read off its text say "all local, all resolve" only when the walk of the parsed
 * document (spec/load.ts' readRefs) would have found no other file and nothing dangling; anything else is left to the
 * walk. Held to the walk on crafted texts, and through loadSpec on files (the dangling refs' messages and the bundling
 * of other files are the walk's).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { forEachRef, resolvePointer } from "../../../scripts/generator/model/refs.ts";
import { documentTraitsAndRefs } from "../../../scripts/generator/emit/api-types-scan.ts";
import { everyJsonRefResolves, mayHoldDiscriminatorOrAllOf } from "../../../scripts/generator/spec/json-refs.ts";
import { loadSpec } from "../../../scripts/generator/spec/load.ts";
import { oneByteJsonText } from "../../../scripts/generator/spec/json-bytes.ts";

/** What the walk finds: every ref local and resolving. */
function walkFindsNothing(document: Record<string, unknown>): boolean {
  let nothing = true;
  forEachRef(document, (ref) => {
    if (!ref.startsWith("#") || resolvePointer(document, ref) === undefined) nothing = false;
  });
  return nothing;
}

function scan(text: string): boolean {
  const document = JSON.parse(text) as Record<string, unknown>;
  const found = everyJsonRefResolves(document, text);
  // Never "nothing" where the walk finds something.
  if (found) expect(walkFindsNothing(document)).toBe(true);
  return found;
}

const spec = (paths: string): string =>
  `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "components": {"schemas": {"A": {"type": "string"}, "a/b": {"type": "string"}}}, "paths": ${paths}}`;

describe("everyJsonRefResolves", () => {
  it("says so when every $ref is local and resolves, whatever the spacing, and ignores what is not a $ref key with a string value", () => {
    expect(scan(spec(`{"/x": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref" :\n\t"#/components/schemas/A"}}}}}}}}`))).toBe(true);
    expect(scan(spec(`{"/x": {"description": "\\"$ref\\": \\"#/nowhere\\"", "x-a": "$ref", "x-b": ["$ref"], "x-c": {"$ref": {"not": "a string"}}}}`))).toBe(true);
    expect(scan(spec(`{}`))).toBe(true);
  });

  it("leaves a dangling, external or escaped ref to the walk", () => {
    expect(scan(spec(`{"/x": {"x-s": {"$ref": "#/components/schemas/B"}}}`))).toBe(false);
    expect(scan(spec(`{"/x": {"x-s": {"$ref": "other.json#/A"}}}`))).toBe(false);
    expect(scan(spec(`{"/x": {"x-s": {"$ref": "#/components/schemas/a~1b"}}}`))).toBe(true);
    // The same ref with an escaped slash, and a key spelled with escapes: the walk decides.
    expect(scan(spec(`{"/x": {"x-s": {"$ref": "#\\/components/schemas/A"}}}`))).toBe(false);
    expect(scan(spec(`{"/x": {"x-s": {"\\u0024ref": "#/components/schemas/B"}}}`))).toBe(false);
    expect(scan(spec(`{"/x": {"x-s": {"$r\\u0065f": "#/components/schemas/B"}}}`))).toBe(false);
    // A duplicate key (JSON.parse keeps the last): its dropped value is checked too.
    expect(scan(spec(`{"/x": {"x-s": {"$ref": "#/components/schemas/B", "$ref": "#/components/schemas/A"}}}`))).toBe(false);
    // A key ending in an escaped `"$ref`: an extra ref to check, never one missed.
    expect(scan(spec(`{"/x": {"x-s": {"\\"$ref": "#/components/schemas/B"}}}`))).toBe(false);
  });

  it("reads the one-byte text json-bytes.ts parses (non-ASCII as escapes)", () => {
    const text = oneByteJsonText(Buffer.from(spec(`{"/é": {"x-s": {"$ref": "#/components/schemas/A"}, "description": "café"}}`), "utf8"))!;
    expect(scan(text)).toBe(true);
    const escaped = oneByteJsonText(Buffer.from(spec(`{"/x": {"x-s": {"$ref": "#/components/schemas/é"}}}`), "utf8"))!;
    expect(scan(escaped)).toBe(false);
  });
});

describe("loadSpec of a JSON file without api.ts's traits (the main thread on two cores)", () => {
  const dir = mkdtempSync(join(tmpdir(), "json-refs-"));
  const load = async (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return loadSpec(path, readFile(path));
  };

  it("finds nothing dangling where every ref resolves, and the walk's messages where one does not", async () => {
    expect((await load("ok.json", spec(`{"/x": {"x-s": {"$ref": "#/components/schemas/A"}}}`))).dangling).toEqual([]);
    const dangling = await load("dangling.json", spec(`{"/x": {"x-s": {"$ref": "#/components/schemas/B"}, "x-t": {"$ref": "#/components/schemas/A"}}}`));
    expect(dangling.dangling).toEqual(['#/paths/~1x/x-s/$ref: "#/components/schemas/B" points to nothing']);
  });

  it("bundles a spec that references another file, as the walk finds", async () => {
    writeFileSync(join(dir, "other.json"), `{"B": {"type": "integer"}}`);
    const spec2 = await load("external.json", spec(`{"/x": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "other.json#/B"}}}}}}}}`));
    expect(spec2.bundled).toBe(true);
  });
});

/** Whether the walk meets an object with a `discriminator` or an `allOf` key. */
function walkMeetsDiscriminatorOrAllOf(node: unknown): boolean {
  if (node === null || typeof node !== "object") return false;
  if (!Array.isArray(node) && ("discriminator" in node || "allOf" in node)) return true;
  return Object.values(node).some(walkMeetsDiscriminatorOrAllOf);
}

function mayHold(text: string): boolean {
  const found = mayHoldDiscriminatorOrAllOf(text);
  // Never "none" where the walk meets one.
  if (!found) expect(walkMeetsDiscriminatorOrAllOf(JSON.parse(text))).toBe(false);
  return found;
}

describe("mayHoldDiscriminatorOrAllOf", () => {
  it("says none only when neither key can be in the text", () => {
    expect(mayHold(spec(`{"/x": {"x-s": {"anyOf": [{"$ref": "#/components/schemas/A"}], "description": "allOf discriminator"}}}`))).toBe(false);
    expect(mayHold(spec(`{"/x": {"x-s": {"allOf": [{"$ref": "#/components/schemas/A"}]}}}`))).toBe(true);
    expect(mayHold(spec(`{"/x": {"x-s": {"oneOf": [], "discriminator" : {"propertyName": "k"}}}}`))).toBe(true);
    // A value, not a key: "may" all the same.
    expect(mayHold(spec(`{"/x": {"x-s": {"enum": ["allOf"]}}}`))).toBe(true);
  });

  it("leaves a key spelled with an escaped letter to the walk, whatever the case of its hex digits", () => {
    for (const key of ["\\u0061llOf", "all\\u004ff", "all\\u004Ff", "allO\\u0066", "\\u0064iscriminator", "discrim\\u0069nator", "discriminat\\u006fr", "discriminato\\u0072", "di\\u0073criminator", "discrimina\\u0074or"]) {
      expect(mayHold(spec(`{"/x": {"x-s": {"${key}": {}}}}`))).toBe(true);
    }
  });

  it("reads the one-byte text json-bytes.ts parses (non-ASCII as escapes)", () => {
    expect(mayHold(oneByteJsonText(Buffer.from(spec(`{"/é": {"description": "café ÿ"}}`), "utf8"))!)).toBe(false);
    expect(mayHold(oneByteJsonText(Buffer.from(spec(`{"/é": {"x-s": {"allOf": []}, "description": "café"}}`), "utf8"))!)).toBe(true);
  });
});

describe("loadSpec of a JSON file with api.ts's traits (one core): the text's answer is the walk's", () => {
  const dir = mkdtempSync(join(tmpdir(), "json-traits-"));
  const walked = (document: Record<string, unknown>) => {
    const dangling: string[] = [];
    const traits = documentTraitsAndRefs(document, (ref, holder) => {
      if (ref.startsWith("#") && resolvePointer(document, ref) === undefined) dangling.push(`${holder()}/$ref: "${ref}" points to nothing`);
    });
    return { traits, dangling };
  };
  const cases: Record<string, string> = {
    plain: spec(`{"/x": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"anyOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/a~1b"}]}}}}}}}}`),
    allOf: spec(`{"/x": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"allOf": [{"$ref": "#/components/schemas/A"}]}}}}}}}}`),
    discriminator: spec(`{"/x": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"oneOf": [{"$ref": "#/components/schemas/A"}], "discriminator": {"propertyName": "k"}}}}}}}}}`),
    pathSchema: spec(`{"/x": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}}}}, "post": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/paths/~1x/get/responses/200/content/application~1json/schema"}}}}}}}}`),
    dangling: spec(`{"/x": {"x-s": {"$ref": "#/components/schemas/B"}, "x-t": {"$ref": "#/components/schemas/A"}}}`),
  };
  for (const [name, text] of Object.entries(cases)) {
    it(name, async () => {
      const path = join(dir, `${name}.json`);
      writeFileSync(path, text);
      const loaded = await loadSpec(path, readFile(path), { apiTypesTraits: true });
      const walk = walked(JSON.parse(text) as Record<string, unknown>);
      expect(loaded.dangling).toEqual(walk.dangling);
      expect({ ...loaded.apiTypesTraits, scanWithin: loaded.apiTypesTraits?.scanWithin?.size }).toEqual({ ...walk.traits, scanWithin: walk.traits?.scanWithin?.size });
    });
  }
});
