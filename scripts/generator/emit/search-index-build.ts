/**
 * The discovery index from its documents: the one function that builds it, on whichever thread does (the main thread,
 * or on two cores the api.ts worker when it is free first: see api-types-protocol.ts). It reads only the documents'
 * strings, never the model, so the documents are all that crosses to the worker.
 */
import { INDEX_OPTIONS, indexTerm, type IndexField } from "../../../src/discovery/terms.ts";
import { serializedSearchIndex } from "./search-index-json.ts";

/** One tool's searchable text, a string per field (search-index.ts' searchDocuments makes them from the model). */
export type SearchDocument = Record<IndexField, string> & { id: string; summary: string };

/**
 * The serialised index: the same bytes for the same documents (added in their order). `asStringLiteral`: as
 * `JSON.stringify` of it would print it, the way discovery.ts holds it.
 */
export function buildSearchIndex(documents: readonly SearchDocument[], asStringLiteral = false): string {
  return serializedSearchIndex({ ...INDEX_OPTIONS, processTerm: rememberedIndexTerm() }, documents, asStringLiteral);
}

/**
 * indexTerm, each word stemmed once per index: GitHub's 1,200 operations index about 300,000 words drawn from a few
 * thousand, and stemming every one again was a third of building the index. The Worker loads the index with
 * INDEX_OPTIONS as they are (the terms are the same).
 */
function rememberedIndexTerm(): typeof indexTerm {
  const known = new Map<string, ReturnType<typeof indexTerm>>();
  return (term) => {
    let processed = known.get(term);
    if (processed === undefined) known.set(term, (processed = indexTerm(term)));
    return processed;
  };
}
