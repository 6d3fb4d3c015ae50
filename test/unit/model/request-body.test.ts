import { describe, expect, it } from "vitest";
import type { RawParameter } from "../../../scripts/generator/model/parameters.ts";
import {
  bodyFromRequestBody,
  bodyFromSwagger2,
  chooseMediaType,
  UnsupportedBody,
} from "../../../scripts/generator/model/request-body.ts";
import type { MediaChoice } from "../../../scripts/generator/model/media-type.ts";
import type { BodyModel, SpecVersion } from "../../../scripts/generator/model/types.ts";
import { defRef, documentWith, refTo, registryFor } from "./helpers.ts";

const POINTER = "#/paths/~1things/post";

describe("chooseMediaType: JSON > form > multipart > text > binary", () => {
  it.each<[string, string[], Omit<MediaChoice, "key"> | undefined]>([
    [
      "JSON wins over everything, whatever the order",
      ["application/octet-stream", "text/plain", "multipart/form-data", "application/x-www-form-urlencoded", "application/json"],
      { contentType: "application/json", encoding: "json" },
    ],
    [
      "form next",
      ["application/octet-stream", "text/plain", "multipart/form-data", "application/x-www-form-urlencoded"],
      { contentType: "application/x-www-form-urlencoded", encoding: "form" },
    ],
    ["multipart next", ["application/octet-stream", "text/plain", "multipart/form-data"], { contentType: "multipart/form-data", encoding: "multipart" }],
    ["text next", ["application/octet-stream", "text/plain"], { contentType: "text/plain", encoding: "text" }],
    ["binary last", ["application/octet-stream"], { contentType: "application/octet-stream", encoding: "binary" }],
    ["a +json vendor type is JSON", ["text/plain", "application/vnd.api+json"], { contentType: "application/vnd.api+json", encoding: "json" }],
    ["exact JSON beats a loosely JSON-named type", ["application/x-json-stream", "application/json"], { contentType: "application/json", encoding: "json" }],
    ["a loosely JSON-named type still counts as JSON", ["text/plain", "application/x-json"], { contentType: "application/x-json", encoding: "json" }],
    [
      "parameters and case: matched on the bare type, the spec's spelling kept",
      ["Application/JSON; charset=utf-8"],
      { contentType: "Application/JSON; charset=utf-8", encoding: "json" },
    ],
    ["*/* with no structured schema → bytes sent as application/octet-stream", ["*/*"], { contentType: "application/octet-stream", encoding: "binary" }],
    ["image/* → application/octet-stream", ["image/*"], { contentType: "application/octet-stream", encoding: "binary" }],
    ["image/png is binary", ["image/png"], { contentType: "image/png", encoding: "binary" }],
    ["application/pdf is binary", ["application/pdf"], { contentType: "application/pdf", encoding: "binary" }],
    ["text/csv is text", ["text/csv"], { contentType: "text/csv", encoding: "text" }],
    ["multipart/mixed counts as multipart", ["multipart/mixed"], { contentType: "multipart/mixed", encoding: "multipart" }],
    ["only application/xml: unsupported", ["application/xml"], undefined],
    ["only an +xml type: unsupported", ["application/atom+xml"], undefined],
    ["XML beside JSON: JSON", ["application/xml", "application/json"], { contentType: "application/json", encoding: "json" }],
    ["nothing to choose from", [], undefined],
  ])("%s", (_name, given, want) => {
    const choice = chooseMediaType(given);
    expect(choice && { contentType: choice.contentType, encoding: choice.encoding }).toEqual(want);
  });

  it.each<[string, string[], ReturnType<typeof chooseMediaType>]>([
    ["*/* with an object schema → JSON", ["*/*"], { key: "*/*", contentType: "application/json", encoding: "json" }],
    ["application/* with an array schema → JSON", ["application/*"], { key: "application/*", contentType: "application/json", encoding: "json" }],
    ["application/*+json → JSON", ["application/*+json"], { key: "application/*+json", contentType: "application/json", encoding: "json" }],
    ["a structured wildcard does not beat exact JSON", ["*/*", "application/json"], { key: "application/json", contentType: "application/json", encoding: "json" }],
    ["image/* stays bytes whatever the schema", ["image/*"], { key: "image/*", contentType: "application/octet-stream", encoding: "binary" }],
    ["text/* → text/plain", ["text/*"], { key: "text/*", contentType: "text/plain", encoding: "text" }],
  ])("wildcards with a structured schema: %s", (_name, given, want) => {
    expect(chooseMediaType(given, () => true)).toEqual(want);
  });
});

