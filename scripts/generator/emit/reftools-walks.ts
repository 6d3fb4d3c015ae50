/**
 * swagger2openapi's three walks of the whole document (7.0.8, `convertObj` and `main`), done without calling their
 * callback at every key: on Kubernetes' 4 MB spec they were ~165 ms of the conversion's ~270 ms of CPU, nearly all of
 * it calls that do nothing. openapi-typescript-load.ts's resolve hook sends swagger2openapi's `require` of reftools'
 * walk here. A walk is done here when its callback is one of the three (by its source text, so that another version of
 * swagger2openapi takes the general walk) and it starts from the state swagger2openapi gives it; any other walk is
 * reftools-recurse.ts's (reftools' own, a little cheaper):
 *
 * - `detectObjectReferences` (identity detection on) fails the conversion at an object reached twice (a YAML anchor);
 *   its callback only remembers the objects it meets. A walk that finds no object reached twice has nothing to do,
 *   and tells reftools-clone.ts, which copies that document next, that it is a tree.
 * - the walk after the copy deletes every `null` outside extensions, defaults and examples: a document without a
 *   `null` (or reached twice) has nothing to do.
 * - `fixupRefs` acts on a `$ref` or an `x-ms-odata` key only: it is called for those, in the same order, with the
 *   same state reftools would give it there (its path built only then), and the walk reads the document as reftools'
 *   does after each call (the callback replaces objects and adds components while the walk runs).
 *
 * Anything unusual (an object reached twice, an inherited or an own `hasOwnProperty` key, a very deep document) is
 * left to the general walk, which then does all of what reftools' does, as the first two would have.
 */
import { createHash } from "node:crypto";
import { setVerifiedTree } from "./reftools-clone.ts";
import { escapeKey, recurse as generalWalk } from "./reftools-recurse.ts";

type State = Record<string, any>;
type Callback = (object: any, key: string, state: State) => void;
/** A walk done here: true when done, false when the general walk must run (nothing was called or changed yet). */
type Walk = (object: any, state: State, callback: Callback) => boolean;

/** Deeper than any API description; the general walk takes anything deeper. */
const MAX_DEPTH = 1000;

/** SHA-256 of each callback's source text (Function.prototype.toString), as swagger2openapi 7.0.8 has it. */
const WALKS: Record<string, { state: (state: State) => boolean; walk: Walk }> = {
  // detectObjectReferences' callback: `recurse(obj, {identityDetection:true}, …)`.
  "88733cdfa9a55745683d5d8f674e3ae87c67bf4d4bc2a0f7a7d75dc5aac47d12": { state: (state) => onlyKeys(state, ["identityDetection"]) && state["identityDetection"] === true, walk: (object) => noneShared(object) },
  // convertObj's null-deleting callback: `recurse(openapi, {}, …)`.
  "3e038acbded4a83f00adc9b003840fab7ec9bc758aed69fa31d92876ff2c0f4a": { state: (state) => onlyKeys(state, []), walk: (object) => noNulls(object) },
  // main's `recurse(openapi, { payload: { options: options } }, fixupRefs)`.
  "92342249b5526bf507df6e69672b876f95f9f4197f921c0ba6f8e919401b401e": { state: (state) => onlyKeys(state, ["payload"]), walk: fixupRefsWalk },
};

/** reftools' `recurse` as swagger2openapi requires it (openapi-typescript-load.ts's hook): here when it can, else reftools-recurse.ts. */
export function recurse(object: any, state: State | null | undefined, callback: Callback): void {
  const walk = knownWalk(state, callback);
  if (walk === undefined || !walk(object, state!, callback)) generalWalk(object, state, callback);
}

const known = new WeakMap<Callback, Walk | undefined>();

/** The walk done here for this top-level call, or undefined for the general one. */
export function knownWalk(state: State | null | undefined, callback: Callback): Walk | undefined {
  if (!state || typeof callback !== "function") return undefined;
  let walk = known.get(callback);
  if (!known.has(callback)) {
    const hash = createHash("sha256").update(Function.prototype.toString.call(callback)).digest("hex");
    const entry = WALKS[hash];
    walk = entry ? (candidate: any, given: State, call: Callback) => entry.state(given) && entry.walk(candidate, given, call) : undefined;
    known.set(callback, walk);
  }
  return walk;
}

