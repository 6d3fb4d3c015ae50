/**
 * ref-parser-url.ts' `resolve` against json-schema-ref-parser's own: the same string, or the same error, for every pair
 * tried, the awkward ones included (spaces, `%`, unicode, `~1`, trailing spaces, a second `#`, remote URLs, Windows
 * paths, opaque URLs), asked in several orders so that its memo is met both empty and filled.
 */
import { resolve as libraryResolve } from "@apidevtools/json-schema-ref-parser/dist/lib/util/url.js";
import { describe, expect, it } from "vitest";
import * as url from "../../../scripts/generator/spec/ref-parser-url.ts";

type Outcome = { value: string } | { error: string };

function outcome(resolve: (from: string, to: string) => string, from: string, to: string): Outcome {
  try {
    return { value: resolve(from, to) };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

const FROMS = [
  "/work/specs/api.json",
  "/work/specs/api.json#/definitions/A/properties/b",
  "/work/specs/api.json#/paths/~1pets~1{id}/get",
  "/work/specs/",
  "",
  "#",
  "#/definitions/A",
  "api.json",
  "./dir/../api.json#/x",
  "C:\\specs\\api.json",
  "C:\\specs\\api.json#/paths",
  "\\\\?\\C:\\specs\\api.json#/a",
  "https://example.com/specs/api.json",
  "https://example.com/specs/api.json#/a#b",
  "https://user@example.com:8080/a/b.yaml?x=1#/q",
  "http://[::1]/a.json",
  "http://[bad/a.json#/x",
  "file:///C:/specs/api.json#/definitions",
  "/path with space/api.json",
  "/path with space/api.json #/a",
  "/trailing space /x#y",
  "/trailing/x.json\t#/y",
  "/trailing/x.json\u00a0#/y",
  "/a/b.json?x=1#/q",
  "/a/b.json?#/q",
  "/a%20b/c.json#/d",
  "/é/ü.json#/é",
  "/a\n/b.json",
  "data:text/plain,abc",
  "data:text/plain,abc#/x",
  "mailto:someone@example.com",
  "urn:x:y#/z",
];

const TOS = [
  "",
  "#",
  "#/definitions/Pet",
  "#/definitions/io.k8s.api.core.v1.Pod",
  "#/definitions/Pet~1x~0y",
  "#/paths/~1pets~1{id}/get/parameters/0",
  "#/definitions/with space",
  "#/definitions/trailing ",
  "#/definitions/trailing\t",
  "#/definitions/%25",
  "#/definitions/%2F",
  "#/definitions/%",
  "#/definitions/%E9",
  "#/a#b",
  "#/a#",
  "#/ünïcödé",
  "#/emoji😀",
  "#/lone\ud800",
  "#/quote\"",
  "#/angle<>",
  "#/back`tick",
  "#/back\\slash",
  "#/tab\tx",
  "#/nl\nx",
  "#/{}|^[]",
  "#/!$&'()*+,;=:@?/-._~",
  "#/a\u00a0",
  "#\u00a0",
  "#/a\u2028",
  "#/a\u0000b",
  "#/a\u007f",
  "other.json#/a",
  "../other.json#/definitions/B",
  "./sub dir/other.json#/a",
  "https://example.com/x.json#/a",
  "https://example.com/x.json#",
  "HTTPS://EXAMPLE.COM/./x/../y.json#/a",
  "/abs/file.json#/definitions/A",
  "/work/specs/api.json#/definitions/A",
  "/work/specs/api.json",
  "C:\\x\\y.json#/a",
  "\\\\?\\C:\\x.json#/a",
  "x.json #/a",
  "x.json\u00a0#/a",
  "x.json\t#/a",
  " #/a",
  "  x.json#/a",
  "#/a ",
  "?q#/a",
  "?#/a",
  "//host/x#/a",
  "//[bad/x#/a",
  "data:,x#/a",
  "mailto:x#/a",
  "file.json",
  "%2e%2e/x.json#/a",
];

/** A small deterministic generator (mulberry32), so that a failure can be found again. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ["/", "#", "#/", "%", "%25", "%2", "2", " ", "\t", "\n", "a", "x.json", "~1", "~0", "?", "\\", ":", ".", "..", "é", "\"", "<", "`", "\u00a0", "@", "[", "]", "{", "}", "https://h", "file://", "C:"];

function randomText(next: () => number): string {
  let text = "";
  for (let n = Math.floor(next() * 7); n > 0; n--) text += PIECES[Math.floor(next() * PIECES.length)];
  return text;
}

describe("ref-parser-url resolve", () => {
  it("gives the library's result or error for every pair of awkward references, in any order", () => {
    const pairs = FROMS.flatMap((from) => TOS.map((to) => [from, to] as const));
    for (const order of [pairs, [...pairs].reverse(), pairs]) {
      for (const [from, to] of order) expect([from, to, outcome(url.resolve, from, to)]).toEqual([from, to, outcome(libraryResolve, from, to)]);
    }
  });

  it("gives the library's result or error for random references", () => {
    const next = random(11);
    const froms = [...FROMS.slice(0, 8), ...Array.from({ length: 40 }, () => randomText(next))];
    for (let i = 0; i < 20_000; i++) {
      const from = froms[Math.floor(next() * froms.length)]!;
      const to = next() < 0.5 ? `#${randomText(next)}` : randomText(next);
      expect([from, to, outcome(url.resolve, from, to)]).toEqual([from, to, outcome(libraryResolve, from, to)]);
    }
  });

  it("resolves a local pointer against the base's file, whatever the base's own fragment", () => {
    const local = url.resolve("/work/specs/api.json#/paths/~1a/get", "#/definitions/Pet");
    expect(local).toBe("/work/specs/api.json#/definitions/Pet");
    expect(url.resolve("/work/specs/api.json#/elsewhere", "/work/specs/api.json#/definitions/Pet")).toBe(local);
  });

  it("keeps every other export of the library's module", async () => {
    const library = await import("@apidevtools/json-schema-ref-parser/dist/lib/util/url.js");
    expect(Object.keys(url).sort()).toEqual(Object.keys(library).sort());
    for (const name of Object.keys(library).filter((name) => name !== "resolve")) expect((url as Record<string, unknown>)[name]).toBe((library as Record<string, unknown>)[name]);
  });
});
