/**
 * The round trip's results per spec: the exact/total table the suite prints, the known-miss bookkeeping (a miss not
 * on the list fails, and so does a listed miss that now passes), and the list's lines for the misses found.
 */
import type { Problem } from "./decode-request.ts";
import type { KnownMiss } from "./known-misses.ts";
import type { CaseResult } from "./run-case.ts";

export interface OperationResult {
  /** operationId, else `METHOD /path` (what bridge.yaml and the known-miss list call it). */
  label: string;
  /** Per argument set, in ARGUMENT_SETS order; undefined when the generator skipped the operation. */
  cases: CaseResult[] | undefined;
}

export interface Row {
  spec: string;
  operations: number;
  /** Operations round-tripped (all, or a deterministic sample of a huge spec). */
  checked: number;
  skipped: number;
  total: number;
  exact: number;
  drops: number;
  refused: number;
  unsampled: number;
}

export function rowOf(spec: string, operations: number, results: readonly OperationResult[]): Row {
  const cases = results.flatMap((r) => r.cases ?? []);
  const misses = cases.filter((c): c is Extract<CaseResult, { kind: "miss" }> => c.kind === "miss");
  return {
    spec,
    operations,
    checked: results.length,
    skipped: results.filter((r) => r.cases === undefined).length,
    total: cases.filter((c) => c.kind !== "unsampled").length,
    exact: cases.filter((c) => c.kind === "exact").length,
    drops: misses.filter((c) => c.problems.some((p) => p.code === "dropped")).length,
    refused: misses.filter((c) => c.problems.some((p) => p.code === "refused" || p.code === "unsendable")).length,
    unsampled: cases.filter((c) => c.kind === "unsampled").length,
  };
}

export function table(rows: readonly Row[]): string {
  const header = ["spec", "ops", "checked", "exact/total", "%", "drops", "refused", "unsampled", "≥99%"];
  const lines = rows.map((r) => {
    const percent = r.total === 0 ? 100 : (100 * r.exact) / r.total;
    return [r.spec, r.operations, r.checked, `${r.exact}/${r.total}`, percent.toFixed(1), r.drops, r.refused, r.unsampled, percent >= 99 ? "yes" : "no"].map(String);
  });
  const all = rows.reduce((sum, r) => ({ exact: sum.exact + r.exact, total: sum.total + r.total }), { exact: 0, total: 0 });
  lines.push(["all", "", "", `${all.exact}/${all.total}`, ((100 * all.exact) / Math.max(1, all.total)).toFixed(1), "", "", "", ""]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [format(header), `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...lines.map(format)].join("\n");
}

export interface Bookkeeping {
  /** Misses not on the list (or with a kind of problem the list does not name), with what went wrong. */
  unlisted: string[];
  /** Listed misses that no longer happen. */
  stale: string[];
  /** List lines for every miss found, and why cases could not be sampled (ROUNDTRIP_PRINT_MISSES=1). */
  lines: string[];
}

export function bookkeeping(spec: string, results: readonly OperationResult[], listed: readonly KnownMiss[]): Bookkeeping {
  const out: Bookkeeping = { unlisted: [], stale: [], lines: [] };
  const mine = listed.filter(([corpus]) => corpus === spec);
  for (const [, operation] of mine) {
    if (!results.some((r) => r.label === operation)) out.stale.push(`${spec} ${operation}: listed but not round-tripped (no such operation, or not in the sample): remove it`);
  }
  for (const result of results) {
    // A case that could not be sampled is listed too (code `unsampled`): the list says what goes unchecked.
    const misses = (result.cases ?? []).flatMap((c, set) => {
      if (c.kind === "miss") return [{ set, problems: c.problems, args: c.args }];
      if (c.kind === "unsampled") return [{ set, problems: [{ code: "unsampled" as const, detail: c.reason }], args: {} }];
      return [];
    });
    const entry = mine.find(([, operation]) => operation === result.label);
    const codes = [...new Set(misses.flatMap((m) => m.problems.map((p) => p.code)))].sort();
    if (misses.length === 0) {
      if (entry) out.stale.push(`${spec} ${result.label}: no longer a miss: remove it from known-misses.ts`);
      continue;
    }
    out.lines.push(`  [${JSON.stringify(spec)}, ${JSON.stringify(result.label)}, ${JSON.stringify(codes.join(","))}, ${JSON.stringify(reasonOf(misses[0]!.problems))}],`);
    const allowed = new Set(entry ? entry[2].split(",") : []);
    const fresh = misses.find((m) => m.problems.some((p) => !allowed.has(p.code)));
    if (fresh) {
      const problems = fresh.problems.filter((p) => !allowed.has(p.code)).map((p) => `${p.code}: ${p.detail}`);
      out.unlisted.push(`${spec} ${result.label} [${["required", "half", "all"][fresh.set]}] ${problems.join(" | ")}\n    args ${JSON.stringify(fresh.args).slice(0, 300)}`);
    }
  }
  return out;
}

/** The first problem, with the issue-10 class it belongs to where one is recognisable. */
export function reasonOf(problems: readonly Problem[]): string {
  const first = problems.find((p) => p.code !== "dropped" && p.code !== "invented" && p.code !== "schema") ?? problems[0]!;
  const text = `${first.code}: ${first.detail}`;
  const label = CLASSES.find(([pattern]) => pattern.test(text))?.[1];
  const short = text.length > 150 ? `${text.slice(0, 147)}...` : text;
  return label ? `${label}: ${short}` : short;
}

/** Issue 10's classes, recognised from a problem's text. */
const CLASSES: readonly [RegExp, string][] = [
  [/GET\/HEAD method cannot have body/, "class 4 (GET/HEAD body)"],
  [/^server:/, "class 9 (operation servers)"],
  [/opaque|application\/octet-stream/, "class 3 (structured body under a wildcard)"],
  [/is sent as JSON text/, "class 1/2 (JSON text where a style or brackets are due)"],
  [/deepObject|\[…\]|brackets|unindexed/, "class 1/2 (deepObject and nested form values)"],
  [/is not JSON text|JSON content/, "class 1 (Encoding Object)"],
  [/required and none was given/, "class 6 (required body, nothing required in it)"],
  [/refuses arguments its listed schema allows|listed input schema/, "class 8 (listed schema vs validator)"],
  [/is a list but is sent as one value of JSON text/, "class 7 (list items sent as JSON text)"],
  [/^schema: body .*must have required property/, "class 5 (an optional body's required properties)"],
  [/^unsampled:/, "not checked (no arguments satisfy the listed schema)"],
];
