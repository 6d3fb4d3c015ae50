/**
 * The discovery index as MiniSearch serialises it (`JSON.stringify(miniSearch)`: its toJSON, serialization version 2),
 * built without MiniSearch's per-occurrence work. MiniSearch's `add` looks every word occurrence up in its radix tree
 * (GitHub's 1,200 operations: ~300,000 occurrences of a few thousand terms), and toJSON then copies each term's maps
 * into objects: together about half of building the index. Here each term's entry is found in a Map after its first
 * occurrence, and the tree (MiniSearch's own SearchableMap) only receives each term once, in the order MiniSearch
 * would first insert it, so iterating it gives the terms in MiniSearch's order.
 *
 * The rest follows MiniSearch 7's `add`, `addFieldLength` and `toJSON` step for step: the same tokenize and
 * processTerm calls, field lengths counted as unique tokens, the running average computed with the same arithmetic
 * (so the same floating-point values). Documents are read by field name (no dotted paths) and their fields as
 * strings, as ours are. test/unit/discovery/search-index-json.test.ts and test/corpus/search-index.suite.ts (every
 * corpus spec) hold the bytes to MiniSearch's own; a MiniSearch update that changes its format fails them.
 */
import SearchableMap from "minisearch/SearchableMap";
import type { Options } from "minisearch";

/** term → field id → short document id → occurrences (MiniSearch's `_index` values). */
type TermData = Map<number, Map<number, number>>;

type IndexOptions = Required<Pick<Options, "idField" | "fields" | "storeFields" | "tokenize" | "processTerm">>;

/** `JSON.stringify` of a MiniSearch created with `options` after `addAll(documents)`. */
export function serializedSearchIndex<T extends Record<string, unknown>>(options: IndexOptions, documents: readonly T[]): string {
  const { idField, fields, storeFields, tokenize, processTerm } = options;
  const fieldIds: Record<string, number> = {};
  fields.forEach((field, i) => (fieldIds[field] = i));
  const tree = new SearchableMap<TermData>();
  const terms = new Map<string, TermData>();
  const documentIds: Record<number, unknown> = {};
  const fieldLength: Record<number, number[]> = {};
  const averageFieldLength: number[] = [];
  const storedFields: Record<number, Record<string, unknown>> = {};
  const seenIds = new Set<unknown>();

  const addTerm = (fieldId: number, documentId: number, term: string): void => {
    let data = terms.get(term);
    if (data === undefined) {
      data = tree.fetch(term, () => new Map()) as TermData;
      terms.set(term, data);
    }
    const documents = data.get(fieldId);
    if (documents === undefined) data.set(fieldId, new Map([[documentId, 1]]));
    else documents.set(documentId, (documents.get(documentId) ?? 0) + 1);
  };

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
      const tokens = tokenize(String(value), field);
      const fieldId = fieldIds[field]!;
      // addFieldLength: the field's length is its number of distinct tokens; the average is kept as MiniSearch does.
      (fieldLength[shortId] ??= [])[fieldId] = new Set(tokens).size;
      averageFieldLength[fieldId] = ((averageFieldLength[fieldId] || 0) * shortId + fieldLength[shortId]![fieldId]!) / (shortId + 1);
      for (const token of tokens) {
        const processed = processTerm(token, field);
        if (Array.isArray(processed)) for (const term of processed) addTerm(fieldId, shortId, term);
        else if (processed) addTerm(fieldId, shortId, processed);
      }
    }
  });

  // toJSON's `index`, written out directly rather than as ~100,000 objects for JSON.stringify to walk: each term with
  // its fields and documents. Integer keys come out of JSON.stringify in ascending order, so field ids are sorted;
  // document ids already ascend (documents are added in order).
  const index: string[] = [];
  for (const [term, data] of tree) {
    const byField = [...data.keys()].sort((a, b) => a - b).map((fieldId) => {
      const counts: string[] = [];
      for (const [documentId, count] of data.get(fieldId)!) counts.push(`"${documentId}":${count}`);
      return `"${fieldId}":{${counts.join(",")}}`;
    });
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
