import { describe, expect, it } from "vitest";
import { collectParameters, HEADER_VALUE_PATTERN, toParameterModels } from "../../../scripts/generator/model/parameters.ts";
import type { Notice, ParameterModel, SpecVersion } from "../../../scripts/generator/model/types.ts";
import { documentWith, registryFor } from "./helpers.ts";

interface Given {
  version: SpecVersion;
  /** Path-item level parameters. */
  pathLevel?: unknown[];
  /** Operation level parameters. */
  operation?: unknown[];
  /** `components.parameters` (3.x) or `parameters` (2.0). */
  shared?: Record<string, unknown>;
}

interface Result {
  parameters: ParameterModel[];
  notices: Notice[];
}

const PATH = "#/paths/~1things~1{id}";

function models(given: Given): Result {
  const extra = given.shared
    ? given.version === "2.0"
      ? { parameters: given.shared }
      : { components: { parameters: given.shared } }
    : {};
  const document = documentWith(given.version, {}, extra);
  const registry = registryFor(given.version, {}, extra);
  const pathItem = given.pathLevel ? { parameters: given.pathLevel } : {};
  const operation = given.operation ? { parameters: given.operation } : {};
  const raws = collectParameters(document, pathItem, operation, PATH, `${PATH}/get`);
  const notices: Notice[] = [];
  return { parameters: toParameterModels(raws, registry, notices), notices };
}

/** A header parameter's plain string: what a header value can carry (the request builder refuses the rest). */
const headerString = { type: "string", pattern: HEADER_VALUE_PATTERN };

/**
 * A model parameter with the defaults spelled out by the row. A path parameter's plain string cannot be empty (the
 * request builder refuses "": it would address another resource), so its schema says `minLength: 1`.
 */
function p(name: string, location: ParameterModel["in"], extra: Partial<ParameterModel>): ParameterModel {
  const schema = location === "path" ? { type: "string", minLength: 1 } : location === "header" ? headerString : { type: "string" };
  return { key: name, name, in: location, required: false, schema, style: "simple", explode: false, ...extra };
}

const str = { type: "string" };

describe("toParameterModels: style and explode defaults (OpenAPI 3.x)", () => {
  it.each<[string, Given, ParameterModel[]]>([
    ["path: simple, not exploded, required", { version: "3.1", operation: [{ name: "id", in: "path", required: true, schema: str }] }, [p("id", "path", { required: true })]],
    ["query: form, exploded", { version: "3.1", operation: [{ name: "q", in: "query", schema: str }] }, [p("q", "query", { style: "form", explode: true })]],
    ["header: simple, not exploded", { version: "3.1", operation: [{ name: "X-Trace", in: "header", schema: str }] }, [p("X-Trace", "header", {})]],
    ["cookie: form, exploded", { version: "3.1", operation: [{ name: "session", in: "cookie", schema: str }] }, [p("session", "cookie", { style: "form", explode: true })]],
    [
      "query deepObject: explode defaults to false (only form defaults to true)",
      { version: "3.1", operation: [{ name: "filter", in: "query", style: "deepObject", schema: { type: "object" } }] },
      [p("filter", "query", { style: "deepObject", explode: false, schema: { type: "object" } })],
    ],
    [
      "query spaceDelimited: explode false",
      { version: "3.0", operation: [{ name: "ids", in: "query", style: "spaceDelimited", schema: { type: "array", items: str } }] },
      [p("ids", "query", { style: "spaceDelimited", explode: false, schema: { type: "array", items: str } })],
    ],
    [
      "query form with explicit explode: false",
      { version: "3.0", operation: [{ name: "ids", in: "query", explode: false, schema: { type: "array", items: str } }] },
      [p("ids", "query", { style: "form", explode: false, schema: { type: "array", items: str } })],
    ],
    [
      "path matrix with explicit explode: true",
      { version: "3.0", operation: [{ name: "id", in: "path", required: true, style: "matrix", explode: true, schema: str }] },
      [p("id", "path", { required: true, style: "matrix", explode: true })],
    ],
    [
      "cookie form with explicit explode: false",
      { version: "3.0", operation: [{ name: "prefs", in: "cookie", explode: false, schema: str }] },
      [p("prefs", "cookie", { style: "form", explode: false })],
    ],
    [
      "path parameter is required even when the document says otherwise",
      { version: "3.0", operation: [{ name: "id", in: "path", required: false, schema: str }] },
      [p("id", "path", { required: true })],
    ],
    [
      "description trimmed, deprecated and allowReserved kept, required query",
      { version: "3.1", operation: [{ name: "q", in: "query", required: true, description: "  Search text. ", deprecated: true, allowReserved: true, schema: str }] },
      [p("q", "query", { style: "form", explode: true, required: true, description: "Search text.", deprecated: true, allowReserved: true })],
    ],
    [
      "3.0 parameter schema is normalised (nullable)",
      { version: "3.0", operation: [{ name: "since", in: "query", schema: { type: "string", format: "date-time", nullable: true, example: "2024" } }] },
      [p("since", "query", { style: "form", explode: true, schema: { type: ["string", "null"], format: "date-time" } })],
    ],
  ])("%s", (_name, given, want) => {
    expect(models(given).parameters).toEqual(want);
  });
});

