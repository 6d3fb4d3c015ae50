/**
 * The discovery index as MiniSearch serialises it (`JSON.stringify(miniSearch)`: its toJSON, serialization version 2),
 * built without MiniSearch's per-occurrence work. MiniSearch's `add` looks every word occurrence up in its radix tree
 * (GitHub's 1,200 operations: ~300,000 occurrences of a few thousand terms), and toJSON then copies each term's maps
 * into objects: together about half of building the index. Here each distinct token of a field is looked up once
 * in a Map and remembers its terms' numbers; an occurrence then only counts into an array by term number, and a
 * field's distinct tokens are counted by stamping each token's number (no Set per field, no Map per term and field).
 * The tree (MiniSearch's own SearchableMap) receives each term once, in the order MiniSearch would first insert it,
 * so iterating it gives the terms in MiniSearch's order.
 *
 * The rest follows MiniSearch 7's `add`, `addFieldLength` and `toJSON` step for step: the same tokenize and
 * processTerm results (both are pure: processTerm is called once per distinct token and field), field lengths counted as unique tokens, the running average computed with the same arithmetic
 * (so the same floating-point values). Documents are read by field name (no dotted paths) and their fields as
 * strings, as ours are. test/unit/discovery/search-index-json.test.ts and test/corpus/search-index.suite.ts (every
 * corpus spec) hold the bytes to MiniSearch's own; a MiniSearch update that changes its format fails them.
 */
import SearchableMap from "minisearch/SearchableMap";
import type { Options } from "minisearch";

type IndexOptions = Required<Pick<Options, "idField" | "fields" | "storeFields" | "tokenize" | "processTerm">>;

/** A distinct token of one field: a number of its own (to count a field's distinct tokens) and its terms' numbers. */
interface KnownToken {
  id: number;
  terms: number[];
}

/** `JSON.stringify` of a MiniSearch created with `options` after `addAll(documents)`. */
export function serializedSearchIndex<T extends Record<string, unknown>>(options: IndexOptions, documents: readonly T[]): string {
  const { idField, fields, storeFields, tokenize, processTerm } = options;
  const fieldIds: Record<string, number> = {};
  fields.forEach((field, i) => (fieldIds[field] = i));
  const documentIds: Record<number, unknown> = {};
  const fieldLength: Record<number, number[]> = {};
  const averageFieldLength: number[] = [];
  const storedFields: Record<number, Record<string, unknown>> = {};
  const seenIds = new Set<unknown>();

  // Terms are numbered as they first occur; the tree maps each term to its number.
  const tree = new SearchableMap<number>();
  const termNumbers = new Map<string, number>();
  /** By term number, then field id: [documentId, count, documentId, count, …] in document order (MiniSearch's `_index`). */
  const postings: number[][][] = [];
  /** By term number: its occurrences in the field being added (all zero between fields). */
  const counts: number[] = [];
  const termNumber = (term: string): number => {
    let number = termNumbers.get(term);
    if (number === undefined) {
      number = postings.length;
      termNumbers.set(term, number);
      tree.set(term, number);
      postings.push([]);
      counts.push(0);
    }
    return number;
  };

  // Per field, each distinct token once: processTerm is pure, so calling it once per token and field gives what
  // MiniSearch's call per occurrence gives, and an occurrence then costs one Map lookup.
  const knownTokens = fields.map(() => new Map<string, KnownToken>());
  /** By token number: the field (as a running stamp) in which it was last counted. */
  const lastCounted: number[] = [];
  let stamp = 0;
  const touched: number[] = [];

  documents.forEach((document, shortId) => {
    const id = document[idField];
    if (id == null) throw new Error(`MiniSearch: document does not have ID field "${idField}"`);
    if (seenIds.has(id)) throw new Error(`MiniSearch: duplicate ID ${String(id)}`);
    seenIds.add(id);
    documentIds[shortId] = id;
    const stored: Record<string, unknown> = {};
    for (const name of storeFields) if (document[name] !== undefined) stored[name] = document[name];
    if (storeFields.length > 0) storedFields[shortId] = stored;
    for (const field of fields) {
      const value = document[field];
      if (value == null) continue;
      const fieldId = fieldIds[field]!;
      const known = knownTokens[fieldId]!;
      stamp++;
      let length = 0;
      for (const token of tokenize(String(value), field)) {
        let entry = known.get(token);
        if (entry === undefined) {
          const processed = processTerm(token, field);
          // MiniSearch's add: every member of an array, a single term only when truthy.
          const terms = Array.isArray(processed) ? processed.map(termNumber) : processed ? [termNumber(processed)] : [];
          known.set(token, (entry = { id: lastCounted.length, terms }));
          lastCounted.push(0);
        }
        if (lastCounted[entry.id] !== stamp) {
          lastCounted[entry.id] = stamp;
          length++;
        }
        for (const term of entry.terms) {
          const count = counts[term]!;
          if (count === 0) touched.push(term);
          counts[term] = count + 1;
        }
      }
      // addFieldLength: the field's length is its number of distinct tokens; the average is kept as MiniSearch does.
      (fieldLength[shortId] ??= [])[fieldId] = length;
      averageFieldLength[fieldId] = ((averageFieldLength[fieldId] || 0) * shortId + length) / (shortId + 1);
      for (const term of touched) {
        (postings[term]![fieldId] ??= []).push(shortId, counts[term]!);
        counts[term] = 0;
      }
      touched.length = 0;
    }
  });

  // toJSON's `index`, written out directly rather than as ~100,000 objects for JSON.stringify to walk: each term with
  // its fields and documents. Integer keys come out of JSON.stringify in ascending order: field ids are visited in
  // order, and document ids already ascend (documents are added in order).
  const index: string[] = [];
  const documentKeys = documents.map((_, shortId) => `"${shortId}":`);
  for (const [term, number] of tree) {
    const byField: string[] = [];
    const ofTerm = postings[number]!;
    for (let fieldId = 0; fieldId < ofTerm.length; fieldId++) {
      const list = ofTerm[fieldId];
      if (list === undefined) continue;
      const pairs: string[] = [];
      for (let i = 0; i < list.length; i += 2) pairs.push(documentKeys[list[i]!]! + list[i + 1]!);
      byField.push(`"${fieldId}":{${pairs.join(",")}}`);
    }
    index.push(`[${JSON.stringify(term)},{${byField.join(",")}}]`);
  }
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
  return `${head.slice(0, -1)},"index":[${index.join(",")}],"serializationVersion":2}`;
}
