/**
 * The generator's first phase: bridge.yaml and the spec read and judged together, every problem one run can find
 * reported at once (DESIGN.md decision 9).
 *
 *   read bridge.yaml (a draft: each valid section)  →  rules on bridge.yaml alone
 *     →  read the spec  →  build the model (selectors, overrides, hidden parameters)  →  rules against the spec
 *     →  any error: one ConfigError with all of them, the spec's validation report after them
 *
 * A rule needing a broken section is skipped and named in a note; only a YAML syntax error, an unreadable file or an
 * unreadable spec stops the checks early (each says so).
 */
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import { ConfigError, type ConfigPath } from "./config/errors.ts";
import { completeConfig, readConfigDraft, type ConfigDraft, type LoadedConfig } from "./config/load.ts";
import { Findings } from "./config/rules/findings.ts";
import { configRules, modelRules, runRules, type Rule } from "./config/rules/index.ts";
import { didYouMean } from "./config/suggest.ts";
import { buildModelInto, type BuildOptions, type BuiltModel } from "./model/build.ts";
import { loadSpec, SpecError, validateSpec, type LoadedSpec } from "./spec/load.ts";
import type { Timings } from "./timings.ts";

export interface Checked {
  loaded: LoadedConfig;
  spec: LoadedSpec;
  /** The spec path relative to the working directory, for messages. */
  specLabel: string;
  built: BuiltModel;
  /** Every diagnostic found (warnings only, since there was no error). */
  findings: Findings;
}

export interface CheckOptions extends BuildOptions {
  configPath: string;
  /** Called once the spec's path is known and bridge.yaml has no error so far (to start work that needs it early). */
  onSpec?: (specLabel: string) => void;
  /** Called once the spec is read, before the model is built. */
  onSpecRead?: (spec: LoadedSpec) => void;
  /** The spec file's bytes, when the caller reads them for other uses too (read once). */
  readSpec?: (specLabel: string) => Promise<Buffer>;
  /** api.ts will be rendered in this thread: the spec's read notes its traits (spec/load.ts' LoadOptions). */
  apiTypesTraits?: boolean;
}

export async function checkInputs(options: CheckOptions, timings: Timings): Promise<Checked> {
  const draft = await timings.time("load bridge.yaml", () => readConfigDraft(options.configPath));
  const findings = new Findings(draft);
  findings.add(draft.problems);
  const rules = configRules(draft, findings);
  const stop = (at: ConfigPath, why: string, also?: SpecError): Promise<never> => fail(draft, findings, rules, { at, why }, also);

  const api = draft.sections.api;
  if (!api || !draft.usable(["api", "spec"])) return stop(["api"], "because api has errors");
  const specPath = resolve(draft.dir, api.spec);
  // Named as the user named bridge.yaml: absolute after an absolute --config, else relative to where they are.
  const specLabel = isAbsolute(options.configPath) ? specPath : relative(process.cwd(), specPath) || specPath;
  if (!existsSync(specPath)) {
    findings.error("BRIDGE_SPEC_MISSING", ["api", "spec"], `api.spec: there is no file ${specLabel}${didYouMean(basename(specPath), siblings(specPath))}`);
    return stop(["api", "spec"], "because api.spec names no file");
  }
  if (!findings.hasErrors) options.onSpec?.(specLabel);

  let spec: LoadedSpec;
  try {
    spec = await timings.time("read spec", () => loadSpec(specLabel, options.readSpec?.(specLabel), { apiTypesTraits: options.apiTypesTraits === true }));
  } catch (error) {
    if (error instanceof SpecError) return stop(["api", "spec"], "because the spec cannot be read", error);
    throw error;
  }
  options.onSpecRead?.(spec);
  const { tools, scopes, upstream } = draft.sections;
  if (!tools || !scopes) return stop([tools ? "scopes" : "tools"], `until ${tools ? "scopes" : "tools"} is fixed`, await specProblem(spec));
  let built: BuiltModel;
  try {
    built = timings.timeSync("build model", () => buildModelInto(spec, { ...draft, config: { api, tools, scopes, upstream } }, findings, options));
  } catch (error) {
    // An invalid spec can break the model in any way: its validation report is the useful error.
    const invalid = await specProblem(spec);
    if (invalid) return stop(["api", "spec"], "because the spec is invalid", invalid);
    throw error;
  }
  await runRules(draft, [...rules, ...modelRules(built, findings)], findings, built.misselected);
  if (findings.hasErrors) throw new ConfigError(findings.diagnostics, await specProblem(spec));
  return { loaded: completeConfig({ ...draft, problems: [] }), spec, specLabel, built, findings };
}

/**
 * Throws everything found so far, after the rules that need no spec; `notChecked` says why the rules against the spec
 * did not run. A problem of the spec itself (`also`) comes last.
 */
async function fail(draft: ConfigDraft, findings: Findings, rules: readonly Rule[], notChecked: { at: ConfigPath; why: string }, also?: SpecError): Promise<never> {
  await runRules(draft, rules, findings);
  findings.notChecked(notChecked.at, `bridge.yaml was not checked against the spec ${notChecked.why}`);
  throw new ConfigError(findings.diagnostics, also);
}

/** The spec's validation report, if it has one (validation consumes the document: only on the way out). */
async function specProblem(spec: LoadedSpec): Promise<SpecError | undefined> {
  try {
    await validateSpec(spec);
    return undefined;
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
}

/** Spec-like files beside the one named, for "did you mean". */
function siblings(path: string): string[] {
  try {
    return readdirSync(dirname(path)).filter((name) => /\.(ya?ml|json)$/i.test(name));
  } catch {
    return [];
  }
}
