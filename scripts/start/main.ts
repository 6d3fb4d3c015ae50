/**
 * `npm start`: the whole product on this machine (DESIGN decision 7). Checks the ports, brings generated/ up to date
 * with bridge.yaml, starts the identity provider (in-process), the Todo API and the bridge (`wrangler dev` children),
 * waits until each answers, prints how to connect, and stops everything on Ctrl-C / SIGTERM (exit 0) or when a part
 * dies (exit 1).
 *
 * package.json runs it as `exec node …`: without `exec`, npm's shell stays between npm and this process, dies of the
 * terminal's SIGINT once we have exited cleanly, and npm then reports exit 130.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../generator/config/errors.ts";
import { SpecError } from "../generator/spec/load.ts";
import { parseArgs, USAGE } from "./args.ts";
import { banner } from "./banner.ts";
import { busyPortMessages, PORTS } from "./ports.ts";
import { refreshGenerated } from "./refresh-generated.ts";
import { LocalStack, StartError } from "./stack.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const say = (line: string) => process.stdout.write(`${line}\n`);
const complain = (line: string) => process.stderr.write(`${line}\n`);

// Only the in-process identity provider (oidc-provider) writes through console: label its lines like the children's.
for (const method of ["log", "info", "warn", "error"] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => original("[idp]", ...args);
}

const parsed = parseArgs(process.argv.slice(2));
if (parsed.kind === "help") {
  say(USAGE);
  process.exit(0);
}
if (parsed.kind === "exit") {
  complain(parsed.message);
  process.exit(parsed.code);
}

const busy = await busyPortMessages([PORTS.idp, PORTS.api, PORTS.bridge]);
if (busy.length) {
  for (const message of busy) complain(`npm start: ${message}`);
  process.exit(1);
}

const provider = parsed.provider;
// The default mode runs the repo's generated/; the others generate their own copy on every start (mode-bridge.ts).
if (provider === "pingfederate") {
  try {
    say(`[start] ${(await refreshGenerated(ROOT)).message}`);
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof SpecError)) throw error;
    complain(error.message);
    complain("npm start: fix bridge.yaml (or the spec) as the lines above say, then run npm start again; nothing was started");
    process.exit(1);
  }
}

const readyTimeoutMs = Number(process.env["START_TIMEOUT_MS"] ?? 60_000);
let up = false;
const stack = new LocalStack({
  root: ROOT,
  provider,
  readyTimeoutMs,
  log: say,
  onChildExit: (message) => {
    if (up) void shutdown(1, `[start] ${message}: stopping everything`);
    // While starting, start() notices the exit itself and fails with its own message.
  },
});

// Whatever ends this process (a crash included), no child group may outlive it: the 'exit' handler is synchronous,
// so SIGKILL is all it can do; the graceful path has already stopped everything by then.
process.on("exit", () => stack.kill());
process.on("uncaughtException", (error) => void shutdown(1, `[start] ${error.stack ?? error.message}: stopping everything`));
// `npm start | head` closes our stdout: keep going (and stop cleanly on the signal that follows) instead of crashing.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);

let exiting = false;
async function shutdown(code: number, message: string): Promise<void> {
  if (exiting) return;
  exiting = true;
  (code === 0 ? say : complain)(message);
  await stack.stop();
  say("[start] stopped");
  process.exit(code);
}

/**
 * Under npm, one Ctrl-C arrives twice within milliseconds: from the terminal (to the whole foreground process group)
 * and forwarded by npm (@npmcli/run-script's signal manager). A person's second Ctrl-C comes later: only a signal this
 * long after the first stops without waiting for a graceful shutdown.
 */
const REPEATED_SIGNAL_MS = 1_000;
let firstSignalAt: number | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    const now = Date.now();
    if (firstSignalAt === undefined) {
      firstSignalAt = now;
      void shutdown(0, `\n[start] ${signal}: stopping the bridge, the Todo API and the identity provider…`);
      return;
    }
    if (now - firstSignalAt < REPEATED_SIGNAL_MS) return; // the same Ctrl-C, delivered by npm as well
    stack.kill();
    process.exit(1);
  });
}

const mode = provider === "pingone" ? " in PingOne mode" : provider === "access" ? " behind a local Cloudflare Access" : "";
say(`[start] starting the identity provider, the Todo API and the bridge${mode} (wrangler dev takes a few seconds)…`);
const started = Date.now();
try {
  const urls = await stack.start();
  if (!exiting) {
    up = true;
    say(`[start] everything answers after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    say(banner(urls, provider));
  }
} catch (error) {
  if (!exiting) {
    exiting = true;
    const message = error instanceof StartError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    complain(`[start] ${message}`);
    await stack.stop();
    complain("[start] stopped");
    process.exit(1);
  }
}
