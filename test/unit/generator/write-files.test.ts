import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Printed, TextBlock } from "../../../scripts/generator/emit/literal.ts";
import { encodeParts, stageFiles, staleFiles, textChunks, writeFiles } from "../../../scripts/generator/stale.ts";

/**
 * A file's parts as tools.ts gives them, and their text: a kept block (its bytes made when first written) used twice,
 * holding another, beside text and a block that is not kept; text longer than a write buffer; pairs and Latin-1.
 */
function someParts(): { parts: Printed[]; text: string } {
  const inner: TextBlock = { parts: ["x".repeat(70_000), "é"], kept: true };
  const kept: TextBlock = { parts: ["{\n  a: ", inner, ",\n  b: 😀\n}"], kept: true };
  const parts: Printed[] = ["const a = 1;\n", kept, "\n", { parts: ["[", kept, ", ", inner, "]"], kept: false }, "é😀".repeat(1 << 15), "\n"];
  const keptText = `{\n  a: ${"x".repeat(70_000)}é,\n  b: 😀\n}`;
  return { parts, text: `const a = 1;\n${keptText}\n[${keptText}, ${"x".repeat(70_000)}é]${"é😀".repeat(1 << 15)}\n` };
}

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("writeFiles", () => {
  it("writes each file's UTF-8 bytes, also where a chunk boundary falls inside a surrogate pair", async () => {
    const dir = await mkdtemp(join(tmpdir(), "write-files-"));
    dirs.push(dir);
    // 😀 (U+1F600) is two UTF-16 code units; placed across the 1 MiB chunk boundary.
    const text = `${"a".repeat((1 << 20) - 1)}😀é${"b".repeat(1 << 20)}😀`;
    await writeFiles([{ name: "big.ts", content: text }, { name: "small.md", content: "ü\n" }, { name: "empty.ts", content: "" }], dir);
    expect(await readFile(join(dir, "empty.ts"), "utf8")).toBe("");
    expect((await readFile(join(dir, "big.ts"))).equals(Buffer.from(text, "utf8"))).toBe(true);
    expect(await readFile(join(dir, "small.md"), "utf8")).toBe("ü\n");
  });

  it("writes a file given in parts as their text, never reading its content", async () => {
    const dir = await mkdtemp(join(tmpdir(), "write-files-"));
    dirs.push(dir);
    const { parts, text } = someParts();
    const file = { name: "tools.ts", parts, get content(): string { throw new Error("content read"); } };
    await writeFiles([file], dir);
    expect(await readFile(join(dir, "tools.ts"), "utf8")).toBe(text);
  });
});

