/**
 * Runs a module in a worker thread; each answer's promise resolves with the value the worker posts under its name
 * (`{ [name]: value }`), and `post` sends the worker a message. The generator's api.ts job (the cache lookup,
 * rendering, the spec's validation, and the discovery index when the worker is free first) runs this way beside the
 * main thread's work on two cores (emit/api-types-protocol.ts has the messages).
 */
import type { Worker as WorkerThread } from "node:worker_threads";

/**
 * The worker's young generation, in MB (V8's default on 64-bit is larger). Its garbage is short-lived and its own heap
 * adds to the process's peak RSS while the main thread is at its own peak: with 8 MB the peak on two cores was 15–30 MB
 * lower (GitHub 315–320 → 295–304 MB, Kubernetes 277–285 → 251–254 MB, Stripe 205–210 → 181–193 MB, 4 runs each),
 * with no change in wall time or CPU beyond the runs' spread.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

export interface RunningWorker<A extends object> {
  /** One promise per answer; those not given when the worker fails or exits are rejected. */
  answers: { [K in keyof A]: Promise<A[K]> };
  post: (message: unknown) => void;
}

export function runWorker<A extends object>(module: URL, data: unknown, names: readonly (keyof A & string)[]): RunningWorker<A> {
  const pending = new Map(names.map((name) => [name as string, answer()]));
  // stdin: a stream the worker never reads; without it, Node's worker start-up makes the thread's process.stdin (and
  // loads the streams it needs there) only to end it at once.
  const worker: WorkerThread = new (workerThreads().Worker)(module, { workerData: data, stdin: true, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
  worker.on("message", (message: Record<string, unknown>) => {
    for (const name in message) pending.get(name)?.resolve(message[name]);
  });
  // A failure rejects the answers not yet given (rejecting a settled promise does nothing).
  worker.once("error", (error) => {
    for (const one of pending.values()) one.reject(error);
  });
  worker.once("exit", (code) => {
    const error = new Error(`${module.pathname} exited (code ${code}) without an answer`);
    for (const one of pending.values()) one.reject(error);
  });
  const answers: Record<string, Promise<unknown>> = {};
  for (const [name, one] of pending) {
    one.promise.catch(() => {}); // awaited by the caller; an early failure must not be unhandled meanwhile
    answers[name] = one.promise;
  }
  return { answers: answers as RunningWorker<A>["answers"], post: (message) => worker.postMessage(message) };
}

/**
 * node:worker_threads, loaded when a worker is started: on one core none is, and loading it with the CLI cost ~2 ms
 * of CPU per run (Node compiles the module and the ones it loads on first use).
 */
function workerThreads(): typeof import("node:worker_threads") {
  return process.getBuiltinModule("node:worker_threads");
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
