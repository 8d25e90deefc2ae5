/**
 * The coercion rules of `map.fields`, shared with the node itself so the preview can never disagree
 * with a real run (nodes/map/coerce.ts imports nothing Node-only).
 */
export { FIELD_TYPES, coerce, type FieldType } from "../../../../../nodes/map/coerce";
