import { api } from "../../../lib/trpc";

export interface CredentialChoice {
  name: string;
  kind: string;
}

/**
 * The stored credentials a node may pick, by name and kind only (the list never holds secrets).
 * Undefined when this person may not list them (below editor): the field then takes a typed name.
 */
export async function loadCredentialChoices(): Promise<CredentialChoice[] | undefined> {
  try {
    const list = await api.credentials.list.query();
    return list.map((c) => ({ name: c.name, kind: c.kind }));
  } catch {
    return undefined;
  }
}
