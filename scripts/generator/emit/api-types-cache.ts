/**
 * api.ts kept by the content it is made from, so that regenerating after an edit to bridge.yaml (what `npm start`
 * and the edit-and-regenerate loop do) skips openapi-typescript: ~2 s of CPU on GitHub's spec.
 *
 * The key is a SHA-256 of everything api.ts's body depends on: the spec file's bytes, the installed versions of the
 * libraries that make it (and npm's record of everything installed), and the source of the modules here that drive
 * them. A spec that may reference other files is not cached: its bytes alone do not say what it contains.
 *
 * An entry is `<dir>/api-types/<key>.entry`: one line of JSON (the key, the body's length, the notice if any), then
 * the body as it is (JSON-escaping GitHub's 6.5 MB body cost ~30 ms of CPU per write, parsing it back ~50 ms per
 * read). It is written to a temporary file and renamed into place (atomic on one file system), so a reader sees a
 * whole entry or none; one that does not parse, names another key or is shorter than it says is ignored and
 * rewritten. The newest KEEP entries are kept. Any failure to read or write the cache only means rendering again.
 */
import { createHash } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ApiTypes } from "./api-types.ts";

const FORMAT = "mcp-identity-bridge api.ts cache 2";
/** Enough for a few specs edited back and forth; GitHub's entry is 6.5 MB. */
const KEEP = 8;
/** UTF-16 code units of the body encoded at a time into the entry (writeEntry). */
const ENTRY_SLICE = 1 << 20;
/** The modules whose code decides api.ts's body. */
const OUR_CODE = [
  "./api-types.ts",
  "./api-types-refs.ts",
  "./api-types-print.ts",
  "./api-types-direct.ts",
  "./api-types-schema.ts",
  "./api-types-text.ts",
  "./api-types-literals.ts",
  "./api-types-doc.ts",
  "./api-types-operations.ts",
  "./api-types-scan.ts",
  "./openapi-typescript-refs.ts",
  "./openapi-typescript-pointers.ts",
  "./discriminators.ts",
  "./reftools-recurse.ts",
  "./reftools-walks.ts",
  "./reftools-clone.ts",
  "./node-fetch-lazy.ts",
  "../model/refs.ts",
  "./openapi-typescript-load.ts",
  "./typescript-cjs.ts",
];
export const LIBRARIES = ["openapi-typescript", "typescript", "swagger2openapi", "@redocly/openapi-core"];

/**
 * The entry's key, or undefined when this spec is not to be cached (or cannot be read: loading it will say why).
 * `singleFile`: the spec as read references no other file (LoadedSpec.bundled unset), which the walk of its `$ref`s
 * that reading it does anyway tells; a spec that does is not cached. That walk replaced a regular expression over
 * the file's Latin-1 text, whose decoding and search cost ~10 ms of CPU on GitHub's 13 MB spec on one core.
 * `bytes`: the file's content when the caller reads it anyway.
 */
export async function apiTypesKey(specFile: string, singleFile: boolean, bytes: Promise<Buffer> = readFile(specFile)): Promise<string | undefined> {
  if (!singleFile) return undefined;
  let spec: Buffer;
  try {
    spec = await bytes;
  } catch {
    return undefined;
  }
  return createHash("sha256").update(codeFingerprint()).update(spec).digest("hex");
}

export async function readCachedApiTypes(dir: string, key: string): Promise<ApiTypes | undefined> {
  try {
    const text = await readFile(entryPath(dir, key), "utf8");
    const newline = text.indexOf("\n");
    if (newline === -1) return undefined;
    const head = JSON.parse(text.slice(0, newline)) as Partial<EntryHead> | null;
    const body = text.slice(newline + 1);
    if (head?.key !== key || head.length !== body.length) return undefined;
    const types = head.notice === undefined ? { body } : { body, notice: head.notice };
    return isApiTypes(types) ? types : undefined;
  } catch {
    return undefined;
  }
}

export async function writeCachedApiTypes(dir: string, key: string, types: ApiTypes): Promise<void> {
  const folder = join(dir, "api-types");
  const temporary = join(folder, temporaryName(key));
  const head: EntryHead = { key, length: types.length ?? types.body.length, ...(types.notice && { notice: types.notice }) };
  try {
    await mkdir(folder, { recursive: true });
    await writeEntry(temporary, `${JSON.stringify(head)}\n`, types.utf8 ?? types.body);
    await rename(temporary, entryPath(dir, key));
    await prune(folder);
  } catch {
    await rm(temporary, { force: true }).catch(() => {});
  }
}

/**
 * A name for the entry's temporary file that no other writer uses at the same time: this process's id tells it from
 * other runs, a random number from another write in this process. crypto.randomUUID took ~4.6 ms of the api.ts
 * worker's CPU (its first call seeds a buffer of random bytes; Stripe, two cores, profiled), for a name no one reads.
 */
