import { NodeError, type Item } from "../../sdk";

/**
 * The worker's JSON → items. The isolate already checked the shape, but code running there can
 * change what JSON.stringify produces (a `toJSON` on Object.prototype), so the host checks again
 * on its own objects. JSON.parse makes `__proto__` an ordinary own key, never a prototype.
 */
export function parseOutput(json: string): Item[] | NodeError {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return badOutput("the code's result did not arrive as valid JSON");
  }
  if (!Array.isArray(value)) return badOutput("the code's result did not turn into a list of items");
  const items = value as unknown[];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item !== "object" || item === null || Array.isArray(item))
      return badOutput(`item ${i} of the code's result turned into ${item === null ? "null" : Array.isArray(item) ? "an array" : `a ${typeof item}`} as JSON`);
  }
  return items as Item[];
}

function badOutput(message: string): NodeError {
  return new NodeError(message, {
    code: "CODE_BAD_RESULT",
    hint: "return plain objects; a custom toJSON must return an object for each item",
  });
}
