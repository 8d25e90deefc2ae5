/**
 * Monaco from the local package (never a CDN: Gate runs offline), with two small languages of our
 * own: JSONata (expressions) and JSON (payloads), plus monaco's JavaScript tokenizer for the code
 * node. All are tokenizers only, so no language worker is needed. Loaded by a dynamic import from client components only.
 */
import { loader } from "@monaco-editor/react";
import * as monaco from "./editor-parts";
import * as javascript from "./javascript-language";

/** Field paths seen in upstream sample data, per editor model, for completion. */
const pathsByModel = new Map<string, string[]>();

export function setCompletionPaths(modelUri: string, paths: string[]): void {
  pathsByModel.set(modelUri, paths);
}

export function forgetModel(modelUri: string): void {
  pathsByModel.delete(modelUri);
}

const JSONATA_FUNCTIONS = [
  "sum", "count", "max", "min", "average", "string", "number", "boolean", "not", "exists", "length", "substring",
  "substringBefore", "substringAfter", "uppercase", "lowercase", "trim", "pad", "contains", "split", "join", "replace",
  "match", "now", "millis", "fromMillis", "toMillis", "round", "floor", "ceil", "abs", "power", "sqrt", "keys", "lookup",
  "append", "sort", "reverse", "distinct", "map", "filter", "reduce", "merge", "each", "type", "formatNumber",
] as const;

let ready = false;

function register(): void {
  if (ready) return;
  ready = true;
  // Without a worker, monaco runs its few worker tasks on the main thread; the editors here are small.
  (globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
    getWorker: () => {
      throw new Error("no worker");
    },
  };
  loader.config({ monaco });

  monaco.languages.register({ id: "jsonata" });
  monaco.languages.setMonarchTokensProvider("jsonata", {
    keywords: ["and", "or", "in", "true", "false", "null", "function"],
    tokenizer: {
      root: [
        [/\/\*/, "comment", "@comment"],
        [/\$[A-Za-z_]\w*/, "variable.predefined"],
        [/\$/, "variable.predefined"],
        [/[A-Za-z_]\w*/, { cases: { "@keywords": "keyword", "@default": "identifier" } }],
        [/`[^`]*`/, "identifier"],
        [/"([^"\\]|\\.)*"/, "string"],
        [/'([^'\\]|\\.)*'/, "string"],
        [/-?\d+(\.\d+)?([eE][-+]?\d+)?/, "number"],
        [/[&|+\-*/%=!<>?:~.]+/, "operator"],
        [/[{}()[\]]/, "@brackets"],
      ],
      comment: [
        [/\*\//, "comment", "@pop"],
        [/./, "comment"],
      ],
    },
  });
  monaco.languages.setLanguageConfiguration("jsonata", {
    brackets: [
      ["(", ")"],
      ["[", "]"],
      ["{", "}"],
    ],
  });
  monaco.languages.registerCompletionItemProvider("jsonata", {
    triggerCharacters: [".", "$"],
    provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const before = model.getLineContent(position.lineNumber).slice(0, word.startColumn - 1);
      if (before.endsWith("$"))
        return {
          suggestions: JSONATA_FUNCTIONS.map((fn) => ({
            label: `$${fn}`,
            kind: monaco.languages.CompletionItemKind.Function,
            insertText: fn,
            range,
          })),
        };
      // After "a.b." offer the children of a.b; otherwise the top-level fields.
      const prefix = /([A-Za-z_][\w.]*)\.$/.exec(before)?.[1];
      const paths = pathsByModel.get(model.uri.toString()) ?? [];
      const names = new Set<string>();
      for (const path of paths) {
        if (prefix) {
          if (path.startsWith(`${prefix}.`)) names.add(path.slice(prefix.length + 1).split(".")[0]!);
        } else names.add(path.split(".")[0]!);
      }
      return {
        suggestions: [...names].map((name) => ({
          label: name,
          kind: monaco.languages.CompletionItemKind.Field,
          detail: "field in the sample input",
          insertText: /^[A-Za-z_]\w*$/.test(name) ? name : `\`${name}\``,
          range,
        })),
      };
    },
  });

  monaco.languages.register({ id: "gate-json" });
  monaco.languages.setMonarchTokensProvider("gate-json", {
    tokenizer: {
      root: [
        [/"([^"\\]|\\.)*"(?=\s*:)/, "type"],
        [/"([^"\\]|\\.)*"/, "string"],
        [/-?\d+(\.\d+)?([eE][-+]?\d+)?/, "number"],
        [/\b(true|false|null)\b/, "keyword"],
        [/[{}[\]]/, "@brackets"],
      ],
    },
  });
  monaco.languages.setLanguageConfiguration("gate-json", {
    brackets: [
      ["{", "}"],
      ["[", "]"],
    ],
    autoClosingPairs: [],
  });

  // Highlighting only: the TypeScript language service would need a worker and knows nothing of the
  // sandbox's globals (`items`, `item`), so it would flag correct code.
  monaco.languages.register({ id: "javascript" });
  monaco.languages.setMonarchTokensProvider("javascript", javascript.language);
  monaco.languages.setLanguageConfiguration("javascript", javascript.conf);

  monaco.editor.defineTheme("gate", {
    base: "vs",
    inherit: true,
    rules: [
      { token: "variable.predefined", foreground: "7a3e9d" },
      { token: "identifier", foreground: "1d2330" },
      { token: "type", foreground: "3556d8" },
      { token: "string", foreground: "1f7a4c" },
      { token: "number", foreground: "b05a00" },
      { token: "keyword", foreground: "a0307a" },
    ],
    colors: { "editor.background": "#ffffff", "editorLineNumber.foreground": "#98a2b3" },
  });
}

/** Call before the first <Editor> mounts; returns the monaco API (for tests of the model URIs). */
export function setupMonaco(): typeof monaco {
  register();
  return monaco;
}
