/**
 * The request builder: a tool's HTTP binding plus its (validated) arguments → the HTTP request to send. Pure and
 * credential-free: the runtime adds Authorization itself, the dry-run CLI prints the plan, the tests check it.
 *
 * It must be safe on its own (arguments come from a model): no argument can change the base URL's scheme, host,
 * port or path prefix, add a header, or reach a place a fixed value holds. Web APIs only (Node and workerd).
 */
import { base64Bytes, bodyLabel, formBody, multipartBody } from "./form-body.ts";
import {
  RequestBuildError,
  cookiePairs,
  expandHeaderParameter,
  expandPathParameter,
  isPlainObject,
  joinCookies,
  joinQuery,
  jsonText,
  queryPairs,
  scalarText,
  serialising,
  type FormPair,
  type SerializableBinding,
} from "./serialize.ts";
import type { BodyBinding, FixedValue, HttpBinding, HttpMethod, ParameterLocation } from "./types.ts";

export { RequestBuildError } from "./serialize.ts";

export type RequestBody = string | Uint8Array | URLSearchParams | FormData;

export interface HttpRequestPlan {
  method: HttpMethod;
  url: string;
  /** Lower-case names, sorted. No credentials: the runtime adds them. */
  headers: Record<string, string>;
  body?: RequestBody;
}

/** Reads one tool argument by its input key. */
type Input = (key: string) => unknown;

/** A value to serialise, from a tool argument or a fixed value. */
interface Placed {
  readonly binding: SerializableBinding;
  readonly value: unknown;
  readonly fixed: boolean;
}

/**
 * Builds the request for `http` from the tool's arguments. Throws RequestBuildError naming the argument that cannot
 * be sent; throws TypeError when `baseUrl` is not an absolute URL (configuration, not input).
 */
export function buildRequest(http: HttpBinding, args: Record<string, unknown>, baseUrl: string): HttpRequestPlan {
  const input = argumentsOf(args);
  const fixed = http.fixed ?? [];
  const url = buildUrl(baseUrl, http.path, placed(http, input, fixed, "path"), placed(http, input, fixed, "query"));
  const headers: Record<string, string> = {};
  addParameterHeaders(headers, placed(http, input, fixed, "header"));
  addCookieHeader(headers, placed(http, input, fixed, "cookie"));
  const body = http.body ? buildBody(http.body, input, fixed, headers) : undefined;
  if (http.accepts && http.accepts.length > 0) headers["accept"] = http.accepts.join(", ");
  const plan: HttpRequestPlan = { method: http.method, url, headers: sortedHeaders(headers) };
  if (body !== undefined) plan.body = body;
  return plan;
}

// ---------------------------------------------------------------------------------------------------------------
// Gathering values

/** Arguments as an own-property lookup: inherited names (`constructor`, `__proto__`) are never arguments. */
function argumentsOf(args: Record<string, unknown> | null | undefined): Input {
  const record: object = args ?? {};
  return (key) => (Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined);
}

/** Header names compare case-insensitively (RFC 9110 §5.1); all other places compare exactly. */
function samePlace(location: ParameterLocation, a: string, b: string): boolean {
  return location === "header" ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/**
 * The values for one location: the arguments bound there (unless a fixed value holds the same name: fixed values
 * cannot be overridden), then the fixed values. Fixed values report their own name as the parameter.
 */
function placed(http: HttpBinding, input: Input, fixed: readonly FixedValue[], location: ParameterLocation): Placed[] {
  const fixedHere = fixed.filter((entry) => entry.in === location);
  const fromArguments = http.parameters
    .filter((binding) => binding.in === location)
    .filter((binding) => !fixedHere.some((entry) => samePlace(location, entry.name, binding.name)))
    .map((binding) => ({ binding, value: input(binding.key), fixed: false }));
  const fromFixed = fixedHere.map((entry) => ({
    binding: { key: entry.name, name: entry.name, style: entry.style, explode: entry.explode },
    value: entry.value,
    fixed: true,
  }));
  return [...fromArguments, ...fromFixed];
}

// ---------------------------------------------------------------------------------------------------------------
// URL

/**
 * baseUrl's scheme, host, port and path prefix + the path template with its parameters + the query. The base URL's
 * own query and fragment are not kept: a spec's server URL has none.
 */
function buildUrl(baseUrl: string, template: string, pathValues: readonly Placed[], query: readonly Placed[]): string {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, "");
  const path = expandPathTemplate(template.startsWith("/") ? template : `/${template}`, pathValues);
  const search = buildQuery(query);
  const url = new URL(`${base.protocol}//${base.host}${prefix}${path}${search === "" ? "" : `?${search}`}`);
  assertWithinBase(url, base, prefix);
  return url.href;
}

