import { describe, expect, it } from "vitest";
import { renderRequest } from "../../scripts/render-request.ts";
import { buildRequest, RequestBuildError, type HttpRequestPlan } from "../../src/tools/request.ts";
import type {
  BodyBinding,
  FixedValue,
  HttpBinding,
  ParameterBinding,
  ParameterLocation,
  ParameterStyle,
} from "../../src/tools/types.ts";

const BASE = "https://api.example.com/v3";

/** The values of OpenAPI 3.1.1 §4.8.12.4 (Style Examples). */
const STRING = "blue";
const ARRAY = ["blue", "black", "brown"];
const OBJECT = { R: 100, G: 200, B: 150 };

function param(
  location: ParameterLocation,
  style: ParameterStyle,
  explode: boolean,
  extra: Partial<ParameterBinding> = {},
): ParameterBinding {
  return { key: "color", name: "color", in: location, style, explode, ...extra };
}

function binding(extra: Partial<HttpBinding> = {}): HttpBinding {
  return { method: "GET", path: "/things", parameters: [], ...extra };
}

function idParameter(style: ParameterStyle = "simple"): ParameterBinding {
  return param("path", style, false, { key: "id", name: "id" });
}

function bodyBinding(
  encoding: BodyBinding["encoding"],
  contentType: string,
  from: BodyBinding["from"],
  extra: Partial<BodyBinding> = {},
): BodyBinding {
  return { encoding, contentType, from, required: true, ...extra };
}

function build(http: HttpBinding, args: Record<string, unknown>, base = BASE): HttpRequestPlan {
  return buildRequest(http, args, base);
}

/** The thrown RequestBuildError (fails the test when nothing or something else is thrown). */
function buildError(http: HttpBinding, args: Record<string, unknown>): RequestBuildError {
  try {
    build(http, args);
  } catch (error) {
    expect(error).toBeInstanceOf(RequestBuildError);
    return error as RequestBuildError;
  }
  throw new Error("expected a RequestBuildError");
}

function base64(bytes: readonly number[]): string {
  return btoa(String.fromCharCode(...bytes));
}

describe("style examples (OpenAPI 3.1.1 §4.8.12.4)", () => {
  // [style, explode, string, array, object], exactly as in the table (query rows without the leading `?`).
  const pathRows: [ParameterStyle, boolean, string, string, string][] = [
    ["matrix", false, ";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"],
    ["matrix", true, ";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150"],
    ["label", false, ".blue", ".blue,black,brown", ".R,100,G,200,B,150"],
    ["label", true, ".blue", ".blue.black.brown", ".R=100.G=200.B=150"],
    ["simple", false, "blue", "blue,black,brown", "R,100,G,200,B,150"],
    ["simple", true, "blue", "blue,black,brown", "R=100,G=200,B=150"],
  ];

  describe.each(pathRows)("path %s explode=%s", (style, explode, string, array, object) => {
    const http = binding({ path: "/paint/{color}", parameters: [param("path", style, explode)] });
    it.each([
      ["string", STRING, string],
      ["array", ARRAY, array],
      ["object", OBJECT, object],
    ])("%s", (_, value, expected) => {
      expect(build(http, { color: value }).url).toBe(`${BASE}/paint/${expected}`);
    });
  });

  const queryRows: [ParameterStyle, boolean, string | null, string | null, string][] = [
    ["form", false, "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"],
    ["form", true, "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"],
    ["spaceDelimited", false, null, "color=blue%20black%20brown", "color=R%20100%20G%20200%20B%20150"],
    ["pipeDelimited", false, null, "color=blue%7Cblack%7Cbrown", "color=R%7C100%7CG%7C200%7CB%7C150"],
    // Swagger 2.0 `collectionFormat: tsv`: the same shape with a tab.
    ["tabDelimited", false, null, "color=blue%09black%09brown", "color=R%09100%09G%09200%09B%09150"],
    ["deepObject", true, null, null, "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"],
  ];

  describe.each(queryRows)("query %s explode=%s", (style, explode, string, array, object) => {
    const http = binding({ parameters: [param("query", style, explode)] });
    const cases: [string, unknown, string | null][] = [
      ["string", STRING, string],
      ["array", ARRAY, array],
      ["object", OBJECT, object],
    ];
    it.each(cases.filter((c) => c[2] !== null))("%s", (_, value, expected) => {
      expect(build(http, { color: value }).url).toBe(`${BASE}/things?${expected}`);
    });
  });

  it.each([
    [false, "color="],
    [true, "color="],
  ])("query form explode=%s, empty string", (explode, expected) => {
    const http = binding({ parameters: [param("query", "form", explode)] });
    expect(build(http, { color: "" }).url).toBe(`${BASE}/things?${expected}`);
  });

  describe.each([
    [false, "blue", "blue,black,brown", "R,100,G,200,B,150"],
    [true, "blue", "blue,black,brown", "R=100,G=200,B=150"],
  ])("header simple explode=%s", (explode, string, array, object) => {
    const http = binding({ parameters: [param("header", "simple", explode, { name: "X-Color" })] });
    it.each([
      ["string", STRING, string],
      ["array", ARRAY, array],
      ["object", OBJECT, object],
    ])("%s", (_, value, expected) => {
      expect(build(http, { color: value }).headers).toEqual({ "x-color": expected });
    });
  });

  describe.each([
    [false, "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"],
    [true, "color=blue", "color=blue; color=black; color=brown", "R=100; G=200; B=150"],
  ])("cookie form explode=%s", (explode, string, array, object) => {
    const http = binding({ parameters: [param("cookie", "form", explode)] });
    it.each([
      ["string", STRING, string],
      ["array", ARRAY, array],
      ["object", OBJECT, object],
    ])("%s", (_, value, expected) => {
      expect(build(http, { color: value }).headers).toEqual({ cookie: expected });
    });
  });
});

