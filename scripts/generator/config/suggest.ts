/**
 * "Did you mean …?" for names a user typed: keys of bridge.yaml, enum values, and (in the generator) operationIds,
 * tags and scopes that are not in the spec.
 */

/**
 * Optimal string alignment distance: Levenshtein plus the transposition of two adjacent characters, so the most
 * common typo ("isseur" for "issuer") costs 1, not 2.
 */
export function editDistance(a: string, b: string): number {
  // Three rolling rows (two back, one back, current) are enough for the transposition rule.
  let twoBack: number[] = [];
  let oneBack: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (oneBack[j] ?? Infinity) + 1,
        (current[j - 1] ?? Infinity) + 1,
        (oneBack[j - 1] ?? Infinity) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (twoBack[j - 2] ?? Infinity) + 1);
      }
      current.push(best);
    }
    twoBack = oneBack;
    oneBack = current;
  }
  return oneBack[b.length] ?? Math.max(a.length, b.length);
}

/**
 * How far `candidate` is from `word` for suggestion purposes (case-insensitive). A word of 3+ characters that the
 * candidate starts with counts as a near miss (1): abbreviations such as "pingfed" for "pingfederate" are far by
 * edit distance yet obviously meant.
 */
function suggestionDistance(word: string, candidate: string): number {
  const w = word.toLowerCase();
  const c = candidate.toLowerCase();
  const distance = editDistance(w, c);
  return w.length >= 3 && c.startsWith(w) ? Math.min(distance, 1) : distance;
}

/** Whether a distance is small enough that the suggestion is more likely helpful than confusing. */
function closeEnough(distance: number, word: string, candidate: string): boolean {
  const limit = Math.max(2, Math.floor(Math.max(word.length, candidate.length) / 3));
  // Replacing every character of a short word is a different word, not a typo ("ab" is not "api").
  return distance <= limit && distance < Math.max(word.length, 1);
}

/**
 * The candidate closest to `word`, or undefined when none is reasonably close. Ties go to the earlier candidate, so
 * callers control the preference by their order.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length === 0) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = suggestionDistance(word, candidate);
    if (distance < bestDistance && closeEnough(distance, word, candidate)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean "x"?)`, or "" when nothing is close: for appending to a message. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const suggestion = closest(word, candidates);
  return suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`;
}

/** How many choices a "not found" message lists before it counts the rest. */
const LISTED_CHOICES = 10;

/**
 * For "not found" messages: ` (did you mean "x"?)` when a candidate is close, else the valid choices (the first ten
 * and how many more), so a message never leaves the user guessing what exists.
 */
export function didYouMeanOrChoices(word: string, candidates: readonly string[]): string {
  const near = didYouMean(word, candidates);
  if (near !== "") return near;
  if (candidates.length === 0) return " (there are none)";
  const listed = candidates.slice(0, LISTED_CHOICES).join(", ");
  const more = candidates.length - LISTED_CHOICES;
  return ` (valid: ${listed}${more > 0 ? ` … and ${more} more` : ""})`;
}