/** Defence in depth: whatever the encoding above missed, the request still goes to the configured API. */
function assertWithinBase(url: URL, base: URL, prefix: string): void {
  const sameOrigin = url.protocol === base.protocol && url.host === base.host;
  if (!sameOrigin || !url.pathname.startsWith(`${prefix}/`) || url.hash !== "") {
    throw new RequestBuildError("path", `the request URL ${url.href} escapes the API base URL ${base.href}`);
  }
}

/**
 * Substitutes `{name}` in each segment of the template. A path parameter is required (OpenAPI 3.1.1 §4.8.12.2.1),
 * so an absent or empty value is an error rather than a URL for another resource.
 */
function expandPathTemplate(template: string, values: readonly Placed[]): string {
  const texts = new Map(values.map((entry) => [entry.binding.name, pathText(entry)] as const));
  return template
    .split("/")
    .map((segment) => expandSegment(segment, texts))
    .join("/");
}

function pathText(entry: Placed): { key: string; text: string | undefined } {
  const { binding, value } = entry;
  if (value === "") throw new RequestBuildError(binding.key, "is an empty path parameter");
  const text = serialising(binding.key, () => expandPathParameter(binding, value));
  return { key: binding.key, text };
}

function expandSegment(segment: string, texts: ReadonlyMap<string, { key: string; text: string | undefined }>): string {
  const keys: string[] = [];
  const expanded = segment.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const entry = texts.get(name);
    if (!entry) throw new RequestBuildError(name, `path parameter {${name}} has no binding`);
    if (entry.text === undefined || entry.text === "") {
      throw new RequestBuildError(entry.key, "is a required path parameter and has no value");
    }
    keys.push(entry.key);
    return entry.text;
  });
  if (keys.length > 0 && isDotSegment(expanded)) {
    const problem = `"${expanded}" would be resolved as a dot-segment (RFC 3986 §5.2.4)`;
    throw new RequestBuildError(keys[0] ?? "path", problem);
  }
  return expanded;
}

/**
 * The WHATWG URL parser removes `.` and `..` segments, `%2e` counting as a dot (URL Standard, single- and
 * double-dot segments), so such a segment would move the request to another path even though it is encoded.
 */
function isDotSegment(segment: string): boolean {
  const dots = segment.replace(/%2e/gi, ".");
  return dots === "." || dots === "..";
}

/** Query pairs in binding order; pairs an argument produces under a fixed value's name are dropped. */
function buildQuery(values: readonly Placed[]): string {
  return joinQuery(withoutShadowed(values, (entry) => queryPairs(entry.binding, entry.value)));
}

function withoutShadowed(values: readonly Placed[], pairsOf: (entry: Placed) => FormPair[]): FormPair[] {
  const groups = values.map((entry) => ({
    fixed: entry.fixed,
    pairs: serialising(entry.binding.key, () => pairsOf(entry)),
  }));
  const fixedNames = new Set(groups.filter((g) => g.fixed).flatMap((g) => g.pairs.map((pair) => pair.name)));
  return groups.flatMap((g) => (g.fixed ? g.pairs : g.pairs.filter((pair) => !fixedNames.has(pair.name))));
}

// ---------------------------------------------------------------------------------------------------------------
// Headers

/**
 * OpenAPI 3.1.1 §4.8.12.2.1 (`name`): header parameters named Accept, Content-Type or Authorization SHALL be
 * ignored; the transport frames the message itself (RFC 9112 §6: Content-Length, Transfer-Encoding; RFC 9110 §7.2
 * Host, §7.6.1 connection options). The generator leaves these out of tools; this keeps them out of requests too.
 * Applies to arguments, not to configured fixed values.
 */
