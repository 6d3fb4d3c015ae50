/**
 * json-schema-ref-parser's util/url.js (15.3), with its `resolve` answering the common case without parsing URLs: the
 * package's modules import this one in its place (package-substitutes.mjs), and everything else is the library's own.
 *
 * Why: the library's `resolve(from, to)` builds two `URL`s per call, and its dereference calls it at least once per
 * `$ref` it follows (`$Refs._resolve`, and our dereference.ts for a ref first met): on Kubernetes 1.13, 1,569 calls
 * and ~13 ms of CPU on one core, while almost every `to` is a pointer into the same file, `#/definitions/…` or
 * `<the file's path>#/definitions/…`.
 *
 * `to` is read as `target#fragment`. The URL parser (WHATWG URL, basic URL parser) treats a `#` as it treats the end
 * of the input in every state before the fragment, so `to` resolves to what `target` resolves to, with that fragment;
 * and the fragment of `from` never reaches the result, so `from` counts only up to its first `#`. What this file adds
 * to that is only the library's own handling of a fragment, for a fragment that the parser keeps as written and
 * `decodeURIComponent` leaves alone: the library's result for (`from` up to its `#`, `target`), memoised, followed by
 * `#fragment`. Anything else goes to the library: a fragment that is empty or holds a character outside PLAIN_FRAGMENT,
 * and a `target` or a `from` (up to its `#`) ending in whitespace or a control character, which the parser trims only
 * at the end of its input and the library carries over from the end of `to`. So is any pair whose `target` part the
 * library cannot resolve (a `from` with an opaque path accepts `#…` but not the empty reference). The results are held
 * to the library's on many awkward inputs by test/unit/spec/ref-parser-url.test.ts.
 */
import { resolve as libraryResolve } from "@apidevtools/json-schema-ref-parser/dist/lib/util/url.js";

export * from "@apidevtools/json-schema-ref-parser/dist/lib/util/url.js";

/**
 * A non-empty fragment, to the end of `to`, of characters the URL parser keeps as written in a fragment and that
 * `decodeURIComponent` does not change: printable ASCII but for `"`, `<`, `>` and the backquote (the fragment
 * percent-encode set), `%` (decoded), `#` (the library keeps a fragment only up to a second one when `from` is an
 * absolute URL) and `\` (which the library turns into `/` before parsing). Sticky: tested from the `#` onwards.
 */
const PLAIN_FRAGMENT = /[!$&-;=?-[\]-_a-~]+$/y;

/** Ends in a character the URL parser trims from the end of its input (C0 control, space) or the library's `\s`. */
const TRIMMED_END = /[\x00-\x20\s]$/;

/** The library's result for each `from` (up to its `#`) and `target` met: a few of each in a run. */
const resolvedTargets = new Map<string, Map<string, string>>();
const MEMO_LIMIT = 1000;

export function resolve(from: string, to: string): string {
  const hash = to.indexOf("#");
  if (hash < 0) return libraryResolve(from, to);
  PLAIN_FRAGMENT.lastIndex = hash + 1;
  if (!PLAIN_FRAGMENT.test(to)) return libraryResolve(from, to);
  const target = to.slice(0, hash);
  const fromHash = from.indexOf("#");
  const base = fromHash < 0 ? from : from.slice(0, fromHash);
  if (TRIMMED_END.test(target) || TRIMMED_END.test(base)) return libraryResolve(from, to);
  let targets = resolvedTargets.get(base);
  if (targets === undefined) {
    if (resolvedTargets.size >= MEMO_LIMIT) resolvedTargets.clear();
    resolvedTargets.set(base, (targets = new Map()));
  }
  let resolved = targets.get(target);
  if (resolved === undefined) {
    try {
      resolved = libraryResolve(base, target);
    } catch {
      // The target alone does not resolve (see above): the library decides for the whole reference.
      return libraryResolve(from, to);
    }
    if (targets.size >= MEMO_LIMIT) targets.clear();
    targets.set(target, resolved);
  }
  return resolved + to.slice(hash);
}
