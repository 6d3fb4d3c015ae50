/**
 * api.ts's text written straight from the syntax tree openapi-typescript builds, instead of by TypeScript's printer
 * (its `astToString`: `ts.createPrinter().printFile`), which cost about a quarter of rendering GitHub's api.ts: a
 * text writer that runs `computeLineStarts` over every string it writes, the comment machinery per node, escaping.
 *
 * The output is TypeScript 5.9's, byte for byte, for the few forms openapi-typescript builds with api-types.ts's
 * options: exported interface and type-alias declarations; type literals with property and index signatures
 * (`readonly`, `?`); unions, intersections, parenthesised, array, tuple, indexed-access and type-reference types;
 * keyword and literal types; and leading `/** … *\/` comments on members. Each rule below names the emitter function
 * of TypeScript's `src/compiler/emitter.ts` it follows. Anything else — another node kind or modifier, an emit flag,
 * another kind of comment, a node parsed from source text inside a synthesised one — makes `print` answer undefined,
 * and the caller prints the whole file with TypeScript's printer: an unusual spec can only cost time, never a byte.
 * A statement parsed from source text (openapi-typescript's `WithRequired` helper, made by `stringToAST`) is printed
 * by TypeScript's printer alone, which writes what it writes within the whole file.
 */
import type * as TS from "typescript";

type Typescript = typeof TS;

/** Prints a node list as `astToString` would, or answers undefined when it meets something it does not know. */
export type TypesPrinter = (nodes: readonly TS.Node[]) => string | undefined;

class Unsupported extends Error {}

const INDENT = "    ";
const INDENT_SIZE = INDENT.length;
/** CharacterCodes.doubleQuote: the quote getLiteralText passes to escapeNonAsciiString. */
const DOUBLE_QUOTE = 34;
/** `"…"` needs no escaping: printable ASCII without `"` and `\` (TypeScript's escapeNonAsciiString leaves it as is). */
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** What computeLineStarts counts as a line break; a name written with one would move TypeScript's writer to a new line. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * @param ts the TypeScript module openapi-typescript built the nodes with (its SyntaxKind numbers and its escaping).
 * @param printStatement TypeScript's own printer for one statement (`astToString([statement])`).
 */