describe("toParameterModels: Swagger 2.0 parameters and collectionFormat", () => {
  const array = (extra: Record<string, unknown>) => ({ type: "array", items: { type: "string" }, ...extra });
  const arraySchema = { type: "array", items: { type: "string" } };

  it.each<[string, Given, ParameterModel[]]>([
    ["query, no collectionFormat = csv", { version: "2.0", operation: [{ name: "t", in: "query", ...array({}) }] }, [p("t", "query", { style: "form", explode: false, schema: arraySchema })]],
    ["query csv", { version: "2.0", operation: [{ name: "t", in: "query", ...array({ collectionFormat: "csv" }) }] }, [p("t", "query", { style: "form", explode: false, schema: arraySchema })]],
    ["query ssv", { version: "2.0", operation: [{ name: "t", in: "query", ...array({ collectionFormat: "ssv" }) }] }, [p("t", "query", { style: "spaceDelimited", explode: false, schema: arraySchema })]],
    ["query tsv", { version: "2.0", operation: [{ name: "t", in: "query", ...array({ collectionFormat: "tsv" }) }] }, [p("t", "query", { style: "tabDelimited", explode: false, schema: arraySchema })]],
    ["query pipes", { version: "2.0", operation: [{ name: "t", in: "query", ...array({ collectionFormat: "pipes" }) }] }, [p("t", "query", { style: "pipeDelimited", explode: false, schema: arraySchema })]],
    ["query multi", { version: "2.0", operation: [{ name: "t", in: "query", ...array({ collectionFormat: "multi" }) }] }, [p("t", "query", { style: "form", explode: true, schema: arraySchema })]],
    [
      "path csv is the simple comma list",
      { version: "2.0", operation: [{ name: "ids", in: "path", required: true, ...array({ collectionFormat: "csv" }) }] },
      [p("ids", "path", { required: true, style: "simple", explode: false, schema: arraySchema })],
    ],
    [
      "header csv is the simple comma list",
      { version: "2.0", operation: [{ name: "X-Ids", in: "header", ...array({}) }] },
      [p("X-Ids", "header", { style: "simple", explode: false, schema: arraySchema })],
    ],
    [
      "scalar query: form, exploded; schema keywords taken from the parameter",
      {
        version: "2.0",
        operation: [{ name: "limit", in: "query", type: "integer", format: "int32", minimum: 1, maximum: 100, exclusiveMaximum: true, default: 10, description: "Page size." }],
      },
      [p("limit", "query", { style: "form", explode: true, description: "Page size.", schema: { type: "integer", format: "int32", minimum: 1, exclusiveMaximum: 100, default: 10, description: "Page size." } })],
    ],
    [
      "x-nullable and enum on the parameter",
      { version: "2.0", operation: [{ name: "state", in: "query", type: "string", enum: ["open", "closed"], "x-nullable": true }] },
      [p("state", "query", { style: "form", explode: true, schema: { type: ["string", "null"], enum: ["open", "closed", null] } })],
    ],
    [
      "body and formData parameters are left to the request body",
      {
        version: "2.0",
        operation: [
          { name: "payload", in: "body", schema: { type: "object" } },
          { name: "file", in: "formData", type: "file" },
          { name: "q", in: "query", type: "string" },
        ],
      },
      [p("q", "query", { style: "form", explode: true })],
    ],
  ])("%s", (_name, given, want) => {
    expect(models(given).parameters).toEqual(want);
  });
});

