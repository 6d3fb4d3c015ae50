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
 * Nothing that decides validity changes: the keyword checks, their order and the error counts are ajv's own, but for
 * two questions answered more cheaply with the same answer (uniqueStringsBySet, presenceFromKeys; each held to ajv
 * by test/unit/spec/meta-schema.test.ts).
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
  const result = applied(source, edits);
  const left = CONTEXT.filter((name) => new RegExp(`\\b${name}\\b`).test(result));
  if (edits.length === 0 || left.length > 0) {
    throw new Error(`verdictOnly: ajv's standalone code no longer has the expected shape (${left.join(", ") || "nothing to change"} left)`);
  }
  return sharedRegisters(errorsWithoutConstants(presenceFromKeys(uniqueItemsByName(uniqueStringsBySet(result)))));
}

/**
 * Each `const`/`let` ajv declares in a block (`const _errsN = errors;`, `let dataN = data.P;`…: names unique in their
 * function) becomes an assignment to a variable declared once at the top of its validator function, the variables
 * shared between blocks whose lifetimes do not overlap. V8 gives every declared variable of a function its own
 * register, and its unoptimised code fills the whole frame at every call: the 3.0 Schema Object's validator had 228
 * registers, now 95, and is called 44,225 times on GitHub's description. The 3.0 validator alone on the parsed spec,
 * one core, cold, 7 alternating runs: GitHub ~54.1 → ~52.2 ms, Stripe ~23.5 → ~22.6 (the 2.0 one on Kubernetes:
 * no difference).
 *
 * A declaration's variable is numbered by how many of the enclosing blocks' declarations come before it, plus its
 * place in its own block: a block's variables are dead once it ends, and the next declaration of an enclosing block,
 * or a sibling block, takes their numbers. Without nested functions nothing outlives its block, so one variable per
 * number holds them all; `let x;` becomes `x = undefined`, as a fresh binding would be (in a loop too). The shared
 * variables are declared with `var` at the function's end (hoisted), so its head stays ajv's (build.ts edits after
 * it). The transform refuses code with a nested function, a destructuring declaration, a name declared twice or a
 * name of its own form.
 */
function sharedRegisters(source: string): string {
  if (/\bshared\d+\b/.test(source)) throw new Error("verdictOnly: ajv's code already uses a name of the form sharedN");
  const file = ts.createSourceFile("validator.cjs", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const edits: Edit[] = [];
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.body !== undefined) edits.push(...sharedInFunction(statement.body, file));
  }
  return applied(source, edits);
}

/**
 * The source with the edits made, in one pass: sharedRegisters makes thousands (one per use of a renamed variable),
 * and splicing each into the whole text copied it as often.
 */
function applied(source: string, edits: Edit[]): string {
  // By start; at one position, an insertion (start === end) before the replacement that starts there.
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  const parts: string[] = [];
  let at = 0;
  for (const edit of edits) {
    if (edit.start < at) throw new Error("verdictOnly: overlapping edits");
    parts.push(source.slice(at, edit.start), edit.text);
    at = edit.end;
  }
  parts.push(source.slice(at));
  return parts.join("");
}

