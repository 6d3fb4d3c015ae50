/**
 * A JSON spec's `$ref`s read off the text it was parsed from, to tell without walking the document that they are all
 * local and all resolve (spec/load.ts' readRefs): the usual case, where the walk's only findings are "no other file"
 * and "nothing dangling". On two cores the main thread walks the parsed document for nothing else (api.ts's traits
 * are the worker's), and that walk of every object (Stripe: ~28,000 objects, ~72,000 keys) took ~6-7 ms of its CPU on
 * its critical path; one regular expression over the text (json-bytes.ts' one-byte text, kept from the parse) ~2 ms,
 * and looking up Stripe's 775 distinct refs ~0.8 ms.
 *
 * Exact by construction: the refs found here include every `$ref` the walk would visit, so when all of these are
 * local and resolve, so are the walk's, and the walk would have found nothing. In valid JSON (the document parsed) an
 * unescaped `"` starts or ends a string, so each key `$ref` appears as `"$ref"` followed by `:` and its value, unless
 * a letter of it is written as a `\u` escape (met: the walk decides). What else matches (a duplicate key, which
 * JSON.parse drops; a key ending in `\"$ref`) only adds refs to check. A ref written with an escape, one that is not
 * local, or one that does not resolve leaves the answer to the walk, and so its messages.
 */
import { resolvePointer } from "../model/refs.ts";
import type { SpecDocument } from "./load.ts";

/**
 * A `"$ref"` key and its string value up to the first quote, backslash or non-ASCII character (group 2: which one
 * ended it), or a `\u` escape of one of the key's letters (`$` 24, `e` 65, `f` 66, `r` 72: JSON's escapes are a lowercase
 * `\u` and four hex digits, here all digits). A key whose value is not a string does not match: the walk skips those.
 */
const REF_OR_ESCAPE = /"\$ref"[ \t\n\r]*:[ \t\n\r]*"([^"\\\x80-\uffff]*)([^]?)|\\u00(?:24|6[56]|72)/g;

/** Whether every `$ref` in `text` (the JSON `document` was parsed from) is local and resolves in `document`. */
export function everyJsonRefResolves(document: SpecDocument, text: string): boolean {
  return resolvingJsonRefs(document, text) !== undefined;
}

/**
 * The distinct `$ref` values in `text` (the JSON `document` was parsed from) when every one is local and resolves in
 * `document`, else undefined. A superset of the refs a walk of `document` visits (see above): extra ones only when a
 * key is duplicated or ends in an escaped `"$ref`.
 */
export function resolvingJsonRefs(document: SpecDocument, text: string): ReadonlySet<string> | undefined {
  const checked = new Set<string>();
  REF_OR_ESCAPE.lastIndex = 0;
  for (let match = REF_OR_ESCAPE.exec(text); match !== null; match = REF_OR_ESCAPE.exec(text)) {
    const ref = match[1];
    if (ref === undefined || match[2] !== '"') return undefined; // an escape: in the key or in the value
    if (checked.has(ref)) continue;
    if (!ref.startsWith("#") || resolvePointer(document, ref) === undefined) return undefined;
    checked.add(ref);
  }
  return checked;
}

/** A `discriminator` or an `allOf` key as JSON writes it when none of its letters is escaped. */
const DISCRIMINATOR_OR_ALLOF_KEY = /"(?:allOf|discriminator)"/;

/** A `\u` escape of a letter of either (`O` 4f, `a`–`t` 61–74; JSON's hex digits in either case). */
const DISCRIMINATOR_OR_ALLOF_LETTER_ESCAPE = /\\u00(?:4[fF]|6[1-9a-fA-F]|7[0-4])/;

/**
 * Whether `text` (the JSON a document was parsed from) may hold an object with a `discriminator` or an `allOf` key:
 * false only when neither is in it between quotes and no letter of theirs could be written as an escape. In valid
 * JSON a key is written between unescaped quotes, so a key of the parsed document is in the text as it is unless a
 * letter of it is escaped; what else matches (a string value, a key that ends in an escaped quote) only says "may".
 * Stripe's 2.5 MB has neither: ~1.5 ms for the search (one regular expression; two `includes` took ~2.5 ms), and its
 * text has no `\u00` at all (~0.1 ms to tell).
 */
export function mayHoldDiscriminatorOrAllOf(text: string): boolean {
  return DISCRIMINATOR_OR_ALLOF_KEY.test(text) || (text.includes("\\u00") && DISCRIMINATOR_OR_ALLOF_LETTER_ESCAPE.test(text));
}
