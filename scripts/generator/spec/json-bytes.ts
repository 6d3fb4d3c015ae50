/**
 * json-schema-ref-parser's JSON parser (dist/lib/parsers/json.js), given to swagger-parser's `parse` option for a
 * spec whose bytes generate() has read, without the two-byte copy of the text.
 *
 * The library decodes the file as UTF-8 (`buffer.toString()`) and parses that. One character beyond Latin-1 anywhere
 * in the file makes V8 hold the whole text at two bytes per character: GitHub's 13 MB description has 140 non-ASCII
 * bytes, so its text was a 26 MB string, and decoding it cost ~29 ms of CPU on one core. Here the file is read as
 * Latin-1 (one byte per byte, a plain copy) with each run of non-ASCII bytes written as the JSON escapes (`\uXXXX`,
 * RFC 8259 §7) of the characters UTF-8 decodes it to, so the text stays one byte per character.
 *
 * The document is the same: JSON allows a character other than ASCII only inside a string (RFC 8259 §2: whitespace
 * and structure are ASCII), where the escape stands for the same character; outside one, an escape is as much a
 * syntax error as the character. A run of bytes of 0x80 and above is decoded whole, and UTF-8 sequences are made of
 * such bytes only, so each run decodes to what the whole file's decoding gives at that place, U+FFFD for bad bytes
 * included. Anything that does not parse (bad JSON, a byte order mark, an empty file) goes to the library's own
 * parser, so its result and its error message are the library's.
 */
import { isAscii } from "node:buffer";
import libraryJsonParser from "@apidevtools/json-schema-ref-parser/dist/lib/parsers/json.js";

interface ParsedFile {
  data: unknown;
  url: string;
}

/** Documents made by JSON.parse here (parsedByJsonParse). */
const parsedTrees = new WeakSet<object>();

/** The one-byte text each document was parsed from, until takeParsedText takes it. */
const parsedTexts = new WeakMap<object, string>();

/**
 * The one-byte JSON text `document` was parsed from here (oneByteJsonText's), once: it is let go as it is taken, as
 * the document lives on (spec/load.ts takes it right after parsing, for json-refs.ts).
 */
export function takeParsedText(document: unknown): string | undefined {
  if (document === null || typeof document !== "object") return undefined;
  const text = parsedTexts.get(document);
  parsedTexts.delete(document);
  return text;
}

/**
 * `document` is one JSON.parse made here: a tree, no object in it reached twice (which a YAML anchor can make), for as
 * long as nothing writes into it.
 */
export function parsedByJsonParse(document: unknown): boolean {
  return document !== null && typeof document === "object" && parsedTrees.has(document);
}

/** The `parse.json` option of swagger-parser's parse (json-schema-ref-parser merges it into its JSON parser). */
export const jsonBytesParser = {
  async parse(this: unknown, file: ParsedFile): Promise<unknown> {
    const text = Buffer.isBuffer(file.data) ? oneByteJsonText(file.data) : undefined;
    if (text !== undefined) {
      try {
        const document: unknown = JSON.parse(text);
        if (document !== null && typeof document === "object") {
          parsedTrees.add(document);
          parsedTexts.set(document, text);
        }
        return document;
      } catch {
        // Not JSON as it is: the library's parser says why (or parses what follows a byte order mark).
      }
    }
    return (libraryJsonParser.parse as (this: unknown, file: ParsedFile) => Promise<unknown>).call(this, file);
  },
};

/**
 * Checked for non-ASCII bytes a block at a time: `isAscii` is vectorised, and a block that has some is searched by a
 * regular expression over its Latin-1 text (a loop over its bytes cost more than the UTF-8 decode it saves: Stripe's
 * description has 242 runs of non-ASCII bytes spread over 2.5 MB).
 */
const BLOCK = 4096;
const NON_ASCII = /[\x80-\xff]+/g;

/**
 * The file's JSON text with every non-ASCII character written as a `\uXXXX` escape (see above), or undefined where
 * an escape would not stand for the character: after a backslash that starts an escape, `\é` is no escape and bad
 * JSON (RFC 8259 §7), but `\\u00e9` would parse, so that file goes to the library's parser and its error.
 */
export function oneByteJsonText(bytes: Buffer): string | undefined {
  if (isAscii(bytes)) return bytes.toString("latin1");
  let text = "";
  let copiedTo = 0;
  for (let block = 0; block < bytes.length; block += BLOCK) {
    const blockEnd = Math.min(block + BLOCK, bytes.length);
    if (blockEnd <= copiedTo || isAscii(bytes.subarray(Math.max(block, copiedTo), blockEnd))) continue;
    const blockText = bytes.toString("latin1", block, blockEnd);
    NON_ASCII.lastIndex = Math.max(0, copiedTo - block);
    for (let run = NON_ASCII.exec(blockText); run !== null; run = NON_ASCII.exec(blockText)) {
      const runStart = block + run.index;
      if (followsEscapingBackslash(bytes, runStart)) return undefined;
      let runEnd = runStart + run[0].length;
      // A run reaching the block's end may go on in the next one.
      while (runEnd < bytes.length && bytes[runEnd]! >= 0x80) runEnd++;
      text += bytes.toString("latin1", copiedTo, runStart) + unicodeEscapes(bytes.toString("utf8", runStart, runEnd));
      copiedTo = runEnd;
    }
  }
  return text + bytes.toString("latin1", copiedTo, bytes.length);
}

/** Whether the byte before `at` is a backslash that escapes what follows: the last of an odd number of them. */
function followsEscapingBackslash(bytes: Buffer, at: number): boolean {
  let backslashes = 0;
  while (at - backslashes - 1 >= 0 && bytes[at - backslashes - 1] === BACKSLASH) backslashes++;
  return backslashes % 2 === 1;
}

const BACKSLASH = 0x5c;

/** Each UTF-16 code unit of the text as a JSON escape (a character beyond the BMP as its surrogate pair). */
function unicodeEscapes(text: string): string {
  let escaped = "";
  for (let i = 0; i < text.length; i++) escaped += `\\u${text.charCodeAt(i).toString(16).padStart(4, "0")}`;
  return escaped;
}
