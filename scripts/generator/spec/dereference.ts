/**
 * json-schema-ref-parser's dereference (15.3, dist/lib/dereference.js), repeated for the one way swagger-parser runs it
 * here on a Swagger 2.0 document (validate: `circular: "ignore"`, no external files), plus one thing the library
 * does not do: an object whose crawl already finished with nothing left to do is not crawled again.
 *
 * Why: under `circular: "ignore"` the library skips its already-processed check, so every shared definition is
 * crawled again at each place it is reached, and with it everything the definition now holds (its refs replaced by
 * their targets): on Kubernetes 1.13 most of the ~0.35 s this step cost. A revisit of such an object can change
 * nothing and finds nothing circular (see `finished`), so skipping it gives the same document, the same shared
 * objects and the same circular flag.
 *
 * Any other options (and any document with `$id` scopes) go to the library's own function. A resolve hook in
 * swagger-parser.ts sends json-schema-ref-parser's import of its dereference module here.
 */
import $Ref from "@apidevtools/json-schema-ref-parser/dist/lib/ref.js";
import Pointer from "@apidevtools/json-schema-ref-parser/dist/lib/pointer.js";
import * as url from "./ref-parser-url.ts";
import libraryDereference from "@apidevtools/json-schema-ref-parser/dist/lib/dereference.js";

type Json = Record<string, unknown>;
type Options = { timeoutMs?: number; dereference?: Record<string, unknown> };
interface RefEntry { path: string; dynamicIdScope?: boolean }
interface Refs {
  circular: boolean;
  _root$Ref: RefEntry;
  _$refs: Record<string, RefEntry>;
  _aliases: Record<string, RefEntry>;
  _resolve(path: string, pathFromRoot: string, options: Options): { value: unknown; path: string; circular: boolean } | null;
}
interface Parser { schema: unknown; $refs: Refs }
interface Result { circular: boolean; value: unknown }

/** Marks EXCLUDE_NOTHING; a registered symbol, so that a second instance of this module (a test runner's) knows it. */
const EXCLUDES_NOTHING = Symbol.for("mcp-identity-bridge.dereference.excludesNothing");

/**
 * The `excludedPathMatcher` a caller passes to ask for this dereference: it excludes nothing, like the library's
 * default, but says so (the default is a new closure per options object).
 */
export const EXCLUDE_NOTHING = Object.assign((): boolean => false, { [EXCLUDES_NOTHING]: true });

/** The option keys the repeated crawl honours; any other key set sends the call to the library. */
const HANDLED = new Set(["circular", "excludedPathMatcher", "referenceResolution", "mergeKeys", "maxDepth"]);

export default function dereference(parser: Parser, options: Options): void {
  if (!handled(parser, options)) return libraryDereference(parser as never, options as never);
  const maxDepth = (options.dereference?.["maxDepth"] as number | undefined) ?? 500;
  const walk: Walk = { refs: parser.$refs, options, maxDepth, parents: new Set(), cache: new Map(), finished: new Map(), resolved: { base: undefined, paths: new Map() } };
  const result = crawl(parser.schema, parser.$refs._root$Ref.path, "#", undefined, 0, walk);
  parser.$refs.circular = result.circular;
  parser.schema = result.value;
}

function handled(parser: Parser, options: Options): boolean {
  const settings = options.dereference ?? {};
  const matcher = settings["excludedPathMatcher"] as { [EXCLUDES_NOTHING]?: boolean } | undefined;
  if (settings["circular"] !== "ignore" || matcher?.[EXCLUDES_NOTHING] !== true || options.timeoutMs) return false;
  if (Object.keys(settings).some((key) => !HANDLED.has(key) && settings[key] !== undefined)) return false;
  // The crawl lists an object's keys by for…in, which would also list enumerable properties its prototype inherits.
  if (!prototypesEnumerateNothing()) return false;
  const scopes = [...Object.values(parser.$refs._$refs), ...Object.values(parser.$refs._aliases)];
  return !parser.$refs._root$Ref.dynamicIdScope && scopes.every((entry) => !entry.dynamicIdScope);
}

/**
 * Whether plain objects and arrays inherit no enumerable property, so that for…in lists an object's own keys only, as
 * Object.keys does (ECMA-262 §14.7.5.9 EnumerateObjectProperties: own keys in Object.keys' order, then the prototype's).
 * A parsed document's objects and arrays have these prototypes; something in the process could have added to them.
 */
function prototypesEnumerateNothing(): boolean {
  for (const _ in {}) return false;
  for (const _ in []) return false;
  return true;
}

