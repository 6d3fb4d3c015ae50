/**
 * The round-trip checker itself, proven on hand-made requests: for a small spec modelled on the real cases (a
 * Stripe-like form body whose Encoding Object says deepObject, deepObject and non-exploded query parameters, a
 * header, multipart and JSON bodies, a Swagger 2.0 collectionFormat), the request the spec implies is exact, and
 * each mutation of it (a dropped parameter, a wrong style, explode flipped, a form field sent as JSON text, a missing
 * required body field, a wrong Content-Type, …) is caught with the right kind of problem.
 *
 * No generator here: the tool is written by hand (only its bindings' names matter to the checker). Last, the
 * known-miss bookkeeping: an unlisted miss fails, and so does a listed one that now passes.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { HttpBinding, ToolDefinition } from "../../../src/tools/types.ts";
import { rawOperations, type RawSpec } from "../raw-spec.ts";
import { checkRequest } from "./check.ts";
import type { Problem, ProblemCode } from "./decode-request.ts";
import { bookkeeping } from "./report.ts";
import { allowedBases } from "./servers.ts";
import { SpecSchemas } from "./spec-schemas.ts";

const BASE = "https://api.example.test/base";

const SPEC: RawSpec = {
  version: "3.0",
  doc: {
    openapi: "3.0.3",
    info: { title: "checker fixture", version: "1" },
    servers: [{ url: "https://api.example.com/v1" }],
    paths: {
      "/charges/{id}": {
        post: {
          operationId: "updateCharge",
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "string" } },
            { name: "expand", in: "query", style: "deepObject", explode: true, schema: { type: "array", items: { type: "string" } } },
            { name: "filter", in: "query", style: "deepObject", explode: true, schema: { type: "object", properties: { status: { type: "string", enum: ["paid", "open"] } } } },
            { name: "tags", in: "query", style: "form", explode: false, schema: { type: "array", items: { type: "string" } } },
            { name: "limit", in: "query", schema: { type: "integer", maximum: 100 } },
            { name: "X-Trace", in: "header", required: true, schema: { type: "string" } },
          ],
          requestBody: {
            required: true,
            content: {
              "application/x-www-form-urlencoded": {
                schema: {
                  type: "object",
                  required: ["amount"],
                  properties: {
                    amount: { type: "integer" },
                    metadata: { type: "object", additionalProperties: { type: "string" } },
                    items: { type: "array", items: { type: "object", properties: { price: { type: "integer" } } } },
                    description: { type: "string" },
                  },
                },
                encoding: { metadata: { style: "deepObject", explode: true }, items: { style: "deepObject", explode: true } },
              },
            },
          },
          responses: { "200": { description: "ok" } },
        },
      },
      "/files": {
        post: {
          operationId: "upload",
          requestBody: {
            content: {
              "multipart/form-data": {
                schema: { type: "object", properties: { file: { type: "string", format: "binary" }, meta: { type: "object", properties: { name: { type: "string" } } } } },
              },
            },
          },
          responses: { "200": { description: "ok" } },
        },
      },
      "/pets": {
        post: {
          operationId: "addPet",
          requestBody: {
            required: true,
            content: { "application/json": { schema: { type: "object", required: ["name"], properties: { name: { type: "string" }, tag: { type: "string" } }, additionalProperties: false } } },
          },
          responses: { "200": { description: "ok" } },
        },
      },
    },
  },
};

const SWAGGER: RawSpec = {
  version: "2.0",
  doc: {
    swagger: "2.0",
    info: { title: "checker fixture 2.0", version: "1" },
    paths: {
      "/search": {
        get: {
          operationId: "search",
          parameters: [
            { name: "ids", in: "query", type: "array", items: { type: "integer" }, collectionFormat: "pipes" },
            { name: "colors", in: "query", type: "array", items: { type: "string" }, collectionFormat: "multi" },
          ],
          responses: { "200": { description: "ok" } },
        },
      },
    },
  },
};

function tool(operationId: string, http: Omit<HttpBinding, "accepts">): ToolDefinition {
  return { name: operationId, operationId, description: "", scopes: [], annotations: {}, inputSchema: { type: "object" }, input: () => z.object({}), http };
}

const TOOLS = {
  updateCharge: tool("updateCharge", {
    method: "POST",
    path: "/charges/{id}",
    parameters: [
      { key: "id", name: "id", in: "path", style: "simple", explode: false },
      { key: "expand", name: "expand", in: "query", style: "deepObject", explode: true },
      { key: "filter", name: "filter", in: "query", style: "deepObject", explode: true },
      { key: "tags", name: "tags", in: "query", style: "form", explode: false },
      { key: "limit", name: "limit", in: "query", style: "form", explode: true },
      { key: "X-Trace", name: "X-Trace", in: "header", style: "simple", explode: false },
    ],
    body: {
      contentType: "application/x-www-form-urlencoded",
      encoding: "form",
      required: true,
      from: { spread: ["amount", "metadata", "items", "description"].map((name) => ({ key: name, name })) },
    },
  }),
  upload: tool("upload", {
    method: "POST",
    path: "/files",
    parameters: [],
    body: { contentType: "multipart/form-data", encoding: "multipart", required: false, from: { spread: [{ key: "file", name: "file" }, { key: "meta", name: "meta" }] } },
  }),
  addPet: tool("addPet", {
    method: "POST",
    path: "/pets",
    parameters: [],
    body: { contentType: "application/json", encoding: "json", required: true, from: { key: "body" } },
  }),
  search: tool("search", {
    method: "GET",
    path: "/search",
    parameters: [
      { key: "ids", name: "ids", in: "query", style: "pipeDelimited", explode: false },
      { key: "colors", name: "colors", in: "query", style: "form", explode: true },
    ],
  }),
};

const CHARGE_ARGS = {
  id: "ch 1/2",
  expand: ["customer", "invoice"],
  filter: { status: "paid" },
  tags: ["a,b", "c"],
  limit: 10,
  "X-Trace": "t1",
  amount: 5,
  metadata: { order: "6735" },
  items: [{ price: 5 }, { price: 7 }],
  description: "a b&c",
};

const CHARGE_QUERY = "expand[]=customer&expand[]=invoice&filter[status]=paid&tags=a%2Cb,c&limit=10";
const CHARGE_BODY = "amount=5&metadata[order]=6735&items[0][price]=5&items[1][price]=7&description=a+b%26c";

interface Sent {
  url?: string;
  headers?: Record<string, string>;
  body?: RequestInit["body"];
  method?: string;
}

function chargeRequest(change: Sent = {}): Request {
  return new Request(change.url ?? `${BASE}/charges/ch%201%2F2?${CHARGE_QUERY}`, {
    method: change.method ?? "POST",
    headers: change.headers ?? { "content-type": "application/x-www-form-urlencoded", "x-trace": "t1", accept: "application/json" },
    body: change.body ?? CHARGE_BODY,
  });
}

async function problemsOf(spec: RawSpec, operationId: keyof typeof TOOLS, args: Record<string, unknown>, request: Request): Promise<Problem[]> {
  const schemas = new SpecSchemas(spec);
  const op = rawOperations(schemas.spec).find((o) => o.node["operationId"] === operationId)!;
  return checkRequest({ schemas, op, tool: TOOLS[operationId], args, request, bases: allowedBases(schemas.spec, op, BASE) });
}

const codes = (problems: Problem[]): ProblemCode[] => [...new Set(problems.map((p) => p.code))].sort();

describe("the round-trip checker on the request the spec implies", () => {
  it("accepts deepObject brackets, non-exploded lists with encoded commas, a header and a deepObject form body", async () => {
    expect(await problemsOf(SPEC, "updateCharge", CHARGE_ARGS, chargeRequest())).toEqual([]);
  });

  it("accepts indexed list items (a[0]=…) as the bracket convention too", async () => {
    const url = `${BASE}/charges/ch%201%2F2?${CHARGE_QUERY.replace("expand[]=customer&expand[]=invoice", "expand[0]=customer&expand[1]=invoice")}`;
    expect(await problemsOf(SPEC, "updateCharge", CHARGE_ARGS, chargeRequest({ url }))).toEqual([]);
  });

  it("accepts a multipart body: a binary part and an object as a JSON part (OpenAPI's default contentType)", async () => {
    const form = new FormData();
    form.append("file", new Blob([new TextEncoder().encode("hello, world")], { type: "application/octet-stream" }), "file");
    form.append("meta", new Blob([JSON.stringify({ name: "x" })], { type: "application/json" }));
    const request = new Request(`${BASE}/files`, { method: "POST", body: form });
    expect(await problemsOf(SPEC, "upload", { file: "aGVsbG8sIHdvcmxk", meta: { name: "x" } }, request)).toEqual([]);
  });

  it("reads Swagger 2.0 collectionFormat: pipes and multi", async () => {
    const request = new Request(`${BASE}/search?ids=1|2&colors=red&colors=blue`);
    expect(await problemsOf(SWAGGER, "search", { ids: [1, 2], colors: ["red", "blue"] }, request)).toEqual([]);
  });
});

describe("the round-trip checker catches each mutation", () => {
  const cases: [string, Sent, Record<string, unknown>, ProblemCode[]][] = [
    ["a dropped query parameter", { url: `${BASE}/charges/ch%201%2F2?${CHARGE_QUERY.replace("&limit=10", "")}` }, CHARGE_ARGS, ["dropped"]],
    [
      "a wrong style: a deepObject parameter sent form-exploded (status=paid)",
      { url: `${BASE}/charges/ch%201%2F2?${CHARGE_QUERY.replace("filter[status]=paid", "status=paid")}` },
      CHARGE_ARGS,
      ["dropped", "unexpected"],
    ],
    [
      "a wrong style: a deepObject list sent as repeated pairs (expand=a&expand=b)",
      { url: `${BASE}/charges/ch%201%2F2?${CHARGE_QUERY.replace("expand[]=customer&expand[]=invoice", "expand=customer&expand=invoice")}` },
      CHARGE_ARGS,
      ["parameter"],
    ],
    [
      "explode flipped: a non-exploded list sent as repeated pairs",
      { url: `${BASE}/charges/ch%201%2F2?${CHARGE_QUERY.replace("tags=a%2Cb,c", "tags=a%2Cb&tags=c")}` },
      CHARGE_ARGS,
      ["parameter"],
    ],
    [
      "a list item's comma left unencoded (a,b then c reads as three items)",
      { url: `${BASE}/charges/ch%201%2F2?${CHARGE_QUERY.replace("tags=a%2Cb,c", "tags=a,b,c")}` },
      CHARGE_ARGS,
      ["dropped"],
    ],
    [
      "a form field sent as JSON text where the Encoding Object says deepObject",
      { body: CHARGE_BODY.replace("metadata[order]=6735", `metadata=${encodeURIComponent('{"order":"6735"}')}`) },
      CHARGE_ARGS,
      ["body"],
    ],
    [
      "a list of objects sent as JSON text instead of indexed brackets",
      { body: CHARGE_BODY.replace("items[0][price]=5&items[1][price]=7", `items=${encodeURIComponent('[{"price":5},{"price":7}]')}`) },
      CHARGE_ARGS,
      ["body"],
    ],
    ["a missing required body field (given, not sent)", { body: CHARGE_BODY.replace("amount=5&", "") }, CHARGE_ARGS, ["dropped", "schema"]],
    [
      "a missing required body field (not given either)",
      { body: CHARGE_BODY.replace("amount=5&", "") },
      Object.fromEntries(Object.entries(CHARGE_ARGS).filter(([key]) => key !== "amount")),
      ["schema"],
    ],
    [
      "a wrong Content-Type (JSON where only a form is listed)",
      { headers: { "content-type": "application/json", "x-trace": "t1" }, body: JSON.stringify({ amount: 5 }) },
      CHARGE_ARGS,
      ["body"],
    ],
    ["a changed value", { body: CHARGE_BODY.replace("6735", "6736") }, CHARGE_ARGS, ["dropped"]],
    ["a value out of the schema (enum)", { url: `${BASE}/charges/ch%201%2F2?${CHARGE_QUERY.replace("status]=paid", "status]=void")}` }, { ...CHARGE_ARGS, filter: { status: "void" } }, ["schema"]],
    ["a number above its maximum", { url: `${BASE}/charges/ch%201%2F2?${CHARGE_QUERY.replace("limit=10", "limit=1000")}` }, { ...CHARGE_ARGS, limit: 1000 }, ["schema"]],
    ["an invented query parameter", { url: `${BASE}/charges/ch%201%2F2?${CHARGE_QUERY}&debug=1` }, CHARGE_ARGS, ["unexpected"]],
    ["a required header left out", { headers: { "content-type": "application/x-www-form-urlencoded" } }, CHARGE_ARGS, ["dropped", "missing"]],
    ["a path parameter's slash left unencoded", { url: `${BASE}/charges/ch%201/2?${CHARGE_QUERY}` }, CHARGE_ARGS, ["path"]],
    ["another server", { url: `https://api.example.com/v1/charges/ch%201%2F2?${CHARGE_QUERY}` }, CHARGE_ARGS, ["server"]],
    ["another method", { method: "PUT" }, CHARGE_ARGS, ["method"]],
  ];

  it.each(cases)("%s", async (_, change, args, expected) => {
    expect(codes(await problemsOf(SPEC, "updateCharge", args, chargeRequest(change)))).toEqual(expected);
  });

  it("an object sent as a text part where a JSON part is due (multipart)", async () => {
    const form = new FormData();
    form.append("meta", JSON.stringify({ name: "x" }));
    const problems = await problemsOf(SPEC, "upload", { meta: { name: "x" } }, new Request(`${BASE}/files`, { method: "POST", body: form }));
    expect(codes(problems)).toEqual(["body"]);
    expect(problems[0]!.detail).toContain("part meta is sent as text/plain, the spec says application/json");
  });

  it("a JSON body missing a required member, and one with a member the schema forbids", async () => {
    const json = (body: unknown): Request => new Request(`${BASE}/pets`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(codes(await problemsOf(SPEC, "addPet", { body: { tag: "x" } }, json({ tag: "x" })))).toEqual(["schema"]);
    expect(codes(await problemsOf(SPEC, "addPet", { body: { name: "x", colour: "red" } }, json({ name: "x", colour: "red" })))).toEqual(["schema"]);
  });

  it("a required body not sent", async () => {
    expect(codes(await problemsOf(SPEC, "addPet", {}, new Request(`${BASE}/pets`, { method: "POST" })))).toEqual(["missing"]);
  });

  it("Swagger 2.0: pipes sent as csv", async () => {
    const request = new Request(`${BASE}/search?ids=1,2&colors=red&colors=blue`);
    expect(codes(await problemsOf(SWAGGER, "search", { ids: [1, 2], colors: ["red", "blue"] }, request))).toEqual(["dropped", "schema"]);
  });
});

describe("the known-miss list cannot go stale", () => {
  const plan = { method: "GET" as const, url: `${BASE}/x`, headers: {} };
  const exact = { kind: "exact" as const, args: {}, plan };
  const miss = (code: ProblemCode) => ({ kind: "miss" as const, args: {}, problems: [{ code, detail: "d" }] });

  it("fails a miss that is not listed, or whose kind of problem is not the listed one", () => {
    const books = bookkeeping("s", [{ label: "op", cases: [exact, miss("dropped"), exact] }], [["s", "op", "body", "r"]]);
    expect(books.unlisted).toHaveLength(1);
    expect(books.unlisted[0]).toContain("s op [half] dropped: d");
    expect(bookkeeping("s", [{ label: "op", cases: [exact, miss("body"), exact] }], []).unlisted).toHaveLength(1);
  });

  it("accepts a listed miss, and fails a listed operation that is now exact: no longer a miss", () => {
    expect(bookkeeping("s", [{ label: "op", cases: [exact, miss("body"), exact] }], [["s", "op", "body", "r"]])).toMatchObject({ unlisted: [], stale: [] });
    expect(bookkeeping("s", [{ label: "op", cases: [exact, exact, exact] }], [["s", "op", "body", "r"]]).stale).toEqual([
      "s op: no longer a miss: remove it from known-misses.ts",
    ]);
  });

  it("fails a listed operation that is not round-tripped at all", () => {
    expect(bookkeeping("s", [], [["s", "gone", "body", "r"]]).stale).toEqual(["s gone: listed but not round-tripped (no such operation, or not in the sample): remove it"]);
  });
});
