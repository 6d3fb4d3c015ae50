import { generateCorpus } from "./corpus.ts";
import { githubSpecPath } from "../../scripts/corpus/github-spec.ts";
const t = performance.now();
const { result } = await generateCorpus("github", await githubSpecPath(), process.argv[2] ?? "");
console.log("ms", Math.round(performance.now() - t), "rss MB", Math.round(process.memoryUsage().rss / 1e6));
console.log(result.report.tools, result.report.skipped.length, result.report.notices.length, result.report.listing, result.report.text);
for (const f of result.files) console.log(f.name, f.content.length);
for (const p of result.timings) console.log(p.name, Math.round(p.ms));
