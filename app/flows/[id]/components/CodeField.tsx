"use client";

import dynamic from "next/dynamic";
import type { MonacoFieldProps } from "./MonacoField";

/** Monaco touches `window` as it loads, so it is imported in the browser only. */
const MonacoField = dynamic(() => import("./MonacoField"), {
  ssr: false,
  loading: () => <div className="code-loading">Loading editor…</div>,
});

export function CodeField(props: MonacoFieldProps) {
  return <MonacoField {...props} />;
}
