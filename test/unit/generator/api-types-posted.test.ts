/**
 * api.ts as the worker posts it (scripts/generator/emit/api-types-protocol.ts: its body's UTF-8 in a transferred
 * buffer) and as the main thread writes it from those bytes (api-types-file.ts' apiTypesGeneratedFile): held to the
 * text path, the whole file's text as apiTypesFile makes it, byte for byte when written, compared and read. On one core
 * the types rendered here carry their body's UTF-8 too (withUtf8), for api.ts and the api.ts cache's entry.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import type { ApiTypes } from "../../../scripts/generator/emit/api-types.ts";
import { entryPath, readCachedApiTypes, writeCachedApiTypes } from "../../../scripts/generator/emit/api-types-cache.ts";
import { apiTypesFile, apiTypesGeneratedFile, withUtf8 } from "../../../scripts/generator/emit/api-types-file.ts";
import { postedApiTypes, receivedApiTypes, type PostedApiTypes } from "../../../scripts/generator/emit/api-types-protocol.ts";
import { staleFiles, writeFiles } from "../../../scripts/generator/stale.ts";

/** Text beyond Latin-1 (V8 holds it two bytes per character), a pair and Latin-1, longer than a write buffer. */
const BODY = `export interface paths {\n  /** Price in € — 😀 é ${"x".repeat(70_000)} end */\n}\n`;
/** A lone surrogate: written as U+FFFD's bytes either way, so its text comes back as U+FFFD. */
const LONE = "/** \ud800 */\n";
const NOTICE = { pointer: "#", message: "api.ts: a notice" };
const SPEC_PATH = "openapi/ünïcode.json";

/** What the main thread receives: the message posted over a port with its transfer list, as the worker does. */
function throughPort(types: ApiTypes): ApiTypes {
  const { port1, port2 } = new MessageChannel();
  const { message, transfer } = postedApiTypes(types);
  port1.postMessage(message, transfer);
  const received = receiveMessageOnPort(port2)!.message as { types: PostedApiTypes };
  port1.close();
  expect(message.types.utf8.byteLength).toBe(0); // transferred, not copied
  return receivedApiTypes(received.types);
}

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("api.ts posted as UTF-8", () => {
  it("keeps the body and the notice; a short body's buffer is its own, not Node's shared pool", () => {
    const types = throughPort({ body: BODY, notice: NOTICE });
    expect(types.body).toBe(BODY);
    expect(types.notice).toEqual(NOTICE);
    expect(Buffer.from(types.utf8!).equals(Buffer.from(BODY, "utf8"))).toBe(true);
    const short = postedApiTypes({ body: "export {};\n" });
    expect(short.transfer[0]!.byteLength).toBe(short.message.types.utf8.byteLength);
    expect("notice" in throughPort({ body: "" })).toBe(false);
    expect(Buffer.from(throughPort({ body: LONE }).utf8!).equals(Buffer.from(LONE, "utf8"))).toBe(true);
  });

  it("is written, compared and read as the file apiTypesFile makes from the text", async () => {
    const dir = await mkdtemp(join(tmpdir(), "api-types-posted-"));
    dirs.push(dir);
    const expected = apiTypesFile({ body: BODY }, SPEC_PATH);
    const file = apiTypesGeneratedFile(throughPort({ body: BODY }), SPEC_PATH);
    expect(file.name).toBe("api.ts");
    expect(file.parts).toBeDefined();
    expect(file.content).toBe(expected);
    await writeFiles([file], dir);
    expect((await readFile(join(dir, "api.ts"))).equals(Buffer.from(expected, "utf8"))).toBe(true);
    expect(await staleFiles([apiTypesGeneratedFile(throughPort({ body: BODY }), SPEC_PATH)], dir)).toEqual([]);
    await writeFile(join(dir, "api.ts"), expected.replace("end", "End"));
    const changed = await staleFiles([apiTypesGeneratedFile(throughPort({ body: BODY }), SPEC_PATH)], dir);
    expect(changed).toEqual([{ path: join(dir, "api.ts"), state: "differs" }]);
    await writeFiles([apiTypesGeneratedFile(throughPort({ body: LONE }), SPEC_PATH)], dir);
    expect((await readFile(join(dir, "api.ts"))).equals(Buffer.from(apiTypesFile({ body: LONE }, SPEC_PATH), "utf8"))).toBe(true);
  });

  it("types rendered or read from the cache on this thread are written from their text, as before", () => {
    const file = apiTypesGeneratedFile({ body: BODY }, SPEC_PATH);
    expect(file).toEqual({ name: "api.ts", content: apiTypesFile({ body: BODY }, SPEC_PATH) });
  });
});

describe("api.ts rendered on this thread, encoded once (withUtf8)", () => {
  it("is written as its text is, to generated/ and to the api.ts cache", async () => {
    const dir = await mkdtemp(join(tmpdir(), "api-types-utf8-"));
    dirs.push(dir);
    for (const body of [BODY, LONE]) {
      const types = withUtf8({ body, notice: NOTICE });
      expect(types.body).toBe(body);
      expect(types.notice).toEqual(NOTICE);
      const file = apiTypesGeneratedFile(types, SPEC_PATH);
      expect(file.parts).toBeDefined();
      await writeFiles([file], dir);
      expect((await readFile(join(dir, "api.ts"))).equals(Buffer.from(apiTypesFile({ body }, SPEC_PATH), "utf8"))).toBe(true);
      await writeCachedApiTypes(dir, "text", { body, notice: NOTICE });
      await writeCachedApiTypes(dir, "bytes", types);
      const [fromText, fromBytes] = [await readFile(entryPath(dir, "text"), "utf8"), await readFile(entryPath(dir, "bytes"), "utf8")];
      expect(fromBytes.replace('"bytes"', '"text"')).toBe(fromText);
      expect(await readCachedApiTypes(dir, "bytes")).toEqual(await readCachedApiTypes(dir, "text"));
    }
    expect((await readCachedApiTypes(dir, "bytes"))!.body).toBe(LONE.replace("\ud800", "\ufffd"));
  });
});
