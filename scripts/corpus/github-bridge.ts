/**
 * The repo's bridge.yaml turned into a bridge for GitHub's REST API in discovery mode, for the search benchmark and
 * the end-to-end test: GitHub's spec declares no OAuth scopes, so two scope rules give reads one scope and writes
 * another (bridge.yaml `tools.scopeRules`), the way a deployment in front of a real authorization server would.
 */
import type { Document } from "yaml";

export interface GithubBridgeOptions {
  specPath: string;
  /** Where the bridge sends API calls (GitHub's own URL is never called from here). */
  baseUrl: string;
  /** The scope that unlocks reads (GET, HEAD) and the one that unlocks writes. */
  scopes: { read: string; write: string };
}

export function toGithubDiscoveryBridge(document: Document, options: GithubBridgeOptions): void {
  const { read, write } = options.scopes;
  document.setIn(["api", "name"], "github");
  document.setIn(["api", "spec"], options.specPath);
  document.setIn(["api", "baseUrl"], options.baseUrl);
  document.deleteIn(["api", "baseUrlEnv"]);
  document.setIn(["scopes"], document.createNode({ [read]: { description: "Read GitHub data" }, [write]: { description: "Change GitHub data" } }));
  document.setIn(
    ["tools"],
    document.createNode({
      mode: "discovery",
      visibility: "hide",
      scopeRules: [
        { match: { methods: ["get", "head"] }, scopes: [read] },
        { match: { methods: ["post", "put", "patch", "delete"] }, scopes: [write] },
      ],
    }),
  );
}
