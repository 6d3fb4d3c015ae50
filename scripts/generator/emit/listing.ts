/**
 * The JSON Schemas a client sees in tools/list. Each tool's schema must stand alone (MCP has no shared definitions
 * across tools), so named schemas are inlined where that is cheap and kept once under the tool's own `$defs` where
 * they are recursive or used more than once in that tool. Nothing is dropped: every parameter and constraint the
 * model has stays.
 */
import { setOwn } from "../model/schema.ts";
import type { Schema } from "../model/types.ts";

const REF_PREFIX = "#/$defs/";

export interface DefsIndex {
  defs: ReadonlyMap<string, Schema>;
  /** Which names can reach themselves (they must stay references), found as names are asked about (isRecursive). */
  recursion: Recursion;
  /** Each named schema's outline (see outlineOf), made on first use. */
  outlines: Map<string, Outline>;
  /** compactBody's answers by schema and level, made on first use. */
  compacted: WeakMap<Schema, Schema[]>;
  /** Whether a node (object or array) holds no reference to a named schema, by node, found on first use. */
  refFree: WeakMap<object, boolean>;
  /**
   * The direct references of each named schema's body (refsIn, repeats kept), found once, on first use (bodyRefs):
   * every listing schema counts the uses of each schema it reaches, and Kubernetes' 1,000 tools reach the same few
   * hundred bodies.
   */
  refs: Map<string, readonly string[]>;
  /** The expansions made so far, by the names they keep as references (see Expansion). */
  expansions: Map<string, Expansion>;
  /**
   * The expansion for the listing schemas whose own references are these, in this order: which names are kept
   * depends only on them (countUses), and Kubernetes' 1,500 inputs and outputs have 97 different lists, each
   * reaching dozens of definitions that countUses would walk again for every tool.
   */
  expansionsByRootRefs: Map<string, Expansion>;
  /**
   * Every named schema as expanded (inlined or under `$defs`), and every compacted body (compactBody): the parts
   * listing schemas share.
   */
  shared: Set<object>;
}

/**
 * An index that finds a named schema's references, and whether it is recursive, only when a listing schema reaches it:
 * most bodies are never reached by a schema that is expanded (an output over `outputSchemas: auto`'s limit is
 * compacted, which needs neither). Walking every body up front was Stripe's choose mode's largest single cost.
 */
export function indexDefs(defs: ReadonlyMap<string, Schema>): DefsIndex {
  return { defs, recursion: newRecursion(), outlines: new Map(), compacted: new WeakMap(), refFree: new WeakMap(), refs: new Map(), expansions: new Map(), expansionsByRootRefs: new Map(), shared: new Set() };
}

/** The direct references of a named schema's body (none for a name with no body), walked on first use. */
function bodyRefs(index: DefsIndex, name: string): readonly string[] {
  let found = index.refs.get(name);
  if (found === undefined) {
    const body = index.defs.get(name);
    index.refs.set(name, (found = body === undefined ? NO_REFS : refsIn(body)));
  }
  return found;
}

/**
 * How schemas expand for the listing schemas that keep the same names as references: a named schema's expansion
 * depends only on the definitions and on which names stay references, so it is made once for all of them and shared
 * (listings are only read). Most tools keep none or the same few (Kubernetes' 1,014 inputs: 25 different sets), and
 * the `create`, `replace` and `patch` tools of a resource inline the same large body.
 */
interface Expansion {
  kept: ReadonlySet<string>;
  /** Each inlined named schema, expanded. */
  inlined: Map<string, unknown>;
  /** The kept names' schemas, expanded, in name order (a listing schema's `$defs`); made on first use. */
  defs: Schema | undefined;
  expand: (node: unknown) => unknown;
}

