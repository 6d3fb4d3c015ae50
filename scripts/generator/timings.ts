/** Named, timed phases of a generator run (printed with --verbose and by the benchmark). */

export interface Phase {
  name: string;
  ms: number;
}

export class Timings {
  readonly phases: Phase[] = [];

  /** `onStart`: told each phase's name as it begins (the CLI's progress line). */
  private readonly onStart: ((name: string) => void) | undefined;

  constructor(onStart?: (name: string) => void) {
    this.onStart = onStart;
  }

  async time<T>(name: string, run: () => Promise<T>): Promise<T> {
    this.onStart?.(name);
    const start = performance.now();
    try {
      return await run();
    } finally {
      this.phases.push({ name, ms: performance.now() - start });
    }
  }

  timeSync<T>(name: string, run: () => T): T {
    this.onStart?.(name);
    const start = performance.now();
    try {
      return run();
    } finally {
      this.phases.push({ name, ms: performance.now() - start });
    }
  }
}
