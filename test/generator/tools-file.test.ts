/**
 * generated/tools.ts as `generate` hands it to the CLI: lines printed only when they are iterated, so the writes and
 * `--check` (which reads `content`) each get the whole file, the same text every time.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { generate } from "../../scripts/generator/index.ts";
import { ROOT } from "../helpers/corpus.ts";

it("prints tools.ts' lines afresh at each iteration, the committed file each time", async () => {
  const { files } = await generate({ configPath: join(ROOT, "bridge.yaml"), outDir: join(ROOT, "generated") });
  const tools = files.find((file) => file.name === "tools.ts")!;
  const committed = await readFile(join(ROOT, "generated", "tools.ts"), "utf8");
  expect([...tools.lines!].join("\n")).toBe(committed);
  expect([...tools.lines!].join("\n")).toBe(committed);
  expect(tools.content).toBe(committed);
});