describe("query encoding", () => {
  const value = "a/b?c=d&e#f[g]+h%20i%zz,;:@!$()* é";

  it("percent-encodes everything outside RFC 3986 unreserved, space as %20", () => {
    const http = binding({ parameters: [param("query", "form", true, { name: "q", key: "q" })] });
    expect(build(http, { q: value }).url).toBe(
      `${BASE}/things?q=a%2Fb%3Fc%3Dd%26e%23f%5Bg%5D%2Bh%2520i%25zz%2C%3B%3A%40%21%24%28%29%2A%20%C3%A9`,
    );
  });

  it("allowReserved keeps reserved characters and %-triples, but not # [ ] & = +", () => {
    const http = binding({ parameters: [param("query", "form", true, { name: "q", key: "q", allowReserved: true })] });
    expect(build(http, { q: value }).url).toBe(
      `${BASE}/things?q=a/b?c%3Dd%26e%23f%5Bg%5D%2Bh%20i%25zz,;:@!$()*%20%C3%A9`,
    );
  });

  it("sends a json parameter as one encoded JSON text, whatever the style", () => {
    const http = binding({
      parameters: [param("query", "deepObject", true, { name: "filter", key: "filter", json: true })],
    });
    expect(build(http, { filter: { a: 1, b: "x y" } }).url).toBe(
      `${BASE}/things?filter=%7B%22a%22%3A1%2C%22b%22%3A%22x%20y%22%7D`,
    );
  });

  it("sends booleans and numbers as their JSON text", () => {
    const http = binding({
      parameters: [
        param("query", "form", true, { name: "flag", key: "flag" }),
        param("query", "form", true, { name: "n", key: "n" }),
        param("query", "form", false, { name: "ids", key: "ids" }),
      ],
    });
    expect(build(http, { flag: false, n: 1.5, ids: [1, 2] }).url).toBe(`${BASE}/things?flag=false&n=1.5&ids=1,2`);
  });

  it("encodes delimiters inside values so members stay apart", () => {
    const http = binding({ parameters: [param("query", "form", false)] });
    expect(build(http, { color: ["a,b", "c d"] }).url).toBe(`${BASE}/things?color=a%2Cb,c%20d`);
  });

  it("cannot inject a parameter through an exploded object's keys", () => {
    const http = binding({ parameters: [param("query", "form", true)] });
    expect(build(http, { color: { "a&admin=1": "x" } }).url).toBe(`${BASE}/things?a%26admin%3D1=x`);
  });
});

