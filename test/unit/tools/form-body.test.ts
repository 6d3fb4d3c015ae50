/**
 * Form bodies with the Encoding Object, and the bracket convention for nested and array values (DESIGN.md decision 8):
 * what reaches the wire, decoded the way a server would read it.
 */
import { describe, expect, it } from "vitest";
import { buildRequest } from "../../../src/tools/request.ts";
import type { ArrayFormat, BodyBinding, BodyPartBinding, HttpBinding, ParameterBinding } from "../../../src/tools/types.ts";

const BASE = "https://api.example.com";

function post(body: BodyBinding): HttpBinding {
  return { method: "POST", path: "/v1/customers", parameters: [], body };
}

function form(parts: BodyPartBinding[], encoding: "form" | "multipart" = "form"): BodyBinding {
  const contentType = encoding === "form" ? "application/x-www-form-urlencoded" : "multipart/form-data";
  return { contentType, encoding, required: false, from: { key: "body" }, parts };
}

/** The form body's pairs, percent-decoded (what a server reads). */
function pairs(http: HttpBinding, body: unknown): [string, string][] {
  const plan = buildRequest(http, { body }, BASE);
  return [...new URLSearchParams(plan.body as string)];
}

const deep = (name: string, arrayFormat?: ArrayFormat): BodyPartBinding => ({ name, kind: "style", style: "deepObject", explode: true, ...(arrayFormat && { arrayFormat }) });

