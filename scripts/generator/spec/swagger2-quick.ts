/**
 * Whether a Swagger 2.0 document is valid, answered without dereferencing it: true only where validation's full path
 * (load.ts, validationProblemsOf: swagger-parser's dereference under `circular: "ignore"`, then the meta-schema, then
 * the semantic checks, all on the dereferenced document) finds no problem. On false that path runs as before, so every
 * problem is still reported by it, with its messages.
 *
 * Why: the dereference is ~30 ms of Kubernetes 1.13's ~62 ms of validation (one core, in process), done only to check
 * a document that is almost always valid. Here the document is checked as parsed, with its `$ref`s in place.
 *
 * Why the answers agree. The dereferenced document D is the parsed one with some refs replaced by their targets (each
 * with some of its own refs replaced, and so on) and the others left as they are: a ref whose crawl met a cycle stays a
 * ref, and which ones do depends on the crawl's order and cache. So every condition below holds whichever refs are
 * replaced:
 * - Where refs stand (`walkDocument`). Every object with a string `$ref` is at one of three places of the 2.0
 *   meta-schema, naming an entry of the section that place takes: a Schema Object's place (`#/definitions/NAME`), an
 *   item of a parameter list (`#/parameters/NAME`), a response of an operation (`#/responses/NAME`); the entry is an
 *   object without `$ref`, the name plain (letters, digits, `.`, `_`, `-`: no pointer escape, no URL encoding). A ref
 *   anywhere else (an extension, an example, a path item's `$ref`…) answers false.
 * - The meta-schema. The meta-schema checks each place's value against the same sub-schemas whatever it holds, and
 *   nothing there compares a place with another but `uniqueItems`. A ref and its target give the same verdicts at
 *   these places: a ref is a valid Schema Object, a target valid at its own entry (checked against the same Schema
 *   definition) is one too; neither is a `fileSchema` (type "file" is no draft-04 type) nor a boolean nor an array; a
 *   parameter or response target is valid against `parameter`/`response` (its entry is checked against them) and, with
 *   no `$ref`, not against `jsonReference`, which a ref is. A ref with members beside `$ref` (Kubernetes: 973 of 2,997
 *   refs, `description`) is valid at a Schema Object's place only, where the library merges it with its target; each
 *   member of the merge is one side's, valid for its key, as long as no key both sides hold is an object (then the
 *   library merges the two objects deeply: false). So, by induction from the leaves, D is valid where the parsed
 *   document is (the verdict-only validator, meta-schema.ts), but for `uniqueItems`: of the places that can hold
 *   refs, only parameter lists have it, and their items, told apart by location and name (every list is checked
 *   here), are unequal however deep they are dereferenced.
 * - The semantic checks (semantics.ts) read, at a ref's place, the target's top members (`in`, `name`, `type`,
 *   `items`, `required`), and through `allOf` the properties a schema collects. A ref left in place reads as a schema
 *   without a type, which those checks let pass everywhere but as a parameter; so a parameter reached by a ref must
 *   not be left in place: nothing reachable from its target may be recursive (then its crawl finds nothing circular and
 *   it is replaced). Elsewhere the check passes for the ref and for its target, each read as parsed: `allOf` members
 *   that are refs give no properties here, the fewest D can give. Members merged in beside a `$ref` must not be one
 *   of those the checks read.
 * - The depth limit. The crawl throws past a depth of 500. It never crawls a target that it is already inside (but
 *   for merges: see visits), so a chain of refs visits each entry a bounded number of times: a ref at depth d reaches
 *   at most d plus those visits' heights, summed over the entries of each strongly connected component its target
 *   leads through (`crawlBound`). Past QUICK_DEPTH anywhere answers false.
 */
import { metaSchemaValid } from "./meta-schema.ts";
import { semanticsPass } from "./semantics.ts";

type Json = Record<string, any>;

/**
 * The deepest a crawl may go for a quick answer: half json-schema-ref-parser's default `dereference.maxDepth` (500,
 * which validation does not change), for the validators' recursion on the dereferenced document, which the full path
 * runs (a chain of definitions 486 deep was validated on the main thread without running out of stack; Kubernetes
 * 1.13's bound here is 118, its deepest value outside refs 7).
 */
const QUICK_DEPTH = 250;

