/**
 * Where the tools go and who may call them: the API needs a base URL, and a tool that requires no scope may be
 * called by anyone who can sign in (valid, and sometimes meant, but worth a warning that `--strict` turns into a
 * failure).
 */
import type { BridgeConfig } from "../schema.ts";
import type { ToolModel } from "../../model/types.ts";
import { listed, type Findings } from "./findings.ts";

export function checkBaseUrl(api: BridgeConfig["api"], serverUrl: string | undefined, out: Findings): void {
  if (api.baseUrl || api.baseUrlEnv || (serverUrl && /^https?:\/\//.test(serverUrl))) return;
  const says = serverUrl ? ` (it says "${serverUrl}")` : "";
  out.error("BRIDGE_BASE_URL_MISSING", ["api"], `api.baseUrl is required: the spec has no absolute server URL${says}`, "key");
}

export function warnUnscoped(tools: readonly ToolModel[], out: Findings): void {
  // A tool whose security cannot be met is already an error, not a tool anyone may call.
  const open = tools.filter((tool) => tool.scopes.length === 0 && !tool.security.unmet).map((tool) => tool.name);
  if (open.length === 0) return;
  const them = open.length === 1 ? "it" : "them";
  out.warning(
    "BRIDGE_TOOLS_UNSCOPED",
    ["tools"],
    `${open.length} tool${open.length === 1 ? " requires" : "s require"} no scope, so anyone who can sign in may call ${them}: ${listed(open, 10)} ` +
      `(require scopes with tools.scopeRules or tools.overrides.<operationId>.scopes, or leave ${them} out with tools.exclude)`,
    "key",
  );
}