/** The edits that give one function's block-scoped variables shared ones (see sharedRegisters). */
function sharedInFunction(body: ts.Block, file: ts.SourceFile): Edit[] {
  const edits: Edit[] = [];
  /** Each renamed variable's shared name; the declarations' own names, which are edited apart. */
  const shared = new Map<string, string>();
  const declared = new Set<ts.Node>();
  let count = 0;
  const visitBlock = (block: ts.Block, first: number): void => {
    let next = first;
    for (const inner of block.statements) {
      // The function's own variables (vErrors, errors: ajv's head, which build.ts looks for) keep theirs.
      if (block !== body && ts.isVariableStatement(inner) && (inner.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) !== 0) {
        const declarations = inner.declarationList.declarations;
        // `const a = 1, b = 2;` → `sharedI = 1, sharedJ = 2;`: the keyword goes, each name is replaced.
        edits.push({ start: inner.getStart(file), end: declarations[0]!.getStart(file), text: "" });
        for (const declaration of declarations) {
          if (!ts.isIdentifier(declaration.name)) throw new Error("verdictOnly: a destructuring declaration in ajv's code");
          if (shared.has(declaration.name.text)) throw new Error(`verdictOnly: ${declaration.name.text} is declared twice in one function`);
          const name = `shared${next++}`;
          count = Math.max(count, next);
          shared.set(declaration.name.text, name);
          declared.add(declaration.name);
          edits.push({ start: declaration.name.getStart(file), end: declaration.name.end, text: declaration.initializer ? name : `${name} = undefined` });
        }
      }
      const descend = (node: ts.Node): void => {
        if (ts.isFunctionLike(node)) throw new Error("verdictOnly: a nested function in ajv's code");
        if (ts.isBlock(node)) return visitBlock(node, next);
        ts.forEachChild(node, descend);
      };
      descend(inner);
    }
  };
  visitBlock(body, 0);
  if (count === 0) return edits;
  const rename = (node: ts.Node): void => {
    if (!ts.isIdentifier(node)) return ts.forEachChild(node, rename);
    const name = shared.get(node.text);
    if (name === undefined || declared.has(node)) return;
    const parent = node.parent;
    if (ts.isShorthandPropertyAssignment(parent)) throw new Error(`verdictOnly: ${node.text} in a shorthand property`);
    if ((ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent)) && parent.name === node) return;
    edits.push({ start: node.getStart(file), end: node.end, text: name });
  };
  rename(body);
  // Declared last, with `var` (hoisted, no temporal dead zone), so that the function still starts as ajv wrote it.
  const names = Array.from({ length: count }, (_, i) => `shared${i}`).join(", ");
  edits.push({ start: body.end - 1, end: body.end - 1, text: `var ${names};` });
  return edits;
}

/**
 * ajv's code records each error as `const errN = <the error>;if(vErrors === null){vErrors = [errN];}else
 * {vErrors.push(errN);}`: once the error objects are `0` (or an empty object, which ajv writes for a failed `not`),
 * the constant only holds that value, and the number `0` is pushed in its place. Each constant is one more register
 * in its function's frame, which V8's unoptimised code fills at every call: the 3.0 Schema Object's validator holds
 * ~30 of them among ~250 registers and is called 44,225 times on GitHub's description. GitHub's 3.0 check, the
 * validator alone on the parsed spec, one core, cold, 7 alternating runs: ~62 → ~54.5 ms of CPU. Only the count of
 * errors decides a verdict (`errors = vErrors.length`), never what they hold.
 */
function errorsWithoutConstants(source: string): string {
  const declared = source.match(/\bconst err\d+ = /g)?.length ?? 0;
  let replaced = 0;
  const result = source.replace(
    /const (err\d+) = (?:0|\{\});if\(vErrors === null\)\{vErrors = \[\1\];\}else \{vErrors\.push\(\1\);\}/g,
    () => {
      replaced++;
      return "if(vErrors === null){vErrors = [0];}else {vErrors.push(0);}";
    },
  );
  if (replaced !== declared || /\berr\d+\b/.test(result)) {
    throw new Error(`verdictOnly: ajv's error recording no longer has the expected shape (${replaced} of ${declared} recognised)`);
  }
  return result;
}

/**
 * Where a schema has `properties` and `additionalProperties: false`, ajv's code first loops over the object's keys
 * (each must be one of the properties, `funcN.call(schemaN.properties, key)`, or match a pattern) and then asks
 * `data.P !== undefined` of every property P in turn: the OpenAPI 3.0 Schema Object's ~35, at each of GitHub's
 * 44,000 schemas. Objects of thousands of shapes make each of those reads a megamorphic lookup, mostly missing: ~75 %
 * of the 3.0 check's time. Here the key loop also notes which properties it met, in bit sets (`presentN`), and the
 * questions read the bits. Each question comes after the loop has gone through every key (otherwise the function has
 * returned), and is asked of the same object; for the objects a parser makes (plain objects, no value `undefined`, no
 * property on their prototype named like a schema property: such a name keeps its read), "P is a key of it" is
 * `data.P !== undefined`. So the verdict is the same.
 *
 * A key the loop finds a bit for is one of the properties, so the loop's own check of it (`funcN.call(…)`, true) can do
 * nothing: where that check is all the loop body holds after the lookup, the loop goes on to the next key at once
 * (`continue`), sparing a `hasOwnProperty` call through `.call` per known key (GitHub's 3.0 check, in process on one
 * core: ~79 → ~74.5 ms of CPU).
 */