/** Inlines single-use, non-recursive references; collects the rest under `$defs`. */
export function listingSchema(root: Schema, index: DefsIndex): Schema {
  const expansion = expansionFor(root, index);
  const out = expansion.expand(root) as Schema;
  if (expansion.kept.size === 0) return out;
  if (!expansion.defs) {
    const $defs: Schema = {};
    for (const name of expansion.kept) $defs[name] = share(expansion.expand(index.defs.get(name) ?? {}), index);
    expansion.defs = $defs;
  }
  return { ...out, $defs: expansion.defs };
}

function expansionFor(root: Schema, index: DefsIndex): Expansion {
  const rootRefs = refsIn(root, index.refFree);
  const rootKey = JSON.stringify(rootRefs);
  let expansion = index.expansionsByRootRefs.get(rootKey);
  if (!expansion) index.expansionsByRootRefs.set(rootKey, (expansion = expansionKeeping(keptNames(rootRefs, index), index)));
  return expansion;
}

/** The names a listing schema keeps as references: those used more than once, and the recursive ones. */
function keptNames(rootRefs: readonly string[], index: DefsIndex): string[] {
  const kept: string[] = [];
  for (const [name, count] of countUses(rootRefs, index)) if (count > 1 || isRecursive(index, name)) kept.push(name);
  return kept.sort();
}

function expansionKeeping(kept: readonly string[], index: DefsIndex): Expansion {
  const key = JSON.stringify(kept);
  let expansion = index.expansions.get(key);
  if (!expansion) {
    const made: Expansion = { kept: new Set(kept), inlined: new Map(), defs: undefined, expand: (node) => expandNode(node, index, made) };
    index.expansions.set(key, (expansion = made));
  }
  return expansion;
}

function share(expanded: unknown, index: DefsIndex): unknown {
  if (expanded !== null && typeof expanded === "object") index.shared.add(expanded);
  return expanded;
}

function expandNode(node: unknown, index: DefsIndex, expansion: Expansion): unknown {
  if (node === null || typeof node !== "object") return node;
  // Expanding a part without references would only copy it: it is shared instead (listings are only read), which
  // spares the copies and lets tools.ts print a part that many tools share once (literal.ts). Kubernetes' 1,000
  // inputs are mostly the same few hundred parameter and property schemas.
  if (isRefFree(node, index.refFree)) return node;
  const { expand } = expansion;
  if (Array.isArray(node)) return node.map(expand);
  const source = node as Schema;
  const ref = source["$ref"];
  if (typeof ref === "string" && ref.startsWith(REF_PREFIX)) {
    const name = ref.slice(REF_PREFIX.length);
    if (!expansion.kept.has(name)) {
      let inlined = expansion.inlined.get(name) as Schema | undefined;
      if (!inlined) expansion.inlined.set(name, (inlined = share(expand(index.defs.get(name) ?? {}), index) as Schema));
      // The description at the point of use is the more specific one.
      return typeof source["description"] === "string" ? { ...inlined, description: source["description"] } : inlined;
    }
  }
  // Keys by for…in, not Object.entries with for…of and destructuring: a pair, an iterator and its results per key of
  // every node expanded (Kubernetes, one core: ~4 MB of the listing's allocation; see isRefFree).
  const out: Schema = {};
  for (const key in source) {
    const value = source[key];
    if (holdsSchemaMap(key) && value !== null && typeof value === "object") out[key] = ownMembersMapped(value, expand);
    else out[key] = keywordHoldsData(key) ? value : expand(value);
  }
  return out;
}

/**
 * A schema map (`properties` and the like) with each member passed through `change`: what
 * `Object.fromEntries(Object.entries(members).map(([name, member]) => [name, change(member)]))` gives, without a pair
 * per member (the listing's walks make one per property of every schema they copy): own enumerable keys in
 * Object.entries' order (an array's indices too), a member named `__proto__` kept as a member.
 */
export function ownMembersMapped(members: object, change: (member: unknown) => unknown): Schema {
  const out: Schema = {};
  const source = members as Record<string, unknown>;
  for (const name in source) setOwn(out, name, change(source[name]));
  return out;
}

