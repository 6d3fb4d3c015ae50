import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import libraryJsonParser from "@apidevtools/json-schema-ref-parser/dist/lib/parsers/json.js";
import { describe, expect, it } from "vitest";
import { jsonBytesParser, oneByteJsonText } from "../../../scripts/generator/spec/json-bytes.ts";
import { loadSpec } from "../../../scripts/generator/spec/load.ts";

type Outcome = { value: unknown } | { error: string };

/** What a parser makes of the bytes, called as json-schema-ref-parser calls it (`this`: its JSON parser's options). */
async function outcome(parse: (this: unknown, file: { data: unknown; url: string }) => Promise<unknown>, bytes: Buffer): Promise<Outcome> {
  try {
    return { value: await parse.call({ ...libraryJsonParser }, { data: bytes, url: "/specs/api.json" }) };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/** Same value with the same key order (isDeepStrictEqual ignores it), or the same error. */
function expectSameOutcome(ours: Outcome, library: Outcome): void {
  expect(ours).toEqual(library);
  if ("value" in ours && "value" in library) {
    expect(isDeepStrictEqual(ours.value, library.value)).toBe(true);
    expect(JSON.stringify(ours.value)).toBe(JSON.stringify(library.value));
  }
}

const padding = (length: number) => "x".repeat(length);
const utf8 = (text: string) => Buffer.from(text, "utf8");

/** Files json-schema-ref-parser's parser reads: JSON with and without non-ASCII text, and files it refuses. */
const FILES: readonly [string, Buffer][] = [
  ["ASCII only", utf8(`{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}`)],
  ["Latin-1, BMP and astral characters", utf8(`{"a":"café","b":"日本語","c":"😀 x 🚀","d":["é",{"ü":"ß"}]}`)],
  ["non-ASCII keys, escapes beside them, U+2028", utf8(`{"ключ":"\\u00e9é\\n","k\u2028":"\u2028\u2029"}`)],
  ["a run across a block boundary", utf8(`{"a":"${padding(4090)}日本語日本語","b":"é"}`)],
  // The 4,096-byte blocks json-bytes.ts checks: a character's bytes split between two of them, at each place.
  ...[1, 2, 3].map((before): [string, Buffer] => [`a four-byte character with ${before} of its bytes before a block boundary`, utf8(`{"a":"${padding(4096 - 6 - before)}😀x","b":"é"}`)]),
  ...[1, 2].map((before): [string, Buffer] => [`a three-byte character with ${before} of its bytes before a block boundary`, utf8(`["${padding(4096 - 2 - before)}日本"]`)]),
  ["a two-byte character split by a block boundary", utf8(`["${padding(4096 - 3)}é"]`)],
  ["runs at many block boundaries", utf8(`[${Array.from({ length: 40 }, (_, i) => `"${padding(1000 + i * 37)}✓é😀"`).join(",")}]`)],
  ["a non-ASCII character last in a string at the file's end", utf8(`"${padding(5000)}é"`)],
  ["a __proto__ key", utf8(`{"__proto__":{"é":1},"a":"é"}`)],
  ["invalid UTF-8 inside a string", Buffer.concat([utf8(`{"a":"x`), Buffer.from([0xff, 0xc3]), utf8(`y","b":"`), Buffer.from([0xe6, 0x97]), utf8(`"}`)])],
  ["invalid UTF-8 outside a string", Buffer.concat([utf8(`{"a":1`), Buffer.from([0xc3, 0xa9]), utf8(`}`)])],
  ["a non-ASCII character outside a string", utf8(`{"a":1,é}`)],
  ["non-ASCII whitespace around the value", utf8(`\u3000{"a":1}\u00a0`)],
  ["a byte order mark", utf8(`\ufeff{"a":"é"}`)],
  ["bad JSON, ASCII", utf8(`{"a": [1, 2,, 3]}`)],
  ["bad JSON after non-ASCII text", utf8(`{"a":"é", "b": tru}`)],
  // A backslash then a non-ASCII character is no escape (RFC 8259 §7); written as `\uXXXX`, it would become `\\`.
  ["a backslash before a non-ASCII character", utf8(`{"a":"x\\é"}`)],
  ["three backslashes before a non-ASCII character", utf8(`{"a":"\\\\\\日本"}`)],
  ["an escaped backslash before a non-ASCII character", utf8(`{"a":"\\\\é","b":"\\\\\\\\😀"}`)],
  ["an empty file", Buffer.alloc(0)],
  ["whitespace only", utf8(" \n\t ")],
  ["non-ASCII whitespace only", utf8("\u3000\u00a0\u2028")],
];

describe("jsonBytesParser", () => {
  it.each(FILES)("parses %s as json-schema-ref-parser's JSON parser does", async (_name, bytes) => {
    expectSameOutcome(await outcome(jsonBytesParser.parse, bytes), await outcome(libraryJsonParser.parse as never, bytes));
  });

  it("writes the text with ASCII characters only", () => {
    const escapingBackslash = new Set(["a backslash before a non-ASCII character", "three backslashes before a non-ASCII character"]);
    for (const [name, bytes] of FILES) if (!escapingBackslash.has(name)) expect(oneByteJsonText(bytes)).toMatch(/^[\x00-\x7f]*$/);
  });

  it("leaves a backslash before a non-ASCII character to the library's parser, and keeps an escaped backslash", () => {
    expect(oneByteJsonText(utf8(`{"a":"x\\é"}`))).toBeUndefined();
    expect(oneByteJsonText(utf8(`{"a":"\\\\é"}`))).toBe(`{"a":"\\\\\\u00e9"}`);
  });

  it("gives loadSpec the document swagger-parser reads from the file itself", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "json-bytes-")), "api.json");
    const document = {
      openapi: "3.0.3",
      info: { title: "Café 日本 😀", version: "1", description: `${padding(6000)}é` },
      paths: { "/é": { get: { summary: "ü", responses: { 200: { description: "✓" } } } } },
    };
    writeFileSync(path, JSON.stringify(document, null, 2));
    const fromBytes = await loadSpec(path, Promise.resolve(Buffer.from(JSON.stringify(document, null, 2))));
    const fromFile = await loadSpec(path);
    expect(JSON.stringify(fromBytes.document)).toBe(JSON.stringify(fromFile.document));
    expect(fromBytes.document).toEqual(document);
  });

  it("marks the document JSON.parse made as a parsed tree, and one from YAML (which may share objects) not", async () => {
    const folder = mkdtempSync(join(tmpdir(), "json-bytes-"));
    const json = join(folder, "api.json");
    const yaml = join(folder, "api.yaml");
    writeFileSync(json, JSON.stringify({ swagger: "2.0", info: { title: "t", version: "1" }, paths: {} }));
    writeFileSync(yaml, "swagger: '2.0'\ninfo: &info {title: t, version: '1'}\npaths: {}\nx-again: *info\n");
    expect((await loadSpec(json, Promise.resolve(readFileSync(json)))).parsedTree).toBe(true);
    const fromYaml = await loadSpec(yaml, Promise.resolve(Buffer.from("swagger: '2.0'\ninfo: &info {title: t, version: '1'}\npaths: {}\nx-again: *info\n")));
    expect(fromYaml.parsedTree).toBeUndefined();
    expect(fromYaml.document["x-again"]).toBe(fromYaml.document["info"]);
    // Without the bytes, swagger-parser reads the file with its own parser: not marked.
    expect((await loadSpec(json)).parsedTree).toBeUndefined();
  });

  it("does not mark a JSON document that references another file: the bundling wrote that file's content into it", async () => {
    const folder = mkdtempSync(join(tmpdir(), "json-bytes-"));
    const json = join(folder, "api.json");
    writeFileSync(join(folder, "item.json"), JSON.stringify({ type: "object", properties: { id: { type: "string" } } }));
    const text = JSON.stringify({
      swagger: "2.0",
      info: { title: "t", version: "1" },
      paths: { "/a": { get: { responses: { 200: { description: "ok", schema: { $ref: "item.json" } } } } } },
    });
    writeFileSync(json, text);
    const spec = await loadSpec(json, Promise.resolve(Buffer.from(text)));
    expect(spec.bundled).toBe(true);
    expect(spec.parsedTree).toBeUndefined();
  });
});
