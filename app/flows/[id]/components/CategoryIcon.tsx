/** One small monochrome glyph per node category, so a flow reads at a glance without colour noise. */
const PATHS: Record<string, string> = {
  // lightning bolt: something starts the flow
  trigger: "M9 1 3 9h4l-1 6 6-8H8l1-6z",
  // key
  auth: "M10 2a4 4 0 0 0-3.9 4.9L1 12v3h3v-2h2v-2h2l1.1-1.1A4 4 0 1 0 10 2zm1 3a1 1 0 1 1 0 2 1 1 0 0 1 0-2z",
  // arrows between two columns: mapping fields
  mapping: "M2 4h8l-2-2 1-1 4 4-4 4-1-1 2-2H2zm12 8H6l2 2-1 1-4-4 4-4 1 1-2 2h8z",
  // funnel
  transform: "M1 2h14l-5 6v6l-4-2V8z",
  // fork
  logic: "M4 1v5a3 3 0 0 0 3 3h2a1 1 0 0 1 1 1v2H8l3 3 3-3h-2v-2a3 3 0 0 0-3-3H7a1 1 0 0 1-1-1V1z",
  // cylinder: reading from somewhere
  source: "M8 1c3.3 0 6 1 6 2.5v9C14 14 11.3 15 8 15s-6-1-6-2.5v-9C2 2 4.7 1 8 1zm0 2C5.5 3 4 3.6 4 4s1.5 1 4 1 4-.6 4-1-1.5-1-4-1z",
  // paper plane: sending out
  destination: "M1 7 15 1 9 15 7 9zm6 1 1.4 3.3L12 4z",
};

export function CategoryIcon({ category, size = 16 }: { category: string; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" className="category-icon">
      <path d={PATHS[category] ?? "M2 2h12v12H2z"} fill="currentColor" />
    </svg>
  );
}

export const CATEGORY_ORDER = ["trigger", "auth", "mapping", "transform", "logic", "source", "destination"] as const;

export const CATEGORY_LABEL: Record<string, string> = {
  trigger: "Triggers",
  auth: "Auth",
  mapping: "Mapping",
  transform: "Transform",
  logic: "Logic",
  source: "Sources",
  destination: "Destinations",
};
