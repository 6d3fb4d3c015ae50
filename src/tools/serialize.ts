/**
 * Parameter serialisation: turns one tool argument into the text OpenAPI's `style`/`explode` put on the wire.
 *
 * The exact forms are those of the Style Examples table (OpenAPI 3.1.1 §4.8.12.4,
 * https://spec.openapis.org/oas/v3.1.1#style-examples), whose path styles are RFC 6570 expansions (§3.2.2 simple,
 * §3.2.5 label, §3.2.7 matrix) and whose query styles are RFC 6570 form (§3.2.8) plus OpenAPI's own
 * `spaceDelimited`, `pipeDelimited` and `deepObject` (§4.8.12.3 Style Values). Pure functions, web APIs only: this
 * runs in Node and in workerd.
 */
import { bracketPairs, DEFAULT_ARRAY_FORMAT } from "./brackets.ts";
import type { ParameterBinding, ParameterStyle } from "./types.ts";

/** A tool argument (or a fixed value) that cannot be put into the request; `parameter` is the input key. */
export class RequestBuildError extends Error {
  readonly parameter: string;

  constructor(parameter: string, problem: string) {
    super(`Argument "${parameter}": ${problem}`);
    this.name = "RequestBuildError";
    this.parameter = parameter;
  }
}

/** What the serialisers need from a binding (fixed values have no `allowReserved`/`json`). */
export type SerializableBinding = Pick<
  ParameterBinding,
  "key" | "name" | "style" | "explode" | "allowReserved" | "json" | "arrayFormat"
>;

/** A query or cookie `name=value` pair: `name` still raw (so fixed values can shadow it), `value` already encoded. */
export interface FormPair {
  readonly name: string;
  readonly value: string;
}

