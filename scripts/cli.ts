/**
 * How the project's CLIs end: the exit code `main` returns, or for an error, a message and the exit code the README
 * documents (2 for invalid input: bridge.yaml, the spec or the command line; 70 for a bug, with its stack).
 */
import { ConfigError } from "./generator/config/errors.ts";
import { SpecError } from "./generator/spec/load.ts";

/** A mistake on the command line: printed with the usage line. */
export class UsageError extends Error {}

export function runCli(main: () => Promise<number>, usage: string): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof ConfigError || error instanceof SpecError) {
        console.error(error.message);
        process.exit(2);
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
