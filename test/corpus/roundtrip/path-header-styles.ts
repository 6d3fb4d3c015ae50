/**
 * Path and header parameters read back by their style: path values by RFC 6570 §3.2.2 simple, §3.2.5 label and
 * §3.2.7 matrix expansion (OpenAPI 3.1.1 §4.8.12.4), headers by the simple style without percent-encoding.
 */
import type { Json } from "../raw-spec.ts";
import { setMember } from "./brackets.ts";
import { shapesOf } from "./shapes.ts";
import { assignmentsToObject, pairsToObject, parseJson, type Decoded, type Field } from "./styles.ts";
import { DecodeError, percentDecode } from "./wire.ts";

/**
 * A path parameter's text in the URL (simple, label or matrix; RFC 6570 §3.2.2/§3.2.5/§3.2.7). Items are split on
 * the raw delimiters before percent-decoding, so an encoded `%2C` stays data.
 */
export function decodePathText(doc: Json, field: Field, raw: string): Decoded {
  if (field.json) return parseJson(percentDecode(raw), field.name);
  const shapes = shapesOf(doc, field.schema);
  let text = raw;
  let separator = ",";
  if (field.style === "label") {
    if (!text.startsWith(".")) throw new DecodeError(`path parameter ${field.name} (label) does not start with "."`);
    text = text.slice(1);
    if (field.explode) separator = ".";
  } else if (field.style === "matrix") {
    return decodeMatrix(shapes, field, raw);
  }
  const parts = text.split(separator);
  const decoded = parts.map((part) => percentDecode(part));
  const listed = parts.length > 1;
  if (shapes.has("array") && (listed || !shapes.has("scalar"))) return decoded;
  if (shapes.has("object") && (listed || !shapes.has("scalar"))) {
    return field.explode ? decodeAssignments(parts, field.name) : pairsToObject(decoded, field.name);
  }
  return percentDecode(text);
}

function decodeAssignments(parts: string[], where: string): Record<string, string> {
  const raw = assignmentsToObject(parts, where);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) setMember(out, percentDecode(k), percentDecode(v));
  return out;
}

function decodeMatrix(shapes: ReadonlySet<string>, field: Field, raw: string): Decoded {
  if (!raw.startsWith(";")) throw new DecodeError(`path parameter ${field.name} (matrix) does not start with ";"`);
  const params = raw.slice(1).split(";");
  if (shapes.has("object") && field.explode && !shapes.has("scalar")) return decodeAssignments(params, field.name);
  const values = params.map((param) => {
    const at = param.indexOf("=");
    const name = percentDecode(at < 0 ? param : param.slice(0, at));
    if (name !== field.name) throw new DecodeError(`path parameter ${field.name} (matrix) carries ;${name}`);
    return at < 0 ? "" : param.slice(at + 1);
  });
  if (field.explode && values.length > 1) return values.map((v) => percentDecode(v));
  const parts = values[0]!.split(",");
  const decoded = parts.map((part) => percentDecode(part));
  if (shapes.has("array") && (parts.length > 1 || !shapes.has("scalar"))) return decoded;
  if (shapes.has("object") && (parts.length > 1 || !shapes.has("scalar"))) return pairsToObject(decoded, field.name);
  return percentDecode(values[0]!);
}

/**
 * A header parameter's value: `simple` style, not percent-encoded (OpenAPI 3.1.2 Appendix D: header values are
 * not percent-encoded); list items may have optional whitespace after the comma (RFC 9110 §5.6.1).
 */
export function decodeHeaderText(doc: Json, field: Field, text: string): Decoded {
  if (field.json) return parseJson(text, field.name);
  const shapes = shapesOf(doc, field.schema);
  const parts = text.split(",").map((part) => part.trim());
  const listed = parts.length > 1;
  if (shapes.has("array") && (listed || !shapes.has("scalar"))) return parts;
  if (shapes.has("object") && (listed || !shapes.has("scalar"))) {
    return field.explode ? assignmentsToObject(parts, field.name) : pairsToObject(parts, field.name);
  }
  return text;
}
