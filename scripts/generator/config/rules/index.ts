/**
 * Every bridge.yaml rule beyond the schema, in one list, each with the keys it reads (a section, or `section.key`). A
 * rule runs when those are valid, whatever else is wrong, so one run reports every mistake that can be known; a rule
 * whose input is broken is named once in a note instead of passing silently.
 *
 *   on bridge.yaml alone:   provider × mode × upstream.credentials, claim rules, Worker variable names, CIMD flag
 *   against the spec:       include / exclude / overrides / hidden parameters (model/build.ts), scopes, security
 *                           schemes, base URL, tools anyone may call (warning)
 */
import type { ConfigDraft } from "../load.ts";
import type { BuiltModel } from "../../model/build.ts";
import { checkClaimRules } from "./claims.ts";
import { checkClientIdMetadataDocuments } from "./cimd.ts";
import { checkEnvNames } from "./env-names.ts";
import { listed, type Findings } from "./findings.ts";
import { checkIdentity } from "./identity.ts";
import { checkBaseUrl, warnUnscoped } from "./reach.ts";
import { checkScopesGranted, checkScopesUsed } from "./scopes.ts";
import { checkSecurity } from "./security.ts";

export interface Rule {
  /** What it checks, for the note when it cannot run. */
  what: string;
  /** `identity`, `upstream.credentials`, …: what must be valid for the rule to mean anything. */
  needs: readonly string[];
  /** It counts selected tools: a selector naming what the spec lacks makes it wait too. */
  countsTools?: boolean;
  /** Only the sections named in `needs` are sure to be there, whatever the type says. */
  run(config: Required<ConfigDraft["sections"]>): void | Promise<void>;
}

export function configRules(draft: ConfigDraft, out: Findings): Rule[] {
  return [
    {
      what: "provider × upstream.credentials",
      needs: ["identity", "upstream.credentials", "upstream.audience", "upstream.resource"],
      run: (c) => checkIdentity(c.identity, c.upstream, draft, out),
    },
    { what: "claim rules", needs: ["identity", "upstream.credentials", "scopes"], run: (c) => checkClaimRules(c.identity, c.upstream, c.scopes, out) },
    { what: "Worker variable names", needs: ["api.baseUrlEnv", "api.binding", "identity", "upstream.schemes"], run: (c) => checkEnvNames(c, out) },
    {
      what: "the CIMD compatibility flag",
      needs: ["identity"],
      run: (c) => checkClientIdMetadataDocuments("clientIdMetadataDocuments" in c.identity ? c.identity.clientIdMetadataDocuments : undefined, draft.dir, out),
    },
  ];
}

/** What decides which tools exist and which scopes they require. */
const SELECTION = ["tools.include", "tools.exclude", "tools.scopeRules", "tools.overrides"];

/**
 * Rules that read the model (built from whatever is valid); selectors, overrides and hidden parameters are checked
 * while it is built.
 */
export function modelRules(built: BuiltModel, out: Findings): Rule[] {
  const { tools } = built.core;
  const countsTools = true;
  return [
    { what: "scopes against the spec", needs: ["scopes", "tools.overrides"], run: (c) => checkScopesUsed(c, built, undefined, out) },
    { what: "scopes of left-out operations", needs: ["scopes", ...SELECTION], countsTools, run: (c) => checkScopesUsed(c, built, tools, out) },
    { what: "scopes without claim rules", needs: ["identity", "scopes", ...SELECTION], countsTools, run: (c) => checkScopesGranted(c.identity, c.scopes, tools, out) },
    {
      what: "security schemes",
      needs: ["upstream.schemes", "api.binding", ...SELECTION],
      countsTools,
      run: (c) => checkSecurity(tools, built.core.securitySchemes, c.upstream, out),
    },
    { what: "the base URL", needs: ["api.baseUrl", "api.baseUrlEnv"], run: (c) => checkBaseUrl(c.api, built.core.api.serverUrl, out) },
    { what: "tools anyone may call", needs: SELECTION, countsTools, run: () => warnUnscoped(tools, out) },
  ];
}

/**
 * Runs what can run; one note names what could not, at the first broken key. `misselected`: keys valid in themselves
 * that name what the spec lacks (the selection they make cannot be trusted either).
 */
export async function runRules(draft: ConfigDraft, rules: readonly Rule[], out: Findings, misselected: readonly string[] = []): Promise<void> {
  const unusable = (rule: Rule) => (need: string): boolean => (rule.countsTools === true && misselected.includes(need)) || !draft.usable(need.split("."));
  const skipped: Rule[] = [];
  for (const rule of rules) {
    if (rule.needs.some(unusable(rule))) skipped.push(rule);
    else await rule.run(draft.sections as Required<ConfigDraft["sections"]>);
  }
  if (skipped.length === 0) return;
  // A need whose whole section is unusable is named by the section: that is where the error is.
  const named = (need: string): string => (draft.sections[need.split(".")[0] as keyof ConfigDraft["sections"]] === undefined ? need.split(".")[0]! : need);
  const broken = [...new Set(skipped.flatMap((rule) => rule.needs.filter(unusable(rule)).map(named)))];
  const verb = broken.length === 1 ? "is" : "are";
  out.notChecked(broken[0]!.split("."), `not checked until ${listed(broken, 20)} ${verb} fixed: ${listed(skipped.map((rule) => rule.what), 20)}`);
}