interface Given30 {
  version?: SpecVersion;
  requestBody: unknown;
  schemas?: Record<string, unknown>;
  requestBodies?: Record<string, unknown>;
}

function fromRequestBody(given: Given30): BodyModel | undefined {
  const version = given.version ?? "3.1";
  const extra = given.requestBodies ? { components: { requestBodies: given.requestBodies } } : {};
  const document = documentWith(version, given.schemas ?? {}, extra);
  const registry = registryFor(version, given.schemas ?? {}, extra);
  return bodyFromRequestBody(document, given.requestBody, `${POINTER}/requestBody`, registry);
}

const todo = { type: "object", required: ["text"], properties: { id: { type: "string", readOnly: true }, text: { type: "string" } } };

describe("bodyFromRequestBody (OpenAPI 3.x)", () => {
  it.each<[string, Given30, BodyModel | undefined]>([
    [
      "JSON body: schema reference, required, description",
      {
        requestBody: { required: true, description: " The todo. ", content: { "application/json": { schema: refTo("3.1", "Todo") } } },
        schemas: { Todo: todo },
      },
      { contentType: "application/json", encoding: "json", required: true, description: "The todo.", schema: defRef("Todo") },
    ],
    [
      "inline JSON body: readOnly properties removed, not required by default",
      { version: "3.0", requestBody: { content: { "application/json": { schema: todo } } } },
      { contentType: "application/json", encoding: "json", required: false, schema: { type: "object", required: ["text"], properties: { text: { type: "string" } } } },
    ],
    [
      "a $ref request body is resolved",
      {
        requestBody: { $ref: "#/components/requestBodies/NewTodo" },
        requestBodies: { NewTodo: { required: true, content: { "application/json": { schema: { type: "object" } } } } },
      },
      { contentType: "application/json", encoding: "json", required: true, schema: { type: "object" } },
    ],
    [
      "JSON chosen over XML, the JSON schema used",
      { requestBody: { content: { "application/xml": { schema: { type: "string" } }, "application/json": { schema: { type: "object" } } } } },
      { contentType: "application/json", encoding: "json", required: false, schema: { type: "object" } },
    ],
    [
      "*/* with an object schema → described field by field, sent as application/json",
      { requestBody: { required: true, content: { "*/*": { schema: refTo("3.1", "Patch") } } }, schemas: { Patch: { type: "object", properties: { op: { type: "string" } } } } },
      { contentType: "application/json", encoding: "json", required: true, schema: defRef("Patch") },
    ],
    [
      "*/* with a plain string schema (raw file data) → base64 bytes as application/octet-stream",
      { requestBody: { required: true, content: { "*/*": { schema: { type: "string", description: "The raw file data" } } } } },
      { contentType: "application/octet-stream", encoding: "binary", required: true, schema: { type: "string", contentEncoding: "base64", description: "The content, base64-encoded." } },
    ],
    [
      "*/* without a schema → bytes",
      { requestBody: { content: { "*/*": {} } } },
      { contentType: "application/octet-stream", encoding: "binary", required: false, schema: { type: "string", contentEncoding: "base64", description: "The content, base64-encoded." } },
    ],
    [
      "binary body: a base64 string whatever the schema says",
      { requestBody: { content: { "image/png": { schema: { type: "string", format: "binary" } } } } },
      { contentType: "image/png", encoding: "binary", required: false, schema: { type: "string", contentEncoding: "base64", description: "The content, base64-encoded." } },
    ],
    ["text without schema → string", { requestBody: { content: { "text/plain": {} } } }, { contentType: "text/plain", encoding: "text", required: false, schema: { type: "string" } }],
    [
      "text with schema keeps it",
      { requestBody: { content: { "text/plain": { schema: { type: "string", maxLength: 10 } } } } },
      { contentType: "text/plain", encoding: "text", required: false, schema: { type: "string", maxLength: 10 } },
    ],
    ["no content → no body", { requestBody: { content: {} } }, undefined],
    ["no request body", { requestBody: undefined }, undefined],
  ])("%s", (_name, given, want) => {
    expect(fromRequestBody(given)).toEqual(want);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["only application/xml", { "application/xml": { schema: { type: "object" } } }, "request body media type application/xml is not supported"],
    [
      "several XML types",
      { "application/xml": {}, "application/soap+xml": {} },
      "request body media type application/xml, application/soap+xml is not supported",
    ],
  ])("unsupported: %s → UnsupportedBody naming the types", (_name, content, message) => {
    const build = () => fromRequestBody({ requestBody: { content } });
    expect(build).toThrow(UnsupportedBody);
    expect(build).toThrow(message);
  });
});

