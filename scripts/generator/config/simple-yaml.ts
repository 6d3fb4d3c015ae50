/**
 * bridge.yaml as most are written, read without the yaml package: block mappings and lists, one-line flow mappings
 * and lists, plain and quoted one-line scalars, comments. It gives the value yaml's toJS gives and the positions
 * config/load.ts's walk finds in yaml's document (the start of a key, of a value), or undefined for anything else
 * (a tab, an anchor, a tag, a multi-line scalar, a duplicate key, a plain scalar that may be a number or null, ...),
 * and then yaml reads the file as before. yaml's parseDocument is ~7 ms of CPU for a ~30-line file (its lexer, parser
 * and composer, each function run for the first time in the run), this reader under 1 ms (the todo API's
 * `generate --check`, in process). test/unit/config-simple-yaml.test.ts holds value and positions to yaml's.
 */
import type { ConfigPath, Position } from "./errors.ts";

/** A value of the file with where it starts; a mapping's keys with where each key starts. */
interface Node {
  start: Position;
  value: unknown;
  pairs?: Map<string, { key: Position; node: Node }>;
  items?: Node[];
}

export interface SimpleYaml {
  /** What yaml's `toJS()` gives. */
  data: Record<string, unknown>;
  locate(at: ConfigPath): Position;
  locateKey(at: ConfigPath): Position;
  written(at: ConfigPath): boolean;
}

/** Thrown inside the reader for anything it does not follow; never escapes readSimpleYaml. */
const DECLINED = new Error("not simple YAML");

/** Characters yaml may read otherwise than as text here: controls, tabs, CR, NEL, line and paragraph separators, BOM. */
const UNUSUAL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

export function readSimpleYaml(text: string): SimpleYaml | undefined {
  if (UNUSUAL.test(text)) return undefined;
  try {
    const reader = new Reader(text.split("\n"));
    const first = reader.nextContent();
    if (first === undefined || indentOf(reader.lines[first]!) !== 0) return undefined;
    const root = reader.blockMap(0);
    if (reader.nextContent() !== undefined) return undefined;
    return { data: root.value as Record<string, unknown>, ...positions(root) };
  } catch (error) {
    if (error === DECLINED) return undefined;
    throw error;
  }
}

function decline(): never {
  throw DECLINED;
}

function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  return i;
}

/** A line with nothing but spaces and perhaps a comment. */
function isBlank(line: string): boolean {
  const indent = indentOf(line);
  return indent === line.length || line[indent] === "#";
}

class Reader {
  readonly lines: string[];
  /** The line being read. */
  private row = 0;

  constructor(lines: string[]) {
    this.lines = lines;
  }

  /** The next line with content (from the current one), made current; undefined at the end. */
  nextContent(): number | undefined {
    while (this.row < this.lines.length && isBlank(this.lines[this.row]!)) this.row++;
    return this.row < this.lines.length ? this.row : undefined;
  }

  /** A block mapping whose keys start at column `indent`. */
  blockMap(indent: number): Node {
    const value: Record<string, unknown> = {};
    const pairs = new Map<string, { key: Position; node: Node }>();
    let start: Position | undefined;
    for (let row = this.nextContent(); row !== undefined; row = this.nextContent()) {
      const line = this.lines[row]!;
      const lineIndent = indentOf(line);
      if (lineIndent < indent) break;
      if (lineIndent > indent || line[indent] === "-" || line[indent] === "?") decline();
      const keyAt: Position = { line: row + 1, col: indent + 1 };
      start ??= keyAt;
      const key = new Cursor(line, indent, row, false);
      const name = key.key();
      if (pairs.has(name) || name === "<<" || name === "__proto__") decline();
      key.skipSpaces();
      let node: Node;
      if (key.atEnd()) {
        this.row = row + 1;
        node = this.nested(indent);
      } else {
        node = key.value();
        key.skipSpaces();
        if (!key.atEnd()) decline();
        this.row = row + 1;
      }
      value[name] = node.value;
      pairs.set(name, { key: keyAt, node });
    }
    return { start: start ?? decline(), value, pairs };
  }

