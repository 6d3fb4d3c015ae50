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
  return sizeOfBytes(listingBytes(listed));
}

/** A listing's size from its length in UTF-8 bytes. */
export function sizeOfBytes(bytes: number): ListingSize {
  return { bytes, tokens: Math.ceil(bytes / BYTES_PER_TOKEN) };
}

/**
 * Whether listingSize(listed).tokens is within `budgetTokens`, counted tool by tool and given up once past it: a
 * full listing far over the budget (Kubernetes' is 15 MB) need not be written out to be found too big.
 */
export function listingFits(listed: readonly ListedTool[], budgetTokens: number): boolean {
  const limit = budgetTokens * BYTES_PER_TOKEN;
  return listingBytes(listed, limit) <= limit;
}

/**
 * The length in UTF-8 bytes of `JSON.stringify({ tools: listed })`, or, once past `limit`, some number over it. Counted
 * tool by tool: the JSON is never written out whole (Kubernetes' concise listing, measured in `auto` mode only to be
 * found too big, is 3.3 MB; one string of it cost ~8 ms more CPU than its tools' strings).
 */
function listingBytes(listed: readonly ListedTool[], limit = Infinity): number {
  let bytes = listingEnvelopeBytes(listed.length);
  for (const tool of listed) {
    bytes += Buffer.byteLength(JSON.stringify(tool));
    if (bytes > limit) return bytes;
  }
  return bytes;
}

/** `{"tools":[` and `]}`, and a comma between tools: `JSON.stringify({ tools: listed })` less its tools. */
export function listingEnvelopeBytes(toolCount: number): number {
  return 12 + Math.max(0, toolCount - 1);
}

export interface Report {
  tools: number;
  skipped: Model["skipped"];
  /** Operations tools.include / tools.exclude left out. */
  excluded: number;
  notices: Model["notices"];
  /** bridge.yaml warnings: valid, but probably not what was meant (`generate --strict` fails on them). */
  warnings: readonly ConfigDiagnostic[];
  listing: ListingSize;
  budgetTokens: number;
  /** Which tools/list text was emitted (bridge.yaml `tools.descriptions`, or what `auto` chose). */
  text: "full" | "concise";
  /** Static or discovery (bridge.yaml `tools.mode`, or what `auto` chose), why, and discovery's own tools/list size. */
  mode: { mode: "static" | "discovery"; reason: string; listing?: ListingSize };
}

/**
 * `count.toLocaleString("en-US")` ("1,234,567") for the whole numbers the summary prints, without ICU: a process's
 * first toLocaleString sets up ICU's number formatting, 10–16 ms of CPU in a run that formats a handful of numbers.
 * Anything but a non-negative safe integer is left to toLocaleString.
 */
export function groupedDigits(count: number): string {
  if (!Number.isSafeInteger(count) || count < 0 || Object.is(count, -0)) return count.toLocaleString("en-US");
  const digits = String(count);
  const head = digits.length % 3 || 3;
  let grouped = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  return grouped;
}

/** Notices beyond this many are counted, not listed, unless --verbose. */
const NOTICE_LINES = 15;

/** Whether tools/list is estimated over `tools.listBudgetTokens`. */
export function overBudget(report: Report): boolean {
  // In discovery mode the static listing is not served: its size is no one's cost.
  return report.mode.mode === "static" && report.listing.tokens > report.budgetTokens;
}

/** How many warnings the summary shows: what `generate --strict` refuses. */
export function warningCount(report: Report): number {
  return report.warnings.length + (overBudget(report) ? 1 : 0);
}

export function formatReport(report: Report, specLabel: string, outDir: string, verbose = false): string {
  const lines = [`Generated ${report.tools} tool${report.tools === 1 ? "" : "s"} from ${specLabel} into ${outDir}`];
  lines.push(
    `  ${report.mode.mode === "static" ? "tools/list" : "static tools/list (not served)"}: ${groupedDigits(report.listing.bytes)} bytes, ~${groupedDigits(report.listing.tokens)} tokens ` +
      `(budget ${groupedDigits(report.budgetTokens)}), ${report.text} descriptions`,
  );
  lines.push(modeLine(report));
  if (overBudget(report)) {
    lines.push(
      `  warning: tools/list is over the budget set in bridge.yaml (tools.listBudgetTokens): select fewer operations ` +
        `(tools.include / tools.exclude), set tools.outputSchemas: none or tools.mode: discovery`,
    );
  }
  for (const warning of report.warnings) lines.push(`  ${formatDiagnostic(warning)}`);
  // Every operation of the spec is counted once: a tool, left out by bridge.yaml, or skipped (selected, not callable).
  const { tools, excluded, skipped } = report;
  lines.push(
    `  ${plural(tools + excluded + skipped.length, "operation")} in the spec: ${plural(tools, "tool")}, ` +
      `${excluded} left out by tools.include / tools.exclude, ${skipped.length} skipped${skipped.length ? ":" : ""}`,
  );
  for (const s of report.skipped) lines.push(`    ${s.operation} (${s.pointer}): ${s.reason}`);
  if (report.notices.length > 0) {
    lines.push(`  ${report.notices.length} notice${report.notices.length === 1 ? "" : "s"}:`);
    const shown = verbose ? report.notices : report.notices.slice(0, NOTICE_LINES);
    for (const n of shown) lines.push(`    ${n.pointer}: ${n.message}`);
    if (shown.length < report.notices.length) lines.push(`    … and ${report.notices.length - shown.length} more (--verbose lists them)`);
  }
  return lines.join("\n");
}

/** `mode: discovery (tools.mode: auto, …): 3 tools, 1,234 bytes, ~309 tokens in tools/list` */
function modeLine(report: Report): string {
  const { mode, reason, listing } = report.mode;
  if (mode === "static" || !listing) return `  mode: ${mode} (${reason})`;
  return (
    `  mode: ${mode} (${reason}): 3 tools reach the ${report.tools} operations, ` +
    `${groupedDigits(listing.bytes)} bytes, ~${groupedDigits(listing.tokens)} tokens in tools/list`
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
