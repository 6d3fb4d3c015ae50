/**
 * Local JSON references (RFC 6901 pointers after `#`) and the names given to referenced schemas.
 */
import type { SpecDocument } from "../spec/load.ts";

/** Resolves `#/a/b~1c` in the document; undefined when any step is missing. Follows `$ref` chains up to 32 hops. */
export function resolvePointer(document: SpecDocument, ref: string): unknown {
  let target = stepThrough(document, ref);
  for (let hops = 0; hops < 32 && isRefOnly(target); hops++) {
    target = stepThrough(document, (target as { $ref: string }).$ref);
  }
  return target;
}

/** Resolves an object that may be a `$ref` (parameters, request bodies, responses); returns it as is otherwise. */
export function deref<T = Record<string, unknown>>(document: SpecDocument, node: unknown): T | undefined {
  if (isRefOnly(node)) return resolvePointer(document, (node as { $ref: string }).$ref) as T | undefined;
  return node as T | undefined;
}

function isRefOnly(node: unknown): boolean {
  return node !== null && typeof node === "object" && typeof (node as { $ref?: unknown }).$ref === "string" &&
    ((node as { $ref: string }).$ref.startsWith("#"));
}

/** The node a local pointer names, without following a `$ref` found there. */
export function pointerTarget(document: SpecDocument, ref: string): unknown {
  return stepThrough(document, ref);
}

/**
 * Calls `visit` for every `$ref` string in the tree, in document order (an object's own `$ref` before anything inside
 * it), with a function that gives the JSON pointer of the object holding it. Pointers are built only when asked for:
 * building one per node costs ~0.15 s on a 13 MB spec. Recursive down to MAX_RECURSION levels, nothing allocated per
 * node (the keys leading to the current node are one array); a subtree deeper than that is walked with explicit
 * stacks, so depth is no limit. The recursion reads an object's `$ref` first instead of keeping its children on
 * stacks until its members are all seen and reversing them: a 13 MB spec has ~400,000 objects.
 */
export function forEachRef(root: unknown, visit: (ref: string, holder: () => string) => void): void {
  /** The keys from the root to the node being visited (its first `depth` entries). */
  const path: string[] = [];
  let depth = 0;
  const holder = (): string => pointerOf(path, depth);
  const walk = (node: Record<string, unknown>, level: number): void => {
    if (level > MAX_RECURSION) return walkWithStacks(node, level);
    // An object holds one `$ref` at most: visiting it first keeps document order (it is met before anything inside).
    const ref = node["$ref"];
    if (typeof ref === "string") {
      depth = level;
      visit(ref, holder);
    }
    for (const member in node) {
      const value = node[member];
      if (value !== null && typeof value === "object") {
        path[level] = member;
        walk(value as Record<string, unknown>, level + 1);
      }
    }
  };
  /** The same walk from `start` (at `level`, its key in `path` already) with three stacks instead of the call stack. */
  const walkWithStacks = (start: Record<string, unknown>, level: number): void => {
    const nodes: unknown[] = [start];
    const depths: number[] = [level];
    const keys: string[] = [path[level - 1]!];
    while (nodes.length > 0) {
      const node = nodes.pop() as Record<string, unknown>;
      depth = depths.pop()!;
      const key = keys.pop()!;
      if (depth > 0) path[depth - 1] = key;
      const first = nodes.length;
      for (const member in node) {
        const value = node[member];
        if (member === "$ref" && typeof value === "string") visit(value, holder);
        else if (value !== null && typeof value === "object") {
          nodes.push(value);
          depths.push(depth + 1);
          keys.push(member);
        }
      }
      // Pushed in document order: reversed, so the first member is the next one taken.
      reverseFrom(nodes, first);
      reverseFrom(depths, first);
      reverseFrom(keys, first);
    }
  };
  if (root !== null && typeof root === "object") walk(root as Record<string, unknown>, 0);
}

/** Deeper than this, forEachRef goes on with explicit stacks (its recursion must not run out of call stack). */
const MAX_RECURSION = 1000;

function reverseFrom(stack: unknown[], from: number): void {
  for (let i = from, j = stack.length - 1; i < j; i++, j--) {
    const swap = stack[i];
    stack[i] = stack[j];
    stack[j] = swap;
  }
}

/**
 * The JSON pointer (RFC 6901) of the node reached by the first `depth` keys of `path`, for a walk's `holder`: built
 * only when asked for (see forEachRef).
 */
export function pointerOf(path: readonly (string | number)[], depth: number): string {
  let pointer = "#";
  for (let i = 0; i < depth; i++) pointer += `/${escapeSegment(String(path[i]))}`;
  return pointer;
}

/** A JSON pointer segment (RFC 6901 §3): `~` and `/` escaped. */
export function escapeSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** RFC 6901 §6: percent-decoded (a URI fragment) first, then ~1 and ~0; most segments have neither to undo. */
function decodeSegment(raw: string): string {
  const decoded = raw.includes("%") ? decodeURIComponent(raw) : raw;
  return decoded.includes("~") ? decoded.replaceAll("~1", "/").replaceAll("~0", "~") : decoded;
}

function stepThrough(document: SpecDocument, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  const path = ref.slice(1);
  if (path === "") return document;
  let current: unknown = document;
  // By index from the second piece (the first is what precedes the leading `/`): a copy by slice and a for…of
  // iterator were made for each pointer followed (every `$ref` named, and every hidden-property check).
  const raws = path.split("/");
  for (let i = 1; i < raws.length; i++) {
    const segment = decodeSegment(raws[i]!);
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/**
 * A readable, unique identifier for a referenced schema: the component's own name (`#/components/schemas/full-repository`
 * → `FullRepository`), or the last segments of any other pointer. Valid as a TypeScript identifier and a `$defs` key.
 */
export function schemaNameFor(ref: string, used: ReadonlySet<string>): string {
  const segments = ref.slice(1).split("/").filter(Boolean).map(decodeSegment);
  const isComponent = (segments[0] === "components" && segments[1] === "schemas") || segments[0] === "definitions";
  const source = isComponent ? segments.slice(segments[0] === "definitions" ? 1 : 2).join("_") : segments.slice(-3).join("_");
  const base = toPascalIdentifier(source);
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}${n}`;
  return name;
}

function toPascalIdentifier(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
  const safe = joined.length > 0 ? joined : "Schema";
  return /^[0-9]/.test(safe) ? `S${safe}` : safe;
}
