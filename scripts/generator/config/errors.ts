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
}

/** What `configDiagnostic` needs from a loaded config: its file label and a way to find a path's position. */
export interface Locatable {
  path: string;
  locate(at: ConfigPath): Position;
  locateKey(at: ConfigPath): Position;
}

/** `FILE:LINE:COL: message`, the format compilers use and terminals turn into links. */
export function formatDiagnostic(d: ConfigDiagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.message}`;
}

/** By file, line, then column; a stable sort, so problems at the same place keep the order they were found in. */
export function sortDiagnostics(diagnostics: readonly ConfigDiagnostic[]): ConfigDiagnostic[] {
  return [...diagnostics].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.col - b.col,
  );
}

export class ConfigError extends Error {
  override name = "ConfigError";
  readonly diagnostics: readonly ConfigDiagnostic[];

  constructor(diagnostics: readonly ConfigDiagnostic[]) {
    const sorted = sortDiagnostics(diagnostics);
    super(sorted.map(formatDiagnostic).join("\n"));
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
): ConfigDiagnostic {
  const position = part === "key" ? loaded.locateKey(at) : loaded.locate(at);
  return { file: loaded.path, line: position.line, col: position.col, message };
}