interface Walk {
  refs: Refs;
  options: Options;
  maxDepth: number;
  /** The objects being crawled, from the root down (a value among them is a circular reference). */
  parents: Set<unknown>;
  /** The library's `dereferencedCache`: a ref's resolved path → its outcome. */
  cache: Map<string, Result>;
  /**
   * Objects whose crawl ended with no ref left in them and nothing circular, whose values are all primitives or such
   * objects, each with the depth its crawl reaches below it. The library crawling one again would assign nothing and
   * find nothing circular (its values hold no ref to dereference, and none is an object being crawled, since these
   * objects nest without cycles), so the crawl is skipped, unless it would go past maxDepth (then the library throws,
   * and so does the crawl below).
   */
  finished: Map<object, number>;
  /** `url.resolve` of the local refs met, for one base (see resolveRefPath). */
  resolved: { base: string | undefined; paths: Map<string, string> };
}

/**
 * The library's `crawl`, for the handled options, skipping finished objects. `obj`'s two paths are `base` and
 * `baseFromRoot`, or when a key is given those joined with it, made only when needed: to crawl a value that is an
 * object, to dereference a ref, to say where maxDepth was passed (most crawled objects hold primitives only, or are
 * finished and skipped).
 */
function crawl(obj: unknown, base: string, baseFromRoot: string, key: string | undefined, depth: number, walk: Walk): Result {
  const result: Result = { value: obj, circular: false };
  let path = key === undefined ? base : undefined;
  let pathFromRoot = key === undefined ? baseFromRoot : undefined;
  if (depth > walk.maxDepth) {
    pathFromRoot ??= join(baseFromRoot, key!);
    throw new RangeError(
      `Maximum dereference depth (${walk.maxDepth}) exceeded at ${pathFromRoot}. ` +
        `This likely indicates an extremely deep or recursive schema. ` +
        `You can increase this limit with the dereference.maxDepth option.`,
    );
  }
  if (!obj || typeof obj !== "object" || ArrayBuffer.isView(obj)) return result;
  const below = walk.finished.get(obj);
  if (below !== undefined && depth + below <= walk.maxDepth) return result;
  if (isAllowedRef(obj, walk)) {
    walk.parents.add(obj);
    const dereferenced = dereferenceRef(obj as Json, path ?? join(base, key!), pathFromRoot ?? join(baseFromRoot, key!), depth, walk);
    result.circular = dereferenced.circular;
    result.value = dereferenced.value;
    walk.parents.delete(obj);
  } else {
    // The object joins the parents when its first member that is an object is crawled: only what is done below it
    // asks whether something is among them, and most objects (Kubernetes 1.13: ~13,000 of ~23,000) hold primitives
    // only. It is not among them already (no caller crawls a parent again), so one left out needs no delete.
    let isParent = false;
    const record = obj as Json;
    // How deep a crawl of this object again would go, while it may still become finished (see Walk.finished). An
    // object with a `$ref` member (one the library does not follow, or not a string) is never counted as finished.
    let below: number | undefined = "$ref" in record ? undefined : 0;
    // for…in rather than the library's Object.keys: the same keys in the same order for these objects (own, in
    // prototypes that enumerate nothing: see handled; none is added or deleted while listed), without the array of
    // them (Kubernetes 1.13: the dereference ~51 → ~47 ms of CPU on one core).
    for (const member in record) {
      const value = record[member];
      // A primitive: the library's crawl of it returns it as it is, not circular, and needs its paths only to say
      // where it went past maxDepth; they are not made otherwise (most values are primitives, and making the two
      // paths of each was most of this walk's allocation).
      if ((value === null || typeof value !== "object") && depth + 1 <= walk.maxDepth) {
        if (below === 0) below = 1;
        continue;
      }
      path ??= join(base, key!);
      pathFromRoot ??= join(baseFromRoot, key!);
      if (!isParent) {
        walk.parents.add(record);
        isParent = true;
      }
      let circular: boolean;
      if (isAllowedRef(value, walk)) {
        const dereferenced = dereferenceRef(value as Json, join(path, member), join(pathFromRoot, member), depth, walk);
        circular = dereferenced.circular;
        if (record[member] !== dereferenced.value) record[member] = dereferenced.value;
      } else if (!walk.parents.has(value)) {
        const dereferenced = crawl(value, path, pathFromRoot, member, depth + 1, walk);
        circular = dereferenced.circular;
        if (record[member] !== dereferenced.value) record[member] = dereferenced.value;
      } else {
        circular = foundCircularReference(walk);
      }
      result.circular = result.circular || circular;
      if (below !== undefined) below = deeper(below, record[member], walk);
    }
    if (!result.circular && below !== undefined) walk.finished.set(record, below);
    if (isParent) walk.parents.delete(record);
  }
  return result;
}

