/**
 * generator/jit.mjs in a real Node process: this V8 knows the flag (an unknown one is only reported on stdout, and
 * the run would go on with TurboFan's default), a function hot enough for TurboFan by V8's default is not yet
 * optimised with it, and the count is low enough that the largest function a run calls does not wrap V8's 32-bit
 * budget for TurboFan.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { SERIAL_SCAVENGE_FLAGS, V8_FLAGS } from "../../scripts/generator/jit.mjs";

const run = promisify(execFile);
const JIT = new URL("../../scripts/generator/jit.mjs", import.meta.url).href;
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** V8's OptimizationStatus bit for code TurboFan compiled (src/runtime/runtime.h). */
const TURBOFANNED = 1 << 6;
/** The meta-schema validators (ajv's code, one function per schema): the largest functions a generate run calls. */
const VALIDATORS = ["openapi-3.0-valid", "openapi-3.0", "openapi-3.1-valid", "openapi-3.1", "swagger-2.0-valid", "swagger-2.0"].map((name) =>
  fileURLToPath(new URL(`../../scripts/generator/spec/meta-schemas/${name}.cjs`, import.meta.url)),
);

/** In a fresh process: a small function called 20,000 times, with or without the generator's flags. */
async function afterHotCalls(holdBack: boolean): Promise<{ status: number; stdout: string }> {
  const script = `
    import { holdBackTurbofan } from ${JSON.stringify(JIT)};
    if (${holdBack}) holdBackTurbofan();
    function hot(object, factor) { let sum = 0; for (const key in object) sum += object[key] * factor; return sum; }
    function calls(n) { let sum = 0; for (let i = 0; i < n; i++) sum += hot({ x: i, y: 2 }, i); return sum; }
    for (let i = 0; i < 200; i++) calls(100);
    // A compile V8 started on its background thread, finished and installed.
    %FinalizeOptimization();
    console.log(JSON.stringify({ status: %GetOptimizationStatus(hot) }));
  `;
  const { stdout } = await run(process.execPath, ["--allow-natives-syntax", "--input-type=module", "-e", script], { cwd: ROOT });
  const lines = stdout.trim().split("\n");
  return { status: (JSON.parse(lines.at(-1)!) as { status: number }).status, stdout };
}

describe("holdBackTurbofan", () => {
  it("is known to this V8 and keeps a function TurboFan would compile by default uncompiled", async () => {
    const [byDefault, heldBack] = await Promise.all([afterHotCalls(false), afterHotCalls(true)]);
    expect(byDefault.status & TURBOFANNED).toBe(TURBOFANNED);
    expect(heldBack.stdout).not.toMatch(/unrecognized flag/);
    expect(heldBack.status & TURBOFANNED).toBe(0);
  });

  it("sets only flags this V8 knows, the serial scavenge's included (whatever this machine's cores)", async () => {
    const script = `process.getBuiltinModule("node:v8").setFlagsFromString(${JSON.stringify(`${V8_FLAGS} ${SERIAL_SCAVENGE_FLAGS}`)}); console.log("set");`;
    const { stdout, stderr } = await run(process.execPath, ["-e", script], { cwd: ROOT });
    expect(stdout + stderr).not.toMatch(/unrecognized flag/);
    expect(stdout.trim()).toBe("set");
  });

  it("keeps every meta-schema validator function's budget for TurboFan within V8's 32-bit int", async () => {
    const count = Number(/--invocation-count-for-turbofan=(\d+)/.exec(V8_FLAGS)![1]);
    for (const validator of VALIDATORS) {
      const { name, length } = await largestFunction(validator);
      // V8 (src/execution/tiering-manager.cc, InterruptBudgetFor) sets the budget as count × bytecode length in an
      // int: past 2^31 - 1 it wraps, and the function goes to TurboFan at once instead of last.
      expect(count * length, `${name} in ${validator}: ${length} bytes of bytecode`).toBeLessThan(2 ** 31);
    }
    // Each validator's bytecode is printed whole by a fresh process (tens of MB of text): ~3 s on an idle machine,
    // past vitest's default 5 s on a loaded one.
  }, 60_000);
});

describe("loadBuiltinsBeforeHoldingBack", () => {
  it("leaves none of the built-ins it loads to be loaded after a generate run holds TurboFan back", async () => {
    const out = await mkdtemp(join(tmpdir(), "jit-builtins-"));
    // Notes the built-ins loaded when the CLI first sets V8's flags (holdBackTurbofan), and prints those the main
    // thread loaded after (the hook runs in the api.ts worker too).
    const hook = join(out, "hook.mjs");
    await writeFile(
      hook,
      `const v8 = process.getBuiltinModule("node:v8");
      const set = v8.setFlagsFromString;
      let atHold;
      v8.setFlagsFromString = (flags) => { atHold ??= new Set(process.moduleLoadList); return set(flags); };
      process.on("exit", () => {
        if (atHold === undefined) return;
        const after = process.moduleLoadList.filter((m) => !atHold.has(m));
        if (process.getBuiltinModule("node:worker_threads").isMainThread) console.error("LOADED AFTER " + JSON.stringify(after));
      });`,
    );
    try {
      const { stderr } = await run(process.execPath, ["--import", pathToFileURL(hook).href, "scripts/generate.mjs", "--config", "bridge.yaml", "--out", join(out, "generated"), "--no-cache"], { cwd: ROOT });
      const after = JSON.parse(/^LOADED AFTER (.*)$/m.exec(stderr)![1]!) as string[];
      // fs/promises is preloaded only with one core: with two, the api.ts worker loads it (jit.mjs says why).
      const oneCore = availableParallelism() === 1;
      // net: execFile gives the CLI pipes for stdout and stderr, which Node makes net.Sockets.
      for (const builtin of ["os", "perf_hooks", "internal/util/parse_args/parse_args", "net", ...(oneCore ? ["fs/promises"] : [])]) {
        expect(after).not.toContain(`NativeModule ${builtin}`);
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});

/** The function of a script with the most bytecode, every function compiled (--no-lazy) and printed by V8. */
async function largestFunction(script: string): Promise<{ name: string; length: number }> {
  const { stdout } = await run(process.execPath, ["--no-lazy", "--print-bytecode", "--print-bytecode-filter=validate*", script], {
    cwd: ROOT,
    maxBuffer: 256 * 1024 * 1024,
  });
  let largest = { name: "", length: 0 };
  for (const [, name, length] of stdout.matchAll(/^\[generated bytecode for function: (\S+) .*\]\nBytecode length: (\d+)$/gm)) {
    if (Number(length) > largest.length) largest = { name: name!, length: Number(length) };
  }
  expect(largest.length, `no bytecode printed for ${script}`).toBeGreaterThan(0);
  return largest;
}