function presenceFromKeys(source: string): string {
  const file = ts.createSourceFile("validator.cjs", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const schemas = new Map<string, { properties?: Record<string, unknown> }>();
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && /^schema\d+$/.test(declaration.name.text) && declaration.initializer && ts.isObjectLiteralExpression(declaration.initializer)) {
        schemas.set(declaration.name.text, JSON.parse(declaration.initializer.getText(file)) as { properties?: Record<string, unknown> });
      }
    }
  }
  const edits: Edit[] = [];
  const bitMaps: string[] = [];
  let loops = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isBlock(node)) node.statements.forEach((statement, index) => {
      const loop = keysLoop(statement, file);
      if (loop === undefined) return;
      const properties = schemas.get(loop.schema)?.properties;
      if (properties === undefined) throw new Error(`verdictOnly: ${loop.schema} has no properties`);
      const names = Object.keys(properties).filter((name) => !(name in Object.prototype));
      const words = Math.ceil(names.length / 30);
      const word = (i: number) => `${loop.key}Present${Math.floor(i / 30)}`;
      const variables = Array.from({ length: words }, (_, w) => `${loop.key}Present${w} = 0`).join(", ");
      edits.push({ start: statement.getStart(file), end: statement.getStart(file), text: `let ${variables};` });
      edits.push({ start: loop.bodyStart, end: loop.bodyStart, text: noteKey(loop.key, names, word, loop.checkOnly, bitMaps) });
      const bits = new Map(names.map((name, i) => [name, `(${word(i)} & ${2 ** (i % 30)}) !== 0`]));
      const replace = (inner: ts.Node): void => {
        const question = presenceQuestion(inner, loop.data);
        const answer = question === undefined ? undefined : bits.get(question);
        if (answer !== undefined) {
          edits.push({ start: inner.getStart(file), end: inner.end, text: answer });
          return;
        }
        ts.forEachChild(inner, replace);
      };
      for (const later of node.statements.slice(index + 1)) replace(later);
      loops++;
    });
    ts.forEachChild(node, visit);
  };
  visit(file);
  const found = source.match(/\.call\(schema\d+\.properties, key\d+\)/g)?.length ?? 0;
  if (loops !== found) throw new Error(`verdictOnly: ajv's properties loops no longer have the expected shape (${loops} of ${found} recognised)`);
  // The maps are module constants, declared after the "use strict" directive (the validators run once the module is loaded).
  const directive = file.statements[0];
  if (directive === undefined || !ts.isExpressionStatement(directive) || directive.expression.getText(file) !== '"use strict"') {
    throw new Error("verdictOnly: ajv's standalone code no longer starts with \"use strict\"");
  }
  edits.push({ start: directive.end, end: directive.end, text: bitMaps.join("") });
  return applied(source, edits);
}

/**
 * The start of a properties loop's body: the bit of the property the key names set in its word, then, when the loop's
 * own check is all that follows (`checkOnly`), on to the next key. The bit is looked up in a Map (a module constant,
 * added to `bitMaps`) rather than found by a `switch` over the names: in V8's unoptimised code (TurboFan is held back,
 * generator/jit.mjs) a switch on strings compares the key with each case in turn, ~35 of them in the 3.0 Schema
 * Object's loop, at each key of each of GitHub's 44,000 schemas. Map.get answers with one hash lookup: GitHub's 3.0
 * check ~65 → ~58.5 ms of CPU, Stripe's ~27 → ~24.5 ms (the validator alone on the parsed spec, one core, 5 runs each).
 * A word's bits are positive numbers, the second word's stored negated; no schema here has more than 60 properties.
 */
function noteKey(key: string, names: readonly string[], word: (i: number) => string, checkOnly: boolean, bitMaps: string[]): string {
  if (names.length > 60) throw new Error(`verdictOnly: a properties loop over ${names.length} names (the bit maps hold two words)`);
  const map = `presentBits${bitMaps.length}`;
  const entries = names.map((name, i) => `[${JSON.stringify(name)}, ${i < 30 ? 2 ** i : -(2 ** (i % 30))}]`).join(", ");
  bitMaps.push(`const ${map} = new Map([${entries}]);`);
  const set = names.length <= 30 ? `${word(0)} |= bit;` : `if (bit > 0) ${word(0)} |= bit; else ${word(30)} |= -bit;`;
  return `{const bit = ${map}.get(${key}); if (bit !== undefined) {${set}${checkOnly ? " continue;" : ""}}}`;
}

