/**
 * For the project's scripts that take no arguments (their settings come from the environment): `--help` / `-h`
 * prints the usage and exits 0, anything else is a usage error (exit 2), so `npm run bench:runtime -- --help` tells
 * what it does instead of starting a benchmark.
 */
export function acceptOnlyHelp(usage: string, argv: readonly string[] = process.argv.slice(2)): void {
  if (argv.length === 0) return;
  if (argv.length === 1 && (argv[0] === "--help" || argv[0] === "-h")) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  process.stderr.write(`unknown argument "${argv.find((arg) => arg !== "--help" && arg !== "-h") ?? argv[0]}"\n${usage}\n`);
  process.exit(2);
}
