/** "Not found" messages: the closest valid word, or else the valid choices (never nothing). */
import { describe, expect, it } from "vitest";
import { didYouMeanOrChoices } from "../../scripts/generator/config/suggest.ts";

describe("didYouMeanOrChoices", () => {
  it.each<[string, string[], string]>([
    ["todo", ["todos", "admin"], ' (did you mean "todos"?)'],
    ["zzzz", ["todos", "admin"], " (valid: todos, admin)"],
    ["zzzz", [], " (there are none)"],
    ["zzzz", Array.from({ length: 12 }, (_, i) => `op${i + 1}`), " (valid: op1, op2, op3, op4, op5, op6, op7, op8, op9, op10 … and 2 more)"],
  ])("%j among %j", (word, candidates, expected) => {
    expect(didYouMeanOrChoices(word, candidates)).toBe(expected);
  });
});
