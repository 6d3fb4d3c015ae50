/**
 * Worker thread: validates the spec while the main thread generates (see loadSpec). Posts `{}` when the document is
 * valid, `{ problems }` when it is not.
 */
import { parentPort, workerData } from "node:worker_threads";
import { readDocument, validationProblemsOf, type SpecDocument } from "./load.ts";

const input = workerData as { path: string; document?: SpecDocument };
const read = async (): Promise<SpecDocument> => (input.document ? structuredClone(input.document) : readDocument(input.path));
const problems = await validationProblemsOf(input.document ?? (await read()), read);
parentPort!.postMessage(problems.length > 0 ? { problems } : {});
