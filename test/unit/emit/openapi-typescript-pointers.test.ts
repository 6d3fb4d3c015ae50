/**
 * openapi-typescript-pointers.ts against the functions it stands in for, Redocly's own (loaded here from
 * `@redocly/openapi-core/lib/ref-utils.js`): the same result, or the same error, for edge cases of RFC 6901 and of
 * Redocly's reading of a `$ref`. test/corpus/api-types-oracles.test.ts compares them on every pointer, key and string
 * of the corpus specs.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as ours from "../../../scripts/generator/emit/openapi-typescript-pointers.ts";

const require = createRequire(import.meta.url);
const redocly = require("@redocly/openapi-core/lib/ref-utils.js") as typeof ours;
const NAMES = ["parseRef", "parsePointer", "unescapePointer", "escapePointer"] as const;

/** What a call returns, or the error it throws (class and message). */
function outcome(fn: (input: never) => unknown, input: unknown): unknown {
  try {
    return { value: fn(input as never) };
  } catch (error) {
    return { error: `${(error as Error).constructor.name}: ${(error as Error).message}` };
  }
}

const EDGE_CASES: unknown[] = [
  "",
  "#",
  "#/",
  "##/a",
  "#/a/b",
  "#/components/schemas/a~1b~0c",
  "#/paths/~1pets~1{id}/get",
  "~0",
  "~1",
  "~01",
  "~10",
  "~",
  "~2",
  "a~",
  "%",
  "%25",
  "%7E1",
  "%2F",
  "a%20b",
  "%E2%82%AC",
  "%E2%82",
  "%zz",
  "/",
  "//a//b//",
  "#/a//b/",
  "x.json#/a",
  "x.json#",
  "x.json",
  "#/a#/b",
  "#/#/a",
  "a#/",
  "http://e.test/x.yaml#/components/schemas/A",
  "#/paths/~1a/get/parameters/0",
  "ünïcödé/😀",
  "\ud800",
  "$ref",
  0,
  7,
  -1,
  undefined,
  null,
  true,
  {},
  ["a"],
];

describe("openapi-typescript's pointer functions give Redocly's answers", () => {
  for (const name of NAMES) {
    it(`${name}: edge cases (~0, ~1, % escapes, empty segments, several #/, non-strings)`, () => {
      for (const input of EDGE_CASES) expect(outcome(ours[name] as never, input), JSON.stringify(input)).toEqual(outcome(redocly[name] as never, input));
    });
  }

  it("exports every name openapi-typescript imports from Redocly's ref-utils (the hook sends all those imports here)", () => {
    const dist = join(require.resolve("openapi-typescript/package.json"), "..", "dist");
    const imported = new Set<string>();
    for (const file of readdirSync(dist, { recursive: true, encoding: "utf8" }).filter((path) => path.endsWith(".mjs"))) {
      for (const match of readFileSync(join(dist, file), "utf8").matchAll(/import \{([^}]*)\} from '@redocly\/openapi-core\/lib\/ref-utils\.js'/g)) {
        for (const binding of match[1]!.split(",")) imported.add(binding.trim().split(/\s+as\s+/)[0]!);
      }
    }
    expect([...imported].sort()).toEqual(["escapePointer", "parseRef"]);
    for (const name of imported) expect(typeof (ours as Record<string, unknown>)[name]).toBe("function");
  });
});
