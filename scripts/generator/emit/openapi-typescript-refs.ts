/**
 * openapi-typescript 7.13's `createRef` and `resolveRef` (`lib/utils.ts`, MIT), written the same way over our
 * pointer functions (openapi-typescript-pointers.ts, which answer as Redocly's), so that api.ts's direct emitter and
 * the discriminator scan need not load the library (its utilities import TypeScript). Plus a pointer made only when
 * read: the library builds the pointer of every node it types, the direct emitter only of the few it must look at.
 */
import { escapePointer, parseRef } from "./openapi-typescript-pointers.ts";

/** createRef: a pointer from parts, each part a pointer (its segments re-escaped) or a key; empty parts skipped. */
export function createRef(parts: readonly unknown[]): string {
  let pointer = "#";
  // Index loops: a for...of allocates at each step in this unoptimised code.
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === undefined || part === null || part === "") continue;
    const maybeRef = parseRef(String(part)).pointer;
    if (maybeRef.length) {
      for (let j = 0; j < maybeRef.length; j++) pointer += `/${escapePointer(maybeRef[j]!)}`;
    } else {
      pointer += `/${escapePointer(part as string)}`;
    }
  }
  return pointer;
}

/**
 * resolveRef: the node a `$ref` points to in `schema` (following a `$ref` found there), undefined when a segment is
 * missing or falsy or the refs go round. `warn` is the library's, called where it calls it.
 */
export function resolveRef(
  schema: unknown,
  $ref: string,
  options: { silent?: boolean; visited?: string[] },
  warn: (message: string, silent?: boolean) => void,
): any {
  const { silent = false, visited = [] } = options;
  const { pointer } = parseRef($ref);
  if (!pointer.length) return undefined;
  let node: any = schema;
  for (const key of pointer) {
    if (node && typeof node === "object" && node[key]) {
      node = node[key];
    } else {
      warn(`Could not resolve $ref "${$ref}"`, silent);
      return undefined;
    }
  }
  if (node && typeof node === "object" && node.$ref) {
    if (visited.includes(node.$ref)) {
      warn(`Could not resolve circular $ref "${$ref}"`, silent);
      return undefined;
    }
    return resolveRef(schema, node.$ref, { silent, visited: [...visited, node.$ref] }, warn);
  }
  return node;
}

/**
 * A node's pointer as the library would have it: `createRef([parent, ...parts])`, or (header-object.ts's form)
 * the parent and `/` + an escaped key joined as text. Made on first read, then kept; except that the library makes
 * every pointer when it meets the node, and making one can throw (a part that is no string or number; a `%` that is
 * no escape in a parent, which decodeURIComponent refuses): a pointer that might is made at once, so that it throws
 * where the library's would.
 */
export class LazyPointer {
  private value: string | undefined;
  private readonly parent: LazyPointer | string;
  private readonly parts: readonly unknown[] | string;
  /** Whether making this pointer or one below it could throw, or decode a `%`. */
  readonly unusual: boolean;

  constructor(parent: LazyPointer | string, parts: readonly unknown[] | string) {
    this.parent = parent;
    this.parts = parts;
    this.unusual = (typeof parent === "string" ? parent.includes("%") : parent.unusual) || unusualParts(parts);
    if (this.unusual) this.toString();
  }

  toString(): string {
    if (this.value === undefined) {
      const parent = typeof this.parent === "string" ? this.parent : this.parent.toString();
      this.value = typeof this.parts === "string" ? `${parent}/${escapePointer(this.parts)}` : createRef([parent, ...this.parts]);
    }
    return this.value;
  }
}

/** An index loop, not `.some` with an arrow: it runs for every pointer made (GitHub's api.ts: ~2.4 MB of closures). */
function unusualParts(parts: readonly unknown[] | string): boolean {
  if (typeof parts === "string") return parts.includes("%");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (typeof part === "string" ? part.includes("%") : !(typeof part === "number" || part === undefined || part === null)) return true;
  }
  return false;
}

export type Pointer = LazyPointer | string;

/**
 * The pointer given to a node whose transform never reads one (api-types-schema.ts's propertyPointer). Reading it,
 * or one made below it, is a fault of ours: it throws, and the library renders the file.
 */
export const UNREAD: LazyPointer = new (class extends LazyPointer {
  override toString(): string {
    throw new Error("A pointer that is never read was read");
  }
})("#", []);

export function child(parent: Pointer, ...parts: unknown[]): LazyPointer {
  return new LazyPointer(parent, parts);
}
