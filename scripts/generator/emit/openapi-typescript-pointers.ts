/**
 * The JSON Pointer functions openapi-typescript imports from `@redocly/openapi-core/lib/ref-utils.js`, for
 * openapi-typescript only (openapi-typescript-load.ts's resolve hook sends its import here). They return what
 * Redocly's return for every input, and throw what they throw, but skip the work when there is nothing to do:
 * openapi-typescript builds the pointer of every node it types by parsing its parent's pointer again
 * (`createRef([path, key])`), so on GitHub's spec they ran about a million times, mostly on segments with no `~` and
 * no `%` to decode, through two regular-expression replacements, `decodeURIComponent` and three arrays each (~10 % of
 * rendering api.ts). Loading Redocly's module also loaded its utilities (minimatch, js-yaml, an HTTPS proxy agent).
 *
 * RFC 6901 §4: `~1` decodes to `/`, then `~0` to `~`; Redocly also percent-decodes each segment (the pointer as a URI
 * fragment, RFC 6901 §6) and drops empty segments. Any input the fast paths do not cover goes through Redocly's own
 * expressions, written the same way, so even a TypeError or URIError reads the same.
 */

/** A `{ uri, pointer }` as Redocly's parseRef returns it. */
export interface ParsedRef {
  uri: string | null;
  pointer: string[];
}

export function unescapePointer(fragment: string): string {
  if (typeof fragment === "string" && fragment.indexOf("%") === -1) {
    // decodeURIComponent returns a string without `%` as it is.
    return fragment.indexOf("~") === -1 ? fragment : fragment.replace(/~1/g, "/").replace(/~0/g, "~");
  }
  return decodeURIComponent(fragment.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function escapePointer<T extends string | number>(fragment: T): T {
  if (typeof fragment === "number") return fragment;
  if (typeof fragment === "string" && fragment.indexOf("~") === -1 && fragment.indexOf("/") === -1) return fragment;
  return fragment.replace(/~/g, "~0").replace(/\//g, "~1") as T;
}

/** `ref.split("#/")`'s first two parts: the URI (without a trailing `#`, null if empty) and the pointer's segments. */
export function parseRef(ref: string): ParsedRef {
  if (typeof ref !== "string") {
    const [uri, pointer = ""] = (ref as string).split("#/");
    return { uri: (uri!.endsWith("#") ? uri!.slice(0, -1) : uri) || null, pointer: parsePointer(pointer) };
  }
  const hash = ref.indexOf("#/");
  const uri = hash === -1 ? ref : ref.slice(0, hash);
  let pointer = "";
  if (hash !== -1) {
    const next = ref.indexOf("#/", hash + 2);
    pointer = next === -1 ? ref.slice(hash + 2) : ref.slice(hash + 2, next);
  }
  return { uri: (uri.endsWith("#") ? uri.slice(0, -1) : uri) || null, pointer: parsePointer(pointer) };
}

/** The pointer's segments split on `/`, each unescaped, the empty ones dropped. */
export function parsePointer(pointer: string): string[] {
  if (typeof pointer !== "string") return (pointer as string).split("/").map(unescapePointer).filter(Boolean);
  const segments: string[] = [];
  let start = 0;
  for (;;) {
    const slash = pointer.indexOf("/", start);
    const segment = unescapePointer(slash === -1 ? pointer.slice(start) : pointer.slice(start, slash));
    if (segment) segments.push(segment);
    if (slash === -1) return segments;
    start = slash + 1;
  }
}
