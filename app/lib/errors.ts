import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "../../server/api/root";
import type { Problem } from "./types";

export interface Failure {
  message: string;
  /** Per-field problems the server attached (validation), each with its path. */
  problems: Problem[];
}

/** Turn whatever a call threw into words for people; the server never sends stacks. */
export function describeError(error: unknown): Failure {
  if (error instanceof TRPCClientError) {
    const data = (error as TRPCClientError<AppRouter>).data as
      | { problems?: Problem[]; zodIssues?: { path: string; message: string }[] }
      | undefined;
    const problems = data?.problems ?? data?.zodIssues?.map((i) => ({ path: i.path, message: i.message })) ?? [];
    return { message: error.message, problems };
  }
  if (error instanceof Error) return { message: error.message, problems: [] };
  return { message: String(error), problems: [] };
}

export function errorText(error: unknown): string {
  const { message, problems } = describeError(error);
  return problems.length ? `${message}: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}` : message;
}
