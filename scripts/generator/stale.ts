/**
 * Comparing generated files with what is on disk, and writing them: `npm run generate` (and its `--check`) and
 * `npm start`, which regenerates a stale generated/ before running it.
 */
import { mkdir, open, readFile } from "node:fs/promises";
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
    const current = await readFile(path, "utf8").catch(() => undefined);
    if (current === undefined) stale.push({ path, state: "missing" });
    else if (current !== file.content) stale.push({ path, state: "differs" });
  }
  return stale;
}

export async function writeFiles(files: readonly GeneratedFile[], outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  for (const file of files) await writeText(join(outDir, file.name), file.content);
}

/** Writes the text as UTF-8, each chunk encoded by Node's string write into a buffer freed once it is written. */
async function writeText(path: string, text: string): Promise<void> {
  const handle = await open(path, "w");
  try {
    for (const chunk of textChunks(text)) {
      const { bytesWritten } = await handle.write(chunk, null, "utf8");
      // write(2) may write less than asked (RFC-free, POSIX): the rest goes as bytes.
      const bytes = bytesWritten < chunk.length ? Buffer.from(chunk, "utf8") : undefined;
      if (bytes && bytesWritten < bytes.length) await handle.writeFile(bytes.subarray(bytesWritten));
    }
  } finally {
    await handle.close();
  }
}

/** Characters per chunk written: ~1 MB of UTF-8 for ASCII text. */
const CHUNK = 1 << 20;

/**
 * The text in slices that writeFile encodes one at a time. Given the whole string, it makes one Buffer of all of it
 * first: Stripe's 21 MB tools.ts was 21 MB more at the run's peak RSS. No slice ends between the two halves of a
 * surrogate pair, which UTF-8 would encode apart as two U+FFFD (RFC 3629 §3: surrogates are not characters), so the
 * bytes are those of the whole string.
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