/**
 * Whether expanding `node` could change anything: it holds no `$ref` to a named schema where expandNode looks for
 * one, and no schema map that expandNode would rebuild differently (an array under `properties` becomes an object).
 * Keys are walked with `for…in`: `Object.entries` and `Object.values` made an array (and a pair per key) for every
 * node, and a listing visits every node it expands (choose mode's full listing, one core: Kubernetes 43 → 33 ms,
 * Stripe 43 → 39); `Object.keys` still copied each node's keys into a new array, where `for…in` reads the object's
 * own cached list of keys (the same keys in the same order here: these are plain objects and arrays, with nothing
 * enumerable inherited; Stripe's choose mode ~1.9 MB less to collect). The hot loops of this module and of
 * concise.ts do not use `for…of`: in code V8 has not optimised (nearly all of a run, see generator/jit.mjs) each step
 * of a `for…of` makes an iterator result object, and destructuring a pair makes an iterator too.
 */
function isRefFree(node: object, known: WeakMap<object, boolean>): boolean {
  let free = known.get(node);
  if (free !== undefined) return free;
  free = true;
  // Whether the node holds a schema or a list of them: a leaf's answer (most nodes: a property's type, bounds, enum and
  // description) is not remembered, as reading its few keys again costs about what the lookup does, and each entry
  // grows the weak table (Stripe's inputs: ~9,500 nodes, every one an entry, nearly none asked for again).
  let branches = false;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item: unknown = node[i];
      if (isObject(item)) {
        branches = true;
        if (!isRefFree(item, known)) free = false;
      }
    }
  } else {
    const object = node as Record<string, unknown>;
    for (const key in object) {
      const value = object[key];
      if (value === null || typeof value !== "object") {
        if (key === "$ref" && typeof value === "string" && value.startsWith(REF_PREFIX)) free = false;
      } else if (holdsSchemaMap(key)) {
        branches = true;
        if (Array.isArray(value)) free = false;
        else {
          const members = value as Record<string, unknown>;
          for (const name in members) {
            const member = members[name];
            if (isObject(member) && !isRefFree(member, known)) free = false;
          }
        }
      } else if (!keywordHoldsData(key)) {
        branches = true;
        if (!isRefFree(value, known)) free = false;
      }
      if (!free) break;
    }
  }
  if (branches) known.set(node, free);
  return free;
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === "object";
}

/** `enum`, `const`, `default` and `required` hold data, not schemas: never rewrite inside them. */
function keywordHoldsData(keyword: string): boolean {
  return keyword === "enum" || keyword === "const" || keyword === "default" || keyword === "required";
}

/**
 * Keywords whose value maps names to schemas: the names are data (a property may be called `default` or `enum`:
 * turbinelabs' ClusterConstraints has one), the values schemas.
 */
export function holdsSchemaMap(keyword: string): boolean {
  return keyword === "properties" || keyword === "patternProperties" || keyword === "$defs" || keyword === "dependentSchemas";
}

/**
 * A lower bound of `JSON.stringify(listingSchema(root, index)).length`, counted only until it passes `limit`. Every
 * named schema the root reaches is written out at least once (inlined, or under `$defs`), so the outlines of the
 * reachable bodies add up to a floor without expanding anything. Cheap where expanding is not: each of Stripe's
 * responses reaches most of its 1,000 schemas, and expanding each just to find it too big for `outputSchemas: auto`
 * was most of a run.
 */
export function listingSizeAtLeast(root: Schema, index: DefsIndex, limit: number): number {
  const start = outlineOf(root);
  let size = start.bytes;
  const seen = new Set<string>();
  const queue = [...start.refs];
  while (queue.length > 0 && size <= limit) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    let outline = index.outlines.get(name);
    if (!outline) index.outlines.set(name, (outline = outlineOf(index.defs.get(name) ?? {})));
    size += outline.bytes;
    queue.push(...outline.refs);
  }
  return size;
}

