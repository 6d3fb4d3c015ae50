/** Command line of `npm start`: `--provider pingfederate` (the default), `pingone` or `access`. */

export const PROVIDERS = ["pingfederate", "pingone", "access"] as const;
export type Provider = (typeof PROVIDERS)[number];

export type Parsed = { kind: "run"; provider: Provider } | { kind: "help" } | { kind: "exit"; code: number; message: string };

export const USAGE = `usage: npm start [-- --provider pingfederate|pingone|access]

Runs the whole product locally: the identity provider on 127.0.0.1:9031, the sample Todo API on 127.0.0.1:8787 and the
bridge on http://127.0.0.1:8788/mcp. Ctrl-C stops everything (exit 0).

First it brings generated/ up to date with bridge.yaml and the spec (as \`npm run generate\` does), or stops with
bridge.yaml's errors. Everything it keeps is in .cache/start/ (delete it to start afresh): the Workers' storage (your
todos, OAuth grants) in state/, the bridge's secrets in <provider>/.dev.vars, the PingOne and Access bridges.

  --provider pingfederate   the local identity provider standing in for PingFederate (the default)
  --provider pingone        the bridge in PingOne mode (generated into .cache/start/pingone/ from bridge.yaml), with the
                            local identity provider standing in for PingOne
  --provider access         the bridge behind Cloudflare Access (self-hosted, generated into .cache/start/access/), with
                            a local Access stand-in: the team on 127.0.0.1:9031 and Access edges in front of the API
                            and the bridge
  START_TIMEOUT_MS          how long each part may take to answer (default 60000)`;

export function parseArgs(argv: readonly string[]): Parsed {
  let provider = "pingfederate";
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === "--help" || arg === "-h") return { kind: "help" };
    if (arg === "--provider" || arg.startsWith("--provider=")) {
      const value = arg === "--provider" ? argv[++index] : arg.slice("--provider=".length);
      if (!value) return { kind: "exit", code: 2, message: `npm start: --provider needs a value\n\n${USAGE}` };
      provider = value;
      continue;
    }
    return { kind: "exit", code: 2, message: `npm start: unknown argument "${arg}"\n\n${USAGE}` };
  }
  if (!isProvider(provider)) {
    return { kind: "exit", code: 2, message: `npm start: unknown provider "${provider}" (expected ${PROVIDERS.join(", ")})` };
  }
  return { kind: "run", provider };
}

function isProvider(value: string): value is Provider {
  return (PROVIDERS as readonly string[]).includes(value);
}
