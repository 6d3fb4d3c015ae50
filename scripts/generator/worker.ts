/**
 * Runs a module in a worker thread; the promises resolve with the messages it posts, in order. The generator's api.ts
 * job (the cache lookup, rendering, then the spec's validation) runs this way beside the main thread's work on two
 * cores, posting api.ts before it validates.
 */
import { Worker } from "node:worker_threads";

/**
 * The worker's young generation, in MB (V8's default on 64-bit is larger). Its garbage is short-lived and its own heap
 * adds to the process's peak RSS while the main thread is at its own peak: with 8 MB the peak on two cores was 15–30 MB
 * lower (GitHub 315–320 → 295–304 MB, Kubernetes 277–285 → 251–254 MB, Stripe 205–210 → 181–193 MB, 4 runs each),
 * with no change in wall time or CPU beyond the runs' spread.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

export function runWorker<T extends readonly unknown[]>(module: URL, data: unknown, count: T["length"]): { [K in keyof T]: Promise<T[K]> } {
  const answers = Array.from({ length: count }, answer);
  let received = 0;
  const worker = new Worker(module, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
  worker.on("message", (message: unknown) => answers[received++]?.resolve(message));
  // A failure rejects the answers not yet given (rejecting a settled promise does nothing).
  worker.once("error", (error) => {
    for (const pending of answers) pending.reject(error);
  });
  worker.once("exit", (code) => {
    const error = new Error(`${module.pathname} exited (code ${code}) without an answer`);
    for (const pending of answers) pending.reject(error);
  });
  for (const pending of answers) pending.promise.catch(() => {}); // awaited by the caller; an early failure must not be unhandled meanwhile
  return answers.map((pending) => pending.promise) as { [K in keyof T]: Promise<T[K]> };
}

interface Answer {
  promise: Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** A promise and its two settlers (Promise.withResolvers, which the project's TypeScript lib does not declare yet). */
function answer(): Answer {
  let resolve!: Answer["resolve"];
  let reject!: Answer["reject"];
  const promise = new Promise<unknown>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