/**
 * $Ref.isAllowed$Ref(value, options): false at once for a value that is not an object with a string `$ref`, which the
 * library asks first (is$Ref). It is asked of every object crawled, twice (by the crawl of the object holding it, then
 * by its own), two library calls each time, and only ~3,000 of Kubernetes 1.13's ~23,000 objects are refs.
 */
function isAllowedRef(value: unknown, walk: Walk): boolean {
  if (value === null || typeof value !== "object" || typeof (value as Json)["$ref"] !== "string") return false;
  return $Ref.isAllowed$Ref(value, walk.options as never) === true;
}

/**
 * `below` raised for one more value of an object: a crawl goes one level down to it, and further below a finished
 * object; undefined when the value is an object not finished (then neither is the object holding it).
 */
function deeper(below: number, value: unknown, walk: Walk): number | undefined {
  if (value === null || typeof value !== "object") return Math.max(below, 1);
  const finished = walk.finished.get(value);
  return finished === undefined ? undefined : Math.max(below, finished + 1);
}

/** The library's `dereference$Ref`, for the handled options. */
function dereferenceRef(ref: Json, path: string, pathFromRoot: string, depth: number, walk: Walk): Result {
  const { options } = walk;
  const resolveOnCwd = $Ref.isExternal$Ref(ref) && options.dereference?.["externalReferenceResolution"] === "root";
  const refPath = resolveOnCwd ? url.resolve(url.cwd(), ref["$ref"] as string) : resolveRefPath(path, ref["$ref"] as string, walk);
  const cached = walk.cache.get(refPath);
  if (cached) {
    if (!cached.circular) {
      const refKeys = Object.keys(ref);
      if (refKeys.length <= 1) return cached;
      const target = cached.value as Json;
      const extraKeys: Json = {};
      for (const key of refKeys) if (key !== "$ref" && !(key in target)) extraKeys[key] = ref[key];
      return { circular: cached.circular, value: Object.assign({}, target, extraKeys) };
    }
    const value = cached.value;
    // The library re-resolves only a circular entry that is another ref with a different text (its external case).
    if (!(typeof value === "object" && value !== null && "$ref" in value && "$ref" in ref) || (value as Json)["$ref"] === ref["$ref"]) {
      foundCircularReference(walk);
      return cached;
    }
  }
  const pointer = walk.refs._resolve(refPath, path, options);
  if (pointer === null) return { circular: false, value: null };
  const directCircular = pointer.circular;
  let circular = directCircular || walk.parents.has(pointer.value);
  if (circular) foundCircularReference(walk);
  let value = $Ref.dereference(ref as never, pointer.value as never, options as never) as unknown;
  if (!circular) {
    const dereferenced = crawl(value, pointer.path, pathFromRoot, undefined, depth + 1, walk);
    circular = dereferenced.circular;
    value = dereferenced.value;
  }
  // circular: "ignore" leaves a circular ref as it is.
  if (circular && !directCircular) value = ref;
  if (directCircular) (value as Json)["$ref"] = pathFromRoot;
  const outcome: Result = { circular, value };
  if (Object.keys(ref).length === 1) walk.cache.set(refPath, outcome);
  return outcome;
}

/**
 * `url.resolve(path, ref)` (ref-parser-url.ts: the library's, quicker), made once per local ref (Kubernetes 1.13:
 * ~12,000 refs, ~1,000 distinct). The URL a fragment-only reference resolves to is the base's with that fragment
 * (WHATWG URL, "fragment state"), so for a ref starting with `#` the result depends on the ref and on `path` before its
 * first `#` only: it is kept for the first such base met, and any other base or ref goes to url.resolve each time.
 */
function resolveRefPath(path: string, ref: string, walk: Walk): string {
  if (!ref.startsWith("#")) return url.resolve(path, ref);
  const memo = walk.resolved;
  if (memo.base === undefined) {
    const hash = path.indexOf("#");
    memo.base = hash < 0 ? path : path.slice(0, hash);
  }
  const base = memo.base;
  if (!path.startsWith(base) || (path.length > base.length && path.charCodeAt(base.length) !== 35 /* # */)) return url.resolve(path, ref);
  let resolved = memo.paths.get(ref);
  if (resolved === undefined) memo.paths.set(ref, (resolved = url.resolve(path, ref)));
  return resolved;
}

/** The library's `foundCircularReference` under `circular: "ignore"` (no onCircular hook: see handled). */
function foundCircularReference(walk: Walk): true {
  walk.refs.circular = true;
  return true;
}

/** Pointer.join(base, token): the same string, without its two regular expressions for a token with no ~ or / (RFC 6901 §3). */
function join(base: string, token: string): string {
  if (token.includes("~") || token.includes("/")) return Pointer.join(base, token);
  return (base.includes("#") ? base : base + "#") + "/" + token;
}
