/** Named, timed phases of a generator run (printed with --verbose and by the benchmark). */

export interface Phase {
  name: string;
  ms: number;
}

export class Timings {
  readonly phases: Phase[] = [];

  async time<T>(name: string, run: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await run();
    } finally {
      this.phases.push({ name, ms: performance.now() - start });
    }
  }

  timeSync<T>(name: string, run: () => T): T {
    const start = performance.now();
    try {
      return run();
    } finally {
      this.phases.push({ name, ms: performance.now() - start });
    }
  }
}