describe("toParameterModels: content-serialised parameters", () => {
  const filter = { type: "object", properties: { owner: { type: "string" } } };
  it.each<[string, Given, ParameterModel[]]>([
    [
      "content: application/json → json: true, schema from the media type",
      { version: "3.1", operation: [{ name: "filter", in: "query", content: { "application/json": { schema: filter } } }] },
      [p("filter", "query", { style: "form", explode: true, json: true, schema: filter })],
    ],
    [
      "content: application/vnd.x+json is JSON too",
      { version: "3.0", operation: [{ name: "X-Filter", in: "header", content: { "application/vnd.x+json": { schema: filter } } }] },
      [p("X-Filter", "header", { json: true, schema: filter })],
    ],
    [
      "content: text/plain is not JSON",
      { version: "3.0", operation: [{ name: "note", in: "query", content: { "text/plain": { schema: str } } }] },
      [p("note", "query", { style: "form", explode: true })],
    ],
  ])("%s", (_name, given, want) => {
    expect(models(given).parameters).toEqual(want);
  });
});

describe("collectParameters: path-level and operation-level", () => {
  it.each<[string, Given, ParameterModel[]]>([
    [
      "operation overrides the path-level parameter of the same name and location",
      {
        version: "3.1",
        pathLevel: [{ name: "id", in: "path", required: true, description: "path level", schema: str }],
        operation: [{ name: "id", in: "path", required: true, description: "operation level", schema: { type: "integer" } }],
      },
      [p("id", "path", { required: true, description: "operation level", schema: { type: "integer" } })],
    ],
    [
      "same name in another location is a different parameter",
      {
        version: "3.1",
        pathLevel: [{ name: "id", in: "path", required: true, schema: str }],
        operation: [{ name: "id", in: "query", schema: { type: "integer" } }],
      },
      [p("id", "path", { required: true }), p("id", "query", { style: "form", explode: true, schema: { type: "integer" } })],
    ],
    [
      "path-level parameters come first, then the operation's",
      {
        version: "3.1",
        pathLevel: [{ name: "org", in: "path", required: true, schema: str }],
        operation: [{ name: "page", in: "query", schema: { type: "integer" } }],
      },
      [p("org", "path", { required: true }), p("page", "query", { style: "form", explode: true, schema: { type: "integer" } })],
    ],
    [
      "$ref parameters (3.x components) are resolved, and override by resolved name",
      {
        version: "3.0",
        shared: { Page: { name: "page", in: "query", schema: { type: "integer", minimum: 1 } } },
        pathLevel: [{ name: "page", in: "query", schema: str }],
        operation: [{ $ref: "#/components/parameters/Page" }],
      },
      [p("page", "query", { style: "form", explode: true, schema: { type: "integer", minimum: 1 } })],
    ],
    [
      "$ref parameters (2.0 #/parameters) are resolved",
      { version: "2.0", shared: { Limit: { name: "limit", in: "query", type: "integer" } }, operation: [{ $ref: "#/parameters/Limit" }] },
      [p("limit", "query", { style: "form", explode: true, schema: { type: "integer" } })],
    ],
    ["entries without name or in are ignored", { version: "3.1", operation: [{ in: "query" }, { name: "x" }, null] }, []],
  ])("%s", (_name, given, want) => {
    expect(models(given).parameters).toEqual(want);
  });

  it("points each parameter at where it was declared", () => {
    const document = documentWith("3.1");
    const raws = collectParameters(
      document,
      { parameters: [{ name: "a", in: "query" }, { name: "b", in: "query" }] },
      { parameters: [{ name: "b", in: "query" }] },
      PATH,
      `${PATH}/get`,
    );
    expect(raws.map((r) => r.pointer)).toEqual([`${PATH}/parameters/0`, `${PATH}/get/parameters/0`]);
  });
});