/** Thrown by the walk for anything it does not follow: the answer is then false. */
const NOT_HANDLED = new Error("not handled");

/** A ref the walk follows: `#/definitions/NAME`, `#/parameters/NAME` or `#/responses/NAME`, NAME plain (see above). */
const PLAIN_REF = /^#\/(definitions|parameters|responses)\/[A-Za-z0-9._-]+$/;
const RESPONSE_CODE = /^([0-9]{3})$|^(default)$/;
const OPERATION_KEYS = new Set(["get", "put", "post", "delete", "options", "head", "patch"]);
/** The members of a schema that the semantic checks read (semantics.ts: schemaPasses, requiredPropertiesExist). */
const READ_BY_SEMANTICS = new Set(["$ref", "type", "items", "required", "properties", "allOf"]);

/** An entry of `definitions`, `parameters` or `responses`: what a ref names. */
interface Entry {
  object: Json;
  /** How deep below the entry its crawl goes, its refs not followed. */
  height: number;
  /** The entries its refs name. */
  names: Entry[];
  /** How many of its members are objects; whether a ref with members beside `$ref` names it (see visits). */
  members: number;
  merged: boolean;
  /** Tarjan's bookkeeping (crawlBound). */
  index: number;
  low: number;
  onStack: boolean;
  /** How deep below the entry a crawl from it can go, refs followed; whether it leads to a cycle. */
  bound: number;
  cyclic: boolean;
}

interface Walk {
  document: Json;
  /** The section entries, by object, and by the refs met (Kubernetes 1.13: ~3,000 refs, ~600 distinct). */
  entries: Map<object, Entry>;
  named: Map<string, Entry>;
  /** The entry being walked, or none (paths and the rest of the document). */
  current: Entry | undefined;
  /** The depth of the entry being walked (2). */
  base: number;
  /** The deepest value met outside the entries. */
  deepest: number;
  /** Refs met outside the entries: their depths and targets. */
  depths: number[];
  targets: Entry[];
  /** The targets of parameter refs, which must not lead to a cycle. */
  parameters: Entry[];
}

/** True only when validation would find no problem in the (not yet dereferenced) document: see above. */
export function validWithoutDereference(document: Json): boolean {
  try {
    const bound = crawlBound(walkDocument(document));
    if (bound === undefined || bound > QUICK_DEPTH) return false;
    return metaSchemaValid(document, "2.0") && semanticsPass(document, resolverOf(document));
  } catch {
    return false;
  }
}

function walkDocument(document: Json): Walk {
  const walk: Walk = { document, entries: new Map(), named: new Map(), current: undefined, base: 0, deepest: 0, depths: [], targets: [], parameters: [] };
  if (!isObject(document) || typeof document["$ref"] === "string") throw NOT_HANDLED;
  note(1, walk);
  for (const key in document) {
    const value = document[key];
    if (!isObject(value)) continue;
    if (key === "paths") walkPaths(value, 1, walk);
    else if (key === "definitions" || key === "parameters" || key === "responses") walkSection(key, value, walk);
    else walkAny(value, 1, walk);
  }
  return walk;
}

/*
 * The walk's functions take an object or array at `depth` and note `depth + 1`, where its members are (one more than
 * an empty one reaches: the bound only needs to be no lower than the crawl's), before walking the members that are
 * objects; a primitive member needs nothing more.
 */

/** `definitions`, `parameters` or `responses`: each entry walked on its own, at depth 2, for its height and refs. */
function walkSection(section: string, value: Json, walk: Walk): void {
  if (Array.isArray(value)) return walkAny(value, 1, walk);
  if (typeof value["$ref"] === "string") throw NOT_HANDLED;
  note(2, walk);
  for (const name in value) {
    const item = value[name];
    if (item === null || typeof item !== "object") continue;
    const entry = entryOf(item, walk);
    for (const key in item) if (isObject(item[key])) entry.members++;
    walk.current = entry;
    walk.base = 2;
    if (section === "definitions") walkSchema(item, 2, walk);
    else if (typeof item["$ref"] === "string") throw NOT_HANDLED;
    else walkParameterOrResponse(item, 2, walk);
    walk.current = undefined;
  }
}

