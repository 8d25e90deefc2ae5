/**
 * monaco's own Monarch definition of JavaScript, taken from the package's language folder (it ships
 * without type declarations, hence this typed re-export).
 */
// @ts-expect-error: the .js module has no .d.ts in monaco-editor 0.57
import { conf as jsConf, language as jsLanguage } from "monaco-editor/languages/definitions/javascript/javascript";
import type { languages } from "./editor-parts";

export const conf = jsConf as languages.LanguageConfiguration;
export const language = jsLanguage as languages.IMonarchLanguage;
