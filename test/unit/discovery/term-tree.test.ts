import SearchableMap from "minisearch/SearchableMap";
import { describe, expect, it } from "vitest";
import { TermTree } from "../../../scripts/generator/emit/term-tree.ts";

/** SearchableMap's and TermTree's order for the same terms added in the same order (a term added again: kept once). */
function orders(terms: readonly string[]): { ours: string[]; searchableMap: string[] } {
  const map = new SearchableMap<number>();
  const tree = new TermTree<number>();
  terms.forEach((term, i) => {
    expect(tree.fetch(term, () => i)).toBe(map.fetch(term, () => i));
  });
  const { terms: ours, values } = tree.entries();
  expect(values).toEqual([...map.values()]);
  return { ours, searchableMap: [...map.keys()] };
}

/** A small deterministic generator: terms over a few letters, so they share prefixes and split edges often. */
function randomTerms(seed: number, count: number): string[] {
  let state = seed;
  const next = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  return Array.from({ length: count }, () => Array.from({ length: 1 + next(6) }, () => "abcé𝐀"[next(5)]).join(""));
}

describe("TermTree", () => {
  it("gives SearchableMap's order: edges split, prefixes after longer terms, a term added again, the empty term", () => {
    const terms = ["issu", "issue", "is", "list", "lis", "lisp", "a", "", "ab", "abc", "issu", "b", "zeta", "zebra", "z"];
    const { ours, searchableMap } = orders(terms);
    expect(ours).toEqual(searchableMap);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("gives SearchableMap's order for random terms with shared prefixes (seed %i)", (seed) => {
    const { ours, searchableMap } = orders(randomTerms(seed, 400));
    expect(ours).toEqual(searchableMap);
  });
});