const IGNORED_HEADER_PARAMETERS = new Set([
  "accept", "content-type", "authorization", "content-length", "transfer-encoding", "host", "connection", "keep-alive", "te", "trailer", "upgrade",
]);

/** RFC 9110 §5.6.2 token: what a field name must be. */
const TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

function addParameterHeaders(headers: Record<string, string>, values: readonly Placed[]): void {
  for (const entry of values) {
    const name = entry.binding.name.toLowerCase();
    if (!entry.fixed && IGNORED_HEADER_PARAMETERS.has(name)) continue;
    if (!TOKEN.test(name)) throw new RequestBuildError(entry.binding.key, `"${name}" is not a valid header name`);
    const text = serialising(entry.binding.key, () => expandHeaderParameter(entry.binding, entry.value));
    if (text !== undefined) headers[name] = text;
  }
}

/**
 * The Cookie header: a header parameter the spec names Cookie (a raw cookie string), then the `in: cookie`
 * parameters, one header joined with `; ` (RFC 6265 §5.4).
 */
function addCookieHeader(headers: Record<string, string>, values: readonly Placed[]): void {
  const pairs = withoutShadowed(values, (entry) => cookiePairs(entry.binding, entry.value));
  if (pairs.length === 0) return;
  const fromParameters = joinCookies(pairs);
  headers["cookie"] = headers["cookie"] ? `${headers["cookie"]}; ${fromParameters}` : fromParameters;
}

function sortedHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// ---------------------------------------------------------------------------------------------------------------
// Body

/**
 * The body value: the spread keys present (absent ones omitted; nothing present = no body) or the whole `key`
 * argument, then the fixed body properties on top. `null` as the whole body counts as absent.
 */
function gatherBody(body: BodyBinding, input: Input, fixed: readonly FixedValue[]): unknown {
  const value = argumentBody(body, input);
  const fixedProperties = fixed
    .filter((entry) => entry.in === "body")
    .map((entry) => [entry.name, entry.value] as const);
  if (fixedProperties.length === 0) return value;
  if (value !== undefined && !isPlainObject(value)) {
    throw new RequestBuildError(bodyLabel(body), "must be an object: fixed body properties are added to it");
  }
  // Object.fromEntries defines own properties, so a `__proto__` name stays data.
  return Object.fromEntries([...Object.entries(value ?? {}), ...fixedProperties]);
}

function argumentBody(body: BodyBinding, input: Input): unknown {
  if ("key" in body.from) return input(body.from.key) ?? undefined;
  const present = body.from.spread
    .map((entry) => [entry.name, input(entry.key)] as const)
    .filter(([, value]) => value !== undefined);
  return present.length > 0 ? Object.fromEntries(present) : undefined;
}

function buildBody(
  body: BodyBinding,
  input: Input,
  fixed: readonly FixedValue[],
  headers: Record<string, string>,
): RequestBody | undefined {
  let value = gatherBody(body, input, fixed);
  if (value === undefined) {
    if (!body.required) return undefined;
    // A required body whose schema requires no property: nothing given is the empty object, not a refusal.
    if (!body.emptyObject) throw new RequestBuildError(bodyLabel(body), "the request body is required and none was given");
    value = {};
  }
  switch (body.encoding) {
    case "json":
      headers["content-type"] = body.contentType;
      return serialising(bodyLabel(body), () => jsonText(value, bodyLabel(body)));
    case "form":
      headers["content-type"] = "application/x-www-form-urlencoded";
      return formBody(body, value);
    case "multipart":
      // No content-type here: the Request/Response built from a FormData adds it with the boundary (RFC 7578 §4.1).
      return multipartBody(body, value);
    case "binary":
      headers["content-type"] = body.contentType;
      return base64Bytes(bodyLabel(body), value);
    case "text":
      headers["content-type"] = body.contentType;
      return textBody(bodyLabel(body), value);
  }
}

function textBody(key: string, value: unknown): string {
  if (typeof value === "object" && value !== null) throw new RequestBuildError(key, "must be text");
  return serialising(key, () => scalarText(value, key));
}
