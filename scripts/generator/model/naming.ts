/**
 * Tool names: snake_case from the operationId (or method + path), at most 64 characters (the MCP limit and what
 * model APIs accept), unique within the bridge, and stable: a name depends only on its own operation, so adding an
 * operation elsewhere in the spec never renames an existing tool.
 */
import { createHash } from "node:crypto";

export const MAX_TOOL_NAME = 64;

/**
 * `listTodos` → `list_todos`, `getHTTPResponse` → `get_http_response`, `repos/get-content` → `repos_get_content`.
 * Capitals are split from the word before them only when there are any (GitHub's operationIds have none); each run of
 * other characters becomes one `_`, so no run of `_` is left to collapse, and the ends are trimmed without a regular
 * expression. Five replaces per name were ~1 MB of each run's model (GitHub, Kubernetes).
 */
export function snakeCase(text: string): string {
  let snake = CAPITAL.test(text) ? text.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2") : text;
  // A `_` is itself a run of other characters: the replace copied every name that has one, unchanged, unless a test
  // finds a run it would change (Kubernetes: ~0.9 MB a run).
  if (RUN_TO_REPLACE.test(snake)) snake = snake.replace(/[^A-Za-z0-9]+/g, "_");
  let start = 0;
  let end = snake.length;
  while (start < end && snake.charCodeAt(start) === UNDERSCORE) start++;
  while (end > start && snake.charCodeAt(end - 1) === UNDERSCORE) end--;
  return (start > 0 || end < snake.length ? snake.slice(start, end) : snake).toLowerCase();
}

const CAPITAL = /[A-Z]/;
/** A run of characters other than letters and digits that is not one `_` already. */
const RUN_TO_REPLACE = /[^A-Za-z0-9_]|__/;
const UNDERSCORE = 0x5f;

/** `GET /repos/{owner}/{repo}` → `get_repos_by_owner_by_repo` when an operation has no operationId. */
export function nameFromBinding(method: string, path: string): string {
  const segments = path.split("/").filter(Boolean).map((s) => (/^\{.+\}$/.test(s) ? `by_${s.slice(1, -1)}` : s));
  return snakeCase([method.toLowerCase(), ...segments].join("_"));
}

/** A short, stable suffix derived from the operation, used to shorten or disambiguate names. */
export function stableSuffix(identity: string): string {
  return createHash("sha256").update(identity).digest("hex").slice(0, 6);
}

export interface NameRequest {
  /** What the name is derived from (operationId or method + path). */
  base: string;
  /** Unique identity of the operation (`METHOD path`), for the suffix. */
  identity: string;
  /** A name set in bridge.yaml: used verbatim. */
  override?: string;
}

export interface NameDecision {
  name: string;
  /** Why the name differs from the plain snake_case form, for the generator's report. */
  note?: string;
}

/**
 * Names every operation. Truncation keeps the first 57 characters and appends `_` + 6 hex characters of the
 * operation's hash; a collision keeps the plain name for the operation that comes first in the spec and suffixes
 * the others the same way.
 */
export function assignNames(requests: readonly NameRequest[]): NameDecision[] {
  const taken = new Set(requests.flatMap((r) => (r.override ? [r.override] : [])));
  return requests.map((request) => {
    if (request.override) return { name: request.override };
    const plain = snakeCase(request.base) || "operation";
    if (plain.length > MAX_TOOL_NAME) {
      const suffixed = suffixedName(plain, request.identity);
      taken.add(suffixed);
      return { name: suffixed, note: `name shortened to ${MAX_TOOL_NAME} characters (was ${plain.length})` };
    }
    if (taken.has(plain)) {
      const suffixed = suffixedName(plain, request.identity);
      taken.add(suffixed);
      return { name: suffixed, note: `name "${plain}" already taken: suffixed` };
    }
    taken.add(plain);
    return { name: plain };
  });
}

/**
 * The plain name cut to leave room for `_` and the operation's suffix. Made only for a name that needs it: hashing
 * every operation's identity (a SHA-256 each, Kubernetes' 1,014 operations) to use a handful was most of the naming.
 */
function suffixedName(plain: string, identity: string): string {
  return `${plain.slice(0, MAX_TOOL_NAME - 7).replace(/_+$/, "")}_${stableSuffix(identity)}`;
}