describe("bodyFromRequestBody: form and multipart parts", () => {
  it.each<[string, Given30, BodyModel | undefined]>([
    [
      "multipart: binary → file part, encoding.contentType honoured (a JSON type → one JSON document), the rest plain",
      {
        version: "3.0",
        requestBody: {
          required: true,
          content: {
            "multipart/form-data": {
              schema: {
                type: "object",
                properties: {
                  file: { type: "string", format: "binary" },
                  avatar: { type: "string", format: "binary" },
                  meta: { type: "object", properties: { tag: { type: "string" } } },
                  tags: { type: "array", items: { type: "object" } },
                  note: { type: "string" },
                  raw: { type: "string" },
                },
              },
              encoding: { avatar: { contentType: "image/png" }, raw: { contentType: "application/json" } },
            },
          },
        },
      },
      {
        contentType: "multipart/form-data",
        encoding: "multipart",
        required: true,
        schema: {
          type: "object",
          properties: {
            file: { type: "string", contentEncoding: "base64" },
            avatar: { type: "string", contentEncoding: "base64" },
            meta: { type: "object", properties: { tag: { type: "string" } } },
            tags: { type: "array", items: { type: "object" } },
            note: { type: "string" },
            raw: { type: "string" },
          },
        },
        // Objects (`meta`, the items of `tags`) need no part: the builder sends object values as JSON parts.
        parts: [
          { name: "file", kind: "file" },
          { name: "avatar", kind: "file", contentType: "image/png" },
          { name: "raw", kind: "json", contentType: "application/json" },
        ],
      },
    ],
    [
      "multipart: parts found through a $ref schema and $ref properties",
      {
        version: "3.1",
        requestBody: { content: { "multipart/form-data": { schema: refTo("3.1", "Upload") } } },
        schemas: {
          Upload: { type: "object", properties: { doc: refTo("3.1", "Bytes"), info: refTo("3.1", "Info") } },
          Bytes: { type: "string", contentMediaType: "application/pdf", contentEncoding: "base64" },
          Info: { type: "object" },
        },
      },
      {
        contentType: "multipart/form-data",
        encoding: "multipart",
        required: false,
        schema: defRef("Upload"),
        parts: [{ name: "doc", kind: "file" }],
      },
    ],
    [
      // The request builder sends one file part per array item; the model has to say the items are files.
      "multipart: an array of binary strings is a file part",
      {
        version: "3.0",
        requestBody: {
          content: {
            "multipart/form-data": {
              schema: { type: "object", properties: { files: { type: "array", items: { type: "string", format: "binary" } } } },
            },
          },
        },
      },
      {
        contentType: "multipart/form-data",
        encoding: "multipart",
        required: false,
        schema: { type: "object", properties: { files: { type: "array", items: { type: "string", contentEncoding: "base64" } } } },
        parts: [{ name: "files", kind: "file" }],
      },
    ],
    [
      "form: no parts without an Encoding Object (objects go as JSON text), binary is not a file (a urlencoded form carries no files)",
      {
        version: "3.0",
        requestBody: {
          content: {
            "application/x-www-form-urlencoded": {
              schema: { type: "object", properties: { blob: { type: "string", format: "binary" }, address: { type: "object" }, name: { type: "string" } } },
            },
          },
        },
      },
      {
        contentType: "application/x-www-form-urlencoded",
        encoding: "form",
        required: false,
        schema: { type: "object", properties: { blob: { type: "string", contentEncoding: "base64" }, address: { type: "object" }, name: { type: "string" } } },
      },
    ],
    [
      "form: the Encoding Object's style/explode/allowReserved (explode defaults per style, style to form)",
      {
        version: "3.0",
        requestBody: {
          content: {
            "application/x-www-form-urlencoded": {
              schema: {
                type: "object",
                properties: {
                  metadata: { type: "object", additionalProperties: { type: "string" } },
                  expand: { type: "array", items: { type: "string" } },
                  ids: { type: "array", items: { type: "string" } },
                  url: { type: "string" },
                  plain: { type: "string" },
                },
              },
              encoding: {
                metadata: { style: "deepObject", explode: true },
                expand: { style: "deepObject" },
                ids: { explode: false },
                url: { allowReserved: true },
                plain: { contentType: "text/plain" },
              },
            },
          },
        },
      },
      {
        contentType: "application/x-www-form-urlencoded",
        encoding: "form",
        required: false,
        schema: {
          type: "object",
          properties: {
            metadata: { type: "object", additionalProperties: { type: "string" } },
            expand: { type: "array", items: { type: "string" } },
            ids: { type: "array", items: { type: "string" } },
            url: { type: "string" },
            plain: { type: "string" },
          },
        },
        parts: [
          { name: "metadata", kind: "style", style: "deepObject", explode: true },
          { name: "expand", kind: "style", style: "deepObject", explode: false },
          { name: "ids", kind: "style", style: "form", explode: false },
          { name: "url", kind: "style", style: "form", explode: true, allowReserved: true },
        ],
      },
    ],
    [
      "multipart (3.1): style honoured; a contentType list gives its first concrete type",
      {
        version: "3.1",
        requestBody: {
          content: {
            "multipart/form-data": {
              schema: {
                type: "object",
                properties: { file: { type: "string", format: "binary" }, link: { type: "object", properties: { create: { type: "boolean" } } } },
              },
              encoding: { file: { contentType: "image/*, image/png" }, link: { style: "deepObject", explode: true } },
            },
          },
        },
      },
      {
        contentType: "multipart/form-data",
        encoding: "multipart",
        required: false,
        schema: {
          type: "object",
          properties: { file: { type: "string", contentEncoding: "base64" }, link: { type: "object", properties: { create: { type: "boolean" } } } },
        },
        parts: [
          { name: "file", kind: "file", contentType: "image/png" },
          { name: "link", kind: "style", style: "deepObject", explode: true },
        ],
      },
    ],
    [
      // Class 7 of issue 10: the items' $ref is followed before anything is decided, so the array stays repeated text.
      "form: an array whose items $ref a scalar needs no part",
      {
        version: "3.0",
        requestBody: {
          content: { "application/x-www-form-urlencoded": { schema: { type: "object", properties: { Permissions: { type: "array", items: refTo("3.0", "Permission") } } } } },
        },
        schemas: { Permission: { type: "string", enum: ["get", "post"] } },
      },
      {
        contentType: "application/x-www-form-urlencoded",
        encoding: "form",
        required: false,
        schema: { type: "object", properties: { Permissions: { type: "array", items: defRef("Permission") } } },
      },
    ],
    [
      "JSON bodies have no parts",
      { version: "3.0", requestBody: { content: { "application/json": { schema: { type: "object", properties: { f: { type: "string", format: "binary" }, o: { type: "object" } } } } } } },
      {
        contentType: "application/json",
        encoding: "json",
        required: false,
        schema: { type: "object", properties: { f: { type: "string", contentEncoding: "base64" }, o: { type: "object" } } },
      },
    ],
  ])("%s", (_name, given, want) => {
    expect(fromRequestBody(given)).toEqual(want);
  });
});

