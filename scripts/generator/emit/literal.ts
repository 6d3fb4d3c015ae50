/**
 * Prints plain data as a TypeScript literal that reads like hand-written code: identifier keys unquoted, short
 * objects and arrays on one line, long ones one entry per line. Deterministic: key order is the data's own.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const ONE_LINE_LIMIT = 100;

export function printKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/**
 * Objects printed more than once, and their text at each indent. Listings share objects (Stripe's compacted output
 * schemas: 314,000 objects printed, 13,700 distinct), so a caller printing many values passes one, and each shared
 * object is printed twice at most. Its values must not change while it is in use. A Set and a Map, not weak ones:
 * the objects outlive the printing anyway (the listing holds them), and a weak table cost more per object marked
 * (GitHub's tools.ts marks 26,000; staging the files, one core: ~5 % of its CPU).
 */
export interface PrintedLiterals {
  seen: Set<object>;
  /** The first of an object's kept texts, one per indent, each linking to the next (see PrintedText). */
  text: Map<object, PrintedText>;
  /** The literal of each long string printed (see longStringLiteral). */
  strings: Map<string, string>;
  /** How many objects' texts to keep are being printed, one inside another (see printLiteralText). */
  keeping: number;
  /** Objects met again while another object's text to keep was being printed, and printed without keeping theirs. */
  metInside: Set<object>;
}

/**
 * `shared`: objects known to be printed more than once (a listing's shared parts, see Listing.shared), taken as met
 * already, so that their text is kept the first time they are printed rather than the second: each is printed once
 * per indent instead of twice, and the objects inside it, printed once, are not kept (Stripe's tools.ts: 51,000
 * objects printed → 42,000; printing it, one core: ~108 → ~102 ms).
 */
export function printedLiterals(shared: readonly ReadonlySet<object>[] = []): PrintedLiterals {
  const largest = largestSet(shared);
  const seen = new Set<object>(largest);
  for (let i = 0; i < shared.length; i++) if (shared[i] !== largest) for (const value of shared[i]!) seen.add(value);
  return { seen, text: new Map(), strings: new Map(), keeping: 0, metInside: new Set() };
}

/**
 * The set with the most members, which printedLiterals copies whole: the Set constructor copies a Set in one builtin
 * call where a for…of adds one member per step (Stripe's 9,000 shared output parts, copied in a fresh process, one
 * core: ~2.5 → ~0.35 ms).
 */
function largestSet(sets: readonly ReadonlySet<object>[]): ReadonlySet<object> | undefined {
  let largest: ReadonlySet<object> | undefined;
  for (let i = 0; i < sets.length; i++) if (largest === undefined || sets[i]!.size > largest.size) largest = sets[i];
  return largest;
}

/**
 * A kept text and its `fitsFrom` (see below), at an indent, and the object's text at another indent, if any. A list,
 * not a Map per object: most objects printed again are printed at one or two indents, and the Map each cost more to
 * make than the list costs to walk (GitHub's tools.ts, printed, allocated ~1.5 MB less).
 */
interface PrintedText {
  readonly indent: string;
  readonly text: Printed;
  readonly fitsFrom: number;
  readonly next: PrintedText | undefined;
}

/**
 * The object's kept text at the indent, from its list (see PrintedText), or its one-line text kept at another indent
 * when it fits this one: a one-line form is the same at every indent it fits (its entries' one-line forms fit too,
 * each within less than its own), and printObject puts a value on one line exactly when its least budget, fitsFrom,
 * is within the indent's. Stripe's tools.ts met 2,400 objects again at another indent whose one-line text fitted
 * (GitHub's 760), each printed and kept again before.
 */
function keptAt(first: PrintedText | undefined, indent: string): PrintedText | undefined {
  const budget = ONE_LINE_LIMIT - indent.length;
  let kept = first;
  while (kept !== undefined && kept.indent !== indent && kept.fitsFrom > budget) kept = kept.next;
  return kept;
}

/**
 * What goes before an object entry's value: its key as printed, a colon and a space. Made once per key and run: the
 * same keys (`type`, `description`, `properties`, ...) come back in every schema, and a Map lookup costs less than
 * the identifier test and the concatenation (Stripe's tools.ts, staged over unchanged files, in-process CPU, one core,
 * 11 alternating fresh processes: paired median -2.3 ms, 8/11 lower; whole run -3.5 ms, 11/15 lower).
 */
function entryPrefix(key: string): string {
  let prefix = ENTRY_PREFIXES.get(key);
  if (prefix === undefined) ENTRY_PREFIXES.set(key, (prefix = `${printKey(key)}: `));
  return prefix;
}

const ENTRY_PREFIXES = new Map<string, string>();