describe("json, header and cookie parameters", () => {
  it("sends a json header parameter as raw JSON", () => {
    const http = binding({ parameters: [param("header", "simple", false, { name: "X-Filter", json: true })] });
    expect(build(http, { color: { a: [1, 2] } }).headers).toEqual({ "x-filter": '{"a":[1,2]}' });
  });

  it.each(["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\u0000b"])("rejects header value %j", (value) => {
    const http = binding({ parameters: [param("header", "simple", false, { key: "trace", name: "X-Trace" })] });
    const error = buildError(http, { trace: value });
    expect(error.parameter).toBe("trace");
    expect(error.message).toContain('"trace"');
  });

  it("rejects a header value a Headers object cannot carry", () => {
    const http = binding({ parameters: [param("header", "simple", false, { key: "trace", name: "X-Trace" })] });
    expect(buildError(http, { trace: "日本" }).parameter).toBe("trace");
  });

  it("ignores header parameters named Accept, Content-Type, Authorization or a framing header", () => {
    const names = ["Authorization", "Accept", "Content-Type", "Content-Length", "Transfer-Encoding", "Host", "Connection"];
    const http = binding({ parameters: names.map((name) => param("header", "simple", false, { key: name, name })) });
    const args = { Authorization: "Bearer x", Accept: "text/html", "Content-Type": "text/plain", "Content-Length": "5", "Transfer-Encoding": "chunked", Host: "evil.test", Connection: "close" };
    expect(build(http, args).headers).toEqual({});
  });

  it("sends a header parameter named Cookie, with the cookie parameters joined to it", () => {
    const http = binding({ parameters: [param("header", "simple", false, { key: "Cookie", name: "Cookie" }), param("cookie", "form", true, { key: "lang", name: "lang" })] });
    expect(build(http, { Cookie: "session=abc" }).headers).toEqual({ cookie: "session=abc" });
    expect(build(http, { Cookie: "session=abc", lang: "fr" }).headers).toEqual({ cookie: "session=abc; lang=fr" });
  });

  it("joins all cookies into one header, percent-encoding what RFC 6265 cookie-octets exclude", () => {
    const http = binding({
      parameters: [
        param("cookie", "form", true, { key: "session", name: "session" }),
        param("cookie", "form", true, { key: "pref", name: "pref" }),
      ],
    });
    expect(build(http, { session: 'a b;c,d"e\\f%g', pref: "été" }).headers).toEqual({
      cookie: "session=a%20b%3Bc%2Cd%22e%5Cf%25g; pref=%C3%A9t%C3%A9",
    });
  });
});

describe("path parameters", () => {
  const http = binding({ path: "/items/{id}", parameters: [idParameter()] });

  it.each([
    ["../admin", "..%2Fadmin"],
    ["//evil.com", "%2F%2Fevil.com"],
    ["%2F", "%252F"],
    ["%2e%2e", "%252e%252e"],
    ["a/b", "a%2Fb"],
    ["a?x=1#f", "a%3Fx%3D1%23f"],
    ["\r\nX-Injected: 1", "%0D%0AX-Injected%3A%201"],
    ["\\evil", "%5Cevil"],
    ["@evil.com:80", "%40evil.com%3A80"],
    ["naïve 日本 🎨", "na%C3%AFve%20%E6%97%A5%E6%9C%AC%20%F0%9F%8E%A8"],
    ["...", "..."],
  ])("keeps %j inside one segment", (value, segment) => {
    const url = new URL(build(http, { id: value }).url);
    expect(url.origin).toBe("https://api.example.com");
    expect(url.pathname).toBe(`/v3/items/${segment}`);
    expect(url.search).toBe("");
    expect(url.hash).toBe("");
  });

  it.each([".", "..", ""])("rejects %j", (value) => {
    const error = buildError(http, { id: value });
    expect(error.parameter).toBe("id");
    expect(error.message).toContain('"id"');
  });

  it("rejects a label value that expands to a dot-segment", () => {
    const label = binding({ path: "/items/{id}", parameters: [idParameter("label")] });
    expect(buildError(label, { id: "." }).parameter).toBe("id");
  });

  it("rejects two parameters that together form a dot-segment", () => {
    const pair = binding({
      path: "/items/{a}{b}",
      parameters: [
        param("path", "simple", false, { key: "a", name: "a" }),
        param("path", "simple", false, { key: "b", name: "b" }),
      ],
    });
    expect(buildError(pair, { a: ".", b: "." }).parameter).toBe("a");
  });

  it.each([[undefined], [null], [[]]])("rejects a missing path value (%j)", (value) => {
    expect(buildError(http, { id: value }).parameter).toBe("id");
  });

  it("rejects text with no UTF-8 form", () => {
    const error = buildError(http, { id: "a\uD800b" });
    expect(error.parameter).toBe("id");
    expect(error.message).toMatch(/surrogate/);
  });

  it("rejects a template variable with no binding", () => {
    expect(buildError(binding({ path: "/items/{id}" }), {}).parameter).toBe("id");
  });

  it.each([
    ["https://api.example.com/v3", "https://api.example.com/v3/items/7"],
    ["https://api.example.com/v3/", "https://api.example.com/v3/items/7"],
    ["https://api.example.com", "https://api.example.com/items/7"],
    ["https://api.example.com/", "https://api.example.com/items/7"],
    ["http://localhost:8787/api/v1//", "http://localhost:8787/api/v1/items/7"],
  ])("joins base URL %s", (base, expected) => {
    expect(build(http, { id: 7 }, base).url).toBe(expected);
  });
});