  /** The block mapping or list under a key with nothing after its colon. */
  private nested(parentIndent: number): Node {
    const row = this.nextContent();
    if (row === undefined) decline();
    const line = this.lines[row]!;
    const indent = indentOf(line);
    // A key with no value at all is null in yaml, and a list may sit at its key's own indent: left to yaml.
    if (indent <= parentIndent) decline();
    return line[indent] === "-" ? this.blockList(indent) : this.blockMap(indent);
  }

  /** A block list whose dashes are at column `indent`: each item a one-line value. */
  private blockList(indent: number): Node {
    const value: unknown[] = [];
    const items: Node[] = [];
    // yaml's list starts at its first dash, each item at its value.
    let start: Position | undefined;
    for (let row = this.nextContent(); row !== undefined; row = this.nextContent()) {
      const line = this.lines[row]!;
      const lineIndent = indentOf(line);
      if (lineIndent < indent) break;
      if (lineIndent > indent || line[indent] !== "-" || line[indent + 1] !== " ") decline();
      start ??= { line: row + 1, col: indent + 1 };
      const item = new Cursor(line, indent + 1, row, false);
      item.skipSpaces();
      if (item.atEnd()) decline();
      const node = item.value();
      item.skipSpaces();
      if (!item.atEnd()) decline();
      this.row = row + 1;
      value.push(node.value);
      items.push(node);
    }
    return { start: start ?? decline(), value, items };
  }
}

/** Characters that may not start a plain scalar here: YAML's indicators. */
const NOT_PLAIN_START = "-?:,[]{}#&*!|>'\"%@`";

/** One line, read from a column: keys, scalars and one-line flow collections. */
class Cursor {
  private readonly line: string;
  private at: number;
  private readonly row: number;
  /** Inside a flow collection, where `,`, `]` and `}` end a plain scalar. */
  private readonly flow: boolean;

  constructor(line: string, at: number, row: number, flow: boolean) {
    this.line = line;
    this.at = at;
    this.row = row;
    this.flow = flow;
  }

  skipSpaces(): void {
    while (this.line.charCodeAt(this.at) === 32) this.at++;
  }

  /** At the line's end or at a comment (which needs a space before it, as a value cannot end in `#` here). */
  atEnd(): boolean {
    return this.at === this.line.length || (this.line[this.at] === "#" && this.line[this.at - 1] === " ");
  }

  private position(): Position {
    return { line: this.row + 1, col: this.at + 1 };
  }

  /** A mapping key and its colon (followed by a space, or the line's end outside flows). */
  key(): string {
    const quote = this.line[this.at];
    const name = quote === '"' || quote === "'" ? this.quoted() : this.plainKey();
    if (this.line[this.at] !== ":") decline();
    this.at++;
    const next = this.line[this.at];
    if (next !== " " && !(next === undefined && !this.flow)) decline();
    return name;
  }

  private plainKey(): string {
    const from = this.at;
    if (NOT_PLAIN_START.includes(this.line[from] ?? "-")) decline();
    for (; this.at < this.line.length; this.at++) {
      const char = this.line[this.at]!;
      if (char === ":" && (this.at + 1 === this.line.length || this.line[this.at + 1] === " ")) break;
      if (char === "#" && this.line[this.at - 1] === " ") decline();
      if (this.flow && ",[]{}".includes(char)) decline();
    }
    const name = this.line.slice(from, this.at);
    if (name !== name.trimEnd() || typeof plainValue(name) !== "string") decline();
    return name;
  }

  /** A value starting here: a quoted or plain scalar, or a flow mapping or list closed on this line. */
  value(): Node {
    const start = this.position();
    const char = this.line[this.at];
    if (char === '"' || char === "'") return { start, value: this.quoted() };
    if (char === "{") return this.flowMap(start);
    if (char === "[") return this.flowList(start);
    return { start, value: this.plain() };
  }

  /** A quoted scalar on one line: no escapes in double quotes, `''` for a quote in single ones. */
  private quoted(): string {
    const quote = this.line[this.at]!;
    let text = "";
    for (this.at++; this.at < this.line.length; this.at++) {
      const char = this.line[this.at]!;
      if (char === "\\" && quote === '"') decline();
      if (char !== quote) {
        text += char;
      } else if (quote === "'" && this.line[this.at + 1] === "'") {
        text += "'";
        this.at++;
      } else {
        this.at++;
        return text;
      }
    }
    return decline();
  }