export function temporaryName(key: string): string {
  return `.${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
}

/**
 * Writes the head line, then the body a slice at a time, each encoded into one buffer reused throughout. Joined to
 * the head line and encoded whole, the body (a rope, with some non-Latin-1 characters) was flattened into a string of
 * twice its length and encoded into a buffer of its size: the write took ~53 ms of CPU on Kubernetes' spec, ~43 ms
 * now, GitHub's ~22 -> ~18 ms (one core, medians of 7-9; most of what is left is a full garbage collection V8 finishes
 * while this thread waits on the file). A body already encoded to be written to generated/ is written as it is.
 */
async function writeEntry(path: string, headLine: string, body: string | Uint8Array): Promise<void> {
  const file = await open(path, "w");
  try {
    await writeAll(file, Buffer.from(headLine, "utf8"));
    // Already encoded (ApiTypes.utf8): written as it is.
    if (typeof body !== "string") return await writeAll(file, body);
    const buffer = Buffer.allocUnsafe(Math.min(body.length, ENTRY_SLICE) * 3); // at most three bytes per UTF-16 code unit
    for (let start = 0; start < body.length; ) {
      const end = sliceEnd(body, start);
      await writeAll(file, buffer.subarray(0, buffer.write(body.slice(start, end), 0, "utf8")));
      start = end;
    }
  } finally {
    await file.close();
  }
}

/** write(2) may write less than asked (POSIX): the rest follows, from where it stopped. */
async function writeAll(file: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length; ) at += (await file.write(bytes, at)).bytesWritten;
}

/** The end of the slice of `text` from `start`: ENTRY_SLICE code units, less one rather than split a surrogate pair. */
function sliceEnd(text: string, start: number): number {
  const end = Math.min(start + ENTRY_SLICE, text.length);
  const last = text.charCodeAt(end - 1);
  return end < text.length && last >= 0xd800 && last <= 0xdbff ? end - 1 : end;
}

/** An entry's first line; the body follows as it is, `length` UTF-16 code units (less means a truncated file). */
interface EntryHead {
  key: string;
  length: number;
  notice?: ApiTypes["notice"];
}

export function entryPath(dir: string, key: string): string {
  return join(dir, "api-types", `${key}.entry`);
}

function isApiTypes(value: Partial<ApiTypes> | undefined): value is ApiTypes {
  if (value === null || typeof value !== "object" || typeof value.body !== "string") return false;
  const notice = value.notice as Partial<NonNullable<ApiTypes["notice"]>> | undefined;
  return notice === undefined || (typeof notice.pointer === "string" && typeof notice.message === "string");
}

/** Removes all but the KEEP most recently written entries (and temporary files another run left behind). */
async function prune(folder: string): Promise<void> {
  const names = await readdir(folder);
  if (names.length <= KEEP) return;
  const dated = await Promise.all(names.map(async (name) => ({ name, time: (await stat(join(folder, name)).catch(() => undefined))?.mtimeMs ?? 0 })));
  dated.sort((a, b) => b.time - a.time);
  await Promise.all(dated.slice(KEEP).map(({ name }) => rm(join(folder, name), { force: true })));
}

let fingerprint: string | undefined;

/**
 * Where a library's package.json is: in the project's node_modules, where npm installs the project's own dependencies
 * (test/unit holds this to require.resolve). Resolving them with require.resolve (package.json lookups, `exports`
 * maps, realpath) took ~9 ms of the api.ts worker's CPU (Stripe, two cores, profiled) for the same four paths.
 */
export function libraryPackageJson(name: string): URL {
  return new URL(`../../../node_modules/${name}/package.json`, import.meta.url);
}

/**
 * Our modules' source and the libraries' package.json, read once per process. Read synchronously: the 25 files are
 * small and in the page cache, and fs/promises' readFile (open, stat, read, close, each a trip to the thread pool and
 * a promise) took ~5 ms of CPU for them where readFileSync takes ~1.3 ms (the reads and hash alone, 4 runs each).
 */
function codeFingerprint(): string {
  if (fingerprint === undefined) {
    const files = [
      ...OUR_CODE.map((path) => new URL(path, import.meta.url)),
      ...LIBRARIES.map(libraryPackageJson),
      // npm's record of every installed package and version: a dependency of these libraries updated is a new key.
      new URL("../../../node_modules/.package-lock.json", import.meta.url),
    ];
    const hash = createHash("sha256").update(FORMAT);
    for (let index = 0; index < files.length; index++) hash.update(contentOrNone(files[index]!));
    fingerprint = hash.digest("hex");
  }
  return fingerprint;
}

function contentOrNone(file: URL | string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    return Buffer.from("(none)");
  }
}