function raw(node: Record<string, unknown>, i: number): RawParameter {
  return { node, pointer: `${POINTER}/parameters/${i}` };
}

function fromSwagger2(parameters: Record<string, unknown>[], consumes: string[], schemas: Record<string, unknown> = {}): BodyModel | undefined {
  return bodyFromSwagger2(parameters.map(raw), consumes, registryFor("2.0", schemas));
}

describe("bodyFromSwagger2", () => {
  it.each<[string, [Record<string, unknown>[], string[], Record<string, unknown>?], BodyModel | undefined]>([
    [
      "in: body, no consumes → application/json",
      [[{ name: "pet", in: "body", required: true, description: "The pet.", schema: refTo("2.0", "Pet") }], [], { Pet: { type: "object" } }],
      { contentType: "application/json", encoding: "json", required: true, description: "The pet.", schema: defRef("Pet") },
    ],
    [
      "in: body, consumes XML and JSON → JSON",
      [[{ name: "pet", in: "body", schema: { type: "object" } }], ["application/xml", "application/json"]],
      { contentType: "application/json", encoding: "json", required: false, schema: { type: "object" } },
    ],
    [
      "in: body, consumes octet-stream → base64 bytes",
      [[{ name: "data", in: "body", schema: { type: "string", format: "binary" } }], ["application/octet-stream"]],
      { contentType: "application/octet-stream", encoding: "binary", required: false, schema: { type: "string", contentEncoding: "base64", description: "The content, base64-encoded." } },
    ],
    [
      "formData without files, no consumes → urlencoded form",
      [
        [
          { name: "name", in: "formData", type: "string", required: true },
          { name: "age", in: "formData", type: "integer", minimum: 0 },
        ],
        [],
      ],
      {
        contentType: "application/x-www-form-urlencoded",
        encoding: "form",
        required: true,
        schema: { type: "object", properties: { name: { type: "string" }, age: { type: "integer", minimum: 0 } }, required: ["name"] },
      },
    ],
    [
      "formData with type: file → multipart with a file part",
      [
        [
          { name: "file", in: "formData", type: "file", description: "The upload." },
          { name: "note", in: "formData", type: "string" },
        ],
        ["application/x-www-form-urlencoded"],
      ],
      {
        contentType: "multipart/form-data",
        encoding: "multipart",
        required: false,
        schema: {
          type: "object",
          properties: { file: { type: "string", contentEncoding: "base64", description: "The upload." }, note: { type: "string" } },
        },
        parts: [{ name: "file", kind: "file" }],
      },
    ],
    [
      "formData arrays: collectionFormat as style (csv when absent, multi repeats)",
      [
        [
          { name: "ids", in: "formData", type: "array", items: { type: "integer" } },
          { name: "tags", in: "formData", type: "array", items: { type: "string" }, collectionFormat: "multi" },
          { name: "path", in: "formData", type: "array", items: { type: "string" }, collectionFormat: "pipes" },
        ],
        [],
      ],
      {
        contentType: "application/x-www-form-urlencoded",
        encoding: "form",
        required: false,
        schema: {
          type: "object",
          properties: {
            ids: { type: "array", items: { type: "integer" } },
            tags: { type: "array", items: { type: "string" } },
            path: { type: "array", items: { type: "string" } },
          },
        },
        parts: [
          { name: "ids", kind: "style", style: "form", explode: false },
          { name: "tags", kind: "style", style: "form", explode: true },
          { name: "path", kind: "style", style: "pipeDelimited", explode: false },
        ],
      },
    ],
    [
      "in: body with an object schema and consumes */* → JSON",
      [[{ name: "obj", in: "body", required: true, schema: { type: "object" } }], ["*/*"]],
      { contentType: "application/json", encoding: "json", required: true, schema: { type: "object" } },
    ],
    [
      "formData without files, consumes multipart only → multipart without parts",
      [[{ name: "note", in: "formData", type: "string" }], ["multipart/form-data"]],
      { contentType: "multipart/form-data", encoding: "multipart", required: false, schema: { type: "object", properties: { note: { type: "string" } } } },
    ],
    [
      "formData without files, consumes both → urlencoded",
      [[{ name: "note", in: "formData", type: "string" }], ["multipart/form-data", "application/x-www-form-urlencoded"]],
      { contentType: "application/x-www-form-urlencoded", encoding: "form", required: false, schema: { type: "object", properties: { note: { type: "string" } } } },
    ],
    ["no body or formData parameter → no body", [[{ name: "q", in: "query", type: "string" }], ["application/json"]], undefined],
  ])("%s", (_name, [parameters, consumes, schemas], want) => {
    expect(fromSwagger2(parameters, consumes, schemas)).toEqual(want);
  });

  it("in: body with only application/xml in consumes → UnsupportedBody", () => {
    expect(() => fromSwagger2([{ name: "pet", in: "body", schema: { type: "object" } }], ["application/xml"])).toThrow(
      new UnsupportedBody("request body media type application/xml is not supported"),
    );
  });
});

describe("bodyFromRequestBody: OpenAPI 3.0 multipart ignores style", () => {
  it("sends a 3.0 multipart field with style as its content type, with a notice", () => {
    const registry = registryFor("3.0", {});
    const requestBody = {
      content: {
        "multipart/form-data": {
          schema: { type: "object", properties: { link: { type: "object", properties: { create: { type: "boolean" } } } } },
          encoding: { link: { style: "deepObject", explode: true } },
        },
      },
    };
    const body = bodyFromRequestBody(documentWith("3.0", {}), requestBody, `${POINTER}/requestBody`, registry);
    expect(body?.parts).toBeUndefined();
    expect(registry.notices).toEqual([
      {
        pointer: `${POINTER}/requestBody/content/multipart~1form-data/encoding/link`,
        message: 'style/explode of multipart field "link" ignored (OpenAPI 3.0 applies them to urlencoded forms only): sent as its content type',
      },
    ]);
  });
});