export function createTypesPrinter(ts: Typescript, printStatement: (statement: TS.Node) => string): TypesPrinter {
  const K = ts.SyntaxKind;
  const KEYWORDS = new Map<number, string>([
    [K.StringKeyword, "string"],
    [K.NumberKeyword, "number"],
    [K.BooleanKeyword, "boolean"],
    [K.NeverKeyword, "never"],
    [K.UnknownKeyword, "unknown"],
    [K.UndefinedKeyword, "undefined"],
    [K.AnyKeyword, "any"],
    [K.ObjectKeyword, "object"],
  ]);
  const MODIFIERS = new Map<number, string>([
    [K.ExportKeyword, "export"],
    [K.ReadonlyKeyword, "readonly"],
  ]);
  const indents = [""];
  const indent = (level: number): string => {
    while (indents.length <= level) indents.push(indents[indents.length - 1] + INDENT);
    return indents[level]!;
  };

  /** A synthesised node (not parsed from text) without emit flags or synthetic comments. */
  function plain<N extends TS.Node>(node: N | undefined): N {
    if (node === undefined || node.pos !== -1 || (node as { emitNode?: unknown }).emitNode !== undefined) throw new Unsupported();
    return node;
  }

  /** emitSourceFileWorker: statements one per line, each ending with a line break. */
  function statement(node: TS.Node): string {
    if (node.pos !== -1) return printStatement(node);
    plain(node);
    if (ts.isInterfaceDeclaration(node)) {
      // emitInterfaceDeclaration: the members list is MultiLine | Indented, so even an empty one breaks the line.
      if (node.typeParameters !== undefined || node.heritageClauses !== undefined) throw new Unsupported();
      const head = `${modifiers(node.modifiers)}interface ${identifier(node.name)} {`;
      return node.members.length === 0 ? `${head}\n}\n` : `${head}\n${members(node.members, 1)}}\n`;
    }
    if (ts.isTypeAliasDeclaration(node)) {
      // emitTypeAliasDeclaration
      if (node.typeParameters !== undefined) throw new Unsupported();
      return `${modifiers(node.modifiers)}type ${identifier(node.name)} = ${type(node.type, 0)};\n`;
    }
    throw new Unsupported();
  }

  /** emitModifierList: single line, a space between and after. */
  function modifiers(list: TS.NodeArray<TS.ModifierLike> | undefined): string {
    if (list === undefined || list.length === 0) return "";
    let out = "";
    for (const modifier of list) {
      const text = MODIFIERS.get(plain(modifier).kind);
      if (text === undefined) throw new Unsupported();
      out += `${text} `;
    }
    return out;
  }

  /** The members of a type literal or interface, one per line at `level`, each line ending with a line break. */
  function members(list: TS.NodeArray<TS.TypeElement>, level: number): string {
    let out = "";
    for (const member of list) out += `${leadingComments(member, level)}${indent(level)}${memberText(member, level)};\n`;
    return out;
  }

  function memberText(node: TS.TypeElement, level: number): string {
    if (node.pos !== -1) throw new Unsupported();
    if (ts.isPropertySignature(node)) {
      // emitPropertySignature: modifiers, name, `?`, `: type`, `;`.
      const question = node.questionToken === undefined ? "" : plain(node.questionToken).kind === K.QuestionToken ? "?" : unsupported();
      const annotation = node.type === undefined ? "" : `: ${type(node.type, level)}`;
      return `${modifiers(node.modifiers)}${propertyName(node.name)}${question}${annotation}`;
    }
    if (ts.isIndexSignatureDeclaration(node)) {
      // emitIndexSignature: the parameters list is SquareBrackets | CommaDelimited | SpaceBetweenSiblings | Indented.
      if (node.typeParameters !== undefined) throw new Unsupported();
      const parameters = node.parameters.map((parameter) => {
        plain(parameter);
        if (parameter.modifiers?.length || parameter.dotDotDotToken || parameter.questionToken || parameter.initializer) throw new Unsupported();
        if (!ts.isIdentifier(parameter.name)) throw new Unsupported();
        return `${identifier(parameter.name)}${parameter.type === undefined ? "" : `: ${type(parameter.type, level + 1)}`}`;
      });
      return `${modifiers(node.modifiers)}[${parameters.join(", ")}]: ${type(node.type, level)}`;
    }
    throw new Unsupported();
  }

  function propertyName(node: TS.PropertyName): string {
    if (ts.isIdentifier(node)) return identifier(node);
    if (ts.isStringLiteral(node)) return stringLiteral(node);
    if (ts.isNumericLiteral(node)) return plain(node).text;
    throw new Unsupported();
  }

  function identifier(node: TS.Identifier): string {
    const text = plain(node).text;
    if (LINE_BREAK.test(text)) throw new Unsupported();
    return text;
  }

  /** getLiteralText: a synthesised string literal is written in double quotes by escapeNonAsciiString. */
  function stringLiteral(node: TS.StringLiteral): string {
    plain(node);
    const literal = node as TS.StringLiteral & { singleQuote?: boolean; textSourceNode?: unknown };
    if (literal.singleQuote || literal.textSourceNode !== undefined) throw new Unsupported();
    const text = literal.text;
    return PLAIN_STRING.test(text) ? `"${text}"` : `"${(ts as unknown as Internals).escapeNonAsciiString(text, DOUBLE_QUOTE)}"`;
  }

  /** A type written from column `level` × 4 of a line (the level its own line breaks and closing brackets come back to). */
  function type(node: TS.Node | undefined, level: number): string {
    node = plain(node);
    const keyword = KEYWORDS.get(node.kind);
    if (keyword !== undefined) return keyword;
    switch (node.kind) {
      case K.TypeReference: {
        // emitTypeReference: the arguments list is AngleBrackets | CommaDelimited | SpaceBetweenSiblings, omitted if empty.
        const { typeName, typeArguments } = node as TS.TypeReferenceNode;
        if (!ts.isIdentifier(typeName)) throw new Unsupported();
        const args = typeArguments?.length ? `<${typeArguments.map((argument) => type(argument, level)).join(", ")}>` : "";
        return identifier(typeName) + args;
      }
      case K.IndexedAccessType: {
        const { objectType, indexType } = node as TS.IndexedAccessTypeNode;
        return `${postfixOperand(objectType, level)}[${type(indexType, level)}]`;
      }
      case K.ArrayType:
        return `${postfixOperand((node as TS.ArrayTypeNode).elementType, level)}[]`;
      case K.TypeLiteral: {
        // emitTypeLiteral: MultiLine | Indented | OptionalIfEmpty, so an empty one is `{}`.
        const list = (node as TS.TypeLiteralNode).members;
        return list.length === 0 ? "{}" : `{\n${members(list, level + 1)}${indent(level)}}`;
      }
      case K.TupleType: {
        // emitTupleType: MultiLine | Indented | CommaDelimited, not OptionalIfEmpty: an empty tuple still breaks the line.
        const elements = (node as TS.TupleTypeNode).elements;
        const inner = elements.map((element) => indent(level + 1) + type(element, level + 1)).join(",\n");
        return `[\n${inner}${elements.length === 0 ? "" : "\n"}${indent(level)}]`;
      }
      case K.UnionType:
        return (node as TS.UnionTypeNode).types.map((member) => constituent(member, level)).join(" | ");
      case K.IntersectionType:
        return (node as TS.IntersectionTypeNode).types.map((member) => constituent(member, level)).join(" & ");
      case K.ParenthesizedType:
        return `(${type((node as TS.ParenthesizedTypeNode).type, level)})`;
      case K.LiteralType:
        return literal((node as TS.LiteralTypeNode).literal);
      case K.Identifier:
        // openapi-typescript's tsLiteral makes a string's type an identifier whose text is the JSON string.
        return identifier(node as TS.Identifier);
    }
    throw new Unsupported();
  }

  /**
   * A union's or intersection's member: the printer parenthesises a union or intersection there
   * (parenthesizeConstituentTypeOfUnionType / …OfIntersectionType); the factory already did when it built the node,
   * so a bare one means a tree built some other way.
   */
  function constituent(node: TS.TypeNode, level: number): string {
    if (node.kind === K.UnionType || node.kind === K.IntersectionType) throw new Unsupported();
    return type(node, level);
  }

  /** An array's element or an indexed access's object (parenthesizeNonArrayTypeOfPostfixType). */
  function postfixOperand(node: TS.TypeNode, level: number): string {
    return constituent(node, level);
  }

  /** emitLiteralType → emitExpression of the literal. */
  function literal(node: TS.LiteralTypeNode["literal"]): string {
    plain(node);
    switch (node.kind) {
      case K.StringLiteral:
        return stringLiteral(node as TS.StringLiteral);
      case K.NumericLiteral:
        return (node as TS.NumericLiteral).text;
      case K.TrueKeyword:
        return "true";
      case K.FalseKeyword:
        return "false";
      case K.NullKeyword:
        return "null";
      case K.PrefixUnaryExpression: {
        // emitPrefixUnaryExpression: `-` then the operand, no space before a numeric literal.
        const { operator, operand } = node as TS.PrefixUnaryExpression;
        if (operator !== K.MinusToken || !ts.isNumericLiteral(plain(operand))) throw new Unsupported();
        return `-${(operand as TS.NumericLiteral).text}`;
      }
    }
    throw new Unsupported();
  }

  /**
   * emitLeadingSynthesizedComment for the `/*…*\/` comments openapi-typescript's addJSDocComment puts before a member
   * (multi-line kind, a line break after), each line written as writeCommentRange does (below).
   */
  function leadingComments(node: TS.Node, level: number): string {
    const emitNode = (node as { emitNode?: Record<string, unknown> }).emitNode;
    if (emitNode === undefined) return "";
    for (const key in emitNode) if (key !== "leadingComments") throw new Unsupported();
    const comments = (emitNode["leadingComments"] ?? []) as readonly TS.SynthesizedComment[];
    let out = "";
    for (const comment of comments) {
      if (comment.kind !== K.MultiLineCommentTrivia || comment.hasLeadingNewline || !comment.hasTrailingNewLine) throw new Unsupported();
      const text = blockComment(`/*${comment.text}*/`, level);
      // The writer's writeLine is skipped when the comment already ended its line.
      out += text.endsWith("\n") ? text : `${text}\n`;
    }
    return out;
  }

  return (nodes) => {
    try {
      let out = "";
      for (const node of nodes) out += statement(node);
      return out;
    } catch (error) {
      if (error instanceof Unsupported) return undefined;
      throw error;
    }
  };
}

