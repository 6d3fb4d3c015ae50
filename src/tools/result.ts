/**
 * The upstream API's answer → an MCP tool result (MCP 2025-11-25, server/tools, "Tool Result"): JSON as
 * `structuredContent` plus its text, other text as text, binary as a note, and errors as `isError: true` results
 * that tell the model what went wrong in the API's own words. Pure; web APIs only.
 *
 * Nothing from the request is echoed, and bearer tokens or JWTs in an echoed error body are redacted: what an API
 * puts in an error (a reflected Authorization header, a token in a message) must not reach the model.
 */
import type { UpstreamResponse } from "../upstream/client.ts";
import type { UpstreamError } from "../upstream/errors.ts";
import type { ToolDefinition } from "./types.ts";

export interface TextContent {
  type: "text";
  text: string;
}

/** MCP 2025-11-25 CallToolResult, as far as the bridge produces it. */
export interface CallToolResult {
  content: TextContent[];
  /** Must be a JSON object (MCP: structured content is an object). */
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export function toToolResult(tool: ToolDefinition, response: UpstreamResponse): CallToolResult {
  if (response.status >= 400) return errorResult(response);
  if (response.status >= 300) return redirectResult(response);
  return successResult(tool, response);
}

/** No response at all (timeout, network): the error's message, which names the method and path only. */
export function upstreamErrorResult(_tool: ToolDefinition, error: UpstreamError): CallToolResult {
  return { content: [text(error.message)], isError: true };
}

function text(value: string): TextContent {
  return { type: "text", text: value };
}

// ---------------------------------------------------------------------------------------------------------------
// Success (2xx)

function successResult(tool: ToolDefinition, response: UpstreamResponse): CallToolResult {
  if (isEmpty(response)) return { content: [text(emptySuccessText(tool, response))] };
  const type = mediaType(response.contentType);
  if (isJsonType(type)) return jsonResult(tool, response);
  const decoded = readableText(response, type);
  if (decoded === undefined) return { content: [text(binaryNote(response, type))] };
  return { content: [text(withTruncationNote(decoded, response))] };
}

/**
 * 204/205 carry no content (RFC 9110 §15.3.5, §15.3.6), and any 2xx may be empty. Even when the tool declares an
 * outputSchema there is nothing that conforms to it, so no structuredContent is claimed.
 */
function isEmpty(response: UpstreamResponse): boolean {
  return response.status === 204 || response.status === 205 || (response.body.length === 0 && !response.truncated);
}

function emptySuccessText(tool: ToolDefinition, response: UpstreamResponse): string {
  const outcome = `${tool.http.method} ${tool.http.path} succeeded (${statusLine(response)})`;
  return response.status === 204 ? outcome : `${outcome} with an empty response body`;
}

/**
 * Parsed JSON becomes structuredContent when it is (or, with `resultKey`, is wrapped into) an object: MCP requires
 * an object there. The text content carries the same JSON, compact, for clients that show text only (MCP: a tool
 * returning structured content SHOULD also return it serialised in a TextContent block).
 */
function jsonResult(tool: ToolDefinition, response: UpstreamResponse): CallToolResult {
  const raw = decode(response.body, response.truncated);
  // A cut-off document cannot be parsed; the model still gets what arrived, marked as incomplete.
  if (response.truncated) return { content: [text(withTruncationNote(raw, response))] };
  const parsed = parseJson(raw);
  if (!parsed.ok) return { content: [text(raw)] };
  const value = tool.resultKey !== undefined ? { [tool.resultKey]: parsed.value } : parsed.value;
  if (!isObject(value)) return { content: [text(JSON.stringify(value))] };
  return { content: [text(JSON.stringify(value))], structuredContent: value };
}

function binaryNote(response: UpstreamResponse, type: string): string {
  return `binary response: ${type || "application/octet-stream"}, ${sizeText(response)} (not shown)`;
}

function sizeText(response: UpstreamResponse): string {
  return response.truncated ? `at least ${response.receivedBytes} bytes` : `${response.body.length} bytes`;
}

// ---------------------------------------------------------------------------------------------------------------
// Redirects (3xx): the client does not follow them (src/upstream/client.ts), so the model is told where it pointed.

function redirectResult(response: UpstreamResponse): CallToolResult {
  const target = locationText(response.headers.get("location"));
  const where = target ? ` to ${target}` : "";
  const message = `${statusLine(response)}: the API redirected the request${where}, which the bridge does not follow.`;
  return { content: [text(redact(message))], isError: true };
}

/** The Location's origin and path only: its query or fragment may carry a code or token. */
function locationText(location: string | null): string | undefined {
  if (!location) return undefined;
  try {
    const url = new URL(location, "http://relative.invalid");
    return url.origin === "http://relative.invalid" ? url.pathname : `${url.origin}${url.pathname}`;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Errors (4xx, 5xx)

const MESSAGE_LIMIT = 500;
const DETAILS_LIMIT = 2000;

/**
 * `<status> <reason>: <the API's message>`, then the API's per-field details, a truncation note and, for 401/403,
 * what it means for the user. All of it redacted.
 */
function errorResult(response: UpstreamResponse): CallToolResult {
  const type = mediaType(response.contentType);
  const body = readableText(response, type);
  const json = body !== undefined && !response.truncated && looksLikeJson(type, body) ? parseJson(body) : undefined;
  const document = json?.ok ? json.value : undefined;
  const message = apiMessage(document);
  const details = apiDetails(document);
  const fallback = message === undefined && details === undefined && body ? clip(body.trim(), MESSAGE_LIMIT) : undefined;
  const said = message ?? fallback;
  const lines = [said ? `${statusLine(response)}: ${said}` : statusLine(response)];
  if (details !== undefined) lines.push(`Details: ${clip(details, DETAILS_LIMIT)}`);
  if (response.truncated) lines.push(truncationNote(response));
  const advice = authorizationAdvice(response.status);
  if (advice) lines.push(advice);
  return { content: [text(redact(lines.join("\n")))], isError: true };
}

/**
 * RFC 9110 §15.5.2: 401 means the credentials were missing or not accepted: those the bridge got for this user
 * (exchanged or from their sign-in), so signing in again is what can fix it. §15.5.4: 403 means the API understood
 * who is asking and refuses: more attempts will not help.
 */
function authorizationAdvice(status: number): string | undefined {
  if (status === 401) {
    return "This is an authorization problem with the API for this user: it did not accept the credentials the bridge has for the signed-in user. The user may need to sign in again.";
  }
  if (status === 403) {
    return "The API refused the request: the signed-in user lacks permission for this operation.";
  }
  return undefined;
}

/** Where error bodies commonly say what went wrong, most specific first (RFC 9457 problem details: detail, title). */
function apiMessage(document: unknown): string | undefined {
  if (!isObject(document)) return undefined;
  const nested = isObject(document["error"]) ? document["error"]["message"] : undefined;
  const candidates = [
    document["message"],
    document["error_description"],
    nested,
    document["detail"],
    document["title"],
    document["error"],
  ];
  return candidates.find((value): value is string => typeof value === "string" && value.trim() !== "");
}

/**
 * Per-field problems (`details`, `errors`; FastAPI's `detail` list; the same inside `error`), compact JSON: they
 * tell the model which argument was wrong.
 */
function apiDetails(document: unknown): string | undefined {
  if (!isObject(document)) return undefined;
  const nested = isObject(document["error"]) ? document["error"] : {};
  const candidates = [document["details"], document["errors"], document["detail"], nested["details"], nested["errors"]];
  const found = candidates.find((value) => Array.isArray(value) && value.length > 0);
  return found === undefined ? undefined : JSON.stringify(found);
}

/** JSON by media type, or a body that starts like an object (many APIs send JSON errors as text/plain). */
function looksLikeJson(type: string, body: string): boolean {
  return isJsonType(type) || /^\s*\{/.test(body);
}

const BEARER = /Bearer\s+[\w.~+/-]+=*/gi;
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/g;

/** Bearer credentials (RFC 6750 §2.1 b64token) and JWTs (JWS compact form starts with base64url `{"`). */
export function redact(value: string): string {
  return value.replace(BEARER, "[redacted]").replace(JWT, "[redacted]");
}

// ---------------------------------------------------------------------------------------------------------------
// Media types and text

/** The media type without parameters, lower-case (RFC 9110 §8.3.1: type and subtype are case-insensitive). */
function mediaType(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

function isJsonType(type: string): boolean {
  return type === "application/json" || type.endsWith("+json");
}

const TEXT_TYPES = new Set([
  "application/xml",
  "application/javascript",
  "application/ecmascript",
  "application/x-www-form-urlencoded",
  "application/yaml",
  "application/x-yaml",
  "application/graphql",
  "application/x-ndjson",
  "application/jsonl",
  "application/csv",
  "application/sql",
]);

function isTextType(type: string): boolean {
  return type.startsWith("text/") || TEXT_TYPES.has(type) || /\+(xml|yaml)$/.test(type) || isJsonType(type);
}

/**
 * The body as text when it is text: by its media type, or, with no Content-Type, when it is valid UTF-8 without
 * control bytes (RFC 9110 §8.3: a recipient may examine content without a type). `undefined` for binary.
 */
function readableText(response: UpstreamResponse, type: string): string | undefined {
  if (isTextType(type)) return decode(response.body, response.truncated);
  if (type !== "") return undefined;
  try {
    const value = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(response.body, { stream: response.truncated });
    return /[\u0000-\u0008\u000e-\u001f]/.test(value) ? undefined : value;
  } catch {
    return undefined;
  }
}

/**
 * Decodes a whole body: one decoder per isolate serves every call, since a decode without `stream` leaves no state
 * behind (Encoding Standard, `decode()`: without `stream` the decoder is reset after each call).
 */
const LENIENT_UTF8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });

/** UTF-8 (a leading BOM removed), malformed bytes replaced; a cut-off body drops its incomplete last character instead of showing U+FFFD. */
function decode(bytes: Uint8Array, truncated: boolean): string {
  // A cut-off body is decoded as a stream so its incomplete last character is held back, which would stay in a
  // shared decoder's state: it gets a decoder of its own.
  return truncated ? new TextDecoder("utf-8", { fatal: false, ignoreBOM: false }).decode(bytes, { stream: true }) : LENIENT_UTF8.decode(bytes);
}

function withTruncationNote(value: string, response: UpstreamResponse): string {
  return response.truncated ? `${value}\n${truncationNote(response)}` : value;
}

function truncationNote(response: UpstreamResponse): string {
  return `[response truncated at ${response.body.length} bytes of at least ${response.receivedBytes}]`;
}

/** At most `limit` characters, never splitting a surrogate pair, with an ellipsis when cut. */
function clip(value: string, limit: number): string {
  if (value.length <= limit) return value;
  const end = /[\uD800-\uDBFF]/.test(value.charAt(limit - 1)) ? limit - 1 : limit;
  return `${value.slice(0, end)}…`;
}

function parseJson(value: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(value) as unknown };
  } catch {
    return { ok: false };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Status lines

/**
 * HTTP/2 and HTTP/3 have no reason phrase (RFC 9113 §8.3.2), so statusText is often empty: the RFC 9110 §15
 * phrase stands in.
 */
const REASONS: Readonly<Record<number, string>> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  203: "Non-Authoritative Information",
  204: "No Content",
  205: "Reset Content",
  206: "Partial Content",
  300: "Multiple Choices",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  411: "Length Required",
  412: "Precondition Failed",
  413: "Content Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  416: "Range Not Satisfiable",
  417: "Expectation Failed",
  421: "Misdirected Request",
  422: "Unprocessable Content",
  426: "Upgrade Required",
  428: "Precondition Required",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
};

function statusLine(response: UpstreamResponse): string {
  const reason = response.statusText || REASONS[response.status] || "";
  return reason ? `${response.status} ${reason}` : String(response.status);
}
