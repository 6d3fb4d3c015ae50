/**
 * api-types-print.ts against its oracle, TypeScript's printer as openapi-typescript calls it (`astToString`), node
 * kind by node kind: every tree below is printed by both and must come out byte for byte the same, or, for the forms
 * the printer does not know, be refused (undefined) so that api-types.ts lets TypeScript print the whole file.
 * The whole corpus is compared the same way in test/corpus/api-types-oracles.test.ts.
 */
import type * as TS from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { createTypesPrinter, type TypesPrinter } from "../../../scripts/generator/emit/api-types-print.ts";
import { apiTypesTree } from "../../../scripts/generator/emit/api-types.ts";
import { importOpenApiTypescript } from "../../../scripts/generator/emit/openapi-typescript-load.ts";

let ts: typeof TS;
let f: TS.NodeFactory;
let print: TypesPrinter;
let astToString: (nodes: TS.Node[]) => string;
/** openapi-typescript's own node builders (loaded after the loader's hook, so with the same TypeScript). */
let lib: {
  stringToAST(source: string): TS.Node[];
  tsLiteral(value: unknown): TS.TypeNode;
  tsPropertyIndex(index: string | number): TS.PropertyName;
  addJSDocComment(schema: object, node: TS.Node): void;
  oapiRef(ref: string): TS.TypeNode;
  tsEnum(name: string, members: string[], metadata?: unknown, options?: object): TS.Node;
  tsEnumMember(value: string, metadata: { description: string }): TS.Node;
};

beforeAll(async () => {
  const openapiTS = await importOpenApiTypescript();
  ts = openapiTS.ts;
  f = ts.factory;
  astToString = (nodes) => openapiTS.astToString(nodes as never);
  print = createTypesPrinter(ts, (statement) => astToString([statement]));
  lib = (await import("openapi-typescript/dist/lib/ts.mjs" as string)) as typeof lib;
});

const kw = (kind: TS.KeywordTypeSyntaxKind): TS.KeywordTypeNode => f.createKeywordTypeNode(kind);
const alias = (type: TS.TypeNode, name = "T"): TS.Node => f.createTypeAliasDeclaration([f.createModifier(ts.SyntaxKind.ExportKeyword)], name, undefined, type);
const prop = (name: string | number, type: TS.TypeNode, options: { optional?: boolean; readonly?: boolean } = {}): TS.PropertySignature =>
  f.createPropertySignature(
    options.readonly ? [f.createModifier(ts.SyntaxKind.ReadonlyKeyword)] : [],
    lib.tsPropertyIndex(name),
    options.optional ? f.createToken(ts.SyntaxKind.QuestionToken) : undefined,
    type,
  );
const literalType = (members: TS.TypeElement[]): TS.TypeLiteralNode => f.createTypeLiteralNode(members);
const commented = <N extends TS.Node>(node: N, schema: object): N => {
  lib.addJSDocComment(schema, node);
  return node;
};

/** Both printers agree, and ours did print. */
function expectSame(nodes: TS.Node[]): string {
  const ours = print(nodes);
  const theirs = astToString(nodes);
  expect(ours).toBeDefined();
  expect(ours).toBe(theirs);
  return theirs;
}

