/**
 * The order MiniSearch's index gives its terms in, for terms added one at a time: MiniSearch keeps them in a radix
 * tree (minisearch/SearchableMap) and its toJSON lists them as that tree iterates. Each node holds its edges in a Map,
 * in the order they were set; splitting an edge sets the shared prefix (last) and deletes the old edge, and a node's
 * own entry is one more key (""), set when its term is added. Iterating visits a node's keys last first, depth first.
 * This tree makes the same edges in the same order, in arrays walked with index loops: SearchableMap's createPath
 * steps through a node's Map with for...of, and nearly all of a run is code V8 has not optimised, where each step
 * allocates (GitHub's 1,677 terms: ~8 ms of the index's ~110 ms, one core). search-index-json.ts' tests hold the
 * result to MiniSearch's own, and test/unit/discovery/term-tree.test.ts holds the order to SearchableMap's.
 */

interface TermNode<T> {
  /** The edges' labels in the order SearchableMap's Map would hold them; "" is the node's own entry. */
  keys: string[];
  /** The node under each label (none under ""). */
  children: (TermNode<T> | undefined)[];
  term: string;
  value: T | undefined;
}

export class TermTree<T> {
  private readonly root: TermNode<T> = termNode();

  /** SearchableMap's fetch: the value at `term`, set to `initial()` first if it has none. */
  fetch(term: string, initial: () => T): T {
    const node = createPath(this.root, term);
    if (node.value === undefined) {
      // SearchableMap sets its entry again (in place) where one was set to undefined.
      if (!node.keys.includes("")) {
        node.keys.push("");
        node.children.push(undefined);
      }
      node.term = term;
      node.value = initial();
    }
    return node.value;
  }

  /** The terms and their values, in the order SearchableMap's iterator gives them. */
  entries(): { terms: string[]; values: T[] } {
    const entries = { terms: [] as string[], values: [] as T[] };
    collect(this.root, entries);
    return entries;
  }
}

function termNode<T>(): TermNode<T> {
  return { keys: [], children: [], term: "", value: undefined };
}

/** SearchableMap's createPath: the node for `key`, made with the edges it needs. */
function createPath<T>(root: TermNode<T>, key: string): TermNode<T> {
  let node = root;
  const keyLength = key.length;
  outer: for (let pos = 0; pos < keyLength; ) {
    const { keys, children } = node;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (k === "" || key[pos] !== k[0]) continue;
      const len = Math.min(keyLength - pos, k.length);
      let offset = 1;
      while (offset < len && key[pos + offset] === k[offset]) ++offset;
      const child = children[i]!;
      if (offset === k.length) node = child;
      else {
        // A partial match: an intermediate node holds both the existing subtree and what follows, under the shared
        // prefix, which SearchableMap sets (a new key, last) before deleting the old edge.
        const intermediate = termNode<T>();
        intermediate.keys.push(k.slice(offset));
        intermediate.children.push(child);
        keys.push(key.slice(pos, pos + offset));
        children.push(intermediate);
        keys.splice(i, 1);
        children.splice(i, 1);
        node = intermediate;
      }
      pos += offset;
      continue outer;
    }
    const child = termNode<T>();
    keys.push(key.slice(pos));
    children.push(child);
    return child;
  }
  return node;
}

/** SearchableMap's TreeIterator: a node's keys from the last, each subtree whole before the next key. */
function collect<T>(node: TermNode<T>, entries: { terms: string[]; values: T[] }): void {
  const { keys, children } = node;
  for (let i = keys.length - 1; i >= 0; i--) {
    if (keys[i] === "") {
      entries.terms.push(node.term);
      entries.values.push(node.value!);
    } else collect(children[i]!, entries);
  }
}
