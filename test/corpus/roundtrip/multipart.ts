/**
 * A multipart/form-data body split into its parts (RFC 7578, on RFC 2046 §5.1.1's delimiters), written here so that
 * the check reads the bytes actually sent, part headers included, rather than trusting a FormData round trip.
 */
import { DecodeError, parseMediaType, type MediaType } from "./wire.ts";

export interface Part {
  /** Lower-case header names. */
  readonly headers: ReadonlyMap<string, string>;
  /** Content-Disposition `name` (RFC 7578 §4.2). */
  readonly name: string;
  readonly filename: string | undefined;
  /** RFC 7578 §4.4: a part without Content-Type is text/plain. */
  readonly contentType: MediaType;
  readonly body: Uint8Array;
}

const CRLF = "\r\n";

export function parseMultipart(body: Uint8Array, boundary: string): Part[] {
  // latin1 maps each byte to one char, so offsets in the text are offsets in the bytes.
  const text = Buffer.from(body).toString("latin1");
  const delimiter = `--${boundary}`;
  if (!text.startsWith(delimiter)) throw new DecodeError("the body does not start with the boundary delimiter");
  const parts: Part[] = [];
  let at = delimiter.length;
  for (;;) {
    if (text.startsWith("--", at)) return parts; // close-delimiter
    if (!text.startsWith(CRLF, at)) throw new DecodeError("a boundary delimiter is not followed by CRLF");
    const headersEnd = text.indexOf(CRLF + CRLF, at);
    if (headersEnd < 0) throw new DecodeError("a part has no end of headers");
    const next = text.indexOf(`${CRLF}${delimiter}`, headersEnd + 4);
    if (next < 0) throw new DecodeError("a part is not closed by a boundary delimiter");
    const headers = partHeaders(text.slice(at + 2, headersEnd));
    parts.push(toPart(headers, body.subarray(headersEnd + 4, next)));
    at = next + CRLF.length + delimiter.length;
  }
}

function partHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split(CRLF)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), Buffer.from(line.slice(colon + 1).trim(), "latin1").toString("utf8"));
  }
  return headers;
}

function toPart(headers: Map<string, string>, body: Uint8Array): Part {
  const disposition = headers.get("content-disposition");
  if (disposition === undefined) throw new DecodeError("a part has no Content-Disposition (RFC 7578 §4.2)");
  const parsed = parseMediaType(disposition);
  if (parsed.essence !== "form-data") throw new DecodeError(`a part's Content-Disposition is "${parsed.essence}", not form-data`);
  const name = parsed.parameters.get("name");
  if (name === undefined) throw new DecodeError("a part's Content-Disposition has no name");
  const contentType = headers.get("content-type");
  return {
    headers,
    name: unescapeName(name),
    filename: parsed.parameters.get("filename"),
    contentType: parseMediaType(contentType ?? "text/plain"),
    body,
  };
}

/** HTML's form-data encoding writes `"`, CR and LF in names as %22, %0D, %0A (RFC 7578 §2 allows it). */
function unescapeName(name: string): string {
  return name.replace(/%(22|0D|0A)/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
