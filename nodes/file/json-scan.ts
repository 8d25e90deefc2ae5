import { NodeError } from "../sdk";

/** One array element (or a skipped value) larger than this is refused, so memory stays bounded. */
export const MAX_VALUE_CHARS = 16 * 1024 * 1024;

type State = "container" | "key" | "colon" | "memberValue" | "afterMember" | "element" | "afterElement" | "done";

interface ValueScan {
  purpose: "key" | "skip" | "element";
  start: number;
  scanPos: number;
  primitive: boolean;
  depth: number;
  inString: boolean;
  escaped: boolean;
}

/**
 * Finds the elements of one JSON array in text that arrives in chunks, so a 1 GB array is never
 * held in memory: each element's text is cut out and handed to JSON.parse on its own.
 *
 * Hand-written because none of the installed libraries streams JSON (stream-json and
 * @streamparser/json are not dependencies). It only *delimits* values — strings, escapes and
 * nesting — and leaves validating each element to JSON.parse. `itemsPath` walks object keys
 * (`data.items`): keys before the match are skipped without validation, no array indices or
 * wildcards, the first matching key wins, and nothing after the array's `]` is read.
 */
export class JsonArrayScanner {
  private buf = "";
  private pos = 0;
  /** Absolute offset of buf[0] in the whole text. */
  private base = 0;
  private line = 1;
  private lineStart = 0;
  private counted = 0;
  private state: State = "container";
  private level = 0;
  private key = "";
  private value: ValueScan | undefined;
  private index = 0;
  private sawComma = false;

  constructor(
    private readonly itemsPath: readonly string[],
    private readonly path: string,
  ) {}

  get done(): boolean {
    return this.state === "done";
  }

  /** Feed the next chunk of text; returns the elements completed by it. */
  push(chunk: string): unknown[] {
    this.compact();
    this.buf += chunk;
    const out: unknown[] = [];
    this.run(out);
    return out;
  }

  /** The text is over: anything still open is an error. */
  end(): void {
    if (this.state === "done") return;
    this.skipSpace();
    if (this.state === "container" && this.level === 0) this.fail("the file is empty", this.pos);
    this.fail(this.value ? `the JSON ends inside ${this.describeValue()}` : "the JSON ends before the array is closed", this.buf.length);
  }

  private run(out: unknown[]): void {
    while (this.state !== "done") {
      if (this.value) {
        const end = this.scanValue(this.value);
        if (end === -1) return;
        this.finishValue(this.value, end, out);
        continue;
      }
      this.skipSpace();
      if (this.pos >= this.buf.length) return;
      const c = this.buf[this.pos]!;
      switch (this.state) {
        case "container":
          this.openContainer(c);
          break;
        case "key":
          if (c === "}") this.fail(this.notFound(), this.pos);
          if (c !== '"') this.fail(`expected a property name in quotes, found "${c}"`, this.pos);
          this.startValue("key");
          break;
        case "colon":
          if (c !== ":") this.fail(`expected ":" after the property name, found "${c}"`, this.pos);
          this.pos++;
          if (this.key === this.itemsPath[this.level]) {
            this.level++;
            this.state = "container";
          } else this.state = "memberValue";
          break;
        case "memberValue":
          this.startValue("skip");
          break;
        case "afterMember":
          if (c === "}") this.fail(this.notFound(), this.pos);
          if (c !== ",") this.fail(`expected "," or "}" after a property, found "${c}"`, this.pos);
          this.pos++;
          this.state = "key";
          break;
        case "element":
          if (c === "]" && this.sawComma) this.fail(`a comma before "]" must be followed by another element`, this.pos);
          if (c === "]") {
            this.pos++;
            this.state = "done";
          } else this.startValue("element");
          break;
        case "afterElement":
          this.pos++;
          if (c === "]") this.state = "done";
          else if (c === ",") {
            this.state = "element";
            this.sawComma = true;
          } else this.fail(`expected "," or "]" after element ${this.index}, found "${c}"`, this.pos - 1);
          break;
      }
    }
  }

  private openContainer(c: string): void {
    const wantArray = this.level === this.itemsPath.length;
    if (c === (wantArray ? "[" : "{")) {
      this.pos++;
      this.state = wantArray ? "element" : "key";
      return;
    }
    const reached = this.itemsPath.slice(0, this.level).join(".");
    if (wantArray && this.level === 0)
      this.fail(`the JSON does not start with an array ("[")`, this.pos, `if the items sit inside an object, set "items path" to the key holding them, e.g. "data.items"`);
    this.fail(wantArray ? `"${reached}" is not an array` : `${reached ? `"${reached}"` : "the JSON"} is not an object, so it has no "${this.itemsPath[this.level]}"`, this.pos);
  }

