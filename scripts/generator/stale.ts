/**
 * Comparing generated files with what is on disk, and writing them: `npm run generate` (and its `--check`) and
 * `npm start`, which regenerates a stale generated/ before running it.
 */
import { randomUUID } from "node:crypto";
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { GeneratedFile } from "./index.ts";

export interface StaleFile {
  /** `<outDir>/<name>`. */
  path: string;
  state: "missing" | "differs";
}

/** The files whose content on disk is not `file.content`, byte for byte, in the order given. */
export async function staleFiles(files: readonly GeneratedFile[], outDir: string): Promise<StaleFile[]> {
  const stale: StaleFile[] = [];
  for (const file of files) {
    const path = join(outDir, file.name);
    const current = await readFile(path).catch(() => undefined);
    if (current === undefined) stale.push({ path, state: "missing" });
    else if (!hasContent(current, file)) stale.push({ path, state: "differs" });
  }
  return stale;
}

/**
 * Whether the bytes on disk are the file's content. A file given as lines is compared chunk by chunk as it is written
 * (each chunk's UTF-8 against the bytes at its place), never joined nor decoded whole: Stripe's tools.ts joined is 21
 * million characters, two bytes each (42 MB), which `--check` paid for on top of what a full generate costs; a
 * difference ends the comparison where it is found.
 */
function hasContent(bytes: Buffer, file: GeneratedFile): boolean {
  if (!file.lines) return bytes.toString("utf8") === file.content;
  let at = 0;
  for (const chunk of linesChunks(file.lines)) {
    const encoded = Buffer.from(chunk, "utf8");
    if (!bytes.subarray(at, at + encoded.length).equals(encoded)) return false;
    at += encoded.length;
  }
  return at === bytes.length;
}

/** `staged`: files already written under temporary names (stageFiles), renamed into place once the rest are written. */
export async function writeFiles(files: readonly GeneratedFile[], outDir: string, staged?: StagedFiles): Promise<void> {
  try {
    await mkdir(outDir, { recursive: true });
    for (const file of files) if (!staged?.names.has(file.name)) writeText(join(outDir, file.name), chunksOf(file));
  } catch (error) {
    staged?.discard();
    throw error;
  }
  staged?.commit();
}

/** Files written under temporary names in their folder, not yet in place. */
export interface StagedFiles {
  readonly names: ReadonlySet<string>;
  /** Writes more files under temporary names (api.ts, once the api.ts worker has posted it). */
  add(files: readonly GeneratedFile[]): void;
  /** Renames each into place (atomic per file on one file system). */
  commit(): void;
  /** Removes them, and the folder when staging created it: nothing of the run is left. */
  discard(): void;
}

/**
 * Writes the files under hidden temporary names in `outDir`, for the CLI to do while the spec is still being
 * validated (on two cores the main thread would otherwise wait idle for the worker, then write): an invalid spec then
 * discards them and generated/ stays as it was, a valid one renames them into place.
 */
export function stageFiles(files: readonly GeneratedFile[], outDir: string): StagedFiles {
  const created = mkdirSync(outDir, { recursive: true });
  const written: { temporary: string; path: string }[] = [];
  const names = new Set<string>();
  const run = randomUUID();
  const discard = (): void => {
    for (const { temporary } of written) rmSync(temporary, { force: true });
    if (created !== undefined) rmSync(created, { recursive: true, force: true });
  };
  const add = (more: readonly GeneratedFile[]): void => {
    try {
      for (const file of more) {
        const temporary = join(outDir, `.${file.name}.${run}.tmp`);
        written.push({ temporary, path: join(outDir, file.name) });
        names.add(file.name);
        writeText(temporary, chunksOf(file));
      }
    } catch (error) {
      discard();
      throw error;
    }
  };
  add(files);
  return {
    names,
    add,
    commit: () => {
      for (const { temporary, path } of written) renameSync(temporary, path);
    },
    discard,
  };
}

function chunksOf(file: GeneratedFile): Iterable<string> {
  return file.lines ? linesChunks(file.lines) : textChunks(file.content);
}

/**
 * Writes the chunks as UTF-8, each encoded by Node's string write into a buffer freed once it is written. The writes
 * are synchronous: nothing else runs meanwhile, and an asynchronous write per chunk (a thousand for Stripe's tools.ts)
 * only added a trip through libuv's thread pool and a promise each.
 */
function writeText(path: string, chunks: Iterable<string>): void {
  const fd = openSync(path, "w");
  try {
    for (const chunk of chunks) {
      const written = writeSync(fd, chunk, null, "utf8");
      // write(2) may write less than asked (POSIX): the rest goes as bytes, from where it stopped.
      if (written < Buffer.byteLength(chunk, "utf8")) writeAll(fd, Buffer.from(chunk, "utf8").subarray(written));
    }
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
}

/**
 * The lines joined by "\n", as strings of about `size` characters at most (short lines joined: one write each would
 * cost more than the joining) or single long lines as they are. A joined chunk is copied into one string when written;
 * kept under V8's large-object size, that copy is young garbage the next scavenge frees, where a large one lived
 * until a full collection (Stripe's tools.ts in 1 MB chunks: ~20 MB more at the peak). No surrogate pair is split.
 */
export function* linesChunks(lines: Iterable<string>, size = LINES_CHUNK): Generator<string> {
  let chunk = "";
  let first = true;
  for (const line of lines) {
    if (!first) chunk += "\n";
    first = false;
    if (line.length >= size) {
      if (chunk.length > 0) yield chunk;
      yield line;
      chunk = "";
      continue;
    }
    chunk += line;
    if (chunk.length >= size) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Characters per joined chunk of lines: under 64 K characters once joined, ≤ 128 KB even two bytes per character. */
const LINES_CHUNK = 1 << 15;

/** Characters per chunk written: ~1 MB of UTF-8 for ASCII text. */
const CHUNK = 1 << 20;

/**
 * The text in slices, encoded one at a time when written: fs.writeFile given the whole string makes one Buffer of all
 * of it first (GitHub's api.ts: 6.5 MB more at the run's end). No slice ends between the two halves of a surrogate
 * pair, which UTF-8 would encode apart as two U+FFFD (RFC 3629 §3: surrogates are not characters), so the bytes are
 * those of the whole string.
 */
export function* textChunks(text: string, size = CHUNK): Generator<string> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    // A high surrogate last: end before it, or after its pair when it is the slice's only character.
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end += end - 1 > start ? -1 : 1;
    yield text.slice(start, end);
    start = end;
  }
}