/**
 * A value's text spanning lines as its parts in order, text and blocks: the long text of an object printed again (a
 * `kept` block; a short one is a flattened string, see keptText), or a text holding one. A kept block is encoded to
 * UTF-8 once, when first written (`bytes`, its parts then let go), and those bytes are copied at each later use: as
 * one string, it was walked out of its tree of concatenated parts and encoded again at every use (Stripe's tools.ts:
 * 17 of its 21 MB are kept blocks written again).
 */
export interface TextBlock {
  parts: readonly Printed[] | undefined;
  /** Whether this is an object's text printed again (encoded once), not only a text holding such a block. */
  readonly kept: boolean;
  /** A kept block's UTF-8 once written, in pieces: a kept block within it is not copied, its pieces are. */
  bytes?: readonly Uint8Array[];
}

/** A value's text: a string, or a block of text and blocks (see TextBlock). */
export type Printed = string | TextBlock;

/**
 * Of the text printLiteral last returned: the least budget its one-line form fits (the one-line form's rules, in
 * printObject), or Infinity when the text spans lines. A parent reads it right after printing each of its entries,
 * so each value is printed once and the parent's one-line form is made from its entries' texts. Trying a whole
 * value's one-line form before printing its entries failed part way for most values that span lines, and the part
 * was tried again one level down (Stripe's tools.ts: 107,000 of 187,000 one-line attempts were such).
 */
let fitsFrom = 0;

export function printLiteral(value: unknown, indent = "", printed?: PrintedLiterals): string {
  return textOf(printLiteralText(value, indent, printed));
}

/** printLiteral's text, as blocks where it holds long text printed before (see TextBlock): what tools.ts writes. */
export function printLiteralText(value: unknown, indent: string, printed?: PrintedLiterals): Printed {
  if (value === undefined || value === null || typeof value !== "object") {
    // A boolean's text without JSON.stringify, a call into the runtime each (Kubernetes' tools.ts prints 15,000).
    const text =
      typeof value === "string"
        ? printed !== undefined && value.length >= LONG_STRING
          ? longStringLiteral(value, printed.strings)
          : stringLiteral(value)
        : typeof value === "boolean"
          ? value
            ? "true"
            : "false"
          : value === undefined
            ? "undefined"
            : JSON.stringify(value);
    fitsFrom = text.length;
    return text;
  }
  if (!printed) return printObject(value, indent, printed);
  // The first time an object is met, it is only marked: most are printed once, and their text need not be kept.
  if (!printed.seen.has(value)) {
    printed.seen.add(value);
    return printObject(value, indent, printed);
  }
  // Looked up once: printing the object cannot keep a text of its own (listings hold no cycles).
  const first = printed.text.get(value);
  let kept = keptAt(first, indent);
  if (kept === undefined) {
    // Met while another object's text to keep is printed, the object is most often met again only inside that text,
    // which is copied whole: its own text is kept from its second print (Stripe's tools.ts: 11,700 of the 14,200
    // texts kept at their first print were such, 300 of them used again; keeping each cost a flattening copy, a map
    // entry and a text that outlives young collections; staging, one core, in process: ~90.9 → ~87.5 ms).
    if (printed.keeping > 0 && !printed.metInside.has(value)) {
      printed.metInside.add(value);
      return printObject(value, indent, printed);
    }
    printed.keeping++;
    const text = keptText(printObject(value, indent, printed));
    printed.keeping--;
    printed.text.set(value, (kept = { indent, text, fitsFrom, next: first }));
  }
  fitsFrom = kept.fitsFrom;
  return kept.text;
}

/**
 * printLiteralText of a value at the top of what the caller prints (tools.ts: a tool's input or output schema): a
 * shared object there is kept from its second print, as one met inside a text to keep is. Most are printed there
 * once, for one tool (Stripe's tools.ts: 8 of the 155 roots kept at their first print were met again; GitHub 61 of
 * 337): kept, each long one was encoded apart and its bytes held to the end of the file (whole run, one core, 15
 * interleaved pairs: Stripe -9 ms of CPU, 14/15 lower).
 */
export function printRootText(value: unknown, indent: string, printed: PrintedLiterals): Printed {
  if (value === null || typeof value !== "object" || !printed.seen.has(value) || printed.metInside.has(value)) return printLiteralText(value, indent, printed);
  if (keptAt(printed.text.get(value), indent) !== undefined) return printLiteralText(value, indent, printed);
  printed.metInside.add(value);
  return printObject(value, indent, printed);
}

/**
 * JSON.stringify's text of a string. Most strings need no escape, and one regular expression test and a concatenation
 * cost less than a call into the JSON serialiser (~45 against ~80 ns a string, one core; GitHub's tools.ts prints
 * 70,000 strings). JSON.stringify escapes `"`, `\\`, control characters and lone surrogates (ES2019 well-formed
 * JSON.stringify): a string holding any of these, or any surrogate, is left to it.
 */