  private startValue(purpose: ValueScan["purpose"]): void {
    const c = this.buf.charCodeAt(this.pos);
    const primitive = c !== 0x22 && c !== 0x7b && c !== 0x5b;
    this.value = { purpose, start: this.pos, scanPos: this.pos, primitive, depth: 0, inString: false, escaped: false };
    this.sawComma = false;
  }

  /** Where the value ends (exclusive), or -1 when more text is needed. */
  private scanValue(v: ValueScan): number {
    const buf = this.buf;
    let i = v.scanPos;
    if (v.primitive) {
      for (; i < buf.length; i++) {
        const c = buf.charCodeAt(i);
        if (c === 0x2c || c === 0x5d || c === 0x7d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) return i;
      }
    } else {
      for (; i < buf.length; i++) {
        const c = buf.charCodeAt(i);
        if (v.inString) {
          if (v.escaped) v.escaped = false;
          else if (c === 0x5c) v.escaped = true;
          else if (c === 0x22) {
            v.inString = false;
            if (v.depth === 0) return i + 1;
          }
        } else if (c === 0x22) v.inString = true;
        else if (c === 0x7b || c === 0x5b) v.depth++;
        else if (c === 0x7d || c === 0x5d) {
          v.depth--;
          if (v.depth <= 0) return i + 1;
        }
      }
    }
    v.scanPos = i;
    if (i - v.start > MAX_VALUE_CHARS)
      this.fail(`${this.describeValue()} is larger than ${MAX_VALUE_CHARS / 1024 / 1024} MiB`, v.start, "split the data into smaller items");
    return -1;
  }

  private finishValue(v: ValueScan, end: number, out: unknown[]): void {
    const text = this.buf.slice(v.start, end);
    this.value = undefined;
    this.pos = end;
    if (v.purpose === "skip") {
      this.state = "afterMember";
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const what = v.purpose === "key" ? "a property name" : `element ${this.index + 1}`;
      this.fail(`${what} is not valid JSON (${(error as Error).message})`, v.start);
    }
    if (v.purpose === "key") {
      this.key = parsed as string;
      this.state = "colon";
      return;
    }
    this.index++;
    out.push(parsed);
    this.state = "afterElement";
  }

  private describeValue(): string {
    return this.value?.purpose === "element" ? `element ${this.index + 1}` : "a value";
  }

  private notFound(): string {
    const parent = this.itemsPath.slice(0, this.level).join(".");
    return `the JSON has no "${this.itemsPath.join(".")}": ${parent ? `"${parent}"` : "the top-level object"} has no key "${this.itemsPath[this.level]}"`;
  }

  private skipSpace(): void {
    const buf = this.buf;
    let i = this.pos;
    while (i < buf.length) {
      const c = buf.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff) break;
      i++;
    }
    this.pos = i;
  }

  /** Drop text already consumed (keeping an unfinished value), counting its lines first. */
  private compact(): void {
    const keep = this.value ? this.value.start : this.pos;
    if (keep === 0) return;
    this.countLinesTo(this.base + keep);
    this.buf = this.buf.slice(keep);
    this.base += keep;
    this.pos -= keep;
    if (this.value) {
      this.value.start -= keep;
      this.value.scanPos -= keep;
    }
  }

  private countLinesTo(absolute: number): void {
    for (let i = this.buf.indexOf("\n", this.counted - this.base); i !== -1 && this.base + i < absolute; i = this.buf.indexOf("\n", i + 1)) {
      this.line++;
      this.lineStart = this.base + i + 1;
    }
    this.counted = Math.max(this.counted, absolute);
  }

  private fail(message: string, at: number, hint?: string): never {
    this.countLinesTo(this.base + at);
    const column = this.base + at - this.lineStart + 1;
    throw new NodeError(`"${this.path}" line ${this.line}, column ${column}: ${message}`, {
      code: "JSON_MALFORMED",
      hint: hint ?? "check the file is complete, valid JSON (a JSON validator shows the exact problem)",
      details: [{ path: this.path, line: this.line, column }],
    });
  }
}