/** Runs one argument's serialisation, reporting any failure (bad JSON, unpaired surrogate) against its key. */
export function serialising<T>(key: string, serialise: () => T): T {
  try {
    return serialise();
  } catch (error) {
    if (error instanceof RequestBuildError) throw error;
    // encodeURIComponent's only failure: text with no UTF-8 form (RFC 3986 §2.5 encodes characters as UTF-8).
    if (error instanceof URIError) throw new RequestBuildError(key, "contains an unpaired UTF-16 surrogate");
    throw new RequestBuildError(key, error instanceof Error ? error.message : String(error));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Percent-encoding

/**
 * Encodes everything but RFC 3986 §2.3 unreserved characters (`A-Z a-z 0-9 - . _ ~`), as UTF-8 (§2.5).
 * `encodeURIComponent` also leaves `!'()*` alone, which are sub-delims (§2.2) with meaning in some components.
 * Throws URIError on an unpaired surrogate (not encodable as UTF-8); callers turn that into a RequestBuildError.
 */
export function encodeUnreserved(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `allowReserved` (OpenAPI 3.1.1 §4.8.12.2.2): RFC 6570 reserved expansion lets RFC 3986 reserved characters and
 * existing percent-encoded triples through, encoding the rest (a `%` not starting a triple becomes `%25`). Still
 * encoded, as that section requires: `#`, `[`, `]` (not allowed in a query, RFC 3986 §3.4) and `&`, `=`, `+`
 * (meaningful in application/x-www-form-urlencoded), so a value can never end the query or add a parameter.
 */
export function encodeAllowReserved(text: string): string {
  return text.replace(/%[0-9A-Fa-f]{2}|%|[^A-Za-z0-9\-._~:/?@!$'()*,;%]+/g, (run) =>
    run.length === 3 && run.startsWith("%") ? run : encodeUnreserved(run),
  );
}

/**
 * Cookie values: RFC 6265 §4.1.1 `cookie-octet` excludes CTLs, space, `"`, `,`, `;`, `\` and non-ASCII; those are
 * percent-encoded (the convention OpenAPI 3.1.1 Appendix D describes), and so is `%` so the result decodes exactly.
 */
export function encodeCookieValue(text: string): string {
  return text.replace(/[^\x21\x23\x24\x26-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+/g, encodeUnreserved);
}

/** Cookie names are RFC 6265 §4.1.1 `token`s (RFC 9110 §5.6.2 tchar); anything else (and `%`) is percent-encoded. */
export function encodeCookieName(text: string): string {
  return text.replace(/[^A-Za-z0-9!#$&'*+\-.^_`|~]+/g, encodeUnreserved);
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/**
 * A value reduced to what RFC 6570 §2.3 distinguishes: a string, a list or name/value pairs. `undefined` is RFC
 * 6570's "undefined" (null, an empty list, an object with no defined members): the parameter is not sent.
 */
type Shape =
  | { readonly kind: "scalar"; readonly text: string }
  | { readonly kind: "list"; readonly items: readonly string[] }
  | { readonly kind: "pairs"; readonly entries: readonly (readonly [string, string])[] };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isDefined(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** JSON text of a value; rejects what JSON cannot represent (functions, symbols, undefined). */
export function jsonText(value: unknown, key: string): string {
  const text: unknown = JSON.stringify(value);
  if (typeof text !== "string") throw new RequestBuildError(key, "has no JSON representation");
  return text;
}

/** A primitive as text: booleans and numbers as their JSON text (OpenAPI 3.1.1 Appendix B). */
export function scalarText(value: unknown, key: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new RequestBuildError(key, `${value} is not a finite number`);
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return jsonText(value, key);
}

/** An array item or object member: nested arrays and objects have no defined style form, so they go as JSON. */
export function memberText(value: unknown, key: string): string {
  return typeof value === "object" && value !== null ? jsonText(value, key) : scalarText(value, key);
}

function toShape(value: unknown, binding: SerializableBinding): Shape | undefined {
  if (!isDefined(value)) return undefined;
  if (binding.json) return { kind: "scalar", text: jsonText(value, binding.key) };
  if (Array.isArray(value)) {
    const items = value.filter(isDefined).map((item) => memberText(item, binding.key));
    return items.length > 0 ? { kind: "list", items } : undefined;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value)
      .filter(([, member]) => isDefined(member))
      .map(([name, member]) => [name, memberText(member, binding.key)] as const);
    return entries.length > 0 ? { kind: "pairs", entries } : undefined;
  }
  return { kind: "scalar", text: scalarText(value, binding.key) };
}

// ---------------------------------------------------------------------------------------------------------------
// RFC 6570 expansions: path (simple, label, matrix) and header (simple)

/** RFC 6570 Appendix A: the expression's first character, the separator between exploded members, and `named`. */
interface Operator {
  readonly first: string;
  readonly separator: string;
  readonly named: boolean;
}

const OPERATORS = {
  simple: { first: "", separator: ",", named: false },
  label: { first: ".", separator: ".", named: false },
  matrix: { first: ";", separator: ";", named: true },
} as const satisfies Record<string, Operator>;

type Encode = (text: string) => string;

/** A named member (`name=value`); matrix drops the `=` for an empty value (RFC 6570 §3.2.7, `ifemp` is ""). */
function namedMember(name: string, value: string): string {
  return value === "" ? name : `${name}=${value}`;
}

function expand(operator: Operator, name: string, shape: Shape, explode: boolean, encode: Encode): string {
  const prefix = operator.named && !explode ? `${encode(name)}=` : "";
  switch (shape.kind) {
    case "scalar":
      return operator.first + (operator.named ? namedMember(encode(name), encode(shape.text)) : encode(shape.text));
    case "list": {
      const items = shape.items.map(encode);
      if (!explode) return operator.first + prefix + items.join(",");
      const members = operator.named ? items.map((item) => namedMember(encode(name), item)) : items;
      return operator.first + members.join(operator.separator);
    }
    case "pairs": {
      if (!explode) return operator.first + prefix + shape.entries.flat().map(encode).join(",");
      const members = shape.entries.map(([key, value]) =>
        operator.named ? namedMember(encode(key), encode(value)) : `${encode(key)}=${encode(value)}`,
      );
      return operator.first + members.join(operator.separator);
    }
  }
}

function pathOperator(style: ParameterStyle): Operator {
  return style === "label" || style === "matrix" ? OPERATORS[style] : OPERATORS.simple;
}

/**
 * A path parameter's text, every value character outside RFC 3986 unreserved percent-encoded so `/`, `?`, `#`, `%`
 * and whitespace stay inside the segment. `undefined` when the value is absent or RFC 6570-undefined.
 */
export function expandPathParameter(binding: SerializableBinding, value: unknown): string | undefined {
  const shape = toShape(value, binding);
  if (!shape) return undefined;
  const operator = binding.json ? OPERATORS.simple : pathOperator(binding.style);
  return expand(operator, binding.name, shape, binding.explode, encodeUnreserved);
}

/**
 * A header parameter's value: `simple` style, not percent-encoded (headers are not URIs; OpenAPI 3.1.1 Appendix D).
 * Rejects what RFC 9110 §5.5 does not allow in a field value (CR, LF and NUL above all: they would end the field
 * and let the value add headers) and characters a Headers object cannot carry (above U+00FF).
 */
export function expandHeaderParameter(binding: SerializableBinding, value: unknown): string | undefined {
  const shape = toShape(value, binding);
  if (!shape) return undefined;
  const text = expand(OPERATORS.simple, binding.name, shape, binding.explode, (s) => s);
  if (/[\r\n\0]/.test(text)) {
    throw new RequestBuildError(binding.key, "contains CR, LF or NUL, which cannot appear in a header value");
  }
  // Other controls (HTAB is allowed) and non-Latin-1 text.
  if (/[\x01-\x08\x0B\x0C\x0E-\x1F\x7F]|[^\x00-\xFF]/.test(text)) {
    throw new RequestBuildError(binding.key, "contains characters that cannot appear in a header value");
  }
  return text;
}

// ---------------------------------------------------------------------------------------------------------------
// Form-style pairs: query (form, spaceDelimited, pipeDelimited, tabDelimited, deepObject) and cookie (form)

/** Delimiters of non-exploded arrays and objects, percent-encoded as in the Style Examples table. */
const QUERY_DELIMITERS: Partial<Record<ParameterStyle, string>> = {
  form: ",",
  spaceDelimited: "%20",
  pipeDelimited: "%7C",
  // Swagger 2.0 `collectionFormat: tsv`.
  tabDelimited: "%09",
};

const RAW_DELIMITERS: Partial<Record<ParameterStyle, string>> = { form: ",", spaceDelimited: " ", pipeDelimited: "|", tabDelimited: "\t" };

function formPairs(name: string, shape: Shape, explode: boolean, delimiter: string, encode: Encode): FormPair[] {
  switch (shape.kind) {
    case "scalar":
      return [{ name, value: encode(shape.text) }];
    case "list":
      return explode
        ? shape.items.map((item) => ({ name, value: encode(item) }))
        : [{ name, value: shape.items.map(encode).join(delimiter) }];
    case "pairs":
      return explode
        ? shape.entries.map(([key, value]) => ({ name: key, value: encode(value) }))
        : [{ name, value: shape.entries.flat().map(encode).join(delimiter) }];
  }
}

/** How form-style pairs are made for one place. */
export interface PairOptions {
  /**
   * Values and delimiters as they are, not percent-encoded: multipart parts (OpenAPI 3.1.1 Appendix E.2). Default:
   * RFC 3986 unreserved, or reserved expansion under `allowReserved`.
   */
  readonly raw?: boolean;
}

/**
 * A query parameter's (or styled form field's) pairs. deepObject objects and arrays, and the nested values of an
 * exploded form object or array (which OpenAPI defines for scalar members only), follow the bracket convention
 * (brackets.ts, DESIGN.md decision 8). Styles that are undefined for a value (spaceDelimited for a string,
 * deepObject for a scalar, explode with the delimited styles) fall back to `form`, as OpenAPI leaves them undefined.
 */
export function queryPairs(binding: SerializableBinding, value: unknown, options: PairOptions = {}): FormPair[] {
  const encode: Encode = options.raw ? (text) => text : binding.allowReserved ? encodeAllowReserved : encodeUnreserved;
  const format = binding.arrayFormat ?? DEFAULT_ARRAY_FORMAT;
  const text = (scalar: unknown): string => scalarText(scalar, binding.key);
  const encoded = (pairs: readonly { name: string; value: string }[]): FormPair[] =>
    pairs.map((pair) => ({ name: pair.name, value: encode(pair.value) }));
  if (!binding.json && isDefined(value) && typeof value === "object") {
    if (binding.style === "deepObject") return encoded(bracketPairs(binding.name, value, format, text));
    if (binding.explode && binding.style === "form") {
      // Exploded form: an object's members are fields of their own (OpenAPI's `R=100&G=200`), nested below them.
      if (isPlainObject(value)) {
        return encoded(Object.entries(value).flatMap(([member, item]) => bracketPairs(member, item, format, text)));
      }
      if (Array.isArray(value) && value.some((item) => typeof item === "object" && item !== null)) {
        return encoded(bracketPairs(binding.name, value, format, text));
      }
    }
  }
  const shape = toShape(value, binding);
  if (!shape) return [];
  const delimiters = options.raw ? RAW_DELIMITERS : QUERY_DELIMITERS;
  return formPairs(binding.name, shape, binding.explode, delimiters[binding.style] ?? ",", encode);
}

/** The query string (without `?`): names are always fully encoded, values were encoded per parameter. */
export function joinQuery(pairs: readonly FormPair[]): string {
  return pairs.map((pair) => `${encodeUnreserved(pair.name)}=${pair.value}`).join("&");
}

/**
 * A cookie parameter's pairs: `form` style, exploded members becoming cookies of their own, non-exploded arrays
 * and objects comma-joined (OpenAPI 3.1.1 Appendix D).
 */
export function cookiePairs(binding: SerializableBinding, value: unknown): FormPair[] {
  const shape = toShape(value, binding);
  if (!shape) return [];
  return formPairs(binding.name, shape, binding.explode, ",", encodeCookieValue);
}

/** One Cookie header value: RFC 6265 §5.4 joins cookie-pairs with `; `. */
export function joinCookies(pairs: readonly FormPair[]): string {
  return pairs.map((pair) => `${encodeCookieName(pair.name)}=${pair.value}`).join("; ");
}

// ---------------------------------------------------------------------------------------------------------------
// Base64 (file parts and binary bodies)

/**
 * Decodes base64 (RFC 4648 §4; the base64url alphabet of §5 is accepted too, models emit both). `atob` is WHATWG
 * forgiving-base64: padding optional, whitespace ignored. `undefined` when the text is not base64.
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  let binary: string;
  try {
    binary = atob(text.replace(/[-_]/g, (c) => (c === "-" ? "+" : "/")));
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