function walkPaths(value: Json, depth: number, walk: Walk): void {
  if (Array.isArray(value)) return walkAny(value, depth, walk);
  if (typeof value["$ref"] === "string") throw NOT_HANDLED;
  note(depth + 1, walk);
  for (const key in value) {
    const item = value[key];
    if (item === null || typeof item !== "object") continue;
    if (key.startsWith("/")) walkPathItem(item, depth + 1, walk);
    else walkAny(item, depth + 1, walk);
  }
}

function walkPathItem(value: Json, depth: number, walk: Walk): void {
  if (Array.isArray(value)) return walkAny(value, depth, walk);
  // A path item's own `$ref`: the library would dereference it.
  if (typeof value["$ref"] === "string") throw NOT_HANDLED;
  note(depth + 1, walk);
  let operations = false;
  for (const key in value) {
    const member = value[key];
    if (member === null || typeof member !== "object") continue;
    if (key === "parameters") walkParameterList(member, depth + 1, walk);
    else if (OPERATION_KEYS.has(key)) {
      operations = true;
      walkOperation(member, depth + 1, walk);
    } else walkAny(member, depth + 1, walk);
  }
  // The semantic checks compare a path item's parameters only when it has an operation (see parametersDistinct).
  if (!operations && !parametersDistinct(value["parameters"], walk.document)) throw NOT_HANDLED;
}

function walkOperation(value: Json, depth: number, walk: Walk): void {
  if (Array.isArray(value)) return walkAny(value, depth, walk);
  if (typeof value["$ref"] === "string") throw NOT_HANDLED;
  note(depth + 1, walk);
  for (const key in value) {
    const member = value[key];
    if (member === null || typeof member !== "object") continue;
    if (key === "parameters") walkParameterList(member, depth + 1, walk);
    else if (key === "responses") walkResponses(member, depth + 1, walk);
    else walkAny(member, depth + 1, walk);
  }
}

function walkParameterList(value: Json, depth: number, walk: Walk): void {
  if (!Array.isArray(value) || typeof (value as Json)["$ref"] === "string") return walkAny(value, depth, walk);
  note(depth + 1, walk);
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (item === null || typeof item !== "object") continue;
    if (typeof item["$ref"] === "string") walk.parameters.push(refTo(item, "parameters", depth + 1, walk));
    else walkParameterOrResponse(item, depth + 1, walk);
  }
}

function walkResponses(value: Json, depth: number, walk: Walk): void {
  if (Array.isArray(value)) return walkAny(value, depth, walk);
  if (typeof value["$ref"] === "string") throw NOT_HANDLED;
  note(depth + 1, walk);
  for (const code in value) {
    const item = value[code];
    if (item === null || typeof item !== "object") continue;
    if (!RESPONSE_CODE.test(code)) walkAny(item, depth + 1, walk);
    else if (typeof item["$ref"] === "string") refTo(item, "responses", depth + 1, walk);
    else walkParameterOrResponse(item, depth + 1, walk);
  }
}

/** A Parameter or Response Object (not a ref): its `schema` is a Schema Object's place. */
function walkParameterOrResponse(value: Json, depth: number, walk: Walk): void {
  if (Array.isArray(value)) return walkAny(value, depth, walk);
  note(depth + 1, walk);
  for (const key in value) {
    const member = value[key];
    if (member === null || typeof member !== "object") continue;
    if (key === "schema") walkSchema(member, depth + 1, walk);
    else walkAny(member, depth + 1, walk);
  }
}

/** A Schema Object's place: a ref to a definition, or a schema whose sub-schemas are such places. */
function walkSchema(value: Json, depth: number, walk: Walk): void {
  if (Array.isArray(value)) return walkAny(value, depth, walk);
  if (typeof value["$ref"] === "string") return walkSchemaRef(value, depth, walk);
  note(depth + 1, walk);
  for (const key in value) {
    const member = value[key];
    if (member === null || typeof member !== "object") continue;
    if (key === "properties") walkSchemaMap(member, depth + 1, walk);
    else if (key === "additionalProperties" || (key === "items" && !Array.isArray(member))) walkSchema(member, depth + 1, walk);
    else if (key === "allOf" || key === "items") walkSchemaList(member, depth + 1, walk);
    else walkAny(member, depth + 1, walk);
  }
}

