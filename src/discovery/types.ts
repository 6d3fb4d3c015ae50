/**
 * The contract of `generated/discovery.ts`: set when bridge.yaml's `tools.mode` is `discovery` (or `auto` chose it),
 * undefined in static mode. In discovery mode tools/list shows three tools that search, describe and call every
 * operation of generated/tools.ts, which keeps every definition as in static mode.
 */
export interface DiscoveryDefinition {
  /** The API's title (the spec's info.title), named in the tools' descriptions. */
  readonly api: string;
  /** The names of the three tools (bridge.yaml `tools.discovery.names`). */
  readonly names: { readonly search: string; readonly describe: string; readonly call: string };
  /** The largest search answer, in estimated tokens (about four bytes each): fewer hits rather than more text. */
  readonly answerBudgetTokens: number;
  /**
   * Every operation's search index, built at generate time and serialised with MiniSearch's `toJSON` (its options are
   * INDEX_OPTIONS in src/discovery/terms.ts). Loaded once per isolate, on the first search.
   */
  readonly index: string;
}
