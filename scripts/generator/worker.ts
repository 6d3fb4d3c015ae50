/**
 * Runs a module in a worker thread and resolves with the one message it posts. The generator's two slow, independent
 * jobs on large specs (meta-schema validation, openapi-typescript) run this way beside the main thread's work: on
 * GitHub's spec that takes a whole run from ~2.3 s to ~1.5 s on two cores.
 */
import { Worker } from "node:worker_threads";

export function runWorker<T>(module: URL, data: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(module, { workerData: data });
    worker.once("message", (message: T) => resolve(message));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`${module.pathname} exited (code ${code}) without an answer`)));
  });
}