/**
 * What a schema surely contributes to its expansion: the JSON characters of its keys and of the strings, numbers and
 * booleans it holds, and the named schemas it needs.
 */
interface Outline {
  bytes: number;
  refs: string[];
}

/**
 * An object holding a `$ref` to a named schema may be replaced by that schema (its other keys dropped), so only the
 * reference counts there; `$ref` keys themselves are never counted. A key costs at least its name, two quotes and a
 * colon; a string value its characters and two quotes (escapes only add), a number or boolean one character. The
 * schema's own top-level description is the exception: where a reference inlines the schema, the description at the
 * point of use replaces it (expandNode), so only its key is sure to be written.
 */
function outlineOf(node: unknown): Outline {
  const outline: Outline = { bytes: 0, refs: [] };
  const stack: object[] = [];
  pushObjects(stack, node);
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) pushObjects(stack, current[i]);
      continue;
    }
    const object = current as Record<string, unknown>;
    const ref = object["$ref"];
    if (typeof ref === "string" && ref.startsWith(REF_PREFIX)) {
      outline.refs.push(ref.slice(REF_PREFIX.length));
      continue;
    }
    for (const key in object) {
      if (key === "$ref") continue;
      const value = object[key];
      outline.bytes += key.length + 3 + valueBytesAtLeast(value, current === node && key === "description");
      if (holdsSchemaMap(key) && value !== null && typeof value === "object") {
        const members = value as Record<string, unknown>;
        for (const name in members) {
          outline.bytes += name.length + 3;
          pushObjects(stack, members[name]);
        }
      } else if (!keywordHoldsData(key)) pushObjects(stack, value);
    }
  }
  return outline;
}

/** What a primitive value surely adds to its key's JSON text (objects and arrays are outlined on their own). */
function valueBytesAtLeast(value: unknown, replaceable: boolean): number {
  if (typeof value === "string") return replaceable ? 0 : value.length + 2;
  return typeof value === "number" || typeof value === "boolean" ? 1 : 0;
}

/**
 * How often each named schema is referenced from a root (given by its own references) and from the named schemas it
 * reaches (each once).
 */
function countUses(rootRefs: readonly string[], index: DefsIndex): Map<string, number> {
  const uses = new Map<string, number>();
  const queue: (readonly string[])[] = [rootRefs];
  while (queue.length > 0) {
    const names = queue.pop()!;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const count = uses.get(name);
      uses.set(name, (count ?? 0) + 1);
      // The first use of a name: its body's references count too (each body once).
      if (count === undefined) queue.push(bodyRefs(index, name));
    }
  }
  return uses;
}

const NO_REFS: readonly string[] = [];

/**
 * Direct references in a schema (not following them). Walked with loops over keys rather than `Object.entries`, and
 * with only objects on the stack: this walks every named schema's body once per index (Stripe's 774 responses), and
 * the pairs and spread arguments were most of its time.
 *
 * With `refFree` (a listing root's walk), a part isRefFree finds free of references is not entered: expandNode asks
 * isRefFree of every part it reaches anyway, so the answers are shared, and a tool's input, made for that tool and
 * mostly free of references (Stripe's form bodies, GitHub's parameters), is walked once instead of twice.
 */
export function refsIn(node: unknown, refFree?: WeakMap<object, boolean>): string[] {
  const found: string[] = [];
  const stack: object[] = [];
  pushWalked(stack, node, refFree);
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) pushWalked(stack, current[i], refFree);
      continue;
    }
    const object = current as Record<string, unknown>;
    for (const key in object) {
      const value = object[key];
      if (key === "$ref" && typeof value === "string" && value.startsWith(REF_PREFIX)) found.push(value.slice(REF_PREFIX.length));
      else if (holdsSchemaMap(key) && value !== null && typeof value === "object") {
        const members = value as Record<string, unknown>;
        for (const name in members) pushWalked(stack, members[name], refFree);
      } else if (!keywordHoldsData(key)) pushWalked(stack, value, refFree);
    }
  }
  return found;
}

