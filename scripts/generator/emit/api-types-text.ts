/**
 * The type text api-types-direct.ts writes, as openapi-typescript 7.13's helpers (`lib/ts.mjs`) would build it and
 * api-types-print.ts (TypeScript 5.9's printer, byte for byte) would write it. A type is its text at a known indent
 * level plus the one fact about its node the library or the printer looks at later: its kind (for `tsDedupe`,
 * `tsIsPrimitive`, the factory's parentheses around a union or intersection inside another, or inside an array), and
 * for a type literal its members' text (api.ts's root interfaces take a literal's members).
 *
 * Literal values, property names and references: api-types-literals.ts; comments: api-types-doc.ts.
 */

/** Thrown for any input the direct emitter does not reproduce exactly: the library renders the file instead. */
export class Unsupported extends Error {}

export function unsupported(): never {
  throw new Unsupported();
}

/** Node kinds that matter; each keyword its own (tsDedupe keys on the SyntaxKind). Primitives first (see isPrimitive). */
export const Kind = {
  String: 0,
  Number: 1,
  Boolean: 2,
  Never: 3,
  Undefined: 4,
  Null: 5,
  Unknown: 6,
  True: 7,
  False: 8,
  /** A numeric literal type: has `text`, so tsDedupe keeps it. */
  NumericLiteral: 9,
  /** `-n`: a prefix unary expression, no `text`, not primitive. */
  Negative: 10,
  /** tsLiteral's string: an identifier whose text is the JSON string (has `text`). */
  StringLiteral: 11,
  TypeReference: 12,
  IndexedAccess: 13,
  Array: 14,
  Tuple: 15,
  TypeLiteral: 16,
  Union: 17,
  Intersection: 18,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export interface Type {
  kind: Kind;
  text: string;
  /** A type literal's members, each line indented and ending with a line break. */
  members?: string;
}

const keyword = (kind: Kind, text: string): Type => ({ kind, text });
export const STRING = keyword(Kind.String, "string");
export const NUMBER = keyword(Kind.Number, "number");
export const BOOLEAN = keyword(Kind.Boolean, "boolean");
export const NEVER = keyword(Kind.Never, "never");
/** The library's one UNKNOWN node: transformSchemaObject compares with it by identity, and so do we. */
export const UNKNOWN = keyword(Kind.Unknown, "unknown");
export const NULL = keyword(Kind.Null, "null");
export const TRUE = keyword(Kind.True, "true");
export const FALSE = keyword(Kind.False, "false");
/** tsRecord(STRING, NEVER). */
export const EMPTY_RECORD: Type = { kind: Kind.TypeReference, text: "Record<string, never>" };

const INDENT = "    ";
const indents = [""];
export function indent(level: number): string {
  while (indents.length <= level) indents.push(indents[indents.length - 1] + INDENT);
  return indents[level]!;
}

/** A member line at `level` (api-types-print.ts's `members`): its comment, the member, `;`. */
export function member(level: number, text: string, comment = ""): string {
  // The indent looked up here, indent() called only for a new level: one call fewer per member of api.ts.
  return `${comment}${indents[level] ?? indent(level)}${text};\n`;
}

/**
 * Where api.ts's body goes, a piece at a time: the text of a root interface's head, each of its members (a path, a
 * component, an operation) as soon as it is made, its tail. Concatenated text is a tree of its parts until V8 needs its
 * characters; api.ts's body joins ~10,000 root members of thousands of parts each, and left as one tree (GitHub's:
 * millions of parts) it lived from the first member to the file's write, copied by every scavenge until promoted.
 * Written here, each member is flattened once (its parts die young) and then let go (Utf8Body).
 */
export interface BodyWriter {
  write(text: string): void;
}

/** The body as text (the tests, which compare it with the library's text). */
export class TextBody implements BodyWriter {
  text = "";
  write(text: string): void {
    this.text += text;
  }
}

/**
 * A fresh buffer's size, then doubled when a piece might not fit: Stripe's body is 2.8 MB, Kubernetes' 5.7, GitHub's
 * 6.5. Its pages are taken only as they are written (the buffer is not zeroed), so a body smaller than this costs no
 * more memory. Starting at 1 MB, Stripe's body grew twice (1 MB and 2 MB copied, 7 MB of pages touched for 2.8), and
 * the whole CLI showed no gain over joining the text (one core, paired CPU +1.9 ms, +3.7; peak RSS -0.8 MB); from
 * 4 MB: -6.6 (23/31), -7.0 (13/21), peak RSS -4 MB.
 */
const UTF8_BODY_START = 4 << 20;

/**
 * The body as UTF-8, each piece encoded as it comes into one growing buffer, as TextEncoder would encode the whole
 * text (a lone surrogate as U+FFFD). The text joined whole and then encoded (apits22) was flattened first: Stripe's
 * 2.8 million characters, a few beyond Latin-1, copied into one two-byte string of 5.6 MB only to be encoded, and
 * every member held until then.
 */
export class Utf8Body implements BodyWriter {
  private buffer = Buffer.allocUnsafeSlow(UTF8_BODY_START);
  /** Bytes written. */
  private size = 0;
  /** The text's length so far (UTF-16 code units): the cache's entry records it (api-types-cache.ts). */
  length = 0;

  write(text: string): void {
    // Room for the worst case, three bytes per code unit (a surrogate pair: two units, four bytes), so that the write
    // never stops short inside the text.
    if (this.size + 3 * text.length > this.buffer.length) this.grow(this.size + 3 * text.length);
    this.size += this.buffer.write(text, this.size, "utf8");
    this.length += text.length;
  }

  /** Another body's bytes after this one's (`operations`, written beside `paths`, comes after `components`). */
  append(other: Utf8Body): void {
    if (this.size + other.size > this.buffer.length) this.grow(this.size + other.size);
    this.size += other.buffer.copy(this.buffer, this.size, 0, other.size);
    this.length += other.length;
  }

  /** The bytes written: a view of the buffer (its own ArrayBuffer, never Node's shared pool, so it can be transferred). */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.size);
  }

  private grow(needed: number): void {
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const buffer = Buffer.allocUnsafeSlow(capacity);
    this.buffer.copy(buffer, 0, 0, this.size);
    this.buffer = buffer;
  }
}