/**
 * `for (const keyN in data) { if (!((funcM.call(schemaN.properties, keyN)) || …)) …` : its parts, or undefined;
 * `checkOnly` when that `if`, without an `else`, is the whole body.
 */
function keysLoop(statement: ts.Statement, file: ts.SourceFile): { key: string; data: string; schema: string; bodyStart: number; checkOnly: boolean } | undefined {
  if (!ts.isForInStatement(statement) || !ts.isIdentifier(statement.expression) || !ts.isBlock(statement.statement)) return undefined;
  const list = statement.initializer;
  if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1 || !ts.isIdentifier(list.declarations[0]!.name)) return undefined;
  const key = list.declarations[0]!.name.text;
  const first = statement.statement.statements[0];
  if (first === undefined || !ts.isIfStatement(first)) return undefined;
  const match = new RegExp(`^!\\(\\(func\\d+\\.call\\((schema\\d+)\\.properties, ${key}\\)\\)`).exec(first.expression.getText(file));
  if (match === null) return undefined;
  const checkOnly = statement.statement.statements.length === 1 && first.elseStatement === undefined;
  return { key, data: statement.expression.text, schema: match[1]!, bodyStart: statement.statement.getStart(file) + 1, checkOnly };
}

/** P, when the node is `data.P !== undefined` (or `data["P"] !== undefined`) of the given identifier. */
function presenceQuestion(node: ts.Node, data: string): string | undefined {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.ExclamationEqualsEqualsToken) return undefined;
  if (!ts.isIdentifier(node.right) || node.right.text !== "undefined") return undefined;
  const read = node.left;
  if (ts.isPropertyAccessExpression(read) && ts.isIdentifier(read.expression) && read.expression.text === data && ts.isIdentifier(read.name)) return read.name.text;
  if (ts.isElementAccessExpression(read) && ts.isIdentifier(read.expression) && read.expression.text === data && ts.isStringLiteral(read.argumentExpression)) return read.argumentExpression.text;
  return undefined;
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

/**
 * ajv's `uniqueItems` over any items compares every pair of a list with fast-deep-equal (`func0`), which lists both
 * objects' keys (two arrays) before it finds two different ones differ. The lists it checks in these meta-schemas are
 * mostly parameter lists (each operation's: Kubernetes 1.13 has 1,014 operations and 6,450 parameters) and tags, whose
 * objects have a `name` string (or, for OpenAPI 3 references, a `$ref` one). Two objects deep-equal have the same own
 * keys with deep-equal values, so when one has a string `name` the other differs from it unless its `name` is that
 * string (the same for `$ref`): such a pair is answered "different" without fast-deep-equal (`differentNames`); any
 * other pair is still compared by it, so the verdict stays ajv's.
 */
function uniqueItemsByName(source: string): string {
  const found = source.match(/\bfunc0\(/g)?.length ?? 0;
  let replaced = 0;
  const result = source.replace(
    /(outer\d+:for\(;(i\d+)--;\)\{for\((j\d+) = \2; \3--;\)\{if\()func0\(((data\d*)\[\2\]), (\5\[\3\])\)\)\{/g,
    (_match, head: string, _i: string, _j: string, first: string, _data: string, second: string) => {
      replaced++;
      return `${head}!differentNames(${first}, ${second}) && func0(${first}, ${second})){`;
    },
  );
  if (replaced !== found) throw new Error(`verdictOnly: ajv's uniqueItems code no longer has the expected shape (${replaced} of ${found} fast-deep-equal calls recognised)`);
  if (replaced === 0) return result;
  return result.replace(/^"use strict";/, `"use strict";${DIFFERENT_NAMES}`);
}

/**
 * Whether two items cannot be deep-equal because the first is an object with a string `name` the second lacks or, with
 * no string `name`, a string `$ref` the second lacks (OpenAPI 3's parameter lists are often references: GitHub's).
 */
const DIFFERENT_NAMES =
  'function differentNames(a, b){if(a === null || typeof a !== "object" || b === null || typeof b !== "object"){return false;}if(typeof a.name === "string"){return a.name !== b.name;}return typeof a.$ref === "string" && a.$ref !== b.$ref;}';

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