/** pushObjects, leaving out a part that `refFree` (when given) proves holds no reference. */
function pushWalked(stack: object[], value: unknown, refFree: WeakMap<object, boolean> | undefined): void {
  if (value !== null && typeof value === "object" && !(refFree && isRefFree(value, refFree))) stack.push(value);
}

/** Pushes `value` when it is an object or array: a walk has nothing to do with anything else. */
function pushObjects(stack: object[], value: unknown): void {
  if (value !== null && typeof value === "object") stack.push(value);
}

/**
 * Tarjan's algorithm's state, kept between questions: a name's strongly connected component lies among the names it
 * reaches, so each question walks only what no earlier one walked, and the components found are those a walk of the
 * whole graph finds (they do not depend on where walks start).
 */
interface Recursion {
  order: Map<string, number>;
  low: Map<string, number>;
  onStack: Set<string>;
  component: string[];
  /** Names found in a component of more than one name, or referring to themselves directly. */
  recursive: Set<string>;
}

function newRecursion(): Recursion {
  return { order: new Map(), low: new Map(), onStack: new Set(), component: [], recursive: new Set() };
}

/**
 * Whether `name` can reach itself: in a strongly connected component of more than one name, or referring to itself
 * directly. Tarjan's algorithm finds every component in one walk (Stripe's 774 response schemas: a walk from each name
 * was 15 ms); written with an explicit stack, as a schema chain can be deeper than the call stack allows.
 */
export function isRecursive(index: DefsIndex, name: string): boolean {
  const state = index.recursion;
  if (!state.order.has(name)) walkComponents(index, name);
  return state.recursive.has(name);
}

/** Tarjan's walk from `start`, not yet visited: every name it reaches gets its component. */
function walkComponents(index: DefsIndex, start: string): void {
  const { order, low, onStack, component, recursive } = index.recursion;
  // Each frame: a name and how many of its edges have been followed.
  const frames: [string, number][] = [[start, 0]];
  order.set(start, order.size);
  low.set(start, order.get(start)!);
  component.push(start);
  onStack.add(start);
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!;
    const [name, next] = frame;
    const edges = bodyRefs(index, name);
    if (next < edges.length) {
      frame[1] = next + 1;
      const target = edges[next]!;
      if (target === name) recursive.add(name);
      if (!order.has(target)) {
        order.set(target, order.size);
        low.set(target, order.get(target)!);
        component.push(target);
        onStack.add(target);
        frames.push([target, 0]);
      } else if (onStack.has(target)) low.set(name, Math.min(low.get(name)!, order.get(target)!));
      continue;
    }
    frames.pop();
    const parent = frames[frames.length - 1];
    if (parent) low.set(parent[0], Math.min(low.get(parent[0])!, low.get(name)!));
    if (low.get(name) !== order.get(name)) continue;
    // `name` is the root of a component: it is what lies above it on the stack.
    const at = component.lastIndexOf(name);
    const members = component.splice(at);
    for (const member of members) onStack.delete(member);
    if (members.length > 1) for (const member of members) recursive.add(member);
  }
}

/** Object nesting shown in a compact output schema: the response, its members, and theirs. */
const COMPACT_LEVELS = 3;

/**
 * A lighter output schema for large responses: the shape the model needs to read the result (property names,
 * types, enums, required) down to three levels, descriptions on the first level only, deeper objects as plain
 * `object`. It only ever relaxes the full schema, so every real response still validates against it.
 */
export function compactOutputSchema(root: Schema, index: DefsIndex): Schema {
  return compactNode(root, index, 0) as Schema;
}