function stringLiteral(value: string): string {
  return NEEDS_NO_ESCAPE.test(value) ? `"${value}"` : JSON.stringify(value);
}

const NEEDS_NO_ESCAPE = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/**
 * stringLiteral of a long string, made once per run: the same descriptions come back in many schemas (Kubernetes'
 * tools.ts prints 10,500 strings of 64 characters or more, 2.8 million characters, from 1,400 distinct ones, 0.24
 * million), and the escape test reads every character at each use where the Map hashes a string once.
 */
function longStringLiteral(value: string, made: Map<string, string>): string {
  let text = made.get(value);
  if (text === undefined) made.set(value, (text = stringLiteral(value)));
  return text;
}

const LONG_STRING = 64;

/** The text a Printed stands for. */
export function textOf(printed: Printed): string {
  if (typeof printed === "string") return printed;
  let text = "";
  if (printed.parts) for (const part of printed.parts) text += textOf(part);
  else for (const bytes of printed.bytes!) text += Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("utf8");
  return text;
}

/**
 * Each part of the text in order, as text or as UTF-8 bytes: a kept block's bytes, encoded at its first use. No part
 * ends inside a surrogate pair (parts end between entries), so each encodes to the bytes it has in the whole text.
 */
export function forEachPart(printed: Printed, text: (part: string) => void, bytes: (part: Uint8Array) => void): void {
  if (typeof printed === "string") text(printed);
  else if (printed.kept) for (const piece of bytesOf(printed)) bytes(piece);
  else {
    // An index loop: a for…of allocates an iterator result per step in this unoptimised code.
    const parts = printed.parts!;
    for (let i = 0; i < parts.length; i++) forEachPart(parts[i]!, text, bytes);
  }
}

/** A kept block's UTF-8: its text between kept blocks within it encoded in one piece each, and those blocks' pieces. */
function bytesOf(block: TextBlock): readonly Uint8Array[] {
  if (block.bytes) return block.bytes;
  const segments: Uint8Array[] = [];
  let pending = "";
  const visit = (part: Printed): void => {
    if (typeof part === "string") pending += part;
    else if (part.kept) {
      if (pending !== "") segments.push(Buffer.from(pending, "utf8"));
      pending = "";
      segments.push(...bytesOf(part));
    } else for (const inner of part.parts!) visit(inner);
  };
  for (const part of block.parts!) visit(part);
  if (pending !== "") segments.push(Buffer.from(pending, "utf8"));
  block.parts = undefined;
  return (block.bytes = segments);
}

/**
 * The text of an object printed again: flattened when short, a kept block when long. Concatenated text is a tree of
 * its parts until V8 needs its characters, and then each use is walked part by part: writing tools.ts walked the
 * trees of shared objects once per use (Stripe: 314,000 objects printed from 13,700). `Number(text)` makes V8 flatten
 * the string in place, so each later use copies one block. A long text is kept as a block, encoded once when first
 * written: flattened, each nesting level would hold a copy of the levels below (Stripe: ~12 MB more at the peak).
 */
function keptText(text: Printed): Printed {
  if (typeof text !== "string") return { parts: text.parts, kept: true };
  if (text.length < FLATTEN_LIMIT) {
    Number(text);
    return text;
  }
  return { parts: [text], kept: true };
}

const FLATTEN_LIMIT = 4096;

/**
 * The entries gathered for a one-line form, one per line instead. This loop, deeper's indents and tools.ts' field loop
 * avoid what V8 allocates in code it has not optimised (nearly all of a run, see generator/jit.mjs): an iterator result
 * per step of a `for…of`, a new indent string per object printed (printing Stripe's tools.ts, one core, in-process CPU:
 * ~110 → ~100 ms; GitHub's ~103 → ~90).
 */
function entryLines(parts: readonly string[], breaks: LineBreaks): string {
  let text = breaks.first + parts[0];
  for (let i = 1; i < parts.length; i++) text += breaks.next + parts[i];
  return text;
}

/**
 * The line breaks at one indent, made once per indent: an entry's line is joined to the text before it by one of
 * these, its comma put before the next entry's line break rather than after the entry, so that each entry on its own
 * line costs two concatenations less (GitHub's tools.ts, printed: ~48 → ~44 MB allocated; with PrintedText's list,
 * printing it in process, one core, medians of 21 alternating prints: 68.7 → 64.5 ms).
 */
interface LineBreaks {
  readonly indent: string;
  /** Before an object's first entry line. */
  readonly first: string;
  /** Before each later one: the comma ending the entry before. */
  readonly next: string;
  /** After the last entry of an object or array printed at this indent: its comma, and the closing line. */
  readonly lastObject: string;
  readonly lastArray: string;
  /**
   * The line breaks two spaces deeper, where an object printed at this indent puts its entries, made on first use: a
   * field read instead of a second lookup by indent per object printed (two calls less in this unoptimised code).
   */
  inner: LineBreaks | undefined;
}

