/**
 * reftools-walks.ts: swagger2openapi converts documents to the same OpenAPI 3 document (or fails with the same
 * error) whether its `recurse` is reftools' own or ours. swagger2openapi is loaded twice here, once with each (its
 * `require` of reftools' module is answered from Node's module cache, patched while it loads); the hook in
 * openapi-typescript-load.ts that sends the real one to ours is exercised by the corpus suite, which holds api.ts to
 * the library's on every Swagger 2.0 spec.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { knownWalk, recurse as ours, walkCalling } from "../../../scripts/generator/emit/reftools-walks.ts";

type Recurse = typeof ours;
type Convert = (document: unknown, options: Record<string, unknown>) => Promise<{ openapi: unknown }>;

const s2oRequire = createRequire(createRequire(import.meta.url).resolve("swagger2openapi"));
const RECURSE = s2oRequire.resolve("reftools/lib/recurse.js");
const INDEX = s2oRequire.resolve("swagger2openapi");
const reftools = s2oRequire(RECURSE) as { recurse: Recurse };
const theirs = reftools.recurse;

/** A fresh swagger2openapi whose `recurse` is the given one, and the top-level walks it asked for. */
function swagger2openapi(recurse: Recurse): { convertObj: Convert; walks: { state: unknown; callback: Parameters<Recurse>[2] }[] } {
  const walks: { state: unknown; callback: Parameters<Recurse>[2] }[] = [];
  delete s2oRequire.cache[INDEX];
  reftools.recurse = (object, state, callback) => {
    walks.push({ state: state === null || state === undefined ? state : { ...state }, callback });
    recurse(object, state, callback);
  };
  try {
    return { convertObj: (s2oRequire(INDEX) as { convertObj: Convert }).convertObj, walks };
  } finally {
    reftools.recurse = theirs;
    delete s2oRequire.cache[INDEX];
  }
}

const withTheirs = swagger2openapi(theirs);
const withOurs = swagger2openapi(ours);