function walkSchemaMap(value: Json, depth: number, walk: Walk): void {
  if (Array.isArray(value)) return walkAny(value, depth, walk);
  if (typeof value["$ref"] === "string") throw NOT_HANDLED;
  note(depth + 1, walk);
  for (const key in value) {
    const member = value[key];
    if (member !== null && typeof member === "object") walkSchema(member, depth + 1, walk);
  }
}

/** `allOf`, or `items` as a list: each item a Schema Object's place. */
function walkSchemaList(value: Json, depth: number, walk: Walk): void {
  if (!Array.isArray(value) || typeof (value as Json)["$ref"] === "string") return walkAny(value, depth, walk);
  note(depth + 1, walk);
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (item !== null && typeof item === "object") walkSchema(item, depth + 1, walk);
  }
}

/**
 * A ref at a Schema Object's place. Members beside `$ref` are merged into the target by the library: allowed when none
 * is read by the semantic checks and none the target also holds is an object on either side (see above).
 */
function walkSchemaRef(value: Json, depth: number, walk: Walk): void {
  const entry = refTo(value, "definitions", depth, walk);
  const target = entry.object;
  for (const key in value) {
    if (key === "$ref") continue;
    entry.merged = true;
    if (READ_BY_SEMANTICS.has(key)) throw NOT_HANDLED;
    const member = value[key];
    if (key in target && (isObject(member) || isObject(target[key]))) throw NOT_HANDLED;
    // The merged object is crawled at the ref's depth: its members one below.
    note(depth + 1, walk);
    if (member !== null && typeof member === "object") walkAny(member, depth + 1, walk);
  }
}

/** Anything else: it must hold no ref, and counts only for its depth. */
function walkAny(value: Json, depth: number, walk: Walk): void {
  // Deeper than the crawl may go, or a cycle (an object reached again inside itself: not a parsed tree).
  if (depth >= QUICK_DEPTH) throw NOT_HANDLED;
  // An array too, for the library (is$Ref): no parsed JSON or YAML gives one a `$ref`, but an object built in code can.
  if (typeof value["$ref"] === "string") throw NOT_HANDLED;
  note(depth + 1, walk);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item !== null && typeof item === "object") walkAny(item, depth + 1, walk);
    }
    return;
  }
  for (const key in value) {
    const member = value[key];
    if (member !== null && typeof member === "object") walkAny(member, depth + 1, walk);
  }
}

/** The entry a ref at `depth` names, in `section`; noted as an edge of the entry walked, or as a ref met outside. */
function refTo(value: Json, section: string, depth: number, walk: Walk): Entry {
  const ref = value["$ref"] as string;
  if (!ref.startsWith(section, 2) || ref.charCodeAt(2 + section.length) !== 47 /* / */) throw NOT_HANDLED;
  let entry = walk.named.get(ref);
  if (entry === undefined) {
    if (!PLAIN_REF.test(ref)) throw NOT_HANDLED;
    const target = targetOf(walk.document, ref);
    if (target === undefined) throw NOT_HANDLED;
    walk.named.set(ref, (entry = entryOf(target, walk)));
  }
  note(depth, walk);
  if (walk.current !== undefined) walk.current.names.push(entry);
  else {
    walk.depths.push(depth);
    walk.targets.push(entry);
  }
  return entry;
}

/** The section entry a plain ref names: an own member that is an object without `$ref`; else undefined. */
function targetOf(document: Json, ref: string): Json | undefined {
  const slash = ref.indexOf("/", 2);
  const section = document[ref.slice(2, slash)];
  const name = ref.slice(slash + 1);
  if (!isObject(section) || Array.isArray(section) || !Object.prototype.hasOwnProperty.call(section, name)) return undefined;
  const target = section[name];
  if (!isObject(target) || Array.isArray(target) || "$ref" in target) return undefined;
  return target;
}

function entryOf(target: Json, walk: Walk): Entry {
  let entry = walk.entries.get(target);
  if (entry === undefined) {
    entry = { object: target, height: 0, names: [], members: 0, merged: false, index: -1, low: 0, onStack: false, bound: 0, cyclic: false };
    walk.entries.set(target, entry);
  }
  return entry;
}