function lineBreaks(indent: string): LineBreaks {
  const made = LINE_BREAKS[indent.length];
  if (made !== undefined && made.indent === indent) return made;
  return (LINE_BREAKS[indent.length] = {
    indent,
    first: `\n${indent}`,
    next: `,\n${indent}`,
    lastObject: `,\n${indent}}`,
    lastArray: `,\n${indent}]`,
    inner: undefined,
  });
}

/** The line breaks of an object's entries, one level deeper than its own (see LineBreaks.inner). */
function innerBreaks(own: LineBreaks): LineBreaks {
  return (own.inner ??= lineBreaks(deeper(own.indent)));
}

const LINE_BREAKS: LineBreaks[] = [];

/** An indent two spaces deeper, made once per indent length (printers indent with spaces; anything else is made anew). */
function deeper(indent: string): string {
  const made = INDENTS[indent.length];
  if (made !== undefined && made.startsWith(indent)) return made;
  return (INDENTS[indent.length] = `${indent}  `);
}

const INDENTS: string[] = [];

/**
 * On one line when it fits in ONE_LINE_LIMIT less the indent, else one entry per line. The one-line form is
 * `{ key: value, … }`, `[value, …]`, `{}` or `[]`, each entry on one line too; it fits a budget when the budget is
 * not negative, an array of n items has 4 + 3n of it, each entry fits what is left of it after the entries before
 * (counting 4, and each entry's text and 2), and that count stays within it. Each of these is a lower bound on the
 * budget, so the least budget it fits is the greatest of them (`fitsFrom`), known once the entries are printed.
 *
 * Lines are built by concatenation, not `join`: V8 concatenates by linking the two strings and copies once when the
 * whole file is written, where `join` copies its parts at every level, so the text of a value nested ten deep was
 * copied ten times (tools.ts is 20 MB on Stripe's and Kubernetes' specs). The one-line form is joined: it is short.
 */
function printObject(value: object, indent: string, printed: PrintedLiterals | undefined): Printed {
  const closing = lineBreaks(indent);
  const breaks = closing.inner ?? innerBreaks(closing);
  const inner = breaks.indent;
  // What goes before the next entry on its own line: a line break, and after an entry its comma.
  let separator = breaks.first;
  const array = Array.isArray(value);
  const keys = array ? undefined : Object.keys(value);
  const count = keys ? keys.length : (value as unknown[]).length;
  const budget = ONE_LINE_LIMIT - indent.length;
  let least = array && count > 0 ? 4 + 3 * count : 0;
  // While the one-line form may fit: its entries and what they count. Lines are made only once it cannot: most
  // values fit on one line.
  let parts: string[] | undefined = least <= budget ? [] : undefined;
  let used = 4;
  let text = array ? "[" : "{";
  // The blocks among the entries, with the text before each (see TextBlock); none for most values.
  let blocks: Printed[] | undefined;
  for (let i = 0; i < count; i++) {
    const key = keys?.[i];
    const item = key === undefined ? (value as unknown[])[i] : (value as Record<string, unknown>)[key];
    if (key !== undefined && item === undefined) continue;
    const prefix = key === undefined ? "" : entryPrefix(key);
    const entry = printLiteralText(item, inner, printed);
    if (typeof entry !== "string") {
      // A block spans lines: so does this value.
      if (parts !== undefined && parts.length > 0) {
        text += entryLines(parts, breaks);
        separator = breaks.next;
      }
      parts = undefined;
      (blocks ??= []).push(text + separator + prefix, entry);
      text = "";
      separator = breaks.next;
      continue;
    }
    if (parts !== undefined) {
      // Comparisons, not Math.max: a builtin call each in this unoptimised code (two per entry).
      if (used + prefix.length + fitsFrom > least) least = used + prefix.length + fitsFrom;
      used += prefix.length + entry.length + 2;
      if (used > least) least = used;
      if (least <= budget) {
        parts.push(prefix + entry);
        continue;
      }
      if (parts.length > 0) {
        text += entryLines(parts, breaks);
        separator = breaks.next;
      }
      parts = undefined;
    }
    text += separator + prefix + entry;
    separator = breaks.next;
  }
  if (parts === undefined) {
    fitsFrom = Infinity;
    // With no entry (not even `{}` fits a budget below zero), the opening line is followed by an empty one.
    const last = separator === breaks.first ? `${text}\n\n${indent}${array ? "]" : "}"}` : text + (array ? closing.lastArray : closing.lastObject);
    if (blocks === undefined) return last;
    blocks.push(last);
    return { parts: blocks, kept: false };
  }
  fitsFrom = least;
  if (array) return `[${parts.join(", ")}]`;
  return parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`;
}
