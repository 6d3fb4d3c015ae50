/**
 * discriminators.ts against openapi-typescript's own scanDiscriminators, which it repeats with a cheaper walk: on
 * documents built to reach each branch, both run on their own copy and must return the same objects and handled
 * refs, change the copies the same way, and warn (or throw) the same. test/corpus/api-types-oracles.test.ts compares
 * them on every corpus spec.
 */
import { isDeepStrictEqual } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { documentTraits } from "../../../scripts/generator/emit/api-types-scan.ts";
import { scanDiscriminators } from "../../../scripts/generator/emit/discriminators.ts";
import { importOpenApiTypescript } from "../../../scripts/generator/emit/openapi-typescript-load.ts";

let library: Awaited<ReturnType<typeof importOpenApiTypescript>>;
beforeAll(async () => {
  library = await importOpenApiTypescript();
});

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const object = (properties: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({ type: "object", properties, ...extra });

const DOCUMENTS: [string, Record<string, unknown>][] = [
  [
    "oneOf with inferred values, a mapping naming some of them, targets as objects and as allOf",
    {
      components: {
        schemas: {
          Pet: { oneOf: [ref("Cat"), ref("Dog"), ref("Bird")], discriminator: { propertyName: "kind", mapping: { kitty: "#/components/schemas/Cat" } } },
          Cat: object({ kind: { type: "string", description: "what it is" } }, { required: ["name"] }),
          Dog: { allOf: [ref("Base"), object({ bark: { type: "boolean" } })] },
          Bird: object(),
          Base: object({ name: { type: "string" } }),
        },
      },
    },
  ],
  [
    "allOf members inheriting a discriminator, mapped and not, through two levels",
    {
      components: {
        schemas: {
          Base: object(
            { type: { type: "string" } },
            { discriminator: { propertyName: "type", mapping: { a: "#/components/schemas/A", b: "#/components/schemas/B", e: "#/components/schemas/E" } } },
          ),
          A: { allOf: [ref("Base"), object({ a: { type: "string" } })] },
          B: { allOf: [ref("Base")] },
          C: { allOf: [ref("A"), object({ c: { type: "string" } })] },
          D: { allOf: [object({}, { discriminator: { propertyName: "inline" } }), ref("Missing")] },
          // openapi-typescript stops at the first $ref member that has no discriminator: E's Base is never looked at.
          E: { allOf: [ref("Plain"), ref("Base")] },
          Plain: object(),
        },
      },
    },
  ],
  [
    "discriminators inline under paths, a mapping to a schema that is neither an object nor an allOf (a warning), empty mapping values",
    {
      paths: {
        "/pets/{id}": {
          get: {
            responses: {
              "200": {
                content: {
                  "application/json": {
                    schema: { oneOf: [ref("Fish"), ref("Nope")], discriminator: { propertyName: "t", mapping: { f: "#/components/schemas/Fish", x: "", s: "#/components/schemas/Str" } } },
                  },
                },
              },
            },
          },
        },
      },
      components: { schemas: { Fish: object({ t: { type: "string" } }, { required: ["t"] }), Str: { type: "string" } } },
    },
  ],
  ["a discriminator without propertyName, arrays of arrays, nulls", { components: { schemas: { X: { discriminator: {}, oneOf: [ref("Y")] }, Y: { allOf: [[null], null, 0] }, Z: [[{ discriminator: { propertyName: "p" } }]] } } }],
  ["an allOf member that is not an object (openapi-typescript throws)", { components: { schemas: { A: { allOf: [ref("B"), "oops"] }, B: object({}, { discriminator: { propertyName: "k" } }) } } }],
  ["a oneOf member that is null (openapi-typescript throws)", { components: { schemas: { P: { oneOf: [null], discriminator: { propertyName: "k" } } } } }],
];

/** The scan's result or error, what it warned, and the document afterwards. */
function run(scan: (document: unknown, warnings: string[]) => unknown, document: unknown) {
  const copy = structuredClone(document);
  const warnings: string[] = [];
  let result: unknown;
  try {
    result = { value: scan(copy, warnings) };
  } catch (error) {
    result = { error: `${(error as Error).constructor.name}: ${(error as Error).message}` };
  }
  return { result, warnings, document: copy };
}

describe("the discriminator scan does what openapi-typescript's does", () => {
  for (const [name, document] of DOCUMENTS) {
    it(name, () => {
      const original = console.warn;
      let sink: string[] = [];
      console.warn = (message: string) => sink.push(message);
      try {
        const theirs = run((copy, warnings) => ((sink = warnings), library.scanDiscriminators(copy as never, { silent: false })), document);
        const ours = run((copy, warnings) => ((sink = warnings), scanDiscriminators(copy, { silent: false }, library)), document);
        expect(isDeepStrictEqual(ours, theirs), JSON.stringify({ ours, theirs }, null, 1)).toBe(true);
        // Walking only where api-types-scan.ts notes a discriminator or an allOf below changes nothing.
        const within = run((copy, warnings) => ((sink = warnings), scanDiscriminators(copy, { silent: false }, library, documentTraits(copy).scanWithin)), document);
        expect(isDeepStrictEqual(within, theirs), JSON.stringify({ within, theirs }, null, 1)).toBe(true);
      } finally {
        console.warn = original;
      }
    });
  }

  it("found something to compare: the documents above reach patches, inheritance and warnings", () => {
    const [, first] = DOCUMENTS[0]!;
    const scan = scanDiscriminators(structuredClone(first), { silent: true }, library);
    expect(scan.refsHandled.length).toBeGreaterThan(0);
    // and the scan below passes some of a document by.
    const copy = structuredClone(first);
    const within = documentTraits(copy).scanWithin!;
    expect(within.has((copy as any).components.schemas.Bird)).toBe(false);
    expect(within.has((copy as any).components.schemas.Dog)).toBe(true);
  });
});