describe("the api.ts printer prints what TypeScript's printer prints", () => {
  it("keyword types", () => {
    const K = ts.SyntaxKind;
    const kinds = [K.StringKeyword, K.NumberKeyword, K.BooleanKeyword, K.NeverKeyword, K.UnknownKeyword, K.UndefinedKeyword, K.AnyKeyword, K.ObjectKeyword] as const;
    expectSame(kinds.map((kind, i) => alias(kw(kind), `T${i}`)));
  });

  it("literal types: strings that need escaping, numbers, negative numbers, booleans, null", () => {
    const strings = ["plain", 'say "hi"', "back\\slash", "tab\there", "line\nbreak", "crlf\r\n", "\u2028\u2029\u0085", "nul\u0000", "nul\u00001", "\u0007bell", "ünïcödé", "😀", "~/{}$"];
    const values: TS.TypeNode[] = [
      ...strings.map((text) => f.createLiteralTypeNode(f.createStringLiteral(text))),
      lib.tsLiteral(0),
      lib.tsLiteral(12.5),
      lib.tsLiteral(-3),
      lib.tsLiteral(1e21),
      lib.tsLiteral(true),
      lib.tsLiteral(false),
      lib.tsLiteral(null),
    ];
    expectSame(values.map((type, i) => alias(type, `T${i}`)));
  });

  it("openapi-typescript's string literals (identifiers holding JSON text), raw non-ASCII included", () => {
    expectSame(["a", 'q"uote', "ünï", "😀", "x\u0085y"].map((value, i) => alias(lib.tsLiteral(value), `T${i}`)));
  });

  it("property names: identifiers, quoted strings (escaped), numbers; optional and readonly members", () => {
    const names: (string | number)[] = ["id", "$ref", "_x", "content-type", "application/json", "200", "4XX", 0, "-1", "01", "ünï", 'a"b', "a\\b", "tab\t", "é\u2028"];
    const members = names.map((name, i) => prop(name, kw(ts.SyntaxKind.StringKeyword), { optional: i % 2 === 0, readonly: i % 3 === 0 }));
    expectSame([alias(literalType(members))]);
  });

  it("type references with and without arguments, indexed access chains, arrays", () => {
    const record = f.createTypeReferenceNode("Record", [kw(ts.SyntaxKind.StringKeyword), kw(ts.SyntaxKind.NeverKeyword)]);
    const ref = lib.oapiRef("#/components/schemas/pet~1food/properties/0/items");
    const union = f.createUnionTypeNode([kw(ts.SyntaxKind.StringKeyword), lib.tsLiteral(null)]);
    const intersection = f.createIntersectionTypeNode([ref, literalType([prop("a", kw(ts.SyntaxKind.NumberKeyword))])]);
    expectSame([
      alias(record, "A"),
      alias(ref, "B"),
      alias(f.createArrayTypeNode(union), "C"),
      alias(f.createArrayTypeNode(f.createArrayTypeNode(ref)), "D"),
      alias(f.createIndexedAccessTypeNode(union, lib.tsLiteral(0)), "E"),
      alias(f.createArrayTypeNode(intersection), "F"),
      alias(f.createTypeReferenceNode("Omit", [ref, f.createUnionTypeNode([lib.tsLiteral("a"), lib.tsLiteral("b")])]), "G"),
    ]);
  });

  it("unions and intersections, nested ones parenthesised, type literals inside them", () => {
    const object = literalType([prop("a", kw(ts.SyntaxKind.StringKeyword)), prop("b", literalType([prop("c", kw(ts.SyntaxKind.NumberKeyword))]))]);
    const union = f.createUnionTypeNode([object, kw(ts.SyntaxKind.StringKeyword)]);
    const intersection = f.createIntersectionTypeNode([object, union]);
    expectSame([alias(f.createUnionTypeNode([intersection, lib.tsLiteral(null)]), "A"), alias(f.createIntersectionTypeNode([union, intersection]), "B")]);
  });

  it("tuples: empty, flat, nested and holding type literals, at several depths", () => {
    const object = literalType([prop("a", kw(ts.SyntaxKind.StringKeyword))]);
    const tuple = f.createTupleTypeNode([kw(ts.SyntaxKind.StringKeyword), object, f.createTupleTypeNode([])]);
    expectSame([
      alias(f.createTupleTypeNode([]), "A"),
      alias(tuple, "B"),
      alias(literalType([prop("x", literalType([prop("y", tuple, { optional: true })]))]), "C"),
      alias(f.createArrayTypeNode(tuple), "D"),
    ]);
  });

  it("type literals: empty, nested, index signatures", () => {
    const index = f.createIndexSignature(
      [],
      [f.createParameterDeclaration(undefined, undefined, f.createIdentifier("key"), undefined, kw(ts.SyntaxKind.StringKeyword))],
      kw(ts.SyntaxKind.UnknownKeyword),
    );
    const nested = literalType([prop("a", literalType([])), index, prop("b", literalType([index, prop("c", literalType([index]))]))]);
    expectSame([alias(literalType([]), "A"), alias(nested, "B"), alias(f.createIntersectionTypeNode([nested, literalType([index])]), "C")]);
  });

  it("interfaces, exported or not, empty or not", () => {
    const exported = [f.createModifier(ts.SyntaxKind.ExportKeyword)];
    expectSame([
      f.createInterfaceDeclaration(exported, "paths", undefined, undefined, [prop("/a", literalType([prop("get", kw(ts.SyntaxKind.NeverKeyword), { optional: true })]))]),
      f.createInterfaceDeclaration(undefined, "empty", undefined, undefined, []),
      f.createInterfaceDeclaration(exported, "emptyExported", undefined, undefined, []),
    ]);
  });

  it("JSDoc comments as openapi-typescript writes them, at several depths", () => {
    const schemas: object[] = [
      { description: "one line" },
      { title: "Title", description: "first\nsecond\n\nafter a blank line", format: "date-time", deprecated: true },
      { description: "  padded  ", default: { nested: { list: [1, 2] } }, example: "", examples: ["a", { b: [null] }] },
      { summary: "ends a comment */ early", enum: ["a"], type: ["string", "null"], nullable: true },
      { const: 1, description: "tabs\tinside\n\tand leading\n  \t mixed" },
      { description: "windows\r\nline\r\nends and a lone\rcarriage return" },
      { description: "separators\u2028line\u2029paragraph" },
      { description: "unicode spaces\n\u00a0\u2003\u3000\ufeffafter them\n\u200bzero width\n\u0085next line" },
      { description: "trailing spaces   \n   \n*/" },
      // `format` is not re-indented by openapi-typescript: its lines start with whatever the spec had.
      { format: "raw\n\nnewlines\n  in a format\n\ta tab\n  \t mixed\n\u3000\u00a0unicode" },
      { example: "\n\n" },
    ];
    const members = (depth: number): TS.TypeElement[] =>
      schemas.map((schema, i) => commented(prop(`p${i}`, depth > 0 ? literalType(members(depth - 1)) : kw(ts.SyntaxKind.StringKeyword)), schema));
    expectSame([f.createInterfaceDeclaration([f.createModifier(ts.SyntaxKind.ExportKeyword)], "components", undefined, undefined, members(2))]);
  });

  it("two comments on one member", () => {
    const member = commented(commented(prop("a", kw(ts.SyntaxKind.StringKeyword)), { description: "first" }), { title: "second", description: "x\ny" });
    expectSame([alias(literalType([member]))]);
  });

  it("a statement parsed from source text (openapi-typescript's helpers) between synthesised ones", () => {
    const helper = lib.stringToAST("type WithRequired<T, K extends keyof T> = T & { [P in K]-?: T[P] };")[0]!;
    const withRequired = f.createTypeReferenceNode("WithRequired", [lib.oapiRef("#/components/schemas/a"), lib.tsLiteral("id")]);
    expectSame([alias(withRequired, "A"), helper, alias(kw(ts.SyntaxKind.StringKeyword), "B")]);
  });

  it("a whole small spec through openapi-typescript: compositions, discriminators, nullable, enums, additionalProperties, tuples", async () => {
    const document = {
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      paths: {
        "/pets/{id}": {
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" }, description: "The id" }],
          get: {
            operationId: "getPet",
            parameters: [{ name: "q", in: "query", schema: { type: "array", items: { type: "integer" } } }],
            responses: {
              "200": {
                description: "ok",
                headers: { "X-Rate": { schema: { type: "integer" }, required: true } },
                content: { "application/json": { schema: { $ref: "#/components/schemas/Pet" } } },
              },
              default: { $ref: "#/components/responses/Error" },
            },
          },
          post: {
            requestBody: { required: true, content: { "application/x-www-form-urlencoded": { schema: { type: "object", properties: { a: { type: "string" } } } } } },
            responses: { "204": { description: "none" } },
          },
        },
      },
      components: {
        schemas: {
          Pet: {
            oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }],
            discriminator: { propertyName: "kind", mapping: { cat: "#/components/schemas/Cat", dog: "#/components/schemas/Dog" } },
          },
          Base: { type: "object", required: ["kind"], properties: { kind: { type: "string" }, name: { type: ["string", "null"], readOnly: true } } },
          Cat: { allOf: [{ $ref: "#/components/schemas/Base" }, { type: "object", properties: { lives: { type: "integer", default: 9 } } }], required: ["name"] },
          Dog: { type: "object", properties: { kind: { type: "string" }, tags: { type: "object", additionalProperties: { type: "string" } } } },
          Pair: { type: "array", prefixItems: [{ type: "string" }, { const: 3 }], title: "A pair" },
          Mood: { enum: ["happy", "sad", null, 1], description: "Mood\nof the day" },
          Any: {},
          Open: { type: "object", additionalProperties: true, patternProperties: { "^x-": { type: "number" } } },
          Empty: { type: "object" },
        },
        responses: { Error: { description: "error", content: { "application/problem+json": { schema: { type: "object" } } } } },
      },
    };
    const tree = await apiTypesTree(document, "3.1");
    const nodes = tree.transform();
    const ours = tree.print(nodes);
    expect(ours).toBeDefined();
    expect(ours).toBe(tree.astToString(nodes as never));
    expect(ours).toContain("type WithRequired<T, K extends keyof T>");
  });
});

