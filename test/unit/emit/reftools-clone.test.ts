/**
 * reftools-clone.ts's circularClone against reftools' own (required here directly: the hook only redirects
 * swagger2openapi's require): the same copy (values, shared objects still shared, cycles kept, prototypes, key
 * order), and the original's own copy, error included, for an object with more keys than it can pass as arguments.
 * Converting every Swagger 2.0 spec of the corpus with it into api.ts is checked byte for byte by the corpus suite.
 */
import { createRequire } from "node:module";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { circularClone as ours, setVerifiedTree } from "../../../scripts/generator/emit/reftools-clone.ts";
import { noneShared } from "../../../scripts/generator/emit/reftools-walks.ts";

const theirs = (createRequire(import.meta.url)("reftools/lib/clone.js") as { circularClone: typeof ours }).circularClone;

function document() {
  const shared = { shared: [1, { deep: true }] };
  const doc: Record<string, any> = {
    swagger: "2.0",
    definitions: { A: shared, B: shared, list: [shared, null, 3, "x", [[]]] },
    odd: JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"x": 1}, "hasOwnProperty": 2}'),
    empty: {},
  };
  doc["self"] = doc; // a cycle
  return doc;
}

/** The copy's shape: values, which objects are one, and each object's prototype. */
function describeCopy(copy: Record<string, any>) {
  return {
    json: JSON.stringify({ ...copy, self: undefined }),
    sharedKept: copy["definitions"].A === copy["definitions"].B && copy["definitions"].list[0] === copy["definitions"].A,
    cycleKept: copy["self"] === copy,
    oddPrototype: Object.getPrototypeOf(copy["odd"]) === Object.prototype ? "Object.prototype" : JSON.stringify(Object.getPrototypeOf(copy["odd"])),
    oddKeys: Object.keys(copy["odd"]),
    arrays: Array.isArray(copy["definitions"].list) && Array.isArray(copy["definitions"].list[4][0]),
  };
}

describe("circularClone copies as reftools' does", () => {
  it("values, shared objects, cycles, prototypes and key order", () => {
    const source = document();
    const mine = ours(source);
    expect(mine).not.toBe(source);
    expect(mine.definitions.A).not.toBe(source["definitions"].A);
    expect(describeCopy(mine)).toEqual(describeCopy(theirs(document()) as Record<string, any>));
  });

  it("primitives and functions are returned as they are", () => {
    const fn = () => 1;
    for (const value of [null, undefined, 1, "s", true, fn]) expect(ours(value)).toBe(theirs(value));
  });

  it("an object with very many keys is copied by reftools' own (which throws when they do not fit as arguments)", () => {
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, { i }]));
    expect(isDeepStrictEqual(ours({ many }), theirs({ many }))).toBe(true);
    const tooMany = Object.fromEntries(Array.from({ length: 300_000 }, (_, i) => [`k${i}`, i]));
    const outcome = (clone: typeof ours) => {
      try {
        return JSON.stringify(clone(tooMany)).length;
      } catch (error) {
        return `${(error as Error).constructor.name}: ${(error as Error).message}`;
      }
    };
    expect(outcome(ours)).toBe(outcome(theirs));
  });
});

describe("circularClone of a document the detectObjectReferences walk found to be a tree (copied without its map)", () => {
  /** document() without its shared objects, its cycle and its own `hasOwnProperty` (which the walk leaves to reftools). */
  function tree() {
    const doc = document();
    delete doc["self"];
    delete doc["odd"].hasOwnProperty;
    doc["definitions"].B = { shared: [1, { deep: true }] };
    doc["definitions"].list[0] = { shared: [1, { deep: true }] };
    return doc;
  }

  it("gives reftools' copy: values, prototypes, key order", () => {
    const source = tree();
    expect(noneShared(source)).toBe(true);
    const mine = ours(source);
    expect(mine.definitions.A).not.toBe(source["definitions"].A);
    expect(describeCopy({ ...mine, self: mine })).toEqual(describeCopy({ ...(theirs(tree()) as Record<string, any>), self: mine }));
  });

  it("is not taken for a document with an object reached twice or a cycle, nor by a copy of another object", () => {
    const shared = document();
    expect(noneShared(shared)).toBe(false);
    const copy = ours(shared);
    expect(copy.definitions.A).toBe(copy.definitions.B);
    expect(copy.self).toBe(copy);
    // Taken by the next top-level copy, whichever object it copies.
    setVerifiedTree(shared);
    ours({ other: true });
    const again = ours(shared);
    expect([again.definitions.A === again.definitions.B, again.self === again]).toEqual([true, true]);
  });
});