async function convert(convertObj: Convert, document: unknown): Promise<string> {
  try {
    const { openapi } = await convertObj(document, { patch: true, warnOnly: true, resolve: false, text: "(not kept)" });
    return JSON.stringify(openapi);
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

function base(): Record<string, any> {
  return {
    swagger: "2.0",
    info: { title: "t", version: "1" },
    host: "api.example.test",
    consumes: ["application/json"],
    paths: {
      "/pets/{id}": {
        parameters: [{ $ref: "#/parameters/id" }],
        get: {
          parameters: [{ name: "filter", in: "query", type: "array", items: { type: "string", collectionFormat: "csv" } }],
          responses: {
            "200": { description: "ok", schema: { $ref: "#/definitions/Pet", description: "a sibling, in a schema" } },
            "404": { $ref: "#/responses/NotFound" },
            default: { description: "direct", schema: { $ref: "#/definitions/Pet/properties/name" } },
          },
          "x-ms-odata": "#/definitions/Pet",
        },
        post: {
          consumes: [{ $ref: "#/consumes" }],
          parameters: [{ name: "body", in: "body", schema: { $ref: "#/paths/~1pets~1{id}/get/responses/200/schema" } }],
          responses: { "201": { description: "made", schema: { $ref: "#/definitions/Pet/properties/name" } } },
        },
      },
      "/a~b/c d": { get: { responses: { "200": { description: "odd keys", schema: { properties: { "a/b": { $ref: "#/definitions/Pet" }, "~": { type: "string" } } } } } } },
    },
    parameters: { id: { name: "id", in: "path", required: true, type: "string" } },
    responses: { NotFound: { description: "none", schema: { $ref: "#/definitions/Error", "x-extra": 1 } } },
    definitions: {
      Pet: { type: "object", properties: { name: { type: "string" }, tag: { $ref: "#/definitions/Tag" } } },
      Tag: { type: "string", enum: ["a", "b"] },
      "Error.v1": { type: "object" },
      Error: { allOf: [{ $ref: "#/definitions/Error.v1" }] },
    },
  };
}

const CASES: [string, () => unknown][] = [
  ["refs of every kind: components, siblings, direct refs that make components, x-ms-odata, #/consumes, odd keys", base],
  ["nulls, kept in extensions, defaults and examples and deleted elsewhere", () => {
    const document = base();
    document["definitions"].Pet.properties.name = { type: "string", default: null, example: null, "x-null": null, description: null };
    document["paths"]["/pets/{id}"].get.responses["200"].examples = { "application/json": { a: null } };
    return document;
  }],
  ["an object reached twice (a YAML anchor)", () => {
    const document = base();
    document["definitions"].Copy = document["definitions"].Pet;
    return document;
  }],
  ["a schema property named hasOwnProperty", () => {
    const document = base();
    document["definitions"].Pet.properties.hasOwnProperty = { type: "string" };
    return document;
  }],
  ["a document with no paths and nothing else", () => ({ swagger: "2.0", info: { title: "t", version: "1" } })],
];

/** What reftools' walk gives for the cases that do not convert. */
const EXPECTED: Record<string, RegExp> = {
  "an object reached twice (a YAML anchor)": /^S2OError: YAML anchor or merge key at #\/definitions\/Copy$/,
  "a schema property named hasOwnProperty": /^TypeError: object.hasOwnProperty is not a function$/,
};

describe("swagger2openapi converts the same with reftools-walks.ts", () => {
  for (const [name, document] of CASES) {
    it(name, async () => {
      const expected = await convert(withTheirs.convertObj, document());
      expect(await convert(withOurs.convertObj, document())).toBe(expected);
      expect(expected).toMatch(EXPECTED[name] ?? /^\{"openapi":"3\.0\.0"/);
    });
  }

  it("recognises swagger2openapi's three walks of the whole document, and no other", async () => {
    withTheirs.walks.length = 0;
    await convert(withTheirs.convertObj, base());
    const recognised = withTheirs.walks.map(({ state, callback }) => knownWalk(state as never, callback) !== undefined);
    // detectObjectReferences, the nulls, fixupRefs; then the walk of a parameter's items (not recognised).
    expect(recognised).toEqual([true, true, true, false]);
  });
});

describe("walkCalling calls back where reftools' walk does, with its state", () => {
  /** The calls at `$ref` and `x-ms-odata` keys, each with the state's fields fixupRefs could read. */
  function trace(walk: (document: unknown, callback: Parameters<Recurse>[2]) => void, document: unknown) {
    const calls: unknown[] = [];
    const parents: unknown[] = [];
    try {
      walk(document, (object, key, state) => {
        if (key !== "$ref" && key !== "x-ms-odata") return;
        if (!parents.includes(state["parent"])) parents.push(state["parent"]);
        calls.push({ object: JSON.stringify(object), key, path: state["path"], depth: state["depth"], pkey: state["pkey"], parent: parents.indexOf(state["parent"]), payload: state["payload"], identity: state["identity"] });
        // fixupRefs replaces a $ref object that has siblings in its parent, while the walk goes on.
        if (key === "$ref" && Object.keys(object).length > 1) state["parent"][state["pkey"]] = { $ref: object[key] };
      });
    } catch (error) {
      calls.push(`${(error as Error).constructor.name}: ${(error as Error).message}`);
    }
    return { calls, document: JSON.stringify(document) };
  }
  const payload = { options: { tag: 1 } };
  const theirsWalk = (document: unknown, callback: Parameters<Recurse>[2]) => theirs(document, { payload }, callback);
  const oursWalk = (document: unknown, callback: Parameters<Recurse>[2]) => walkCalling(document, { payload }, callback, (key) => key === "$ref" || key === "x-ms-odata");

  it("on a document with refs at every depth, odd keys, arrays and nulls", () => {
    const document = () => ({ ...base(), odd: { "a/b~c": [{ $ref: "#/x" }, null, [{ "x-ms-odata": "#/definitions/Pet" }]], "100%": { $ref: "#/y", title: "sibling" } } });
    const expected = trace(theirsWalk, document());
    expect(trace(oursWalk, document())).toEqual(expected);
    expect(expected.calls.length).toBeGreaterThan(10);
  });

  it("on an object with its own hasOwnProperty (reftools' TypeError)", () => {
    // reftools throws at the object's first key, before walking into it.
    const document = () => ({ a: { $ref: "#/b" }, b: { c: { $ref: "#/a" }, hasOwnProperty: 2 } });
    const expected = trace(theirsWalk, document());
    expect(trace(oursWalk, document())).toEqual(expected);
    expect(expected.calls.at(-1)).toMatch(/^TypeError/);
  });
});
