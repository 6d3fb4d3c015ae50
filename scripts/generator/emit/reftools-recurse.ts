/**
 * reftools' `recurse` (`reftools/lib/recurse.js`, 1.1.9, BSD-3-Clause) for swagger2openapi, which walks the whole
 * document with it five times while converting a Swagger 2.0 spec for api.ts (about a third of the conversion's CPU on
 * Kubernetes' 4 MB spec). openapi-typescript-load.ts's resolve hook sends the `require` to reftools-walks.ts, which does
 * three of them its own cheaper way and sends the others here.
 *
 * Same walk, same state objects, same callback order. The changes: a key needing no escaping is used as it is, and
 * each key is escaped once per process. reftools builds each node's path with `encodeURIComponent(jpescape(key))`
 * (RFC 6901 §3 escaping, then the URI fragment encoding of §6), two regular-expression replacements and an encoding
 * per key; for a key made only of characters neither step changes (letters, digits, `-_.!*'()`) the result is the key
 * itself. And a primitive is not looked up in the WeakMap of objects already seen (which cannot hold one), nor is
 * anything while that map is still empty.
 */
/** reftools' own state object, and its callback (any document, as swagger2openapi walks it). */
type State = Record<string, any>;
type Callback = (object: any, key: string, state: State) => void;

/** Characters that neither `~`/`/` escaping nor encodeURIComponent changes. */
const UNCHANGED = /^[A-Za-z0-9\-_.!*'()]*$/;

function defaultState(): State {
  return { path: "#", depth: 0, pkey: "", parent: {}, payload: {}, seen: new SeenMap(), identity: false, identityDetection: false };
}

/**
 * reftools' WeakMap of the objects met (with identity detection on), noting whether anything was ever put in it: two
 * of swagger2openapi's three walks of the whole document never do, and an empty map answers undefined for every
 * object without being asked (a WeakMap lookup per object of the document).
 */
class SeenMap extends WeakMap<object, unknown> {
  filled = false;
  override set(key: object, value: unknown): this {
    this.filled = true;
    return super.set(key, value);
  }
}

/** Each key's escaped form, made once per process: a document repeats the same few hundred keys. */
const escapedKeys = new Map<string, string>();

export function escapeKey(key: string): string {
  let escaped = escapedKeys.get(key);
  if (escaped === undefined) {
    escaped = UNCHANGED.test(key) ? key : encodeURIComponent(key.replace(/~/g, "~0").replace(/\//g, "~1"));
    escapedKeys.set(key, escaped);
  }
  return escaped;
}

/** Written as reftools writes it, so that even an error on an odd document (an own `hasOwnProperty`) reads the same. */
export function recurse(object: any, state: State | null | undefined, callback: Callback): void {
  if (!state) state = { depth: 0 };
  if (!state["depth"]) state = Object.assign({}, defaultState(), state);
  if (typeof object !== "object") return;
  const oPath = state["path"];
  // reftools' WeakMap (every state swagger2openapi passes has it) answers undefined for a primitive without looking.
  const weakSeen = state["seen"] instanceof WeakMap;
  for (const key in object) {
    state["key"] = key;
    state["path"] = state["path"] + "/" + escapeKey(key);
    const value = object[key];
    const seen = state["seen"];
    state["identityPath"] = (weakSeen && (value === null || typeof value !== "object")) || (seen instanceof SeenMap && !seen.filled) ? undefined : seen.get(value);
    state["identity"] = typeof state["identityPath"] !== "undefined";
    if (object.hasOwnProperty(key)) callback(object, key, state);
    if (typeof object[key] === "object" && !state["identity"]) {
      if (state["identityDetection"] && !Array.isArray(object[key]) && object[key] !== null) state["seen"].set(object[key], state["path"]);
      const newState: State = {};
      newState["parent"] = object;
      newState["path"] = state["path"];
      newState["depth"] = state["depth"] ? state["depth"] + 1 : 1;
      newState["pkey"] = key;
      newState["payload"] = state["payload"];
      newState["seen"] = state["seen"];
      newState["identity"] = false;
      newState["identityDetection"] = state["identityDetection"];
      recurse(object[key], newState, callback);
    }
    state["path"] = oPath;
  }
}
