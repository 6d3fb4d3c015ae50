/**
 * generated/tools.ts as `generate` hands it to the CLI: parts printed only when they are iterated, so the writes and
 * `--check` (which reads `content`) each get the whole file, the same text every time.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { textOf } from "../../scripts/generator/emit/literal.ts";
import { encodeParts } from "../../scripts/generator/stale.ts";
import { generate } from "../../scripts/generator/index.ts";
import { ROOT } from "../helpers/corpus.ts";

it("prints tools.ts' parts afresh at each iteration, the committed file each time", async () => {
  const { files } = await generate({ configPath: join(ROOT, "bridge.yaml"), outDir: join(ROOT, "generated") });
  const tools = files.find((file) => file.name === "tools.ts")!;
  const committed = await readFile(join(ROOT, "generated", "tools.ts"), "utf8");
  expect([...tools.parts!].map(textOf).join("")).toBe(committed);
  expect([...tools.parts!].map(textOf).join("")).toBe(committed);
  const written: Buffer[] = [];
  encodeParts(tools.parts!, (bytes) => void written.push(Buffer.from(bytes)));
  expect(Buffer.concat(written).toString("utf8")).toBe(committed);
  expect(tools.content).toBe(committed);
});
