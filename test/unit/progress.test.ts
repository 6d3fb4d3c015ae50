/** The generator's progress line: only on a terminal, only once a run has lasted a second, erased at the end. */
import { describe, expect, it } from "vitest";
import { terminalProgress } from "../../scripts/generator/progress.ts";

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

describe("terminalProgress", () => {
  it("is off when stderr is not a terminal (CI logs, pipes, tests)", () => {
    expect(terminalProgress(stream(false))).toBeUndefined();
  });

  it("stays quiet for the first second, then shows the phase and the operations built, and erases itself", () => {
    const out = stream(true);
    let clock = 0;
    const progress = terminalProgress(out, () => clock)!;
    progress.phase("read spec");
    clock = 900;
    progress.operations(100, 1014);
    expect(out.written).toEqual([]);
    clock = 1200;
    progress.phase("build model");
    progress.operations(200, 1014); // within 100 ms of the last line: not redrawn
    expect(out.written).toEqual(["\r\x1b[K  generating: build model (100/1014 operations)"]);
    clock = 1400;
    progress.operations(1014, 1014);
    expect(out.written.at(-1)).toBe("\r\x1b[K  generating: build model (1014/1014 operations)");
    progress.done();
    expect(out.written.at(-1)).toBe("\r\x1b[K");
  });

  it("writes nothing at the end of a run that never drew", () => {
    const out = stream(true);
    const progress = terminalProgress(out, () => 0)!;
    progress.phase("read spec");
    progress.done();
    expect(out.written).toEqual([]);
  });
});