describe("stageFiles (written while the spec is validated)", () => {
  async function folderWithOldFiles(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "stage-files-"));
    dirs.push(dir);
    await writeFile(join(dir, "tools.ts"), "old tools");
    await writeFile(join(dir, "api.ts"), "old api");
    return dir;
  }
  const files = [{ name: "tools.ts", parts: ["new\n", "tools"], content: "new\ntools" }, { name: "TOOLS.md", content: "new docs" }];

  it("puts nothing in place until the rest are written; then every file is there and no temporary one", async () => {
    const dir = await folderWithOldFiles();
    const staged = stageFiles(files, dir);
    expect(await readFile(join(dir, "tools.ts"), "utf8")).toBe("old tools");
    expect((await readdir(dir)).filter((name) => !name.startsWith("."))).toEqual(["api.ts", "tools.ts"]);
    await writeFiles([...files, { name: "api.ts", content: "new api" }], dir, staged);
    expect((await readdir(dir)).sort()).toEqual(["TOOLS.md", "api.ts", "tools.ts"]);
    expect(await readFile(join(dir, "tools.ts"), "utf8")).toBe("new\ntools");
    expect(await readFile(join(dir, "api.ts"), "utf8")).toBe("new api");
  });

  it("a file added later (api.ts, posted by the worker before it validates) is put in place or discarded with the rest", async () => {
    const dir = await folderWithOldFiles();
    const staged = stageFiles(files, dir);
    staged.add([{ name: "api.ts", content: "new api" }]);
    expect(await readFile(join(dir, "api.ts"), "utf8")).toBe("old api");
    expect([...staged.names].sort()).toEqual(["TOOLS.md", "api.ts", "tools.ts"]);
    await writeFiles([...files, { name: "api.ts", content: "new api" }], dir, staged);
    expect((await readdir(dir)).sort()).toEqual(["TOOLS.md", "api.ts", "tools.ts"]);
    expect(await readFile(join(dir, "api.ts"), "utf8")).toBe("new api");

    const other = await folderWithOldFiles();
    const discarded = stageFiles(files, other);
    discarded.add([{ name: "api.ts", content: "new api" }]);
    discarded.discard();
    expect((await readdir(other)).sort()).toEqual(["api.ts", "tools.ts"]);
    expect(await readFile(join(other, "api.ts"), "utf8")).toBe("old api");
  });

  it("leaves a file that holds its content already as it is, and replaces one that differs anywhere: parts or whole", async () => {
    const dir = await mkdtemp(join(tmpdir(), "stage-files-"));
    dirs.push(dir);
    const { text } = someParts();
    // Differing past the first 64 KiB buffer (what matched is copied from the old file), in the first, at the end.
    const onDisk = {
      same: text,
      changed: `${text.slice(0, 70_000)}y${text.slice(70_001)}`,
      first: `y${text.slice(1)}`,
      longer: `${text}\n`,
      shorter: text.slice(0, -1),
      empty: "",
    };
    const names = [...Object.keys(onDisk), "missing"];
    const asParts = (name: string) => ({ name, parts: someParts().parts, get content(): string { throw new Error("content read"); } });
    for (const given of ["parts", "whole"] as const) {
      await writeFiles(Object.entries(onDisk).map(([name, content]) => ({ name, content })), dir);
      const inodes = new Map(await Promise.all(Object.keys(onDisk).map(async (name) => [name, (await stat(join(dir, name))).ino] as const)));
      const newFiles = names.map((name) => (given === "parts" ? asParts(name) : { name, content: text }));
      const staged = stageFiles(newFiles, dir);
      await writeFiles(newFiles, dir, staged);
      for (const name of names) expect((await readFile(join(dir, name))).equals(Buffer.from(text, "utf8"))).toBe(true);
      expect((await stat(join(dir, "same"))).ino).toBe(inodes.get("same"));
      for (const name of ["changed", "first", "longer", "shorter", "empty"]) expect((await stat(join(dir, name))).ino).not.toBe(inodes.get(name));
      expect((await readdir(dir)).filter((name) => name.startsWith("."))).toEqual([]);
      await rm(join(dir, "missing"));
    }
  });

  it("discarded (an invalid spec, --strict), leaves the folder as it was, and removes a folder it created", async () => {
    const dir = await folderWithOldFiles();
    stageFiles(files, dir).discard();
    expect((await readdir(dir)).sort()).toEqual(["api.ts", "tools.ts"]);
    expect(await readFile(join(dir, "tools.ts"), "utf8")).toBe("old tools");
    const fresh = join(dir, "out", "generated");
    stageFiles(files, fresh).discard();
    expect((await readdir(dir)).sort()).toEqual(["api.ts", "tools.ts"]);
  });
});

