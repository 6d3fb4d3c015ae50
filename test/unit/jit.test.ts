/**
 * generator/jit.mjs in a real Node process: this V8 knows the flag (an unknown one is only reported on stdout, and
 * the run would go on with TurboFan's default), and a function hot enough for TurboFan by V8's default is not yet
 * optimised with it.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const JIT = new URL("../../scripts/generator/jit.mjs", import.meta.url).href;
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** V8's OptimizationStatus bit for code TurboFan compiled (src/runtime/runtime.h). */
const TURBOFANNED = 1 << 6;

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
});
