/**
 * Comparing generated files with what is on disk, and writing them: `npm run generate` (and its `--check`) and
 * `npm start`, which regenerates a stale generated/ before running it.
 */
import { randomUUID } from "node:crypto";
import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { forEachPart, type Printed } from "./emit/literal.ts";
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
    const state = compareWithDisk(path, file);
    if (state !== "same") stale.push({ path, state });
  }
  return stale;
}

/**
 * The file on disk against its content, read a buffer at a time beside the content encoded a buffer at a time: the
 * disk's bytes are never held whole nor decoded (Stripe's tools.ts is 21 MB, api.ts 2.8 MB; holding and decoding
 * them cost `--check` a full garbage collection and ~15 MB of peak memory that a generate, writing as it encodes, does
 * not pay). A file that cannot be opened or read counts as missing.
 */
function compareWithDisk(path: string, file: GeneratedFile): "same" | "missing" | "differs" {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return "missing";
  }
  try {
    const disk = new DiskReader(fd);
    const same = hasContent(disk, file);
    return disk.failed ? "missing" : same ? "same" : "differs";
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether the bytes read are the file's UTF-8: a file given in parts compared as it is written (each chunk against
 * the bytes at its place, never joined: Stripe's tools.ts joined is 21 million characters, two bytes each), other
 * files encoded a slice at a time into one buffer.
 */
function hasContent(disk: DiskReader, file: GeneratedFile): boolean {
  let same = true;
  encodeFile(file, (chunk) => (same &&= disk.next(chunk)));
  return same && disk.atEnd();
}

/** Reads a file from its start, the next bytes at each call into one buffer reused throughout. */
class DiskReader {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(ENCODE_BUFFER);
  private at = 0;
  /** A read failed (as reading a folder does): what follows reads nothing. */
  failed = false;

  constructor(fd: number) {
    this.fd = fd;
  }

  /** Whether the file's next bytes are `expected` (false when it ends before them). */
  next(expected: Uint8Array): boolean {
    for (let from = 0; from < expected.length; ) {
      const wanted = Math.min(expected.length - from, this.buffer.length);
      const read = this.read(wanted);
      if (read < wanted || !this.buffer.subarray(0, read).equals(expected.subarray(from, from + read))) return false;
      from += read;
    }
    return true;
  }

  /** Whether the file has no byte after those read. */
  atEnd(): boolean {
    return this.read(1) === 0;
  }

  /** Reads up to `length` bytes into the buffer's start; fewer only at the file's end (read(2) may stop short). */
  private read(length: number): number {
    let got = 0;
    try {
      for (let more = 1; got < length && more > 0 && !this.failed; got += more) more = readSync(this.fd, this.buffer, got, length - got, this.at + got);
    } catch {
      this.failed = true;
    }
    this.at += got;
    return got;
  }
}

/**
 * The file's UTF-8 handed to `chunk` a buffer at a time: given in parts, as they are printed (never joined; all of
 * them, whatever `chunk` returns); else its text, until `chunk` returns false.
 */
function encodeFile(file: GeneratedFile, chunk: (bytes: Uint8Array) => boolean): void {
  if (file.parts) encodeParts(file.parts, (bytes) => void chunk(bytes));
  else encodeText(file.content, chunk);
}

/**
 * The text's UTF-8 handed to `chunk` a buffer at a time, until `chunk` returns false. Slices of a third of the
 * buffer's size in UTF-16 code units fit it (three bytes at most per unit; textChunks keeps pairs whole).
 */
function encodeText(text: string, chunk: (bytes: Uint8Array) => boolean, size = ENCODE_BUFFER): void {
  const buffer = Buffer.allocUnsafe(size);
  for (const slice of textChunks(text, Math.floor(size / 3))) if (!chunk(buffer.subarray(0, buffer.write(slice, 0, "utf8")))) return;
}

/** `staged`: files already written under temporary names (stageFiles), renamed into place once the rest are written. */
export async function writeFiles(files: readonly GeneratedFile[], outDir: string, staged?: StagedFiles): Promise<void> {
  try {
    // Synchronous, as the writes are: an awaited mkdir was a trip through libuv's thread pool and a turn of the event
    // loop, where V8's pending collection tasks ran just before the CLI exits (a scavenge, ~4 ms, in 1 of 4 Stripe
    // runs on one core; in bench/generate-once.ts, which goes on running, a full collection: "write files" ~23 ms).
    mkdirSync(outDir, { recursive: true });
    for (const file of files) if (!staged?.names.has(file.name)) writeFile(join(outDir, file.name), file);
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
        const path = join(outDir, file.name);
        // Listed before it is written, so that a failed write's partial file is discarded too.
        written.push({ temporary, path });
        names.add(file.name);
        if (!writeFileIfChanged(path, temporary, file)) written.pop();
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

/**
 * Writes the file to `temporary` unless `path` holds its content already, byte for byte, and says whether it did:
 * regenerating over files that have not changed then writes and renames nothing. Writing costs the kernel a copy into
 * newly allocated page cache, and renaming over the old file frees the old file's pages; comparing reads pages the
 * cache holds (Stripe's tools.ts, 21 MB, one core: written and renamed ~38 ms, compared ~4 ms). The content is
 * compared as it is encoded, so it is printed once either way: at the first chunk that differs, the bytes found the
 * same are copied from the old file and the rest is written as it comes. A file that cannot be opened is written as
 * before. An unchanged file keeps its inode, and so its mode and links, where a write used to replace it.
 */
function writeFileIfChanged(path: string, temporary: string, file: GeneratedFile): boolean {
  let old: number;
  try {
    old = openSync(path, "r");
  } catch {
    writeFile(temporary, file);
    return true;
  }
  const writer = new ChangeWriter(old, temporary);
  try {
    encodeFile(file, (chunk) => (writer.next(chunk), true));
    return writer.end();
  } finally {
    writer.close();
    closeSync(old);
  }
}

/** Compares chunks with an old file until one differs, then writes the file anew under another name. */
class ChangeWriter {
  private readonly old: number;
  private readonly temporary: string;
  private readonly disk: DiskReader;
  /** Bytes found the same on disk, in whole chunks: what the new file starts with. */
  private same = 0;
  /** The new file, once a chunk differed. */
  private fd: number | undefined;

  constructor(old: number, temporary: string) {
    this.old = old;
    this.temporary = temporary;
    this.disk = new DiskReader(old);
  }

  next(chunk: Uint8Array): void {
    if (this.fd === undefined) {
      if (this.disk.next(chunk)) {
        this.same += chunk.length;
        return;
      }
      this.startWriting();
    }
    writeAll(this.fd!, chunk);
  }

  /** Whether the file was written: false when the old file holds the content and nothing more. */
  end(): boolean {
    if (this.fd === undefined) {
      if (this.disk.atEnd() && !this.disk.failed) return false;
      this.startWriting();
    }
    return true;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private startWriting(): void {
    this.fd = openSync(this.temporary, "w");
    const buffer = Buffer.allocUnsafe(ENCODE_BUFFER);
    for (let at = 0; at < this.same; ) {
      const read = readSync(this.old, buffer, 0, Math.min(buffer.length, this.same - at), at);
      if (read === 0) throw new Error(`${this.temporary}: the file it replaces changed while it was compared`);
      writeAll(this.fd, buffer.subarray(0, read));
      at += read;
    }
  }
}

/**
 * Writes the file as UTF-8. The writes are synchronous: nothing else runs meanwhile, and an asynchronous write per
 * chunk (a thousand for Stripe's tools.ts) only added a trip through libuv's thread pool and a promise each.
 */
function writeFile(path: string, file: GeneratedFile): void {
  const fd = openSync(path, "w");
  try {
    if (file.parts) encodeParts(file.parts, (chunk) => writeAll(fd, chunk));
    else writeText(fd, textChunks(file.content));
  } finally {
    closeSync(fd);
  }
}

/** Writes the chunks as UTF-8, each encoded by Node's string write into a buffer freed once it is written. */
function writeText(fd: number, chunks: Iterable<string>): void {
  for (const chunk of chunks) {
    const written = writeSync(fd, chunk, null, "utf8");
    // write(2) may write less than asked (POSIX): the rest goes as bytes, from where it stopped.
    if (written < Buffer.byteLength(chunk, "utf8")) writeAll(fd, Buffer.from(chunk, "utf8").subarray(written));
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
}

/**
 * The parts' UTF-8, handed to `chunk` a buffer at a time: runs of text joined and encoded into one buffer reused
 * throughout (an encoding call per part cost more than the joining: GitHub's tools.ts is mostly text printed once), a
 * kept block's bytes (encoded once, see emit/literal.ts' TextBlock) copied into it, and what is too long for it
 * handed on as it is. `chunk` must be done with the buffer when it returns. No part ends inside a surrogate pair.
 */
export function encodeParts(parts: Iterable<Printed>, chunk: (bytes: Uint8Array) => void, size = ENCODE_BUFFER): void {
  const buffer = Buffer.allocUnsafe(size);
  let at = 0;
  let run = "";
  const drain = (): void => {
    if (at > 0) chunk(buffer.subarray(0, at));
    at = 0;
  };
  const write = (text: string): void => {
    // Three bytes at most per UTF-16 code unit (a pair is two units and four bytes).
    if (text.length * 3 > size - at) drain();
    if (text.length * 3 > size) chunk(Buffer.from(text, "utf8"));
    else at += buffer.write(text, at, "utf8");
  };
  const encodeRun = (): void => {
    // A run longer than the buffer holds (a tool's text, see emit/tools.ts' printTool) is encoded into it in slices
    // that each fit it empty (textChunks keeps pairs whole), not into a Buffer of its own: that one was allocated, and
    // the run read twice, once to count its bytes (Kubernetes' tools.ts: 94 runs, 2.7 million characters).
    if (run.length * 3 > size) for (const slice of textChunks(run, Math.max(1, Math.floor(size / 3)))) write(slice);
    else write(run);
    run = "";
  };
  const text = (part: string): void => {
    run += part;
    if (run.length >= size / 4) encodeRun();
  };
  const bytes = (part: Uint8Array): void => {
    if (run !== "") encodeRun();
    if (part.length > size - at) {
      drain();
      if (part.length > size) return chunk(part);
    }
    buffer.set(part, at);
    at += part.length;
  };
  for (const part of parts) forEachPart(part, text, bytes);
  if (run !== "") encodeRun();
  drain();
}

/** Bytes per buffer of encodeParts: under V8's large-object size, and few enough writes. */
const ENCODE_BUFFER = 1 << 16;

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
