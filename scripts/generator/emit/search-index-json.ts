/**
 * The discovery index as MiniSearch serialises it (`JSON.stringify(miniSearch)`: its toJSON, serialization version 2),
 * built without MiniSearch's per-occurrence work. MiniSearch's `add` tokenizes every field of every document and looks
 * every word occurrence up in its radix tree (GitHub's 1,200 operations: ~150,000 occurrences of a few thousand
 * terms), and toJSON then copies each term's maps into objects. Here a field's text is indexed once per distinct text
 * (Kubernetes' 1,014 operations hold 315 distinct parameter texts and 71 distinct parameter lists; GitHub's, 5
 * distinct verb texts): what a text adds to the index, each term's occurrences in that field, is the same for every
 * document that holds it, so a text met again only records those counts for the new document. A word (a token) is
 * processed once per field: after its first occurrence there, one Map lookup finds its terms' postings in that field.
 * The tree (term-tree.ts, the order of MiniSearch's SearchableMap) receives each term once, at the first occurrence of
 * any word that gives it, which is where MiniSearch would first insert it (a text met again brings no new term), so
 * iterating it gives the terms in MiniSearch's order. This relies on `tokenize` and `processTerm` giving the same
 * result for the same text or word and field, as ours (src/discovery/terms.ts) do.
 *
 * The rest follows MiniSearch 7's `add`, `addFieldLength` and `toJSON` step for step: field lengths counted as unique
 * tokens, the running average computed with the same arithmetic (so the same floating-point values). Documents are
 * read by field name (no dotted paths) and their fields as strings, as ours are. test/unit/discovery/
 * search-index-json.test.ts and test/corpus/search-index.suite.ts (every corpus spec) hold the bytes to MiniSearch's
 * own; a MiniSearch update that changes its format fails them.
 */
import type { Options } from "minisearch";
import { TermTree } from "./term-tree.ts";

/** One term's postings by field id (MiniSearch's `_index` values: short document id → occurrences). */
type TermData = (Postings | undefined)[];

/**
 * A term's postings in one field, in one array: each document's short id, followed by its occurrences negated when
 * there are more than one (a one-count posting is one entry: 74-79 % of them, GitHub 62,801 of 84,388). Documents are
 * added in order and a field is indexed once per document, so a posting is only ever added after the last one; the
 * text being indexed counts its occurrences here (`document`, `count`) and adds the posting once it is done. One
 * array and one push for most postings, where two arrays grew by a push each (GitHub: ~5 MB of their copies).
 */
interface Postings {
  entries: number[];
  /** The document whose text last met the term in this field (-1: none yet), and its occurrences there. */
  document: number;
  count: number;
}

/**
 * A token as a field met it: the postings, in this field, of the terms processTerm makes of it (`first`, and `more`
 * for a word with synonyms; neither for a stop word), and the last text it was counted in. Each occurrence costs one
 * Map lookup, where it cost a processTerm call, a Map lookup for each term and its field's postings, and a Set per
 * text for the field's length (GitHub: ~123,000 tokens; the Sets alone ~4.5 MB of allocation).
 */
interface Word {
  first: Postings | undefined;
  more: Postings[] | undefined;
  text: number;
}

/** What a field's text adds to the index for any document that holds it. */
interface IndexedText {
  /** Its number of distinct tokens (MiniSearch's field length). */
  length: number;
  /** The postings of each term it holds, in this field, and that term's occurrences in the text. */
  postings: Postings[];
  counts: number[];
}

type IndexOptions = Required<Pick<Options, "idField" | "fields" | "storeFields" | "tokenize" | "processTerm">>;

/**
 * `JSON.stringify` of a MiniSearch created with `options` after `addAll(documents)`; with `asStringLiteral`, that text
 * as `JSON.stringify` of it prints it (how discovery.ts holds it), written so directly rather than escaping 1 MB again.
 */
