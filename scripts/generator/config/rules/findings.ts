/**
 * What the rules report into: diagnostics pinned to bridge.yaml, each with the rule's stable code. Rules never throw;
 * the generator collects everything one run can know and fails once, with all of it.
 */
import { configDiagnostic, isError, type ConfigDiagnostic, type ConfigPath, type Locatable } from "../errors.ts";

export type Part = "value" | "key";

export class Findings {
  readonly diagnostics: ConfigDiagnostic[] = [];
  private readonly file: Locatable;

  constructor(file: Locatable) {
    this.file = file;
  }

  /** A mistake: generation fails. `part: "key"` points at the key rather than its value. */
  error(code: string, at: ConfigPath, message: string, part: Part = "value"): void {
    this.diagnostics.push(configDiagnostic(this.file, at, message, part, { code }));
  }

  /** Valid, but probably not what was meant: generation goes on, `generate --strict` fails. */
  warning(code: string, at: ConfigPath, message: string, part: Part = "value"): void {
    this.diagnostics.push(configDiagnostic(this.file, at, message, part, { code, severity: "warning" }));
  }

  /** Checks that could not run, and why: said once, so that silence never reads as a pass. */
  notChecked(at: ConfigPath, message: string): void {
    this.diagnostics.push(configDiagnostic(this.file, at, message, "key", { code: "BRIDGE_NOT_CHECKED", severity: "note" }));
  }

  add(diagnostics: readonly ConfigDiagnostic[]): void {
    this.diagnostics.push(...diagnostics);
  }

  get hasErrors(): boolean {
    return this.diagnostics.some(isError);
  }

  get warnings(): ConfigDiagnostic[] {
    return this.diagnostics.filter((d) => d.severity === "warning");
  }
}

/** `a`, `a and b`, `a, b and c`; past `max` items, `a, b, … and 7 more`. */
export function listed(items: readonly string[], max = 8): string {
  const shown = items.length > max ? [...items.slice(0, max - 1), `${items.length - max + 1} more`] : [...items];
  return shown.length > 1 ? `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}` : (shown[0] ?? "");
}

/** `scopes["todo_api:read"]`, `tools.overrides.createTodo`: how messages name a place in bridge.yaml. */
export { dottedPath } from "../load.ts";