describe("staleFiles", () => {
  it("compares a file given in parts with what is on disk without reading its content: same, changed, longer, shorter", async () => {
    const dir = await mkdtemp(join(tmpdir(), "stale-files-"));
    dirs.push(dir);
    const { text } = someParts();
    const asParts = (name: string) => ({ name, parts: someParts().parts, get content(): string { throw new Error("content read"); } });
    const onDisk = { same: text, changed: `${text.slice(0, 70_000)}y${text.slice(70_001)}`, longer: `${text}\n`, shorter: text.slice(0, -1) };
    await writeFiles(Object.entries(onDisk).map(([name, content]) => ({ name, content })), dir);
    const stale = await staleFiles([...Object.keys(onDisk), "missing"].map(asParts), dir);
    expect(stale.map(({ path, state }) => [path.slice(dir.length + 1), state])).toEqual([
      ["changed", "differs"],
      ["longer", "differs"],
      ["shorter", "differs"],
      ["missing", "missing"],
    ]);
  });

  it("compares a file given whole byte for byte, a buffer at a time: same, changed past a buffer, longer, shorter, missing, a folder", async () => {
    const dir = await mkdtemp(join(tmpdir(), "stale-files-"));
    dirs.push(dir);
    // Longer than a compare buffer (64 KiB), pairs and Latin-1 across the slices' boundaries.
    const text = `${"a".repeat(21_844)}😀${"é😀x".repeat(40_000)}\n`;
    const onDisk = { same: text, changed: `${text.slice(0, -2)}y\n`, longer: `${text} `, shorter: text.slice(0, -1), empty: "" };
    await writeFiles(Object.entries(onDisk).map(([name, content]) => ({ name, content })), dir);
    await mkdir(join(dir, "folder"));
    const names = [...Object.keys(onDisk), "missing", "folder"];
    const stale = await staleFiles(names.map((name) => ({ name, content: name === "empty" ? "" : text })), dir);
    expect(stale.map(({ path, state }) => [path.slice(dir.length + 1), state])).toEqual([
      ["changed", "differs"],
      ["longer", "differs"],
      ["shorter", "differs"],
      ["missing", "missing"],
      ["folder", "missing"],
    ]);
  });

  it("a text with a lone surrogate is up to date once written (compared as the bytes a generate writes)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "stale-files-"));
    dirs.push(dir);
    const file = { name: "lone.md", content: "a \ud800 b" };
    await writeFiles([file], dir);
    expect(await staleFiles([file], dir)).toEqual([]);
  });
});

describe("encodeParts", () => {
  it.each([8, 100, 1 << 16])("hands on the parts' UTF-8 in order, in buffers of %i bytes or parts longer than one", (size) => {
    const { parts, text } = someParts();
    for (let pass = 0; pass < 2; pass++) {
      const chunks: Buffer[] = [];
      encodeParts(parts, (bytes) => void chunks.push(Buffer.from(bytes)), size);
      expect(Buffer.concat(chunks).equals(Buffer.from(text, "utf8"))).toBe(true);
    }
  });

  it.each([8, 9, 100])("encodes a text longer than its %i-byte buffer into it in slices, no pair split", (size) => {
    // Pairs at every offset, so that some fall where a slice ends.
    const long = Array.from({ length: 60 }, (_, i) => "ab😀é".slice(0, 1 + (i % 5)) + "😀").join("");
    const parts: Printed[] = ["x", long, "y😀", long];
    const chunks: Buffer[] = [];
    encodeParts(parts, (bytes) => void chunks.push(Buffer.from(bytes)), size);
    expect(Buffer.concat(chunks).equals(Buffer.from(`x${long}y😀${long}`, "utf8"))).toBe(true);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(size);
  });

  it("encodes a kept block once, when first written, and then lets its parts go", () => {
    const { parts } = someParts();
    const kept = parts[1] as TextBlock;
    encodeParts(parts, () => {});
    const bytes = kept.bytes;
    expect(bytes).toBeDefined();
    expect(kept.parts).toBeUndefined();
    encodeParts(parts, () => {});
    expect(kept.bytes).toBe(bytes);
  });

  it("reads parts given once, as they come (tools.ts prints its parts only when they are written)", () => {
    function* printed(): Generator<Printed> {
      yield* ["a\n", "b😀", { parts: ["c".repeat(100)], kept: true }, "\n"];
    }
    const chunks: Buffer[] = [];
    encodeParts(printed(), (bytes) => void chunks.push(Buffer.from(bytes)), 8);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(`a\nb😀${"c".repeat(100)}\n`);
  });
});

describe("textChunks", () => {
  it.each([1, 2, 3, 7])("slices of at most %i characters (or one pair) that join to the text, no pair split", (size) => {
    const text = "x😀😀y😀zz😀";
    const chunks = [...textChunks(text, size)];
    expect(chunks.join("")).toBe(text);
    for (const chunk of chunks) {
      expect(Buffer.from(chunk, "utf8").toString("utf8")).toBe(chunk);
      expect(chunk.length).toBeLessThanOrEqual(Math.max(size, 2));
    }
  });

  it("gives nothing for an empty text", () => {
    expect([...textChunks("")]).toEqual([]);
  });
});