/** emitTypeLiteral: `{}` when empty, else its members on their own lines and the brace back at `level`. */
export function typeLiteral(members: string, level: number): Type {
  return { kind: Kind.TypeLiteral, text: members === "" ? "{}" : `{\n${members}${indent(level)}}`, members };
}

/** The factory's parenthesizeConstituentTypeOf…/NonArrayTypeOfPostfixType: a union or intersection gets parentheses. */
function operand(type: Type): string {
  return type.kind === Kind.Union || type.kind === Kind.Intersection ? `(${type.text})` : type.text;
}

/**
 * The operands' text joined by `separator`. Concatenated, not `.map(…).join(…)`: a join copies every operand's text
 * into one flat string (GitHub's unions: ~2.5 MB), and a map's arrow allocates; concatenation makes a tree of them
 * that is flattened once, when its root member is written (BodyWriter).
 */
function joinOperands(types: readonly Type[], separator: string): string {
  let text = operand(types[0]!);
  for (let i = 1; i < types.length; i++) text += separator + operand(types[i]!);
  return text;
}

/** `ts.factory.createUnionTypeNode`: no dedupe (tsNullable, tsOmit). */
export function unionNode(types: readonly Type[]): Type {
  return { kind: Kind.Union, text: types.length === 0 ? "" : joinOperands(types, " | ") };
}

/** tsUnion: nothing is `never`, one is itself, more are deduped. */
export function union(types: readonly Type[]): Type {
  if (types.length === 0) return NEVER;
  if (types.length === 1) return types[0]!;
  return unionNode(dedupe(types));
}

/** tsIntersection. */
export function intersection(types: readonly Type[]): Type {
  if (types.length === 0) return NEVER;
  if (types.length === 1) return types[0]!;
  return { kind: Kind.Intersection, text: joinOperands(dedupe(types), " & ") };
}

/** `ts.factory.createArrayTypeNode`. */
export function arrayOf(type: Type): Type {
  return { kind: Kind.Array, text: `${operand(type)}[]` };
}

/** emitTupleType: every element on its own line at `level + 1` (elements are made at that level). */
export function tuple(elements: readonly Type[], level: number): Type {
  let inner = "";
  for (let i = 0; i < elements.length; i++) inner += (i === 0 ? "" : ",\n") + indent(level + 1) + elements[i]!.text;
  return { kind: Kind.Tuple, text: `[\n${inner}${elements.length === 0 ? "" : "\n"}${indent(level)}]` };
}

export function reference(name: string, args: readonly Type[]): Type {
  let text = `${name}<`;
  for (let i = 0; i < args.length; i++) text += (i === 0 ? "" : ", ") + args[i]!.text;
  return { kind: Kind.TypeReference, text: `${text}>` };
}

/** tsIsPrimitive: boolean, never, null, number, string, undefined. */
export function isPrimitive(type: Type): boolean {
  return type.kind <= Kind.Null;
}

/**
 * tsDedupe: a node without `text` (keywords, `null`, `true`/`false`, references, literals…) is dropped when a
 * primitive of its kind came before; nodes with `text` (numeric and string literals) are all kept.
 */
function dedupe(types: readonly Type[]): Type[] {
  let seen = 0;
  const kept: Type[] = [];
  for (let i = 0; i < types.length; i++) {
    const type = types[i]!;
    if (type.kind !== Kind.NumericLiteral && type.kind !== Kind.StringLiteral) {
      const bit = 1 << type.kind;
      if (seen & bit) continue;
      if (isPrimitive(type)) seen |= bit;
    }
    kept.push(type);
  }
  return kept;
}
