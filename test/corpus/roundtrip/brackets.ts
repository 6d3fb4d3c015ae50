/**
 * The bracket convention for what OpenAPI leaves undefined (DESIGN.md decision 8; the `qs` convention most servers
 * parse): `a[b]=1` is a member, `a[]=x` a list item, `a[0][b]=y` an indexed item, `a[b][c]=1` nesting. Also the
 * plain repeat `a[b]=x&a[b]=y` for a list (bridge.yaml's `repeat`). Written strictly: a level that mixes named and
 * list members, indices that skip or go backwards, or `a[][b]` (whose grouping servers disagree on) are errors.
 */
import { DecodeError } from "./wire.ts";

export interface BracketEntry {
  /** Segments after the root name: `a[b][]` → ["b", ""]. */
  readonly path: readonly string[];
  readonly value: string;
}

/** `name[x][y]` → ["x", "y"] when `name` is `root` followed by one or more bracket segments; else undefined. */
export function bracketPath(name: string, root: string): string[] | undefined {
  if (!name.startsWith(`${root}[`)) return undefined;
  const rest = name.slice(root.length);
  const segments: string[] = [];
  const pattern = /\[([^[\]]*)\]/y;
  let at = 0;
  while (at < rest.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(rest);
    if (!match) return undefined;
    segments.push(match[1]!);
    at = pattern.lastIndex;
  }
  return segments;
}

export type Assembled = string | Assembled[] | { [name: string]: Assembled };

/** The value the entries spell, in the order given. */
export function assemble(entries: readonly BracketEntry[], where: string): Assembled {
  if (entries.length === 0) throw new DecodeError(`${where}: nothing to assemble`);
  const leaves = entries.filter((e) => e.path.length === 0);
  if (leaves.length > 0) {
    if (leaves.length < entries.length) throw new DecodeError(`${where} is both a value and a container`);
    // The same name repeated: a list (bridge.yaml `repeat`).
    return leaves.length === 1 ? leaves[0]!.value : leaves.map((e) => e.value);
  }
  const heads = entries.map((e) => e.path[0]!);
  if (heads.every((h) => h === "")) {
    if (entries.some((e) => e.path.length > 1)) throw new DecodeError(`${where}[]… nests inside an unindexed list item (use indices)`);
    return entries.map((e) => e.value);
  }
  if (heads.every((h) => /^(0|[1-9]\d*)$/.test(h))) return indexed(entries, where);
  if (heads.some((h) => h === "")) throw new DecodeError(`${where} mixes list items and named members`);
  const groups = new Map<string, BracketEntry[]>();
  for (const entry of entries) {
    const group = groups.get(entry.path[0]!) ?? [];
    group.push({ path: entry.path.slice(1), value: entry.value });
    groups.set(entry.path[0]!, group);
  }
  const out: { [name: string]: Assembled } = {};
  for (const [name, group] of groups) setMember(out, name, assemble(group, `${where}[${name}]`));
  return out;
}

/** `a[0]…`, `a[1]…`: items by index, which must run from 0 without a gap (a gap is an item lost). */
function indexed(entries: readonly BracketEntry[], where: string): Assembled[] {
  const groups: BracketEntry[][] = [];
  for (const entry of entries) {
    const index = Number(entry.path[0]);
    if (index > 10_000) throw new DecodeError(`${where}[${index}]: index too large`);
    (groups[index] ??= []).push({ path: entry.path.slice(1), value: entry.value });
  }
  for (let i = 0; i < groups.length; i++) if (!groups[i]) throw new DecodeError(`${where} has no item [${i}] but has later ones`);
  return groups.map((group, i) => assemble(group, `${where}[${i}]`));
}

/** Sets an own, enumerable member even when its name is `__proto__` (names come from the wire and from specs). */
export function setMember(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}
