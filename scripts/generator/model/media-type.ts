/**
 * Which of a request body's media types the bridge sends, and how: JSON first (a model writes it most reliably), then
 * forms, multipart, text, bytes. A wildcard (any type, `application/*`, `application/*+json`) is no Content-Type a
 * request can carry: a structured schema under it is described field by field and sent as `application/json`;
 * anything else under it is opaque bytes (`application/octet-stream`).
 *
 * @see https://spec.openapis.org/oas/v3.1.0#request-body-object (content: "media type ranges")
 */
import type { BodyEncoding } from "../../../src/tools/types.ts";

export interface MediaChoice {
  /** The media type as written in the spec (the `content` key), or `consumes` entry. */
  key: string;
  /** What is sent as Content-Type. */
  contentType: string;
  encoding: BodyEncoding;
}

/** Whether the schema given for a media type describes a JSON object or array (a wildcard is then sent as JSON). */
export type IsStructured = (mediaType: string) => boolean;

/**
 * `application/xml` and `application/*+xml` are documents the model would have to write, not opaque bytes: the
 * `application/*` catch-all used to take them as base64 binary, hiding the schema. They are unsupported instead
 * (the operation is skipped with the reason), like any other type the bridge cannot send.
 */
const XML = /^application\/(?:[\w.+-]*\+)?xml$/;

const JSON_WILDCARDS = new Set(["*/*", "application/*", "application/*+json"]);

interface Matcher {
  match: (bare: string, structured: boolean) => BodyEncoding | undefined;
  /** The Content-Type sent for a wildcard this matcher takes. */
  wildcardType?: string;
}

/** Encodings in order of preference. */
const PREFERENCE: readonly Matcher[] = [
  { match: (t) => (t === "application/json" || /^application\/[\w.+-]*\+json$/.test(t) ? "json" : undefined) },
  { match: (t) => (/^application\/[\w.+-]*json/.test(t) ? "json" : undefined) },
  { match: (t, structured) => (JSON_WILDCARDS.has(t) && structured ? "json" : undefined), wildcardType: "application/json" },
  { match: (t) => (t === "application/x-www-form-urlencoded" ? "form" : undefined) },
  { match: (t) => (t === "multipart/form-data" || t === "multipart/mixed" ? "multipart" : undefined) },
  { match: (t) => (t.startsWith("text/") ? "text" : undefined), wildcardType: "text/plain" },
  {
    match: (t) =>
      t === "application/octet-stream" || t === "*/*" || (/^(image|audio|video|application)\//.test(t) && !XML.test(t)) ? "binary" : undefined,
    wildcardType: "application/octet-stream",
  },
];

export function chooseMediaType(types: readonly string[], isStructured: IsStructured = () => false): MediaChoice | undefined {
  // Index loops: a for…of makes an iterator result per step in code V8 has not optimised (generator/jit.mjs), and this
  // runs for every operation's body (Stripe: 452, each tried against up to six matchers).
  const bare: string[] = [];
  for (let i = 0; i < types.length; i++) bare.push(types[i]!.split(";")[0]!.trim().toLowerCase());
  for (let m = 0; m < PREFERENCE.length; m++) {
    const { match, wildcardType } = PREFERENCE[m]!;
    for (let i = 0; i < types.length; i++) {
      const key = types[i]!;
      const type = bare[i]!;
      const encoding = match(type, type.includes("*") && isStructured(key));
      if (!encoding) continue;
      const contentType = type.includes("*") ? (wildcardType ?? "application/octet-stream") : key;
      return { key, contentType, encoding };
    }
  }
  return undefined;
}
