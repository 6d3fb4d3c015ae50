/**
 * What the discovery tools answer, as compact JSON text a model reads: search hits within a token budget, and one
 * operation's full description. Pure: the caller decides which operations this caller may see.
 */
import type { ToolDefinition } from "../tools/types.ts";
import type { SearchHit } from "./search.ts";

/** JSON averages about four bytes per token with current tokenizers: an estimate, as in the generator's report. */
const BYTES_PER_TOKEN = 4;

export interface Listed {
  tool: ToolDefinition;
  hit: SearchHit;
  /** Scopes the caller lacks (`visibility: list` operations only); empty when it may call it. */
  missing: readonly string[];
}

interface OperationEntry {
  name: string;
  title?: string;
  summary?: string;
  http: string;
  scopes: readonly string[];
  missingScopes?: readonly string[];
}

/** Key order as a reader scans it: name, title, summary, then the binding and access. */
function entry({ tool, hit, missing }: Listed): OperationEntry {
  return {
    name: tool.name,
    ...(tool.title !== undefined && { title: tool.title }),
    ...(hit.summary !== "" && { summary: hit.summary }),
    http: `${tool.http.method} ${tool.http.path}`,
    scopes: tool.scopes,
    ...(missing.length > 0 && { missingScopes: missing }),
  };
}

/**
 * The best `limit` hits, fewer when the answer would pass `budgetTokens`; `more` counts the matches left out, so
 * the model knows to narrow its query rather than page.
 */
export function searchAnswer(query: string, ranked: readonly Listed[], limit: number, budgetTokens: number, names: { describe: string; call: string }): string {
  const operations: OperationEntry[] = [];
  const note = `Call ${names.describe} with a name for its parameters, then ${names.call}.`;
  const stepUp = "Operations with missingScopes need more access than the user has: calling one asks the user to grant it where the sign-in can, and otherwise says the account lacks it.";
  const render = (more: number): string => {
    const answer: Record<string, unknown> = { query, operations };
    if (more > 0) answer["more"] = more;
    if (operations.length === 0) answer["note"] = "No operation matched: try other words, e.g. the kind of thing it acts on.";
    else answer["note"] = operations.some((op) => op.missingScopes) ? `${note} ${stepUp}` : note;
    return JSON.stringify(answer);
  };
  for (const listed of ranked.slice(0, limit)) {
    operations.push(entry(listed));
    if (byteLength(render(ranked.length - operations.length)) / BYTES_PER_TOKEN > budgetTokens && operations.length > 1) {
      operations.pop();
      break;
    }
  }
  return render(ranked.length - operations.length);
}

/** Everything a model needs to call the operation: the same schema and text a static tools/list would show. */
export function describeAnswer(tool: ToolDefinition, missing: readonly string[]): string {
  return JSON.stringify({
    name: tool.name,
    ...(tool.title !== undefined && { title: tool.title }),
    description: tool.description,
    http: `${tool.http.method} ${tool.http.path}`,
    scopes: tool.scopes,
    ...(missing.length > 0 && { missingScopes: missing }),
    annotations: tool.annotations,
    inputSchema: tool.inputSchema,
    ...(tool.outputSchema !== undefined && { outputSchema: tool.outputSchema }),
  });
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}
