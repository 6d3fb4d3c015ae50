/**
 * Problems found in bridge.yaml, each pinned to a line and column so editors and terminals can jump to it. Every
 * problem is collected before throwing: fixing a config one error per run is tedious.
 */

/** A path into bridge.yaml: mapping keys and sequence indexes, e.g. ["identity", "issuer"] or ["x", "methods", 0]. */
export type ConfigPath = readonly (string | number)[];

/** 1-based, as editors and `FILE:LINE:COL` links count. */
export interface Position {
  line: number;
  col: number;
}

export interface ConfigDiagnostic extends Position {
  /** The file as the caller named it (e.g. `bridge.yaml`), so the message matches what the user typed. */
  file: string;
  message: string;
  /**
   * Absent: an error (generation fails). `warning`: generation goes on, `generate --strict` fails. `note`: a check that
   * could not run because of the errors reported with it (said once, so silence never looks like a pass).
   */
  severity?: "warning" | "note";
  /** Stable name of the rule that found it (e.g. `BRIDGE_SCOPE_UNKNOWN`), listed in docs/configuration.md. */
  code?: string;
}

/** What `configDiagnostic` needs from a loaded config: its file label and a way to find a path's position. */
export interface Locatable {
  path: string;
  locate(at: ConfigPath): Position;
  locateKey(at: ConfigPath): Position;
}

/** `FILE:LINE:COL: message` (`FILE:LINE:COL: warning: message` for the others), as compilers print and terminals link. */
export function formatDiagnostic(d: ConfigDiagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity ? `${d.severity}: ` : ""}${d.message}`;
}

/**
 * By file, line, then column, notes last (they speak of what the problems above prevented); a stable sort, so
 * problems at the same place keep the order they were found in.
 */
export function sortDiagnostics(diagnostics: readonly ConfigDiagnostic[]): ConfigDiagnostic[] {
  const isNote = (d: ConfigDiagnostic): number => (d.severity === "note" ? 1 : 0);
  return [...diagnostics].sort(
    (a, b) => isNote(a) - isNote(b) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.col - b.col,
  );
}

export function isError(diagnostic: ConfigDiagnostic): boolean {
  return diagnostic.severity === undefined;
}

export class ConfigError extends Error {
  override name = "ConfigError";
  readonly diagnostics: readonly ConfigDiagnostic[];

  /**
   * `also`: a problem found in the same run outside bridge.yaml (the spec's validation report), printed after the
   * diagnostics so one run shows everything.
   */
  constructor(diagnostics: readonly ConfigDiagnostic[], also?: Error) {
    const sorted = sortDiagnostics(diagnostics);
    super([...sorted.map(formatDiagnostic), ...(also ? [also.message] : [])].join("\n"));
    this.diagnostics = sorted;
  }
}

/**
 * A diagnostic at a place in a loaded bridge.yaml, for checks made after loading (e.g. an operationId in
 * `tools.overrides` that the spec lacks). `part: "key"` points at the key itself rather than its value.
 */
export function configDiagnostic(
  loaded: Locatable,
  at: ConfigPath,
  message: string,
  part: "value" | "key" = "value",
  meta: Pick<ConfigDiagnostic, "code" | "severity"> = {},
): ConfigDiagnostic {
  const position = part === "key" ? loaded.locateKey(at) : loaded.locate(at);
  return { file: loaded.path, line: position.line, col: position.col, message, ...meta };
}