export function serializedSearchIndex<T extends Record<string, unknown>>(options: IndexOptions, documents: readonly T[], asStringLiteral = false): string {
  const { idField, fields, storeFields, tokenize, processTerm } = options;
  const fieldIds: Record<string, number> = {};
  fields.forEach((field, i) => (fieldIds[field] = i));
  const tree = new TermTree<TermData>();
  const terms = new Map<string, TermData>();
  const texts = fields.map(() => new Map<string, IndexedText>());
  const documentIds: Record<number, unknown> = {};
  const fieldLength: Record<number, number[]> = {};
  const averageFieldLength: number[] = [];
  const storedFields: Record<number, Record<string, unknown>> = {};
  const seenIds = new Set<unknown>();
  // Each field's words (tokens) as processTerm gives them, processed once per field, and the last text each was
  // counted in; texts are numbered as they are indexed.
  const words = fields.map(() => new Map<string, Word>());
  let textNumber = 0;

  /**
   * Field `fieldId`'s word for `token`, at its first occurrence there; its terms enter the tree then, as MiniSearch
   * inserts a term at its first occurrence (a word met again in the field brings no new term).
   */
  const newWord = (token: string, field: string, fieldId: number): Word => {
    const processed = processTerm(token, field);
    // Most words give one term: its postings found without the arrays of names and postings (Stripe: ~0.5 MB).
    if (typeof processed === "string" && processed !== "") return { first: termPostings(processed, fieldId), more: undefined, text: -1 };
    const names = Array.isArray(processed) ? processed : processed ? [processed] : [];
    const found: Postings[] = [];
    for (let j = 0; j < names.length; j++) found.push(termPostings(names[j]!, fieldId));
    return { first: found[0], more: found.length > 1 ? found.slice(1) : undefined, text: -1 };
  };

  /** A term's postings in field `fieldId`; the term enters the tree at its first occurrence in any field. */
  const termPostings = (name: string, fieldId: number): Postings => {
    let data = terms.get(name);
    if (data === undefined) terms.set(name, (data = tree.fetch(name, newTermData) as TermData));
    return (data[fieldId] ??= { entries: [], document: -1, count: 0 });
  };

  /** Indexes a text first met in field `fieldId` of document `shortId`, and says what it added. */
  const indexText = (text: string, field: string, fieldId: number, shortId: number): IndexedText => {
    const tokens = tokenize(text, field);
    const known = words[fieldId]!;
    const thisText = textNumber++;
    let length = 0;
    const postings: Postings[] = [];
    // Index loops, not for...of: nearly all of a run is code V8 has not optimised, where each step of a for...of
    // allocates (GitHub's index: ~150,000 tokens).
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      let word = known.get(token);
      if (word === undefined) known.set(token, (word = newWord(token, field, fieldId)));
      // The field's length counts each distinct token once (MiniSearch: new Set(tokens).size).
      if (word.text !== thisText) {
        word.text = thisText;
        length++;
      }
      const first = word.first;
      if (first === undefined) continue;
      if (first.document !== shortId) {
        first.document = shortId;
        first.count = 0;
        postings.push(first);
      }
      first.count++;
      if (word.more !== undefined) for (let j = 0; j < word.more.length; j++) countOccurrence(word.more[j]!, shortId, postings);
    }
    const counts: number[] = [];
    for (let i = 0; i < postings.length; i++) {
      const count = postings[i]!.count;
      addPosting(postings[i]!, shortId, count);
      counts.push(count);
    }
    return { length, postings, counts };
  };

  for (let shortId = 0; shortId < documents.length; shortId++) {
    const document = documents[shortId]!;
    const id = document[idField];
    if (id == null) throw new Error(`MiniSearch: document does not have ID field "${idField}"`);
    if (seenIds.has(id)) throw new Error(`MiniSearch: duplicate ID ${String(id)}`);
    seenIds.add(id);
    documentIds[shortId] = id;
    const stored: Record<string, unknown> = {};
    for (let s = 0; s < storeFields.length; s++) if (document[storeFields[s]!] !== undefined) stored[storeFields[s]!] = document[storeFields[s]!];
    if (storeFields.length > 0) storedFields[shortId] = stored;
    for (let f = 0; f < fields.length; f++) {
      const field = fields[f]!;
      const value = document[field];
      if (value == null) continue;
      const text = String(value);
      const fieldId = fieldIds[field]!;
      let indexed = texts[fieldId]!.get(text);
      if (indexed === undefined) texts[fieldId]!.set(text, (indexed = indexText(text, field, fieldId, shortId)));
      else replayPostings(indexed, shortId);
      // addFieldLength: the field's length is its number of distinct tokens; the average is kept as MiniSearch does.
      (fieldLength[shortId] ??= [])[fieldId] = indexed.length;
      averageFieldLength[fieldId] = ((averageFieldLength[fieldId] || 0) * shortId + indexed.length) / (shortId + 1);
    }
  }

  // toJSON's `index`, written out directly rather than as ~100,000 objects for JSON.stringify to walk: each term with
  // its fields and documents, as one array of pieces joined per term (pieces of the whole index in one array, a large
  // object, measured slower: TOOLS.md, emitted next, took ~5 ms more CPU on Stripe). Integer keys come out of
  // JSON.stringify in ascending order: field ids are visited in order, and document ids already ascend (documents are
  // added in order). As a string literal, each piece is quoted on its own: JSON.stringify escapes character by
  // character, and every piece ends at an ASCII character, so no surrogate pair is cut.
  const head = JSON.stringify({
    documentCount: documents.length,
    nextId: documents.length,
    documentIds,
    fieldIds,
    fieldLength,
    averageFieldLength,
    storedFields,
    dirtCount: 0,
  });
  const quote = asStringLiteral ? stringLiteralText : (json: string) => json;
  const q = quote('"');
  const documentKeys = documents.map((_, shortId) => `${q}${shortId}${q}:`);
  // Most postings count one occurrence (GitHub: 62,801 of 84,388; Kubernetes 79 %, Stripe 77 %): that posting's text,
  // the document's key and the count with its comma, made once per document and pushed as one piece, not two.
  const onceThen = documentKeys.map((key) => `${key}1,`);
  const fieldKeys = fields.map((_, fieldId) => `${q}${fieldId}${q}:{`);
  // A posting's count with the comma after it, or the brace that closes its field after the last one: made once per
  // count rather than converted at the join.
  const countThen: string[][] = [];
  const countText = (count: number, end: string): string => ((countThen[count] ??= [])[end === "," ? 0 : 1] ??= `${count}${end}`);
  const index: string[] = [quote(head.slice(0, -1)), `,${q}index${q}:[`];
  let separator = "";
  const { terms: termList, values: termData } = tree.entries();
  for (let t = 0; t < termList.length; t++) {
    const term = termList[t]!;
    const data = termData[t]!;
    const pieces: string[] = [separator, "[", quote(JSON.stringify(term)), ",{"];
    separator = ",";
    let fieldSeparator = "";
    for (let fieldId = 0; fieldId < data.length; fieldId++) {
      const forField = data[fieldId];
      if (forField === undefined) continue;
      pieces.push(fieldSeparator, fieldKeys[fieldId]!);
      fieldSeparator = ",";
      const entries = forField.entries;
      for (let i = 0; i < entries.length; ) {
        const shortId = entries[i++]!;
        const count = i < entries.length && entries[i]! < 0 ? -entries[i++]! : 1;
        if (i === entries.length) pieces.push(documentKeys[shortId]!, countText(count, "}"));
        else if (count === 1) pieces.push(onceThen[shortId]!);
        else pieces.push(documentKeys[shortId]!, countText(count, ","));
      }
    }
    pieces.push("}]");
    index.push(pieces.join(""));
  }
  index.push(`],${q}serializationVersion${q}:2}`);
  const serialized = asStringLiteral ? `"${index.join("")}"` : index.join("");
  letGo(termData, words);
  return serialized;
}

