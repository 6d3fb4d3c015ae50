/**
 * How the project's CLIs end: the exit code `main` returns, or for an error, a message and the exit code
 * docs/configuration.md documents: 1 for invalid input (bridge.yaml or the spec, every problem listed), 2 for a
 * command-line mistake (with the usage), 70 for a bug (with its stack).
 */
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "./generator/config/errors.ts";
import { SpecError } from "./generator/spec/load.ts";

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** A mistake on the command line: printed with the usage line. */
export class UsageError extends Error {}

export function runCli(main: () => Promise<number>, usage: string): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof ConfigError || error instanceof SpecError) {
        console.error(error.message);
        process.exit(1);
      }
      if (error instanceof UsageError || isParseArgsError(error)) {
        console.error(`${(error as Error).message}\n${usage}`);
        process.exit(2);
      }
      console.error(error);
      process.exit(70);
    },
  );
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS");
}

/**
 * Makes command-line paths mean what they mean where the user typed the command. `npm run <script>` runs a script in
 * the project root and keeps the directory it was invoked from in INIT_CWD (`cd my-api && npm run generate -- --config
 * bridge.yaml` means my-api/bridge.yaml). Only when npm ran this very script (`npm_lifecycle_event`): a script another
 * one starts (`npm test` runs `generate --check`) stays where it was started.
 */
export function enterUserCwd(script: string): void {
  const invokedFrom = process.env["INIT_CWD"];
  if (process.env["npm_lifecycle_event"] === script && invokedFrom) process.chdir(invokedFrom);
}

/** Where `generate` writes (and `call` looks for TOOLS.md) by default: generated/ next to the bridge.yaml given. */
export function outDirFor(configPath: string | undefined): string {
  return configPath === undefined ? projectPath("generated") : join(dirname(configPath), "generated");
}

/** A file of the project (a default such as bridge.yaml), as a path relative to the working directory. */
export function projectPath(path: string): string {
  return relative(process.cwd(), join(PROJECT_ROOT, path)) || ".";
}