function compactNode(node: unknown, index: DefsIndex, level: number): Schema {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return {};
  let source = node as Schema;
  const useDescription = source["description"];
  for (let hops = 0; hops < 16 && typeof source["$ref"] === "string"; hops++) {
    source = index.defs.get((source["$ref"] as string).slice(REF_PREFIX.length)) ?? {};
  }
  const description = useDescription ?? source["description"];
  // Only a named schema (reached through a $ref) is compacted again at the same level: a schema written in place is
  // reached once, through its parent, whose own compacted body is remembered. Remembering those too made a weak
  // table entry and an array for each, never asked for again (GitHub: 6,368 of 7,750 compactNode calls, Stripe 7,637
  // of 9,768). They are still marked shared: tools.ts' printer takes the shared parts as met in one Set copy, and
  // left unmarked they cost it more (staging, one core: Stripe +2.9 ms, GitHub +7.1).
  const body = source === node ? (share(compactedBody(source, index, level), index) as Schema) : compactBody(source, index, level);
  return level <= 1 && typeof description === "string" ? { description, ...body } : body;
}

/**
 * A compacted named schema without its description, made once per schema and level: Stripe's responses share most of
 * their members, each compacted again for every response that reaches it. Shared between listings, which are only
 * read.
 */
function compactBody(source: Schema, index: DefsIndex, level: number): Schema {
  let byLevel = index.compacted.get(source);
  if (!byLevel) index.compacted.set(source, (byLevel = []));
  return (byLevel[level] ??= share(compactedBody(source, index, level), index) as Schema);
}

/**
 * The source's keywords are read in one pass over its own keys, then written in compactOutputSchema's order (kept
 * keywords, compositions, items, properties, required, additionalProperties): looking each of the 13 keywords up in
 * every node, where most are absent, cost more than the node's few keys (normalize in model/schema.ts does the same).
 */
function compactedBody(source: Schema, index: DefsIndex, level: number): Schema {
  let type, enumValue, constValue, format, contentEncoding, deprecated, oneOf, anyOf, allOf, items, properties, required, additionalProperties;
  for (const key in source) {
    switch (key) {
      case "type": type = source[key]; break;
      case "properties": properties = source[key]; break;
      case "items": items = source[key]; break;
      case "required": required = source[key]; break;
      case "enum": enumValue = source[key]; break;
      case "format": format = source[key]; break;
      case "anyOf": anyOf = source[key]; break;
      case "additionalProperties": additionalProperties = source[key]; break;
      case "oneOf": oneOf = source[key]; break;
      case "allOf": allOf = source[key]; break;
      case "const": constValue = source[key]; break;
      case "contentEncoding": contentEncoding = source[key]; break;
      case "deprecated": deprecated = source[key]; break;
    }
  }
  const out: Schema = {};
  if (type !== undefined) out["type"] = type;
  if (enumValue !== undefined) out["enum"] = enumValue;
  if (constValue !== undefined) out["const"] = constValue;
  if (format !== undefined) out["format"] = format;
  if (contentEncoding !== undefined) out["contentEncoding"] = contentEncoding;
  if (deprecated !== undefined) out["deprecated"] = deprecated;
  if (level >= COMPACT_LEVELS) return out;
  if (Array.isArray(oneOf)) out["oneOf"] = compactMembers(oneOf, index, level);
  if (Array.isArray(anyOf)) out["anyOf"] = compactMembers(anyOf, index, level);
  if (Array.isArray(allOf)) out["allOf"] = compactMembers(allOf, index, level);
  if (items !== undefined) out["items"] = compactNode(items, index, level + 1);
  if (properties) {
    out["properties"] = ownMembersMapped(properties, (member) => compactNode(member, index, level + 1));
    if (Array.isArray(required)) out["required"] = required;
    if (additionalProperties === false) out["additionalProperties"] = false;
  }
  if (additionalProperties && typeof additionalProperties === "object") out["additionalProperties"] = compactNode(additionalProperties, index, level + 1);
  return out;
}

function compactMembers(members: readonly unknown[], index: DefsIndex, level: number): Schema[] {
  return members.map((member) => compactNode(member, index, level));
}