describe("absent arguments", () => {
  const http = binding({
    parameters: [
      param("query", "form", true, { key: "q", name: "q" }),
      param("query", "form", true, { key: "tags", name: "tags" }),
      param("header", "simple", false, { key: "h", name: "X-H" }),
      param("cookie", "form", true, { key: "c", name: "c" }),
    ],
    body: { contentType: "application/json", encoding: "json", required: false, from: { key: "body" } },
  });

  it("sends nothing for undefined, null and empty arrays", () => {
    expect(build(http, {})).toEqual({ method: "GET", url: `${BASE}/things`, headers: {} });
    expect(build(http, { q: null, tags: [], h: null, c: null, body: null })).toEqual({
      method: "GET",
      url: `${BASE}/things`,
      headers: {},
    });
  });

  it("does not read inherited properties as arguments", () => {
    const proto = binding({ parameters: [param("query", "form", true, { key: "constructor", name: "c" })] });
    expect(build(proto, {}).url).toBe(`${BASE}/things`);
  });

  it("sets accept from the binding", () => {
    expect(build(binding({ accepts: ["application/json", "text/csv"] }), {}).headers).toEqual({
      accept: "application/json, text/csv",
    });
  });
});

describe("bodies", () => {
  const spreadJson: BodyBinding = {
    contentType: "application/json",
    encoding: "json",
    required: true,
    from: {
      spread: [
        { key: "title", name: "title" },
        { key: "done", name: "done" },
        { key: "dueAt", name: "due_at" },
      ],
    },
  };

  it("builds JSON from the spread keys present", () => {
    const plan = build(binding({ method: "POST", body: spreadJson }), { title: "Buy milk", done: false });
    expect(plan.body).toBe('{"title":"Buy milk","done":false}');
    expect(plan.headers).toEqual({ "content-type": "application/json" });
  });

  it("renames spread keys to body property names", () => {
    expect(build(binding({ body: spreadJson }), { dueAt: "2025-01-01" }).body).toBe('{"due_at":"2025-01-01"}');
  });

  it("throws when a required body is missing", () => {
    const error = buildError(binding({ method: "POST", body: spreadJson }), {});
    expect(error.parameter).toBe("title, done, dueAt");
    expect(error.message).toMatch(/required/);
  });

  it("sends the whole `key` argument", () => {
    const patch = bodyBinding("json", "application/merge-patch+json", { key: "body" });
    const plan = build(binding({ method: "PATCH", body: patch }), { body: [1, { a: null }] });
    expect(plan.body).toBe('[1,{"a":null}]');
    expect(plan.headers["content-type"]).toBe("application/merge-patch+json");
  });

  it("builds form bodies without an Encoding Object: arrays repeated, objects and JSON parts as JSON text", () => {
    const body: BodyBinding = {
      contentType: "application/x-www-form-urlencoded",
      encoding: "form",
      required: true,
      from: { key: "form" },
      parts: [{ name: "meta", kind: "json" }],
    };
    const plan = build(binding({ method: "POST", body }), {
      form: { name: "a b", tags: ["x", "y"], nested: { k: 1 }, meta: ["m"], skip: null },
    });
    expect(plan.body).toBe("name=a%20b&tags=x&tags=y&nested=%7B%22k%22%3A1%7D&meta=%5B%22m%22%5D");
    expect(plan.headers).toEqual({ "content-type": "application/x-www-form-urlencoded" });
  });

  const multipart: BodyBinding = {
    contentType: "multipart/form-data",
    encoding: "multipart",
    required: true,
    from: {
      spread: [
        { key: "file", name: "file" },
        { key: "meta", name: "metadata" },
        { key: "title", name: "title" },
        { key: "tags", name: "tags" },
      ],
    },
    parts: [
      { name: "file", kind: "file", contentType: "image/png" },
      { name: "metadata", kind: "json" },
    ],
  };
  const bytes = [0, 1, 2, 128, 255, 13, 10];

  it("builds multipart bodies with decoded file parts", async () => {
    const plan = build(binding({ method: "POST", body: multipart }), {
      file: base64(bytes),
      meta: { a: 1 },
      title: "Hello",
      tags: ["x", 2],
    });
    expect(plan.headers).toEqual({});
    expect(plan.body).toBeInstanceOf(FormData);
    // Round-trip through the wire format, as the API would read it.
    const decoded = await new Response(plan.body as FormData).formData();
    const file = decoded.get("file") as File;
    expect(file.name).toBe("file");
    expect(file.type).toBe("image/png");
    expect([...new Uint8Array(await file.arrayBuffer())]).toEqual(bytes);
    const metadata = decoded.get("metadata") as File;
    expect(metadata.type).toBe("application/json");
    expect(await metadata.text()).toBe('{"a":1}');
    expect(decoded.get("title")).toBe("Hello");
    expect(decoded.getAll("tags")).toEqual(["x", "2"]);
  });

  it("accepts base64url file content", async () => {
    const plan = build(binding({ body: multipart }), { file: "-_8" });
    const file = (plan.body as FormData).get("file") as File;
    expect([...new Uint8Array(await file.arrayBuffer())]).toEqual([251, 255]);
  });

  it.each(["not base64!", "abcde", 42])("rejects file content %j naming the property", (file) => {
    const error = buildError(binding({ body: multipart }), { file });
    expect(error.parameter).toBe("file");
    expect(error.message).toMatch(/base64/);
  });

  it("builds binary bodies", () => {
    const binary = bodyBinding("binary", "application/octet-stream", { key: "data" });
    const plan = build(binding({ method: "PUT", body: binary }), { data: base64(bytes) });
    expect(plan.body).toBeInstanceOf(Uint8Array);
    expect([...(plan.body as Uint8Array)]).toEqual(bytes);
    expect(plan.headers).toEqual({ "content-type": "application/octet-stream" });
    expect(buildError(binding({ body: binary }), { data: "%%%" }).parameter).toBe("data");
  });

  it("builds text bodies", () => {
    const text = bodyBinding("text", "text/plain; charset=utf-8", { key: "text" }, { required: false });
    expect(build(binding({ method: "POST", body: text }), { text: "héllo\n" })).toEqual({
      method: "POST",
      url: `${BASE}/things`,
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: "héllo\n",
    });
  });

  it.each<[BodyBinding["encoding"], string, unknown]>([
    ["json", "application/json", "{}"],
    ["form", "application/x-www-form-urlencoded", ""],
  ])("sends an empty %s object for a required body that requires nothing, when no field is given", (encoding, contentType, sent) => {
    const body: BodyBinding = { ...spreadJson, encoding, contentType, emptyObject: true };
    expect(build(binding({ method: "POST", body }), {})).toEqual({ method: "POST", url: `${BASE}/things`, headers: { "content-type": contentType }, body: sent });
  });

  it("sends an empty multipart body for a required body that requires nothing", async () => {
    const body: BodyBinding = { ...multipart, from: { key: "form" }, emptyObject: true };
    const plan = build(binding({ method: "POST", body }), {});
    expect([...(plan.body as FormData).keys()]).toEqual([]);
  });

  it("sends no body and no content-type for an absent optional body", () => {
    const body: BodyBinding = { ...spreadJson, required: false };
    expect(build(binding({ body }), {})).toEqual({ method: "GET", url: `${BASE}/things`, headers: {} });
  });
});

