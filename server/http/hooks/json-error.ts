/**
 * Where malformed JSON goes wrong. V8's messages sometimes give no position ("Unexpected token")
 * and quote the input, which may hold secrets; this small scanner runs only after JSON.parse has
 * failed and reports the first offending character as line and column.
 */
export interface JsonErrorLocation {
  position: number;
  line: number;
  column: number;
  expected: string;
}

export function locateJsonError(text: string): JsonErrorLocation {
  let i = 0;
  const fail = (expected: string): never => {
    throw Object.assign(new Error(expected), { at: i });
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`a value`);
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) fail("a control character escaped in a string");
      if (c === 0x5c) {
        const next = text[i + 1];
        if (next === "u") {
          i += 2;
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i, i + 4))) fail("four hex digits after \\u");
          i += 4;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else {
          i += 1;
          fail("a valid escape after \\");
        }
      } else i++;
    }
    fail('a closing " of the string');
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match || match[0] === "-") fail("a number");
    i += match![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail("less nesting");
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail("a property name in double quotes");
        string();
        ws();
        if (text[i] !== ":") fail('":" after a property name');
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail('"," or "}" after a property value');
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail('"," or "]" after an array element');
      }
    }
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    fail(c === undefined ? "a value, but the body ended" : "a value");
  };
  let expected = "a valid JSON document";
  try {
    value(0);
    ws();
    if (i < text.length) fail("the end of the body after the JSON value");
    // JSON.parse refused something this scanner accepts (should not happen): point at the end.
  } catch (error) {
    expected = (error as Error).message;
  }
  const before = text.slice(0, i);
  const line = before.split("\n").length;
  const column = i - before.lastIndexOf("\n");
  return { position: i, line, column, expected };
}
