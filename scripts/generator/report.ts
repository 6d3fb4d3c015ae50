/** The generator's summary: what was generated, what was skipped and why, and what tools/list will cost a model. */
import { formatDiagnostic, type ConfigDiagnostic } from "./config/errors.ts";
import type { Model } from "./model/types.ts";
import type { ListedTool } from "./emit/tools.ts";

/** JSON tool schemas average about four bytes per token with current tokenizers: an estimate, not a count. */
const BYTES_PER_TOKEN = 4;

export interface ListingSize {
  bytes: number;
  tokens: number;
}

/** The size of the tools/list result a caller allowed every tool would receive. */
export function listingSize(listed: readonly ListedTool[]): ListingSize {
  const bytes = new TextEncoder().encode(JSON.stringify({ tools: listed })).byteLength;
  return { bytes, tokens: Math.ceil(bytes / BYTES_PER_TOKEN) };
}

export interface Report {
  tools: number;
  skipped: Model["skipped"];
  notices: Model["notices"];
  /** bridge.yaml warnings: valid, but probably not what was meant (`generate --strict` fails on them). */
  warnings: readonly ConfigDiagnostic[];
  listing: ListingSize;
  budgetTokens: number;
  /** Which tools/list text was emitted (bridge.yaml `tools.descriptions`, or what `auto` chose). */
  text: "full" | "concise";
}

/** Notices beyond this many are counted, not listed, unless --verbose. */
const NOTICE_LINES = 15;

/** Whether tools/list is estimated over `tools.listBudgetTokens`. */
export function overBudget(report: Report): boolean {
  return report.listing.tokens > report.budgetTokens;
}

/** How many warnings the summary shows: what `generate --strict` refuses. */
export function warningCount(report: Report): number {
  return report.warnings.length + (overBudget(report) ? 1 : 0);
}

export function formatReport(report: Report, specLabel: string, outDir: string, verbose = false): string {
  const lines = [`Generated ${report.tools} tool${report.tools === 1 ? "" : "s"} from ${specLabel} into ${outDir}`];
  lines.push(
    `  tools/list: ${report.listing.bytes.toLocaleString("en-US")} bytes, ~${report.listing.tokens.toLocaleString("en-US")} tokens ` +
      `(budget ${report.budgetTokens.toLocaleString("en-US")}), ${report.text} descriptions`,
  );
  if (overBudget(report)) {
    lines.push(
      `  warning: tools/list is over the budget set in bridge.yaml (tools.listBudgetTokens): select fewer operations ` +
        `(tools.include / tools.exclude) or set tools.outputSchemas: none`,
    );
  }
  for (const warning of report.warnings) lines.push(`  ${formatDiagnostic(warning)}`);
  lines.push(`  skipped ${report.skipped.length} operation${report.skipped.length === 1 ? "" : "s"}${report.skipped.length ? ":" : ""}`);
  for (const s of report.skipped) lines.push(`    ${s.operation} (${s.pointer}): ${s.reason}`);
  if (report.notices.length > 0) {
    lines.push(`  ${report.notices.length} notice${report.notices.length === 1 ? "" : "s"}:`);
    const shown = verbose ? report.notices : report.notices.slice(0, NOTICE_LINES);
    for (const n of shown) lines.push(`    ${n.pointer}: ${n.message}`);
    if (shown.length < report.notices.length) lines.push(`    … and ${report.notices.length - shown.length} more (--verbose lists them)`);
  }
  return lines.join("\n");
}
