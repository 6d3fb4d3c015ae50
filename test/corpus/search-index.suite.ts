/**
 * The discovery index (emit/search-index-json.ts writes MiniSearch's serialisation without MiniSearch's per-word tree
 * lookups) held to MiniSearch itself on every corpus spec's model: the very bytes `JSON.stringify(miniSearch)` gives
 * after `addAll` of the same documents with the same options. The models are the ones the other suites generate.
 */
import MiniSearch from "minisearch";
import { describe, expect, it } from "vitest";
import { searchDocuments } from "../../scripts/generator/emit/search-index.ts";
import { buildSearchIndex } from "../../scripts/generator/emit/search-index-build.ts";
import { INDEX_OPTIONS } from "../../src/discovery/terms.ts";
import { CORPORA, DIRECTORY_CORPORA } from "./corpora.ts";
import { CORPUS_GROUP, generated } from "./generated.ts";

describe.each([...CORPORA, ...DIRECTORY_CORPORA])("discovery index, corpus $name", (corpus) => {
  it("is MiniSearch's serialisation, byte for byte", async () => {
    const { model } = (await generated(CORPUS_GROUP, corpus)).result;
    const miniSearch = new MiniSearch(INDEX_OPTIONS);
    const documents = searchDocuments(model.tools);
    miniSearch.addAll(documents);
    const expected = JSON.stringify(miniSearch);
    const built = buildSearchIndex(documents);
    // Not toBe: a failure would print two large strings.
    if (built !== expected) {
      let at = 0;
      while (built[at] === expected[at]) at++;
      expect.fail(`differs at offset ${at}: ours ${JSON.stringify(built.slice(at - 60, at + 60))}, MiniSearch's ${JSON.stringify(expected.slice(at - 60, at + 60))}`);
    }
  });
});
