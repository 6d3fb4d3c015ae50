/**
 * Form bodies: `application/x-www-form-urlencoded` and `multipart/form-data` (RFC 7578), one field or part per
 * property, serialised per the Encoding Object (OpenAPI 3.1.1 §4.8.15) the binding carries:
 *
 * - `style` fields: the RFC 6570 pairs a query parameter with that style/explode/allowReserved gives; nested values
 *   follow the bracket convention (DESIGN.md decision 8). In multipart each pair is a text part, not
 *   percent-encoded (Appendix E.2: form-data parts carry any text as is).
 * - `json` fields: the whole value as one JSON document (an application/json part in multipart).
 * - `file` fields (multipart): the base64 argument decoded, one part per item of an array, with a filename (§4.2).
 * - others (no Encoding Object; §4.8.15.1 defaults): scalars as text, arrays one field per item (RFC 7578 §4.3),
 *   objects (and object items) as JSON text, in multipart as application/json parts.
 */
import {
  RequestBuildError,
  decodeBase64,
  encodeUnreserved,
  isPlainObject,
  joinQuery,
  jsonText,
  memberText,
  queryPairs,
  serialising,
  type FormPair,
  type SerializableBinding,
} from "./serialize.ts";
import type { BodyBinding, BodyPartBinding } from "./types.ts";

/** The input key a body property came from (for error messages). */
function bodyKeyOf(body: BodyBinding, property: string): string {
  if ("key" in body.from) return `${body.from.key}.${property}`;
  return body.from.spread.find((entry) => entry.name === property)?.key ?? property;
}

/** Names the body in errors: its input key, or the spread keys. */
export function bodyLabel(body: BodyBinding): string {
  return "key" in body.from ? body.from.key : body.from.spread.map((entry) => entry.key).join(", ") || "body";
}

function fields(body: BodyBinding, value: unknown): [string, unknown, BodyPartBinding | undefined, string][] {
  if (!isPlainObject(value)) throw new RequestBuildError(bodyLabel(body), "must be an object of form fields");
  return Object.entries(value).map(([name, member]) => [name, member, body.parts?.find((part) => part.name === name), bodyKeyOf(body, name)]);
}

/** The members sent one field or part each: an array's items, else the value; absent items are not sent. */
function items(value: unknown): unknown[] {
  return (Array.isArray(value) ? value : [value]).filter((item) => item !== undefined && item !== null);
}

/** A styled field as the query serialiser takes it (style form and its explode default when unset). */
function styled(part: BodyPartBinding, key: string): SerializableBinding {
  const style = part.style ?? "form";
  const binding: SerializableBinding = { key, name: part.name, style, explode: part.explode ?? style === "form" };
  return { ...binding, ...(part.allowReserved && { allowReserved: true }), ...(part.arrayFormat && { arrayFormat: part.arrayFormat }) };
}

/** application/x-www-form-urlencoded: `name=value` pairs, percent-encoded as in a query (OpenAPI 3.1.1 Appendix E.1). */
export function formBody(body: BodyBinding, value: unknown): string {
  const pairs = fields(body, value).flatMap(([name, member, part, key]) =>
    serialising(key, (): FormPair[] => {
      if (part?.kind === "style") return queryPairs(styled(part, key), member);
      if (part?.kind === "json") return member === undefined || member === null ? [] : [{ name, value: encodeUnreserved(jsonText(member, key)) }];
      return items(member).map((item) => ({ name, value: encodeUnreserved(memberText(item, key)) }));
    }),
  );
  return joinQuery(pairs);
}

/** multipart/form-data (RFC 7578). The Request built from a FormData adds the boundary to Content-Type (§4.1). */
export function multipartBody(body: BodyBinding, value: unknown): FormData {
  const form = new FormData();
  for (const [name, member, part, key] of fields(body, value)) {
    serialising(key, () => {
      if (part?.kind === "style") {
        for (const pair of queryPairs(styled(part, key), member, { raw: true })) form.append(pair.name, pair.value);
      } else if (part?.kind === "json") {
        if (member !== undefined && member !== null) form.append(name, jsonPart(member, key, part.contentType));
      } else {
        for (const item of items(member)) appendPart(form, name, item, part, key);
      }
    });
  }
  return form;
}

function appendPart(form: FormData, name: string, item: unknown, part: BodyPartBinding | undefined, key: string): void {
  if (part?.kind === "file") {
    // RFC 7578 §4.2: a file part carries a filename; §4.4: its own Content-Type, application/octet-stream by default.
    form.append(name, new Blob([base64Bytes(key, item)], { type: part.contentType ?? "application/octet-stream" }), name);
  } else if (typeof item === "object" && item !== null) {
    form.append(name, jsonPart(item, key, part?.contentType));
  } else {
    form.append(name, memberText(item, key));
  }
}

function jsonPart(value: unknown, key: string, contentType = "application/json"): Blob {
  return new Blob([jsonText(value, key)], { type: contentType });
}

export function base64Bytes(key: string, value: unknown): Uint8Array<ArrayBuffer> {
  const bytes = typeof value === "string" ? decodeBase64(value) : undefined;
  if (!bytes) throw new RequestBuildError(key, "must be a base64-encoded string");
  return bytes;
}