describe("form bodies: the Encoding Object", () => {
  it("deepObject sends nested members with brackets, not JSON text (a Stripe-like body)", () => {
    const http = post(form([deep("metadata"), deep("expand"), deep("items"), deep("address")]));
    const body = {
      metadata: { order: "6735" },
      expand: ["customer", "invoice"],
      items: [{ price: "p_1", quantity: 2 }, { price: "p_2" }],
      address: { city: "Paris", lines: ["a", "b"], geo: { lat: 1.5 } },
      email: "a@b.test",
    };
    expect(pairs(http, body)).toEqual([
      ["metadata[order]", "6735"],
      ["expand[]", "customer"],
      ["expand[]", "invoice"],
      ["items[0][price]", "p_1"],
      ["items[0][quantity]", "2"],
      ["items[1][price]", "p_2"],
      ["address[city]", "Paris"],
      ["address[lines][]", "a"],
      ["address[lines][]", "b"],
      ["address[geo][lat]", "1.5"],
      ["email", "a@b.test"],
    ]);
  });

  it.each<[ArrayFormat, [string, string][]]>([
    ["brackets", [["expand[]", "a"], ["expand[]", "b"], ["meta[tags][]", "x"], ["lines[0][n]", "1"]]],
    ["indices", [["expand[0]", "a"], ["expand[1]", "b"], ["meta[tags][0]", "x"], ["lines[0][n]", "1"]]],
    ["repeat", [["expand", "a"], ["expand", "b"], ["meta[tags]", "x"], ["lines[0][n]", "1"]]],
  ])("arrayFormat %s (arrays of objects are always indexed)", (format, want) => {
    const http = post(form([deep("expand", format), deep("meta", format), deep("lines", format)]));
    expect(pairs(http, { expand: ["a", "b"], meta: { tags: ["x"] }, lines: [{ n: 1 }] })).toEqual(want);
  });

  it("form style: explode false joins with commas, explode true repeats, objects' members become fields", () => {
    const http = post(
      form([
        { name: "ids", kind: "style", style: "form", explode: false },
        { name: "tags", kind: "style", style: "form", explode: true },
        { name: "color", kind: "style", style: "form", explode: true },
        { name: "path", kind: "style", style: "pipeDelimited", explode: false },
      ]),
    );
    expect(pairs(http, { ids: [1, 2], tags: ["a", "b"], color: { R: 100, G: 200, nested: { x: 1 } }, path: ["a", "b"] })).toEqual([
      ["ids", "1,2"],
      ["tags", "a"],
      ["tags", "b"],
      ["R", "100"],
      ["G", "200"],
      ["nested[x]", "1"],
      ["path", "a|b"],
    ]);
  });

  it("percent-encodes values as in a query (space as %20, + and & escaped); allowReserved keeps reserved characters", () => {
    const http = post(form([{ name: "url", kind: "style", style: "form", explode: true, allowReserved: true }]));
    const plan = buildRequest(http, { body: { url: "https://x.test/a?b=c", note: "a b+c&d" } }, BASE);
    expect(plan.body).toBe("url=https://x.test/a?b%3Dc&note=a%20b%2Bc%26d");
    expect(plan.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  });

  it("a deepObject field given a scalar (Stripe's empty string to unset) is one plain field", () => {
    expect(pairs(post(form([deep("metadata")])), { metadata: "" })).toEqual([["metadata", ""]]);
  });

  it("an array whose items are scalars (however the spec named their schema) is repeated, not JSON text", () => {
    expect(pairs(post(form([])), { Permissions: ["get-all", "post-all"] })).toEqual([
      ["Permissions", "get-all"],
      ["Permissions", "post-all"],
    ]);
  });
});

describe("multipart bodies: the Encoding Object", () => {
  it("styled fields become text parts, not percent-encoded (OpenAPI 3.1.1 Appendix E.2)", async () => {
    const http = post(form([deep("file_link_data"), { name: "ids", kind: "style", style: "spaceDelimited", explode: false }], "multipart"));
    const plan = buildRequest(http, { body: { file_link_data: { create: true, metadata: { k: "a b&c" } }, ids: ["1", "2"] } }, BASE);
    const decoded = await new Response(plan.body as FormData).formData();
    expect([...decoded.entries()]).toEqual([
      ["file_link_data[create]", "true"],
      ["file_link_data[metadata][k]", "a b&c"],
      ["ids", "1 2"],
    ]);
  });

  it("objects and object items without an Encoding Object are application/json parts, one per item", async () => {
    const http = post(form([{ name: "whole", kind: "json" }], "multipart"));
    const plan = buildRequest(http, { body: { meta: { a: 1 }, list: [{ b: 1 }, { b: 2 }], whole: [{ c: 1 }] } }, BASE);
    const decoded = await new Response(plan.body as FormData).formData();
    const texts = async (name: string) => Promise.all(decoded.getAll(name).map(async (part) => [(part as File).type, await (part as File).text()]));
    expect(await texts("meta")).toEqual([["application/json", '{"a":1}']]);
    expect(await texts("list")).toEqual([["application/json", '{"b":1}'], ["application/json", '{"b":2}']]);
    // An explicit JSON contentType: the whole value is one document.
    expect(await texts("whole")).toEqual([["application/json", '[{"c":1}]']]);
  });
});

describe("query deepObject: the bracket convention", () => {
  const query = (arrayFormat?: ArrayFormat): HttpBinding => {
    const parameter: ParameterBinding = { key: "filter", name: "filter", in: "query", style: "deepObject", explode: true, ...(arrayFormat && { arrayFormat }) };
    return { method: "GET", path: "/x", parameters: [parameter] };
  };
  const search = (http: HttpBinding, filter: unknown) => [...new URL(buildRequest(http, { filter }, BASE).url).searchParams];

  it("nested objects and arrays (default brackets)", () => {
    expect(search(query(), { a: { b: 1 }, tags: ["x", "y"], rows: [{ n: 1 }] })).toEqual([
      ["filter[a][b]", "1"],
      ["filter[tags][]", "x"],
      ["filter[tags][]", "y"],
      ["filter[rows][0][n]", "1"],
    ]);
  });

  it("an exploded form parameter's nested values too (Box's mdfilters: an array of objects)", () => {
    const parameter: ParameterBinding = { key: "mdfilters", name: "mdfilters", in: "query", style: "form", explode: true };
    const http: HttpBinding = { method: "GET", path: "/search", parameters: [parameter] };
    const url = new URL(buildRequest(http, { mdfilters: [{ scope: "global", filters: { key1: "a" } }] }, BASE).url);
    expect([...url.searchParams]).toEqual([
      ["mdfilters[0][scope]", "global"],
      ["mdfilters[0][filters][key1]", "a"],
    ]);
    const object = buildRequest(http, { mdfilters: { scope: "global", tags: ["x"] } }, BASE).url;
    expect([...new URL(object).searchParams]).toEqual([["scope", "global"], ["tags[]", "x"]]);
  });

  it("a top-level array (Stripe's expand) per the array format", () => {
    expect(search(query("brackets"), ["a", "b"])).toEqual([["filter[]", "a"], ["filter[]", "b"]]);
    expect(search(query("indices"), ["a", "b"])).toEqual([["filter[0]", "a"], ["filter[1]", "b"]]);
    expect(search(query("repeat"), ["a", "b"])).toEqual([["filter", "a"], ["filter", "b"]]);
  });
});