function onlyKeys(state: State, keys: readonly string[]): boolean {
  const own = Object.keys(state);
  return own.length === keys.length && keys.every((key) => own.includes(key));
}

/** Whether a key makes the walk unlike reftools' plain reading of the document (see the module's comment). */
function unusual(object: object, key: string): boolean {
  return key === "hasOwnProperty" || !Object.prototype.hasOwnProperty.call(object, key);
}

/**
 * True when no object is reached twice (nor anything unusual met): the callback would only have remembered each. Such
 * a root is a tree, which reftools-clone.ts then copies without its map of copied objects (setVerifiedTree).
 */
export function noneShared(root: unknown): boolean {
  setVerifiedTree(undefined);
  if (root === null || typeof root !== "object") return true;
  const seen = new WeakSet<object>();
  const visit = (object: any, depth: number): boolean => {
    if (depth > MAX_DEPTH) return false;
    for (const key in object) {
      if (unusual(object, key)) return false;
      const value = object[key];
      if (value === null || typeof value !== "object") continue;
      if (seen.has(value)) return false;
      seen.add(value);
      if (!visit(value, depth + 1)) return false;
    }
    return true;
  };
  const tree = visit(root, 0);
  if (tree) setVerifiedTree(root);
  return tree;
}

/** True when the document holds no `null` (nor anything unusual): the callback would have deleted nothing. */
function noNulls(root: unknown): boolean {
  if (root === null || typeof root !== "object") return true;
  const visit = (object: any, depth: number): boolean => {
    if (depth > MAX_DEPTH) return false;
    for (const key in object) {
      if (unusual(object, key)) return false;
      const value = object[key];
      if (value === null) return false;
      if (typeof value === "object" && !visit(value, depth + 1)) return false;
    }
    return true;
  };
  return visit(root, 0);
}

/**
 * reftools' walk with identity detection off (nothing is ever put in its seen-map, so every object is entered),
 * calling fixupRefs only at the keys it acts on. `object.hasOwnProperty(key)` is asked as reftools asks it wherever the
 * answer or its error matters: at those keys, and at every key of an object with its own `hasOwnProperty`.
 */
function fixupRefsWalk(root: any, given: State, callback: Callback): boolean {
  walkCalling(root, given, callback, (key) => key === "$ref" || key === "x-ms-odata");
  return true;
}

/**
 * reftools' walk from a state of the caller's with no path or depth of its own (reftools' default state, identity
 * detection off, its payload), calling back only at the keys `acts` says.
 */
export function walkCalling(root: any, given: State, callback: Callback, acts: (key: string) => boolean): void {
  if (typeof root !== "object") return;
  const payload = given["payload"];
  const seen = new WeakMap<object, string>();
  // The keys from the root down to the object being walked, by depth (written in place: no push and pop per object).
  const keys: string[] = [];
  const pathTo = (depth: number, key: string): string => {
    let path = "#";
    for (let level = 0; level < depth; level++) path += "/" + escapeKey(keys[level]!);
    return path + "/" + escapeKey(key);
  };
  const visit = (object: any, parent: any, pkey: string, depth: number): void => {
    if (object === null) return; // reftools enters a null (`typeof`), and finds no key in it
    const ownHasOwnProperty = Object.prototype.hasOwnProperty.call(object, "hasOwnProperty");
    for (const key in object) {
      const calls = acts(key);
      if ((calls || ownHasOwnProperty) && object.hasOwnProperty(key) && calls) {
        const state: State = { path: pathTo(depth, key), depth, pkey, parent, payload, seen, identity: false, identityDetection: false, key, identityPath: undefined };
        callback(object, key, state);
      }
      if (typeof object[key] === "object") {
        keys[depth] = key;
        visit(object[key], object, key, depth + 1);
      }
    }
  };
  visit(root, {}, "", 0);
}
