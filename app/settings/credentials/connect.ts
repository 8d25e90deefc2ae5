import { api } from "../../lib/trpc";

/** Start OAuth Connect: the server answers with the provider's authorization URL, where the browser goes next. */
export async function connectCredential(name: string): Promise<string> {
  const { url } = await api.credentials.connect.mutate({ name });
  return url;
}