/**
 * Cuts the index's structures loose once its text is made. They are garbage then, but some of them are in the old
 * generation by then (promoted or pretenured while the index was built), and a young object one of them points to (a
 * postings array grown later, a word of a field) is kept by every scavenge until the next full collection, past
 * TOOLS.md and staging: a scavenge follows the old generation's recorded pointers into the young one whether their
 * holder is live or not. Emptying each term's postings and each field's words lets those go at the next scavenge.
 * Bytes copied by scavenges over a run, one core (trace-gc-nvp): Stripe 46.4 → 44.8 MB, Kubernetes 56.4 → 55.3,
 * GitHub 116.1 → 115.5; emit TOOLS.md, where the next scavenge lands on Stripe, paired -1.0 ms (17 of 21).
 */
function letGo(termData: readonly TermData[], words: readonly Map<string, Word>[]): void {
  for (let t = 0; t < termData.length; t++) {
    const data = termData[t]!;
    for (let fieldId = 0; fieldId < data.length; fieldId++) if (data[fieldId] !== undefined) data[fieldId]!.entries = NO_ENTRIES;
  }
  for (let fieldId = 0; fieldId < words.length; fieldId++) words[fieldId]!.clear();
}

/** Postings let go of (letGo): one empty array for all, frozen, so that a push after letGo throws. */
const NO_ENTRIES = Object.freeze([]) as unknown as number[];

/** A term's postings by field, empty (one function for every term, not an arrow made per term). */
function newTermData(): TermData {
  return [];
}

/** One more occurrence of a term in document `shortId`'s text; `postings` lists those the text has met. */
function countOccurrence(forField: Postings, shortId: number, postings: Postings[]): void {
  if (forField.document !== shortId) {
    forField.document = shortId;
    forField.count = 0;
    postings.push(forField);
  }
  forField.count++;
}

/**
 * Adds document `shortId`, whose field holds a text indexed before, to the postings of each term of that text, with
 * the term's occurrences there: addPosting written out in the loop, as a call per posting cost more than the push
 * (Kubernetes replays 49,509 of its 73,246 postings, GitHub 19,196, Stripe 7,071).
 */
function replayPostings(indexed: IndexedText, shortId: number): void {
  const postings = indexed.postings;
  const counts = indexed.counts;
  for (let i = 0; i < postings.length; i++) {
    const entries = postings[i]!.entries;
    entries.push(shortId);
    if (counts[i] !== 1) entries.push(-counts[i]!);
  }
}

/** Adds document `shortId` to a term's postings in a field, with the term's occurrences there. */
function addPosting(postings: Postings, shortId: number, count: number): void {
  postings.entries.push(shortId);
  if (count !== 1) postings.entries.push(-count);
}

/** A JSON text's characters as they stand inside `JSON.stringify` of that text (between its quotes). */
function stringLiteralText(json: string): string {
  return JSON.stringify(json).slice(1, -1);
}
