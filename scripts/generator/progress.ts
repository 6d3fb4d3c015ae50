/**
 * The progress line `generate` keeps on stderr while a run lasts over a second: the phase it is in and the
 * operations built so far, rewritten in place. Only on a terminal: piped or captured stderr (CI logs, tests) gets
 * nothing, and the line is erased before the summary prints.
 */
/** Quiet for this long: most runs end before anyone would read a line. */
const QUIET_MS = 1000;
/** Redrawn at most this often. */
const REDRAW_MS = 100;

export interface Progress {
  phase(name: string): void;
  operations(done: number, total: number): void;
  /** Erases the line (call before printing anything else). */
  done(): void;
}

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export function terminalProgress(stream: ProgressStream, now: () => number = () => performance.now()): Progress | undefined {
  if (!stream.isTTY) return undefined;
  const start = now();
  let phase = "starting";
  let counts = "";
  let drawn = false;
  let lastDraw = 0;
  const draw = (force = false): void => {
    const time = now();
    if (time - start < QUIET_MS || (!force && time - lastDraw < REDRAW_MS)) return;
    lastDraw = time;
    drawn = true;
    stream.write(`\r\x1b[K  generating: ${phase}${counts}`);
  };
  return {
    phase(name) {
      phase = name;
      draw(true);
    },
    operations(done, total) {
      counts = ` (${done}/${total} operations)`;
      draw(done === total);
    },
    done() {
      if (drawn) stream.write("\r\x1b[K");
    },
  };
}
