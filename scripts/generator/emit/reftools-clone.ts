/**
 * reftools' `circularClone` (`reftools/lib/clone.js`, 1.1.9, BSD-3-Clause) for swagger2openapi, which copies the
 * whole Swagger 2.0 document with it before converting it for api.ts (~0.1 s of CPU on Kubernetes' 4 MB spec).
 * openapi-typescript-load.ts's resolve hook sends swagger2openapi's `require` here; the module's other functions are
 * reftools' own.
 *
 * Same copy: shared objects stay shared (the WeakMap), each copy made by its original's constructor (or from its
 * prototype when that throws), own enumerable keys in order. reftools assigns them with `Object.assign(result,
 * ...keys.map((key) => ({ [key]: copy })))`: one object per key, and every key an argument. Here each is assigned
 * in turn (the same [[Set]], `__proto__` included, after the same copies); an object with more keys than fit as
 * arguments is given to reftools' own, which throws what it throws. A document reftools-walks.ts has just found to be a
 * tree is copied the same way without the WeakMap (see verifiedTree).
 */
import { createRequire } from "node:module";

/** The module's functions (reftools ships no types). */
interface Clone {
  nop(obj: unknown): unknown;
  clone(obj: unknown): unknown;
  shallowClone(obj: unknown): unknown;
  deepClone(obj: unknown): unknown;
  fastClone(obj: unknown): unknown;
  circularClone(obj: unknown, hash?: WeakMap<object, unknown>): unknown;
}
const original = createRequire(import.meta.url)("reftools/lib/clone.js") as Clone;
/** Far below the arguments a call can take (~100,000 on V8's default stack). */
const MANY_KEYS = 4096;

export const { nop, clone, shallowClone, deepClone, fastClone } = original;

/**
 * The root of the document reftools-walks.ts has just found to be a tree (no object reached twice from it, no cycle:
 * swagger2openapi's detectObjectReferences, which convertObj runs right before it copies that document), until the
 * next top-level copy takes it. Copying a tree needs no map of the objects already copied: the map would never be
 * asked for one it holds (Kubernetes' 21,000 objects: ~30 ms of CPU, most of it the WeakMap's).
 */
let verifiedTree: object | undefined;

/** Told by reftools-walks.ts after each detectObjectReferences walk: the root found to be a tree, or none. */
export function setVerifiedTree(root: object | undefined): void {
  verifiedTree = root;
}

export function circularClone(obj: any, hash?: WeakMap<object, unknown>): any {
  if (!hash) {
    const tree = verifiedTree;
    verifiedTree = undefined;
    if (tree !== undefined && obj === tree) return treeClone(obj);
    hash = new WeakMap();
  }
  if (Object(obj) !== obj || obj instanceof Function) return obj;
  if (hash.has(obj)) return hash.get(obj);
  const keys = Object.keys(obj);
  if (keys.length > MANY_KEYS) return original.circularClone(obj, hash);
  let result: any;
  try {
    result = new obj.constructor();
  } catch {
    result = Object.create(Object.getPrototypeOf(obj));
  }
  hash.set(obj, result);
  for (const key of keys) result[key] = circularClone(obj[key], hash);
  return result;
}

/** circularClone of an object known to be a tree: the same copies, in the same order, with no map of them. */
function treeClone(obj: any): any {
  if (Object(obj) !== obj || obj instanceof Function) return obj;
  const keys = Object.keys(obj);
  if (keys.length > MANY_KEYS) return original.circularClone(obj, new WeakMap());
  let result: any;
  try {
    result = new obj.constructor();
  } catch {
    result = Object.create(Object.getPrototypeOf(obj));
  }
  for (const key of keys) result[key] = treeClone(obj[key]);
  return result;
}
