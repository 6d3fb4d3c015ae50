/**
 * Turns ajv's standalone code of a validator compiled without `allErrors` into one that computes only its verdict
 * (valid or not), for spec/meta-schema.ts' first pass: whoever calls it reads its boolean, never its errors.
 *
 * ajv's code builds, at every node it visits, what only errors need: each call to a sub-validator gets an options
 * object with the node's JSON pointer (`instancePath + "/properties/" + key.replace(/~/g, "~0")…`: a string and two
 * regular-expression replacements per property), and each failure, even one a `oneOf` then discards, is an object
 * with that pointer, its schema path and message. The OpenAPI 3.0 schema's `oneOf: [Schema, Reference]` fails its
 * Reference branch at every schema: on GitHub's valid description, ajv's first-error code built 92,585 error objects,
 * all discarded. Here each error object becomes `0` (the code only counts errors: `errors = vErrors.length`,
 * `vErrors.length = n`) and each call passes the node alone.
 * Nothing that decides validity changes: the keyword checks, their order and the error counts are ajv's own.
 *
 * The transform works on TypeScript's syntax tree of the code, and refuses code it does not recognise: any use of
 * the pointer or parent arguments left once it is done means ajv's output changed shape (build.ts then fails).
 */
import ts from "typescript";

/** The context arguments ajv passes down to each validator function (lib/compile/names.ts), unused by a verdict. */
const CONTEXT = ["instancePath", "parentData", "parentDataProperty", "rootData", "dynamicAnchors"] as const;

interface Edit {
  start: number;
  end: number;
  text: string;
}

export function verdictOnly(source: string): string {
  const file = ts.createSourceFile("validator.cjs", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const edits: Edit[] = [];
  const visit = (node: ts.Node): void => {
    // An error object: { instancePath, schemaPath, keyword, params, message } → 0.
    if (ts.isObjectLiteralExpression(node) && isErrorObject(node)) {
      edits.push({ start: node.getStart(file), end: node.end, text: "0" });
      return;
    }
    // validateN(data, { instancePath: …, parentData, parentDataProperty, rootData }) → validateN(data).
    if (ts.isCallExpression(node) && node.arguments.length === 2 && isContext(node.arguments[1]!)) {
      edits.push({ start: node.arguments[0]!.end, end: node.arguments[1]!.end, text: "" });
      ts.forEachChild(node.expression, visit);
      visit(node.arguments[0]!);
      return;
    }
    // function validateN(data, { instancePath = "", parentData, … } = {}) → function validateN(data).
    if (ts.isFunctionDeclaration(node) && node.parameters.length === 2 && isContextParameter(node.parameters[1]!)) {
      edits.push({ start: node.parameters[0]!.end, end: node.parameters[1]!.end, text: "" });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let result = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  const left = CONTEXT.filter((name) => new RegExp(`\\b${name}\\b`).test(result));
  if (edits.length === 0 || left.length > 0) {
    throw new Error(`verdictOnly: ajv's standalone code no longer has the expected shape (${left.join(", ") || "nothing to change"} left)`);
  }
  return uniqueStringsBySet(result);
}

/**
 * ajv's `uniqueItems` over strings (lib/vocabularies/validation/uniqueItems.ts: `required` in every meta-schema, and
 * a few lists in 2.0's) keeps each string's index in an object literal, `indices[item] = i`. Every distinct list of
 * names walks that object through its own chain of hidden classes: on GitHub's description (thousands of `required`
 * lists) it was ~6 % of the 3.0 check. A Set answers the same question. The one string a plain object treats apart is
 * `__proto__`: `indices["__proto__"]` is Object.prototype, never a number, and assigning a number to it does nothing,
 * so ajv never finds it twice; it is skipped here too, so the verdict stays ajv's.
 */
function uniqueStringsBySet(source: string): string {
  const found = source.match(/const indices\d+ = \{\};/g)?.length ?? 0;
  let replaced = 0;
  const result = source.replace(
    /const (indices\d+) = \{\};for\(;(i\d+)--;\)\{let (item\d+) = (data\d*)\[\2\];if\(typeof \3 !== "string"\)\{continue;\}if\(typeof \1\[\3\] == "number"\)\{j\d+ = \1\[\3\];(validate\d+\.errors = \[0\];return false;break;\})\1\[\3\] = \2;\}/g,
    (_match, indices: string, i: string, item: string, data: string, fail: string) => {
      replaced++;
      return `const ${indices} = new Set();for(;${i}--;){let ${item} = ${data}[${i}];if(typeof ${item} !== "string" || ${item} === "__proto__"){continue;}if(${indices}.has(${item})){${fail}${indices}.add(${item});}`;
    },
  );
  if (replaced !== found) throw new Error(`verdictOnly: ajv's uniqueItems code no longer has the expected shape (${replaced} of ${found} recognised)`);
  return result;
}

function propertyNames(node: ts.ObjectLiteralExpression | ts.ObjectBindingPattern): string[] {
  const names: string[] = [];
  for (const element of ts.isObjectLiteralExpression(node) ? node.properties : node.elements) {
    const name = element.name;
    names.push(name !== undefined && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : "");
  }
  return names;
}

function isErrorObject(node: ts.ObjectLiteralExpression): boolean {
  const names = propertyNames(node);
  return names[0] === "instancePath" && names.includes("schemaPath") && names.includes("keyword");
}

function isContext(node: ts.Expression): boolean {
  return ts.isObjectLiteralExpression(node) && propertyNames(node).every((name) => (CONTEXT as readonly string[]).includes(name));
}

function isContextParameter(parameter: ts.ParameterDeclaration): boolean {
  return ts.isObjectBindingPattern(parameter.name) && propertyNames(parameter.name).every((name) => (CONTEXT as readonly string[]).includes(name));
}
