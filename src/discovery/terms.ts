/**
 * How operation text and search queries become index terms, shared by the generator (which builds the index) and the
 * Worker (which searches it): both sides must cut and stem words the same way, or queries miss.
 *
 * A term is a word of letters or digits: `workflow_runs`, `workflowRuns` and `/workflow-runs` all give `workflow`
 * and `runs`. Words are lower-cased, common English function words dropped, and the rest reduced to their Porter
 * stem (`issues` → `issu`, `closing` → `close`), so "list the closed issues" meets "Lists issues … state closed".
 * Indexed words also bring the synonyms people ask with (SYNONYMS); queries are only stemmed.
 */
import { stemmer } from "stemmer";

/** Splits on anything that is not a letter or digit, then on lower→upper case changes (camelCase, PascalCase). */
export function tokenize(text: string): string[] {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^\p{L}\p{N}]+/u);
  // Separators are split on as whole runs, so only the first and last pieces can be empty (a text that starts or
  // ends with one): dropped there rather than by a filter calling back for every word (the generator's index
  // tokenizes ~120,000 words).
  if (words[words.length - 1] === "") words.pop();
  if (words[0] === "") words.shift();
  return words;
}

/**
 * Words that carry no meaning for finding an operation. Short on purpose: "get", "list", "all" and "my" stay out of
 * it because users ask "list my repos" and operation summaries say "List repositories for the authenticated user".
 */
const STOP_WORDS = new Set([
  "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "in", "into", "is",
  "it", "its", "of", "on", "or", "so", "that", "the", "their", "them", "these", "this", "those", "to", "was", "we",
  "what", "when", "which", "who", "will", "with", "you", "your",
]);

/** A query term: lower-case, stemmed; `null` drops it. */
export function queryTerm(term: string): string | null {
  const lower = term.toLowerCase();
  if (STOP_WORDS.has(lower)) return null;
  return stemmer(lower);
}

/**
 * Words people use for what API descriptions say otherwise, by the stem found in the description: indexed beside it,
 * so "list my repos" meets "… for the authenticated user" and "open a PR" meets "Create a pull request". General
 * English and common API phrasing only, nothing about one API.
 */
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  authent: ["my", "me"],
  pull: ["pr"],
  issu: ["bug", "ticket"],
  creat: ["new", "add", "make", "open"],
  delet: ["remov"],
  updat: ["edit", "chang", "modifi"],
  search: ["find"],
};

/** An indexed term: its stem, and the synonyms people use for it. */
export function indexTerm(term: string): string | string[] | null {
  const stem = queryTerm(term);
  if (stem === null) return null;
  const synonyms = SYNONYMS[stem];
  return synonyms ? [stem, ...synonyms] : stem;
}

/** What each HTTP method means in the words people use for it (RFC 9110 §9.3), so "remove a label" finds DELETE. */
export const METHOD_WORDS: Readonly<Record<string, string>> = {
  GET: "get list show read fetch view find",
  HEAD: "check exists",
  POST: "create add new make post start send",
  PUT: "set replace put add update",
  PATCH: "update edit change modify rename",
  DELETE: "delete remove",
  OPTIONS: "",
  TRACE: "",
};

/** The indexed fields of an operation document; their boosts at search time are in src/discovery/search.ts. */
export const INDEX_FIELDS = ["name", "title", "text", "tags", "path", "params", "paramText", "verb"] as const;
export type IndexField = (typeof INDEX_FIELDS)[number];

/** Stored with each document and returned with each hit: the one-line summary shown in answers. */
export const STORED_FIELDS = ["summary"] as const;

/** MiniSearch options that must be the same when the index is built and when it is loaded. */
export const INDEX_OPTIONS = {
  idField: "id",
  fields: [...INDEX_FIELDS],
  storeFields: [...STORED_FIELDS],
  tokenize,
  processTerm: indexTerm,
  searchOptions: { processTerm: queryTerm },
};