/** The internal TypeScript function the printer escapes string literals with (exported by the package at run time). */
interface Internals {
  escapeNonAsciiString(text: string, quote: number): string;
}

function unsupported(): never {
  throw new Unsupported();
}

/**
 * writeCommentRange (TypeScript's utilities.ts) for a synthesised block comment starting a line at indent `level`:
 * the first line at the writer's indent; every later line trimmed and indented by the writer's indent plus its own
 * leading white space (calculateIndent: a tab to the next multiple of 4); a line that trims to nothing is only a line
 * break, after its indent. Most comments break lines with `\n` alone, and are split on it; the others are cut where
 * computeLineStarts would cut them.
 */
export function blockComment(text: string, level: number): string {
  const lines = hasOtherLineBreak(text) ? linesAt(text) : text.split("\n");
  let out = "";
  for (let line = 0; line < lines.length; line++) {
    const content = lines[line]!;
    const trimmed = content.trim();
    if (line > 0) {
      const spaces = level * INDENT_SIZE + leadingIndent(content, 0, content.length);
      if (spaces > 0) out += spacesOf(spaces);
    } else if (trimmed) {
      out += INDENT.repeat(level);
    }
    if (!trimmed) out += "\n";
    else out += line === lines.length - 1 ? trimmed : `${trimmed}\n`;
  }
  return out;
}