describe("what the printer does not know, it refuses (TypeScript's printer then prints the whole file)", () => {
  const refused: [string, () => TS.Node[]][] = [
    ["an enum declaration", () => [lib.tsEnum("Color", ["red", "green"], undefined, { export: true })]],
    ["a readonly type operator", () => [alias(f.createTypeOperatorNode(ts.SyntaxKind.ReadonlyKeyword, f.createArrayTypeNode(kw(ts.SyntaxKind.StringKeyword))))]],
    ["a function type", () => [alias(f.createFunctionTypeNode(undefined, [], kw(ts.SyntaxKind.VoidKeyword)))]],
    ["a qualified type name", () => [alias(f.createTypeReferenceNode(f.createQualifiedName(f.createIdentifier("a"), "b")))]],
    ["a type parameter", () => [f.createTypeAliasDeclaration(undefined, "T", [f.createTypeParameterDeclaration(undefined, "U")], kw(ts.SyntaxKind.StringKeyword))]],
    ["a declare modifier", () => [f.createInterfaceDeclaration([f.createModifier(ts.SyntaxKind.DeclareKeyword)], "I", undefined, undefined, [])]],
    [
      "a single-line comment (openapi-typescript's enum members)",
      () => {
        const member = prop("a", kw(ts.SyntaxKind.StringKeyword));
        ts.addSyntheticLeadingComment(member, ts.SyntaxKind.SingleLineCommentTrivia, " note", true);
        return [alias(literalType([member]))];
      },
    ],
    [
      "a comment on a type rather than a member",
      () => [alias(commented(f.createTypeReferenceNode("X"), { description: "on a type" }))],
    ],
    [
      "a trailing comment",
      () => [alias(literalType([ts.addSyntheticTrailingComment(prop("a", kw(ts.SyntaxKind.StringKeyword)), ts.SyntaxKind.MultiLineCommentTrivia, "* t ", false)]))],
    ],
    ["an emit flag", () => [alias(ts.setEmitFlags(literalType([prop("a", kw(ts.SyntaxKind.StringKeyword))]), ts.EmitFlags.SingleLine))]],
    ["an identifier holding a line break", () => [alias(f.createTypeReferenceNode(f.createIdentifier("a\u2028b")))]],
    [
      "a bare union inside a union (the factory parenthesises one; a tree changed afterwards may not be)",
      () => {
        const union = f.createUnionTypeNode([kw(ts.SyntaxKind.StringKeyword), lib.tsLiteral(null)]);
        const inner = f.createUnionTypeNode([kw(ts.SyntaxKind.StringKeyword), kw(ts.SyntaxKind.NumberKeyword)]);
        (union as { types: TS.NodeArray<TS.TypeNode> }).types = f.createNodeArray([inner, lib.tsLiteral(null)]);
        return [alias(union)];
      },
    ],
    [
      "a parsed node inside a synthesised statement",
      () => [alias(literalType([prop("a", (lib.stringToAST("type X = string | number;")[0] as TS.TypeAliasDeclaration).type)]))],
    ],
  ];
  for (const [name, nodes] of refused) {
    it(name, () => {
      const tree = nodes();
      expect(print(tree)).toBeUndefined();
      expect(() => astToString(tree)).not.toThrow();
    });
  }
});