describe("toParameterModels: reserved headers", () => {
  it("ignores Accept, Content-Type and Authorization headers, and framing ones (any case), with a notice each", () => {
    const result = models({
      version: "3.1",
      operation: [
        { name: "Accept", in: "header", schema: str },
        { name: "content-type", in: "header", schema: str },
        { name: "AUTHORIZATION", in: "header", required: true, schema: str },
        { name: "Content-Length", in: "header", required: true, schema: { type: "number" } },
        { name: "X-Request-Id", in: "header", schema: str },
        { name: "Cookie", in: "header", schema: str },
        { name: "authorization", in: "query", schema: str },
      ],
    });
    expect(result.parameters).toEqual([p("X-Request-Id", "header", {}), p("Cookie", "header", {}), p("authorization", "query", { style: "form", explode: true })]);
    const ignored = (i: number, name: string) => ({ pointer: `${PATH}/get/parameters/${i}`, message: `header parameter "${name}" is ignored (the bridge or the HTTP transport sets it)` });
    expect(result.notices).toEqual([ignored(0, "Accept"), ignored(1, "content-type"), ignored(2, "AUTHORIZATION"), ignored(3, "Content-Length")]);
  });

  it("a path parameter's plain string must not be empty; enums, formats and other types are left as they are", () => {
    const result = models({
      version: "3.1",
      operation: [
        { name: "a", in: "path", schema: { type: "string", minLength: 3 } },
        { name: "b", in: "path", schema: { type: "string", format: "uuid" } },
        { name: "c", in: "path", schema: { type: "string", enum: ["x", ""] } },
        { name: "d", in: "path", schema: { type: "integer" } },
      ],
    });
    expect(result.parameters.map((parameter) => parameter.schema)).toEqual([
      { type: "string", minLength: 3 },
      { type: "string", format: "uuid" },
      { type: "string", enum: ["x", ""] },
      { type: "integer" },
    ]);
  });
});

describe("parameters shared between operations", () => {
  const shared = { owner: { name: "owner", in: "path", required: true, schema: str }, other: { name: "other", in: "query", schema: { $ref: "other.yaml#/Other" } } };
  const document = documentWith("3.1", {}, { components: { parameters: shared } });
  const ownerRef = { $ref: "#/components/parameters/owner" };

  /** The parameters of two operations (GET and PUT of one path) read with one registry, as a build reads them. */
  function twoOperations(get: unknown[], put: unknown[]) {
    const registry = registryFor("3.1", {}, { components: { parameters: shared } });
    const read = (list: unknown[], method: string) => {
      const raws = collectParameters(document, {}, { parameters: list }, PATH, `${PATH}/${method}`, registry.parameters.targets);
      return toParameterModels(raws, registry, []);
    };
    return { get: read(get, "get"), put: read(put, "put"), registry };
  }

  it("a parameter both operations refer to has one model", () => {
    const { get, put } = twoOperations([ownerRef], [{ ...ownerRef }]);
    expect(get).toEqual([p("owner", "path", { required: true })]);
    expect(put[0]).toBe(get[0]);
  });

  it("a parameter whose schema makes a notice is made again at each use, so each use is noted at its own pointer", () => {
    const otherRef = { $ref: "#/components/parameters/other" };
    const { get, put, registry } = twoOperations([otherRef], [{ ...otherRef }]);
    expect(put).toEqual(get);
    expect(registry.notices.map((notice) => notice.pointer)).toEqual([`${PATH}/get/parameters/0/schema`, `${PATH}/put/parameters/0/schema`]);
  });

  it("entries with the same non-local $ref are each read as they are", () => {
    const external = (name: string) => ({ $ref: "other.yaml#/parameters/p", name, in: "query" });
    const { get } = twoOperations([external("a"), external("b")], []);
    expect(get.map((parameter) => parameter.name)).toEqual(["a", "b"]);
  });
});
