import { NodeError } from "../errors";
import type { HttpResponse } from "../host";
import type { NodeLogger } from "../types";
import { nextLink } from "./link-header";

export type PaginationConfig =
  | { mode: "none" }
  | { mode: "linkHeader"; maxPages: number }
  | { mode: "cursor"; param: string; maxPages: number }
  | { mode: "page"; param: string; start: number; maxPages: number };

export interface Page {
  response: HttpResponse;
  body: unknown;
  /** The page's records (the list at the items path, or the body when it is a list). */
  records: unknown[] | undefined;
}

export interface PageDeps {
  send(url: URL): Promise<HttpResponse>;
  decode(response: HttpResponse): unknown;
  records(body: unknown): Promise<unknown[] | undefined>;
  /** The next cursor read from a page body (cursor mode). */
  cursor(body: unknown): Promise<unknown>;
  /** Refuse a next-page link to another origin (a credential would travel there). */
  sameOriginOnly: boolean;
  log: NodeLogger;
}

/**
 * The pages of a paginated API, one request at a time: by RFC 8288 `Link: <…>; rel="next"`, by a
 * cursor read from each body and sent back as a query parameter, or by page number until a page
 * comes back empty. Stops at `maxPages` (with a warning) and on a repeated link or cursor.
 */
export async function* paginate(config: PaginationConfig, first: URL, deps: PageDeps): AsyncGenerator<Page> {
  const fetchPage = async (url: URL): Promise<Page> => {
    const response = await deps.send(url);
    const body = deps.decode(response);
    return { response, body, records: await deps.records(body) };
  };
  if (config.mode === "none") {
    yield await fetchPage(first);
    return;
  }
  const seen = new Set<string>();
  let url: URL | null = config.mode === "page" ? withParam(first, config.param, String(config.start)) : first;
  for (let n = 0; url; n++) {
    if (n >= config.maxPages) {
      deps.log.warn("pagination stopped at the page limit", { pages: config.maxPages });
      return;
    }
    seen.add(url.href);
    const page = await fetchPage(url);
    if (config.mode === "page") {
      if (!page.records)
        throw new NodeError("page-number pagination cannot tell when a page is empty: the response is not a list", {
          code: "PAGINATION_CONFIG",
          hint: 'set "Records in the response" to the path of the list in each page, e.g. data',
        });
      if (page.records.length === 0) return;
      yield page;
      url = withParam(first, config.param, String(config.start + n + 1));
      continue;
    }
    yield page;
    url = config.mode === "linkHeader" ? nextByLink(page, deps) : await nextByCursor(page, first, config.param, deps);
    if (url && seen.has(url.href)) return;
  }
}

function nextByLink(page: Page, deps: PageDeps): URL | null {
  const next = nextLink(page.response.headers.link, page.response.url);
  if (!next) return null;
  const url = new URL(next);
  if (deps.sameOriginOnly && url.origin !== new URL(page.response.url).origin)
    throw new NodeError(`the next-page link points to another host (${url.host}); Gate does not send the credential there`, {
      code: "PAGINATION_OFF_ORIGIN",
      hint: "this API paginates across hosts: call the other host in a separate request node",
    });
  return url;
}

async function nextByCursor(page: Page, first: URL, param: string, deps: PageDeps): Promise<URL | null> {
  const cursor = await deps.cursor(page.body);
  if (cursor === undefined || cursor === null || cursor === "" || cursor === false) return null;
  if (typeof cursor !== "string" && typeof cursor !== "number")
    throw new NodeError(`the cursor path found ${Array.isArray(cursor) ? "a list" : typeof cursor}, not a cursor value`, {
      code: "PAGINATION_CONFIG",
      hint: "point the cursor path at the text or number the API wants back",
    });
  return withParam(first, param, String(cursor));
}

function withParam(url: URL, name: string, value: string): URL {
  const copy = new URL(url);
  copy.searchParams.set(name, value);
  return copy;
}
