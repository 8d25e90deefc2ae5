import { createContext, useContext, type ReactNode } from "react";
import type { FieldProps, FormContext } from "./types";

export const FormCtx = createContext<FormContext>({ nodeId: "", problems: new Map(), completionPaths: [], credentials: undefined, credentialKinds: undefined, readOnly: false });

export const useFormContext = () => useContext(FormCtx);

/**
 * How a nested field is drawn. Containers (objects, lists, expression switches) render their children
 * through this instead of importing `Field`, so `Field` → container → `Field` is not an import cycle.
 * `SchemaForm` provides the real renderer.
 */
export type RenderField = (props: FieldProps) => ReactNode;

export const RenderFieldCtx = createContext<RenderField>(() => {
  throw new Error("RenderFieldCtx is not provided: render forms through SchemaForm");
});

export const useRenderField = () => useContext(RenderFieldCtx);
