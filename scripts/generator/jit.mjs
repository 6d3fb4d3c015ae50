/**
 * V8's optimising compiler, TurboFan, held back for a generate run. A run calls most of its code for one phase and
 * never again: V8 marks a function for TurboFan after ~3,000 calls' worth of its bytecode, and compiling it (on a
 * background thread, CPU all the same, and memory) costs more than the optimised code then saves before the phase
 * ends. The OpenAPI 3.0 meta-schema's Schema check alone (`validate21` in spec/meta-schemas/openapi-3.0-valid.cjs,
 * 139 KB of code) took ~100 ms of TurboFan compiling to validate GitHub's description, which takes ~110 ms.
 * Measured on one core, cold (CPU medians of 5–7 interleaved runs): the whole run 25–27 % less CPU on GitHub,
 * Kubernetes and Stripe, 12–18 MB less peak RSS.
 *
 * TurboFan is not turned off (`--no-opt`, as cheap on these specs): a function called 33 times as often as V8's
 * default asks still gets it, so a run several times the size of GitHub's, where the optimised code would pay for
 * itself, still gets it where it matters (a repeated api.ts render of GitHub's converges to the default's speed).
 * On a spec four times GitHub's (its paths and components copied under new names: 4,892 operations, 26 MB; one core,
 * CPU medians of 7 interleaved runs): V8's default 4.24 s, 30,000 3.70 s, 100,000 3.82 s, TurboFan off 3.91 s.
 *
 * The count has a ceiling. V8 gives a function count × its bytecode length as its budget before TurboFan, in a
 * 32-bit int (src/execution/tiering-manager.cc, InterruptBudgetFor): past 2^31 the budget wraps and the function goes
 * to TurboFan at once. The largest functions a run calls often are the meta-schema validators' (the 3.0 check's
 * validate21, 11,085 bytes; its allErrors twin's, 17,879): at 200,000 validate21 wrapped and was compiled on Stripe,
 * at 1,000,000 two validators' and two of the YAML parser's functions were (whole run 100–140 ms more CPU on each
 * spec). test/unit/jit.test.ts holds every validator function under the ceiling. A count under it for any function V8 optimises (61,440 bytes: 34,000)
 * compiles three times as much on GitHub (~300 ms of TurboFan, not ~90) for no gain: GitHub 1.32 → 1.37 s of CPU.
 *
 * V8's flags are the process's: set here before anything is compiled, they hold for the api.ts worker thread too,
 * and Node's compile cache (compile-cache.mjs, turned on after this) is kept under these flags.
 * test/unit/jit.test.ts checks that this V8 still knows the flag and that it holds a hot function back.
 */
// Node's built-ins from its own objects, not through ES module facades (eager-bundle.mjs, builtinModule: why).
const { setFlagsFromString } = process.getBuiltinModule("node:v8");

/** Calls before TurboFan (V8's default: 3,000). */
export const V8_FLAGS = "--invocation-count-for-turbofan=100000";

/**
 * Node's built-ins that every generate run loads after its start-up (found by process.moduleLoadList), loaded before
 * holdBackTurbofan. Node's code cache for its built-ins is checked against a hash of V8's flags and was made under
 * the defaults, so a built-in loaded after the flag is set compiles from source: os, perf_hooks (for `performance`),
 * util's parseArgs and fs/promises cost 6.5 ms of CPU loaded after it, 1.7 ms before (medians of 5). Only those the
 * api.ts worker does not load too: Node shares a built-in's compiled code between threads, and one compiled here
 * after the flag is set is code the worker (holding TurboFan back too) takes as it is; loaded here from Node's cache
 * instead, the worker compiled it anew (two cores, Stripe, 15 runs: +8 ms of CPU when fs/promises and worker_threads
 * were preloaded too). So fs/promises is loaded here only with one core, where there is no worker (as generate()
 * decides). `net` is loaded here when stdout or stderr is a pipe or a socket (isPipeOrSocket).
 */
export function loadBuiltinsBeforeHoldingBack() {
  const { availableParallelism } = process.getBuiltinModule("node:os");
  void process.getBuiltinModule("node:util").parseArgs;
  void globalThis.performance;
  if (availableParallelism() === 1) process.getBuiltinModule("node:fs/promises");
  if (isPipeOrSocket(1) || isPipeOrSocket(2)) process.getBuiltinModule("node:net");
}

/**
 * Whether the file descriptor is a pipe or a socket, for which Node makes process.stdout or process.stderr a
 * net.Socket: so it is whenever a tool, npm or CI runs the CLI with its output captured. The `net` module compiled
 * after the flag cost each such run 11–15 ms of CPU (whole CLI, one core, piped stdio, paired against main: Stripe
 * −11.3 (19/21) and −14.3 (16/21 reversed), Kubernetes −13.7 (11/15), GitHub −15.5 (7/11); its functions that run
 * are compiled from source too). A terminal or a file (TTY, /dev/null) is left as it was.
 */
function isPipeOrSocket(fd) {
  try {
    const stats = process.getBuiltinModule("node:fs").fstatSync(fd);
    return stats.isFIFO() || stats.isSocket();
  } catch {
    return false;
  }
}

/**
 * Young-generation collections done by the thread that needs one, alone, on a machine of two cores or fewer. V8 splits
 * a scavenge among helper threads and the thread that started it waits for them all; on two cores the run's two
 * threads (this one and the api.ts worker) already hold both, so a helper waits for a core while the main thread waits
 * for the helper (Stripe, main thread: the same scavenge took 1.9 to 8.4 ms from run to run). Whole CLI, two cores,
 * piped stdio, paired against the parallel default: Stripe wall -15.9 (17/21), -14.7 (18/21), -19.6 (17/21), -1.2
 * (13/21), CPU -12 to -23; Kubernetes wall -11.6 (10/15); GitHub CPU -22.5 (9/11), wall -3.6. One core: no change
 * (Stripe +0.1, Kubernetes +0.1). Machines with more cores keep V8's default: there the helpers have cores of their own
 * (not measured here).
 */
export const SERIAL_SCAVENGE_FLAGS = "--no-parallel-scavenge";

export function holdBackTurbofan() {
  setFlagsFromString(V8_FLAGS);
  if (process.getBuiltinModule("node:os").availableParallelism() <= 2) setFlagsFromString(SERIAL_SCAVENGE_FLAGS);
}