  /** A plain scalar to the line's end, a comment, or (in a flow) `,`, `]` or `}`; its trailing spaces dropped. */
  private plain(): unknown {
    const from = this.at;
    if (NOT_PLAIN_START.includes(this.line[from] ?? "-")) decline();
    let end = from;
    for (; this.at < this.line.length; this.at++) {
      const char = this.line[this.at]!;
      if (char === "#" && this.line[this.at - 1] === " ") break;
      if (char === ":" && (this.at + 1 === this.line.length || this.line[this.at + 1] === " " || this.flow)) decline();
      if (this.flow && ",]}".includes(char)) break;
      if (this.flow && "[{".includes(char)) decline();
      if (char !== " ") end = this.at + 1;
    }
    this.at = end;
    return plainValue(this.line.slice(from, end));
  }

  private flowMap(start: Position): Node {
    const value: Record<string, unknown> = {};
    const pairs = new Map<string, { key: Position; node: Node }>();
    this.at++;
    this.skipSpaces();
    if (this.line[this.at] === "}") {
      this.at++;
      return { start, value, pairs };
    }
    for (;;) {
      const entry = new Cursor(this.line, this.at, this.row, true);
      const keyAt = entry.position();
      const name = entry.key();
      if (pairs.has(name) || name === "<<" || name === "__proto__") decline();
      entry.skipSpaces();
      const node = entry.value();
      entry.skipSpaces();
      value[name] = node.value;
      pairs.set(name, { key: keyAt, node });
      this.at = entry.at;
      if (this.closes("}")) return { start, value, pairs };
    }
  }

  private flowList(start: Position): Node {
    const value: unknown[] = [];
    const items: Node[] = [];
    this.at++;
    this.skipSpaces();
    if (this.line[this.at] === "]") {
      this.at++;
      return { start, value, items };
    }
    for (;;) {
      const entry = new Cursor(this.line, this.at, this.row, true);
      const node = entry.value();
      entry.skipSpaces();
      value.push(node.value);
      items.push(node);
      this.at = entry.at;
      if (this.closes("]")) return { start, value, items };
    }
  }

  /** After a flow entry: true at the closing bracket (passed), false after a comma and the spaces that follow it. */
  private closes(bracket: string): boolean {
    const char = this.line[this.at];
    this.at++;
    if (char === bracket) return true;
    if (char !== ",") decline();
    this.skipSpaces();
    // A trailing comma, or the flow running on to the next line: left to yaml.
    if (this.at === this.line.length || this.line[this.at] === bracket) decline();
    return false;
  }
}

/**
 * A plain scalar's value by the YAML 1.2 core schema yaml uses: null, true and false in their three spellings,
 * decimal integers (up to 15 digits: exact as numbers); any other text that might be a number is declined.
 */
function plainValue(text: string): unknown {
  if (text === "") decline();
  if (text === "null" || text === "Null" || text === "NULL") return null;
  if (text === "true" || text === "True" || text === "TRUE") return true;
  if (text === "false" || text === "False" || text === "FALSE") return false;
  if (/^[0-9]{1,15}$/.test(text)) return parseInt(text, 10);
  // Other numbers (signs, points, exponents, 0x, 0o, .inf, .nan) and `~`: left to yaml.
  if ("+-.0123456789~".includes(text[0]!)) decline();
  return text;
}

/** config/load.ts's walk (positionsOf), over these nodes. */
function positions(root: Node): Omit<SimpleYaml, "data"> {
  const walk = (at: ConfigPath): { complete: boolean; node: Node | undefined; anchor: Position } => {
    let node = root;
    let anchor = root.start;
    for (const segment of at) {
      if (node.pairs !== undefined) {
        const pair = node.pairs.get(String(segment));
        if (pair === undefined) return { complete: false, node: undefined, anchor };
        anchor = pair.key;
        node = pair.node;
      } else if (node.items !== undefined && typeof segment === "number" && segment < node.items.length) {
        node = node.items[segment]!;
        anchor = node.start;
      } else {
        return { complete: false, node: undefined, anchor };
      }
    }
    return { complete: true, node, anchor };
  };
  return {
    locate: (at) => {
      const found = walk(at);
      return found.complete && found.node !== undefined ? found.node.start : found.anchor;
    },
    locateKey: (at) => walk(at).anchor,
    written: (at) => walk(at).complete,
  };
}
