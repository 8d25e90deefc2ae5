/** Flow documents in and out of the browser as JSON files. */
import { api } from "../../lib/trpc";

export async function exportFlow(id: string): Promise<void> {
  const flow = await api.flows.get.query({ id });
  const blob = new Blob([`${JSON.stringify(flow.doc, null, 2)}\n`], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `${flow.name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-|-$/g, "") || "flow"}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/** Read a chosen file as JSON; the message names the file and what is wrong with it. */
export async function readJsonFile(file: File): Promise<unknown> {
  const text = await file.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file.name} is not valid JSON: ${(error as Error).message}`);
  }
}
