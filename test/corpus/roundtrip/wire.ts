/**
 * The HTTP request as it goes on the wire, read back into its raw parts: the request plan becomes a real fetch
 * `Request` (as the runtime's upstream client makes it), then method, URL path and query (still percent-encoded),
 * headers, cookies and body bytes are taken from that Request, not from the plan. Nothing here knows OpenAPI.
 */
import type { HttpRequestPlan } from "../../../src/tools/request.ts";

export interface RawPair {
  /** As sent (percent-encoded). */
  readonly name: string;
  /** As sent; undefined for a `name` without `=`. */
  readonly value: string | undefined;
}

export interface Wire {
  readonly method: string;
  readonly url: URL;
  /** The path as sent (percent-encoded). */
  readonly path: string;
  readonly query: readonly RawPair[];
  /** Lower-case names; without Cookie, Content-Type and Content-Length (read separately). */
  readonly headers: ReadonlyMap<string, string>;
  readonly cookies: readonly RawPair[];
  readonly contentType: MediaType | undefined;
  readonly body: Uint8Array | undefined;
}

export interface MediaType {
  /** `type/subtype`, lower-case. */
  readonly essence: string;
  readonly parameters: ReadonlyMap<string, string>;
}

/** The plan as the runtime's upstream client sends it (src/upstream/client.ts: method, headers, body, no redirects). */
export function planToRequest(plan: HttpRequestPlan): Request {
  const init: RequestInit = { method: plan.method, headers: new Headers(plan.headers), redirect: "manual" };
  if (plan.body !== undefined) init.body = plan.body;
  return new Request(plan.url, init);
}

export async function readWire(request: Request): Promise<Wire> {
  const url = new URL(request.url);
  const headers = new Map<string, string>();
  for (const [name, value] of request.headers) {
    if (!["cookie", "content-type", "content-length"].includes(name)) headers.set(name, value);
  }
  const contentTypeHeader = request.headers.get("content-type");
  const bytes = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
  return {
    method: request.method,
    url,
    path: url.pathname,
    query: splitPairs(url.search.slice(1), "&"),
    headers,
    cookies: splitPairs(request.headers.get("cookie") ?? "", ";"),
    contentType: contentTypeHeader === null ? undefined : parseMediaType(contentTypeHeader),
    body: bytes,
  };
}

/** `a=1&b&c=` → pairs (application/x-www-form-urlencoded §5.1 splitting, before any decoding). */
export function splitPairs(text: string, separator: "&" | ";"): RawPair[] {
  return text
    .split(separator)
    .map((part) => (separator === ";" ? part.trim() : part))
    .filter((part) => part !== "")
    .map((part) => {
      const at = part.indexOf("=");
      return at < 0 ? { name: part, value: undefined } : { name: part.slice(0, at), value: part.slice(at + 1) };
    });
}

/** A percent-encoded text could not be decoded (a bad `%` escape or bytes that are not UTF-8). */
export class DecodeError extends Error {}

/**
 * Percent-decoding as UTF-8 (RFC 3986 §2.1, §2.5). `plusIsSpace` for application/x-www-form-urlencoded bodies
 * (URL Standard §5.1), where `+` is a space; in a URL query and path `+` is itself.
 */
export function percentDecode(text: string, plusIsSpace = false): string {
  const spaced = plusIsSpace ? text.replaceAll("+", " ") : text;
  try {
    return decodeURIComponent(spaced);
  } catch {
    throw new DecodeError(`"${text}" is not valid percent-encoded UTF-8`);
  }
}

/** RFC 9110 §8.3.1 `type/subtype *( OWS ";" OWS parameter )`, parameter values possibly quoted. */
export function parseMediaType(text: string): MediaType {
  const semicolon = text.indexOf(";");
  const essence = (semicolon < 0 ? text : text.slice(0, semicolon)).trim().toLowerCase();
  const parameters = new Map<string, string>();
  // A quoted-string may hold `;` (RFC 9110 §5.6.4).
  for (const match of (semicolon < 0 ? "" : text.slice(semicolon)).matchAll(/;\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g)) {
    const value = match[2]!.trim();
    parameters.set(match[1]!.toLowerCase(), value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, "$1") : value);
  }
  return { essence, parameters };
}

export function utf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

export function base64Of(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}
