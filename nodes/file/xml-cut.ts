import { NodeError } from "../sdk";

/** One repeated element larger than this is refused, so memory stays bounded. */
export const MAX_ELEMENT_CHARS = 16 * 1024 * 1024;

export interface XmlFragment {
  /** The element's text, from its start tag to its end tag. */
  text: string;
  /** The line and column its start tag is on. */
  line: number;
  column: number;
}

interface Open {
  name: string;
  line: number;
}

/**
 * Cuts the elements at `itemPath` (root first, e.g. orders → order) out of XML text arriving in
 * chunks, so a large file is read element by element instead of parsed whole. Each fragment is then
 * parsed on its own by fast-xml-parser. Hand-written because fast-xml-parser parses whole
 * documents only. It tracks tags, comments, CDATA and processing instructions, checks that tags
 * nest, and refuses any `<!DOCTYPE` or other markup declaration: a DTD is how entity-expansion
 * (billion laughs) and external-entity (XXE) attacks get in, and Gate never needs one.
 */
export class XmlCutter {
  private buf = "";
  private pos = 0;
  private base = 0;
  private line = 1;
  private lineStart = 0;
  private counted = 0;
  private readonly stack: Open[] = [];
  private capture: { start: number; line: number; column: number } | undefined;
  private sawRoot = false;

  constructor(
    private readonly itemPath: readonly string[],
    private readonly path: string,
  ) {}

  push(chunk: string): XmlFragment[] {
    this.compact();
    this.buf += chunk;
    const out: XmlFragment[] = [];
    this.run(out, false);
    const held = this.buf.length - (this.capture ? this.capture.start : this.pos);
    if (held > MAX_ELEMENT_CHARS)
      this.fail(
        this.capture ? `a <${this.itemPath.at(-1)}> element is larger than ${MAX_ELEMENT_CHARS / 1024 / 1024} MiB` : "a comment or tag never ends",
        this.capture?.start ?? this.pos,
      );
    return out;
  }

  end(): XmlFragment[] {
    const out: XmlFragment[] = [];
    this.run(out, true);
    if (this.pos < this.buf.length) this.fail("the XML ends inside a tag or comment", this.pos);
    const open = this.stack.at(-1);
    if (open) this.fail(`the element <${open.name}> opened on line ${open.line} is never closed`, this.buf.length);
    if (!this.sawRoot) this.fail("the file has no XML element", this.buf.length);
    return out;
  }

  private run(out: XmlFragment[], atEnd: boolean): void {
    const buf = this.buf;
    for (;;) {
      const lt = buf.indexOf("<", this.pos);
      if (lt === -1) {
        this.pos = buf.length;
        return;
      }
      this.pos = lt;
      // Enough text to tell the kind of markup (the longest prefix checked is "<![CDATA[").
      if (buf.length - lt < 9 && !atEnd) return;
      if (buf.startsWith("<!--", lt)) {
        if (!this.skipTo("-->", lt + 4)) return;
      } else if (buf.startsWith("<![CDATA[", lt)) {
        if (!this.skipTo("]]>", lt + 9)) return;
      } else if (buf.startsWith("<!", lt)) {
        const doctype = buf.startsWith("<!DOCTYPE", lt);
        this.fail(doctype ? "the XML declares a DTD (<!DOCTYPE …>), which Gate does not process" : "the XML contains a markup declaration (<!…>)", lt, "DTDs can expand entities without limit or read other files; export the file without a DOCTYPE", "XML_DTD_REFUSED");
      } else if (buf.startsWith("<?", lt)) {
        if (!this.skipTo("?>", lt + 2)) return;
      } else if (buf.startsWith("</", lt)) {
        const gt = buf.indexOf(">", lt);
        if (gt === -1) return;
        this.closeTag(buf.slice(lt + 2, gt).trim(), lt, gt + 1, out);
        this.pos = gt + 1;
      } else {
        const gt = this.tagEnd(lt);
        if (gt === -1) return;
        this.openTag(lt, gt, out);
        this.pos = gt + 1;
      }
    }
  }

  private skipTo(terminator: string, from: number): boolean {
    const at = this.buf.indexOf(terminator, from);
    if (at === -1) return false;
    this.pos = at + terminator.length;
    return true;
  }

  /** The `>` ending a start tag; a `>` inside a quoted attribute value does not count. */
  private tagEnd(lt: number): number {
    const buf = this.buf;
    let quote = 0;
    for (let i = lt + 1; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === 0x3e) return i;
    }
    return -1;
  }

  private openTag(lt: number, gt: number, out: XmlFragment[]): void {
    const name = /^<([^\s/>]+)/.exec(this.buf.slice(lt, Math.min(gt + 1, lt + 1000)))?.[1];
    if (!name) this.fail(`"<" does not start a tag (write it as &lt; in text)`, lt);
    const selfClosing = this.buf.charCodeAt(gt - 1) === 0x2f;
    if (this.stack.length === 0) {
      if (this.sawRoot) this.fail(`a second top-level element <${name}>: XML has exactly one root element`, lt);
      this.sawRoot = true;
      if (name !== this.itemPath[0])
        this.fail(`the root element is <${name}>, but the item path starts with "${this.itemPath[0]}"`, lt, `set the item path to "${name}.…", naming the repeated element`);
    }
    const starts = !this.capture && this.stack.length === this.itemPath.length - 1 && name === this.itemPath.at(-1) && this.stack.every((open, i) => open.name === this.itemPath[i]);
    if (starts) this.capture = { start: lt, line: this.lineAt(lt), column: this.base + lt - this.lineStart + 1 };
    if (selfClosing) {
      if (starts) this.emit(gt + 1, out);
    } else this.stack.push({ name, line: this.lineAt(lt) });
  }

  private closeTag(name: string, lt: number, end: number, out: XmlFragment[]): void {
    const open = this.stack.pop();
    if (!open) this.fail(`the closing tag </${name}> has no opening tag`, lt);
    if (open.name !== name)
      this.fail(`the closing tag </${name}> does not match <${open.name}> opened on line ${open.line}`, lt);
    if (this.capture && this.stack.length === this.itemPath.length - 1) this.emit(end, out);
  }

  private emit(end: number, out: XmlFragment[]): void {
    const { start, line, column } = this.capture!;
    out.push({ text: this.buf.slice(start, end), line, column });
    this.capture = undefined;
  }

  private lineAt(at: number): number {
    this.countLinesTo(this.base + at);
    return this.line;
  }

  private compact(): void {
    const keep = this.capture ? this.capture.start : this.pos;
    if (keep === 0) return;
    this.countLinesTo(this.base + keep);
    this.buf = this.buf.slice(keep);
    this.base += keep;
    this.pos -= keep;
    if (this.capture) this.capture.start -= keep;
  }

  private countLinesTo(absolute: number): void {
    if (absolute <= this.counted) return;
    for (let i = this.buf.indexOf("\n", this.counted - this.base); i !== -1 && this.base + i < absolute; i = this.buf.indexOf("\n", i + 1)) {
      this.line++;
      this.lineStart = this.base + i + 1;
    }
    this.counted = absolute;
  }

  private fail(message: string, at: number, hint?: string, code = "XML_MALFORMED"): never {
    this.countLinesTo(this.base + at);
    const column = this.base + at - this.lineStart + 1;
    throw new NodeError(`"${this.path}" line ${this.line}, column ${column}: ${message}`, {
      code,
      hint: hint ?? "check the XML is complete and well-formed around that place",
      details: [{ path: this.path, line: this.line, column }],
    });
  }
}