describe("fixed values", () => {
  const fixed: FixedValue[] = [
    { in: "query", name: "api-version", style: "form", explode: true, value: "2024-01-01" },
    { in: "header", name: "X-Tenant", style: "simple", explode: false, value: "acme" },
    { in: "cookie", name: "region", style: "form", explode: true, value: "eu" },
    { in: "path", name: "org", style: "simple", explode: false, value: "acme corp" },
    { in: "body", name: "source", style: "form", explode: true, value: "bridge" },
  ];
  const http = binding({
    method: "POST",
    path: "/orgs/{org}/items",
    parameters: [
      param("query", "form", true, { key: "apiVersion", name: "api-version" }),
      param("query", "form", true, { key: "extra", name: "extra" }),
      param("header", "simple", false, { key: "tenant", name: "x-tenant" }),
      param("cookie", "form", true, { key: "region", name: "region" }),
      param("path", "simple", false, { key: "org", name: "org" }),
    ],
    body: {
      contentType: "application/json",
      encoding: "json",
      required: false,
      from: { spread: [{ key: "title", name: "title" }, { key: "source", name: "source" }] },
    },
    fixed,
    accepts: ["application/json"],
  });

  it("always applies them", () => {
    expect(build(http, {})).toEqual({
      method: "POST",
      url: `${BASE}/orgs/acme%20corp/items?api-version=2024-01-01`,
      headers: {
        accept: "application/json",
        "content-type": "application/json",
        cookie: "region=eu",
        "x-tenant": "acme",
      },
      body: '{"source":"bridge"}',
    });
  });

  it("cannot be overridden by arguments", () => {
    const plan = build(http, {
      apiVersion: "evil",
      extra: { "api-version": "evil", ok: 1 },
      tenant: "evil",
      region: "evil",
      org: "evil",
      title: "t",
      source: "evil",
    });
    expect(plan.url).toBe(`${BASE}/orgs/acme%20corp/items?ok=1&api-version=2024-01-01`);
    expect(plan.headers).toEqual({
      accept: "application/json",
      "content-type": "application/json",
      cookie: "region=eu",
      "x-tenant": "acme",
    });
    expect(plan.body).toBe('{"title":"t","source":"bridge"}');
  });
});