/** A line break other than `\n` (computeLineStarts also breaks at `\r`, U+2028 and U+2029); indexOf outruns a regex. */
function hasOtherLineBreak(text: string): boolean {
  return text.indexOf("\r") !== -1 || text.indexOf("\u2028") !== -1 || text.indexOf("\u2029") !== -1;
}

/** The text's lines as computeLineStarts cuts it, without their line breaks. */
function linesAt(text: string): string[] {
  const starts = lineStarts(text);
  return starts.map((start, line) => text.substring(start, line + 1 === starts.length ? text.length : starts[line + 1]! - 1));
}

const spaceStrings: string[] = [];
function spacesOf(count: number): string {
  return (spaceStrings[count] ??= " ".repeat(count));
}

/** TypeScript's computeLineStarts: line breaks are `\n`, `\r\n`, `\r`, U+2028 and U+2029. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let pos = 0; pos < text.length; ) {
    const ch = text.charCodeAt(pos++);
    if (ch === 13 && text.charCodeAt(pos) === 10) pos++;
    if (ch === 10 || ch === 13 || ch === 0x2028 || ch === 0x2029) starts.push(pos);
  }
  return starts;
}

/** calculateIndent: the width of a line's leading white space (isWhiteSpaceSingleLine), a tab to the next stop. */
function leadingIndent(text: string, pos: number, end: number): number {
  let width = 0;
  for (; pos < end && isWhiteSpaceSingleLine(text.charCodeAt(pos)); pos++) {
    width += text.charCodeAt(pos) === 9 ? INDENT_SIZE - (width % INDENT_SIZE) : 1;
  }
  return width;
}

function isWhiteSpaceSingleLine(ch: number): boolean {
  return (
    ch === 32 || ch === 9 || ch === 11 || ch === 12 || ch === 160 || ch === 133 || ch === 5760 || (ch >= 8192 && ch <= 8203) ||
    ch === 8239 || ch === 8287 || ch === 12288 || ch === 65279
  );
}
