/** Command line of `npm start`. `--provider` is reserved: only the local PingFederate stand-in exists so far. */

export type Parsed = { kind: "run" } | { kind: "help" } | { kind: "exit"; code: number; message: string };

export const USAGE = `usage: npm start [-- --provider pingfederate]

Runs the whole product locally: the identity provider on 127.0.0.1:9031, the sample Todo API on 127.0.0.1:8787 and the
bridge on http://127.0.0.1:8788/mcp. Ctrl-C stops everything.

  --provider pingfederate   the local identity provider standing in for PingFederate (the default)
  --provider pingone|access reserved: those local adapters are not available yet
  START_TIMEOUT_MS          how long each part may take to answer (default 60000)`;

const RESERVED = new Set(["pingone", "access"]);

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
  if (RESERVED.has(provider)) {
    return {
      kind: "exit",
      code: 2,
      message:
        `npm start: --provider ${provider} is not available yet. The flag is reserved for the ${provider === "pingone" ? "PingOne" : "Cloudflare Access"} ` +
        `adapter, which is not built; for now npm start runs the local identity provider standing in for PingFederate ` +
        `(run it without --provider).`,
    };
  }
  if (provider !== "pingfederate") {
    return { kind: "exit", code: 2, message: `npm start: unknown provider "${provider}" (expected pingfederate; pingone and access are reserved)` };
  }
  return { kind: "run" };
}
