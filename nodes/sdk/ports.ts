import type { AnyNodeDefinition } from "./types";

/** Every node has an `error` output besides its own: the fallback path for failed items. */
export const ERROR_PORT = "error";
export const MAIN_PORT = "main";

export function inputPorts(def: AnyNodeDefinition): readonly string[] {
  if (def.ports?.inputs) return def.ports.inputs;
  return def.category === "trigger" ? [] : [MAIN_PORT];
}

/** Output ports; a node may derive them from its config (a switch has one per case). */
export function outputPorts(def: AnyNodeDefinition, config?: Record<string, unknown>): readonly string[] {
  const declared = def.ports?.outputs;
  let own: readonly string[] = [MAIN_PORT];
  if (typeof declared === "function") {
    const parsed = def.config.safeParse(config ?? {});
    own = parsed.success ? declared(parsed.data) : [];
  } else if (declared) own = declared;
  return own.includes(ERROR_PORT) ? own : [...own, ERROR_PORT];
}
