/**
 * Full-text search over the operations index of generated/discovery.ts. The index is built at generate time; a Worker
 * isolate parses it once, on its first search, and keeps it (never per request). Ranking is MiniSearch's BM25+ with
 * a boost per field; the boosts, prefix and fuzzy settings were tuned with `npm run bench:search` (natural-language
 * tasks over GitHub's 1,223 operations), not guessed.
 */
import MiniSearch, { type SearchOptions } from "minisearch";
import { INDEX_OPTIONS, type IndexField } from "./terms.ts";
import type { DiscoveryDefinition } from "./types.ts";

/** How much a query word counts when found in each field, relative to the description text. */
export const FIELD_BOOSTS: Readonly<Record<IndexField, number>> = {
  name: 3,
  title: 4,
  // Long descriptions repeat boilerplate (token scopes, pagination): they count least.
  text: 0.25,
  tags: 4,
  path: 4,
  params: 0.5,
  paramText: 0.5,
  verb: 1.5,
};

const SEARCH_OPTIONS: SearchOptions = {
  ...INDEX_OPTIONS.searchOptions,
  boost: { ...FIELD_BOOSTS },
  combineWith: "OR",
  // Stems of four letters or more also match longer words ("repo" → "repositori"); shorter ones would match too much.
  prefix: (term) => term.length >= 4,
  // One typo in a longer word ("reposotory") still finds it.
  fuzzy: (term) => (term.length >= 6 ? 0.2 : false),
};

export interface SearchHit {
  name: string;
  /** The one-line summary stored with the document ("" when the title says it all). */
  summary: string;
  score: number;
}

const loaded = new WeakMap<DiscoveryDefinition, MiniSearch>();

/** The definition's index, parsed on first use and then kept for the isolate's life. */
export function searchIndexOf(discovery: DiscoveryDefinition): MiniSearch {
  let index = loaded.get(discovery);
  if (!index) {
    index = MiniSearch.loadJSON(discovery.index, INDEX_OPTIONS);
    loaded.set(discovery, index);
  }
  return index;
}

/** Every operation `accept`s that matches the query, best first. */
export function searchOperations(discovery: DiscoveryDefinition, query: string, accept: (name: string) => boolean): SearchHit[] {
  const results = searchIndexOf(discovery).search(query, { ...SEARCH_OPTIONS, filter: (result) => accept(String(result.id)) });
  return results.map((result) => ({ name: String(result.id), summary: typeof result["summary"] === "string" ? result["summary"] : "", score: result.score }));
}
