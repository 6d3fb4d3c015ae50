/**
 * Runs a module in a worker thread and resolves with the one message it posts. The generator's api.ts job (the cache
 * lookup, rendering and the spec's validation) runs this way beside the main thread's work on two cores.
 */
import { Worker } from "node:worker_threads";

/**
 * The worker's young generation, in MB (V8's default on 64-bit is larger). Its garbage is short-lived and its own heap
 * adds to the process's peak RSS while the main thread is at its own peak: with 8 MB the peak on two cores was 15–30 MB
 * lower (GitHub 315–320 → 295–304 MB, Kubernetes 277–285 → 251–254 MB, Stripe 205–210 → 181–193 MB, 4 runs each),
 * with no change in wall time or CPU beyond the runs' spread.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

export function runWorker<T>(module: URL, data: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(module, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    worker.once("message", (message: T) => resolve(message));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`${module.pathname} exited (code ${code}) without an answer`)));
  });
}