/** A value at `depth`: the deepest so far, in the entry walked (relative to it) or outside. */
function note(depth: number, walk: Walk): void {
  if (walk.current !== undefined) {
    if (depth - walk.base > walk.current.height) walk.current.height = depth - walk.base;
  } else if (depth > walk.deepest) walk.deepest = depth;
}

/**
 * How deep the dereference's crawl can go at most, or undefined when a parameter ref leads to a cycle. Each entry's
 * bound is the sum of its strongly connected component's entries' heights, times their visits, plus the largest bound
 * among the components it leads to (Tarjan's algorithm finds them, those led to first).
 */
function crawlBound(walk: Walk): number | undefined {
  const state = { index: 0, stack: [] as Entry[] };
  for (const entry of walk.entries.values()) if (entry.index < 0) connect(entry, state);
  for (let i = 0; i < walk.parameters.length; i++) if (walk.parameters[i]!.cyclic) return undefined;
  let deepest = walk.deepest;
  for (const entry of walk.entries.values()) deepest = Math.max(deepest, 2 + entry.bound);
  for (let i = 0; i < walk.depths.length; i++) deepest = Math.max(deepest, walk.depths[i]! + walk.targets[i]!.bound);
  return deepest;
}

/** crawlBound of a document whose refs the walk follows; else undefined (for the test that holds it to the crawl). */
export function crawlBoundOf(document: Json): number | undefined {
  try {
    return crawlBound(walkDocument(document));
  } catch {
    return undefined;
  }
}

/**
 * How often one chain of refs may crawl an entry. The crawl never enters an entry it is inside (its parents hold it),
 * but a ref with members beside `$ref` is crawled as a new object, the library's merge of the two: never among the
 * parents. The merge's members are the entry's own objects, though, and each crawl that goes on below it goes through
 * one of them, which is then among the parents: one chain crawls such an entry at most once more than it has object
 * members (Kubernetes' JSONSchemaProps: its `properties` only, twice).
 */
function visits(entry: Entry): number {
  return entry.merged ? entry.members + 1 : 1;
}

function connect(entry: Entry, state: { index: number; stack: Entry[] }): void {
  entry.index = entry.low = state.index++;
  state.stack.push(entry);
  entry.onStack = true;
  for (let i = 0; i < entry.names.length; i++) {
    const next = entry.names[i]!;
    if (next.index < 0) {
      connect(next, state);
      entry.low = Math.min(entry.low, next.low);
    } else if (next.onStack) entry.low = Math.min(entry.low, next.index);
  }
  if (entry.low !== entry.index) return;
  // The component: the entries above this one on the stack.
  const start = state.stack.lastIndexOf(entry);
  const members = state.stack.splice(start);
  let heights = 0;
  let below = 0;
  let cyclic = members.length > 1;
  for (const member of members) {
    member.onStack = false;
    heights += member.height * visits(member);
    for (const next of member.names) {
      if (members.includes(next)) cyclic = true;
      else {
        below = Math.max(below, next.bound);
        cyclic ||= next.cyclic;
      }
    }
  }
  for (const member of members) {
    member.bound = heights + below;
    member.cyclic = cyclic;
  }
}

/**
 * How the semantic checks see a place on the parsed document: a ref as its target (see above). The walk has checked
 * every ref the checks reach.
 */
function resolverOf(document: Json): (node: unknown) => unknown {
  return (node) => (isObject(node) && typeof (node as Json)["$ref"] === "string" ? targetOf(document, (node as Json)["$ref"]) : node);
}

/**
 * A path item's parameter list, refs as their targets, holds no two of the same location and name. The semantic checks
 * ask it of every operation's list and of a path item's when it has an operation; their dereferenced forms then differ,
 * for `uniqueItems`.
 */
function parametersDistinct(list: unknown, document: Json): boolean {
  if (list === undefined) return true;
  if (!Array.isArray(list)) return false;
  const seen = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    let item = list[i];
    if (isObject(item) && typeof item["$ref"] === "string") item = targetOf(document, item["$ref"]);
    if (!isObject(item) || typeof item["name"] !== "string" || typeof item["in"] !== "string") return false;
    const key = `${item["in"]}\0${item["name"]}`;
    if (seen.has(key)) return false;
    seen.add(key);
  }
  return true;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object";
}
