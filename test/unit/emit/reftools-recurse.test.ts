/**
 * reftools-recurse.ts against reftools' own `recurse` (required here directly: the hook only redirects
 * swagger2openapi's require): every callback sees the same object, key and state, in the same order, callbacks that
 * change the document or the state have the same effect, and an error reads the same. Converting every Swagger 2.0
 * spec of the corpus with it into api.ts is checked byte for byte by the corpus suite.
 */
import { createRequire } from "node:module";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { recurse as ours } from "../../../scripts/generator/emit/reftools-recurse.ts";

type Recurse = typeof ours;
const theirs = (createRequire(import.meta.url)("reftools/lib/recurse.js") as { recurse: Recurse }).recurse;

const shared = { shared: true };
const DOCUMENT = {
  swagger: "2.0",
  paths: {
    "/pets/{id}": { get: { parameters: [{ name: "id", in: "path" }, null, 3, "x"], responses: { "200": { schema: { $ref: "#/definitions/Pet" } } } } },
    "/a~b/%20c d/é/😀": { "x-odd": [[], {}, [null]], "a~b": 1, "100%": 2, "~1": 3, "a/b": 4 },
  },
  definitions: { Pet: { properties: { "a'b(c)*!": { type: "string" }, "-_.": {}, hasOwnProperty: { type: "string" } } }, A: shared, B: shared },
};

/** Every callback's view (a copy of the state's plain fields), and the document afterwards. */
function trace(recurse: Recurse, state: () => Record<string, unknown> | null, change?: (object: Record<string, unknown>, key: string, state: Record<string, unknown>) => void) {
  const document = structuredClone(DOCUMENT) as Record<string, unknown>;
  // structuredClone copied `shared` twice; share it again so that identity detection has something to find.
  const definitions = document["definitions"] as Record<string, unknown>;
  definitions["B"] = definitions["A"];
  const calls: unknown[] = [];
  let error: string | undefined;
  try {
    recurse(document, state(), (object, key, s) => {
      calls.push({ object: JSON.stringify(object), key, path: s["path"], depth: s["depth"], pkey: s["pkey"], identity: s["identity"], identityPath: s["identityPath"], payload: s["payload"] });
      change?.(object, key, s);
    });
  } catch (caught) {
    error = `${(caught as Error).constructor.name}: ${(caught as Error).message}`;
  }
  return { calls, document, error };
}

const CASES: [string, () => Record<string, unknown> | null, ((object: Record<string, unknown>, key: string, state: Record<string, unknown>) => void)?][] = [
  ["no state", () => null],
  ["a payload and identity detection", () => ({ payload: { options: 1 }, identityDetection: true })],
  ["a starting path and depth (a state of one's own)", () => ({ path: "#/start", depth: 2, seen: new WeakMap(), payload: {} })],
  ["a callback that deletes nulls and rewrites refs (as swagger2openapi's do)", () => ({}), (object, key) => {
    if (object[key] === null) delete object[key];
    else if (key === "$ref") object[key] = `${object[key] as string}!`;
  }],
  ["a callback that changes the state's path", () => ({}), (_object, key, state) => {
    if (key === "get") state["path"] = "#/elsewhere";
  }],
];

describe("reftools-recurse walks as reftools' recurse does", () => {
  for (const [name, state, change] of CASES) {
    it(name, () => {
      const expected = trace(theirs, state, change);
      const actual = trace(ours, state, change);
      expect(expected.calls.length).toBeGreaterThan(10);
      expect(isDeepStrictEqual(actual, expected), JSON.stringify({ actual, expected }).slice(0, 2000)).toBe(true);
    });
  }

  it("identity detection, and a seen map a callback fills with detection off, are honoured the same way", () => {
    const run = (recurse: Recurse, identityDetection: boolean) => {
      const shared = { s: { t: 1 } };
      const seen: [string, unknown, unknown, unknown][] = [];
      recurse({ A: shared, B: shared, C: { d: shared } }, { identityDetection }, (object, key, state) => {
        if (!identityDetection && key === "A") (state["seen"] as WeakMap<object, string>).set(object[key] as object, "#/noted");
        seen.push([key, state["path"], state["identity"], state["identityPath"]]);
      });
      return seen;
    };
    for (const detection of [true, false]) {
      expect(run(ours, detection)).toEqual(run(theirs, detection));
      expect(run(ours, detection).filter(([, , identity]) => identity)).toHaveLength(2);
    }
  });

  it("an object whose own `hasOwnProperty` is not a function fails the same way", () => {
    const run = (recurse: Recurse) => {
      try {
        recurse({ a: { hasOwnProperty: 1, b: 2 } }, {}, () => {});
        return "no error";
      } catch (error) {
        return `${(error as Error).constructor.name}: ${(error as Error).message}`;
      }
    };
    expect(run(ours)).toBe(run(theirs));
    expect(run(ours)).toMatch(/TypeError/);
  });
});
