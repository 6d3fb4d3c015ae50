/**
 * `npm start -- --provider pingone|access`: the repo's bridge.yaml switched to another provider the way a user would
 * (only `identity`, `upstream` and, for Access, claim rules change), generated into `.cache/start/<provider>/` with an
 * entry like src/index.ts and a wrangler.jsonc (with the KV namespace the authorization-server modes keep their grants
 * in, `OAUTH_KV`, simulated locally by `wrangler dev`).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Document } from "yaml";
import type { Provider } from "./args.ts";
import { writeBridgeProject } from "./bridge-project.ts";
import type { StackUrls } from "./stack.ts";

/** The env names bridge.yaml's `identity.client` names in PingOne mode (given to `wrangler dev` in `.dev.vars`). */
export const PINGONE_CLIENT_ENV = { id: "PINGONE_CLIENT_ID", secret: "PINGONE_CLIENT_SECRET" } as const;

/** The AUD tags of the two local Access applications (the bridge, and the Todo API it is linked to). */
export const ACCESS_AUD = {
  bridge: "6c0e2b6f1d2a4b8e9f7a3c5d1e0b2a4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a2b",
  api: "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
} as const;

interface ModeBridge {
  /** Edits the parsed bridge.yaml in place. */
  edit(document: Document, urls: StackUrls): void;
  /** Whether the bridge is an OAuth authorization server here (and so needs KV `OAUTH_KV`). */
  oauthKv: boolean;
}

const MODES: Record<Exclude<Provider, "pingfederate">, ModeBridge> = {
  pingone: {
    oauthKv: true,
    edit(document, urls) {
      document.set(
        "identity",
        document.createNode({
          provider: "pingone",
          issuer: urls.issuer,
          resource: urls.mcp,
          client: { idEnv: PINGONE_CLIENT_ENV.id, secretEnv: PINGONE_CLIENT_ENV.secret },
        }),
      );
      document.set("upstream", document.createNode({ credentials: "upstream-token", resource: urls.api }));
    },
  },
  access: {
    oauthKv: false,
    edit(document, urls) {
      document.set(
        "identity",
        document.createNode({ provider: "access", mode: "self-hosted", teamDomain: urls.issuer, aud: ACCESS_AUD.bridge, resource: urls.mcp }),
      );
      document.set("upstream", document.createNode({ credentials: "access-linked-app" }));
      // Access carries no API scopes: claim rules grant them (the demo accounts' emails).
      document.setIn(["scopes", "todo_api:read", "grantTo"], document.createNode({ emailDomains: ["example.com"] }));
      document.setIn(["scopes", "todo_api:write", "grantTo"], document.createNode({ users: ["demo@example.com"] }));
    },
  },
};

/** Everything `npm start` writes, relative to the project root (git-ignored): delete it to start afresh. */
export const START_DIR = join(".cache", "start");

/** `.cache/start/<provider>/`: the bridge project of a mode (PingOne, Access) and the bridge's `.dev.vars`. */
export function modeDir(root: string, provider: Provider): string {
  return join(root, START_DIR, provider);
}

/** Writes bridge.yaml, generated/, entry.ts and wrangler.jsonc into `.cache/start/<provider>/`; returns the wrangler.jsonc path. */
export async function writeModeBridge(root: string, provider: Exclude<Provider, "pingfederate">, urls: StackUrls): Promise<string> {
  const mode = MODES[provider];
  const dir = modeDir(root, provider);
  await writeBridgeProject({ root, dir, writtenBy: `Written by \`npm start -- --provider ${provider}\``, edit: (document) => mode.edit(document, urls) });
  const wranglerPath = join(dir, "wrangler.jsonc");
  await writeFile(
    wranglerPath,
    `// Written by \`npm start -- --provider ${provider}\` (regenerated on every run): the bridge in ${provider} mode.\n` +
      JSON.stringify(
        {
          name: `mcp-identity-bridge-${provider}-local`,
          main: "entry.ts",
          compatibility_date: "2026-11-01",
          compatibility_flags: ["nodejs_compat"],
          send_metrics: false,
          // wrangler dev simulates the namespace locally: the id only has to be there.
          ...(mode.oauthKv ? { kv_namespaces: [{ binding: "OAUTH_KV", id: "oauth-kv-local" }] } : {}),
        },
        null,
        2,
      ) +
      "\n",
  );
  return wranglerPath;
}