describe("renderRequest", () => {
  it("renders a JSON request", async () => {
    const http = binding({
      method: "POST",
      path: "/todos/{id}",
      parameters: [
        param("path", "simple", false, { key: "id", name: "id" }),
        param("query", "form", true, { key: "dryRun", name: "dry_run" }),
      ],
      body: bodyBinding("json", "application/json", { spread: [{ key: "title", name: "title" }] }),
      accepts: ["application/json"],
    });
    const text = await renderRequest(build(http, { id: 42, dryRun: true, title: "Buy milk" }));
    expect(text).toBe(
      [
        "POST https://api.example.com/v3/todos/42?dry_run=true HTTP/1.1",
        "accept: application/json",
        "content-type: application/json",
        "",
        '{"title":"Buy milk"}',
      ].join("\n"),
    );
  });

  it("renders a multipart request with its boundary and parts", async () => {
    const http = binding({
      method: "POST",
      path: "/upload",
      body: {
        contentType: "multipart/form-data",
        encoding: "multipart",
        required: true,
        from: { spread: [{ key: "file", name: "file" }, { key: "note", name: "note" }] },
        parts: [{ name: "file", kind: "file", contentType: "text/plain" }],
      },
    });
    const text = await renderRequest(build(http, { file: btoa("hello"), note: "hi" }));
    const boundary = /^content-type: multipart\/form-data; boundary=(.+)$/m.exec(text)?.[1];
    expect(boundary).toBeTruthy();
    expect(text.startsWith("POST https://api.example.com/v3/upload HTTP/1.1\n")).toBe(true);
    expect(text).toContain(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="file"\r\n`);
    expect(text).toContain("Content-Type: text/plain\r\n\r\nhello\r\n");
    expect(text).toContain(`Content-Disposition: form-data; name="note"\r\n\r\nhi\r\n--${boundary}--`);
  });

  it("summarises binary bodies", async () => {
    const plan: HttpRequestPlan = {
      method: "PUT",
      url: `${BASE}/blob`,
      headers: { "content-type": "application/octet-stream" },
      body: new Uint8Array(5),
    };
    expect(await renderRequest(plan)).toBe(
      `PUT ${BASE}/blob HTTP/1.1\ncontent-type: application/octet-stream\n\n<5 bytes application/octet-stream>`,
    );
  });

  it("never prints an authorization value", async () => {
    const plan: HttpRequestPlan = { method: "GET", url: `${BASE}/x`, headers: { authorization: "Bearer secret" } };
    expect(await renderRequest(plan)).not.toContain("secret");
  });
});
