/**
 * The corpus suite: real-world specs (test/corpus/corpora.ts) generated once each, then
 *
 * - coverage.suite.ts: every operation becomes one tool or one reported skip; names, input keys, parameters and
 *   body properties survive; the output typechecks and is reproducible;
 * - dry-run.suite.ts: arguments made from the raw spec pass the generated validator and build the request the spec
 *   implies; invalid arguments are rejected with an issue naming them.
 *
 * One test file on purpose: both suites read the same generated output, and generating ~65 specs twice (once per
 * test file, each in its own worker) cost half the suite's time.
 */
import "./coverage.suite.ts";
import "./dry-run.suite.ts";
