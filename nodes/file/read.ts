import { open, type FileHandle } from "node:fs/promises";
import { NodeError, defineNode, exprable, z, type NodeContext } from "../sdk";
import { readCsv } from "./csv-read";
import { READ_ENCODINGS } from "./encoding";
import { FILE_FORMATS } from "./formats";
import { fileError } from "./fs-errors";
import { readJsonArray, readNdjson } from "./json-read";
import { fileToRead, relativePath } from "./paths";
import { readText } from "./read-text";
import { inBatches, type ReadRecord } from "./records";
import { readXml } from "./xml-read";


const dottedPath = z.string().regex(/^[^.\s]+(\.[^.\s]+)*$/, 'write element or key names joined by dots, e.g. "orders.order"');

export const ReadConfig = z
  .object({
    path: exprable(z.string().min(1)).meta({
      title: "File",
      description: "Path inside the files folder, e.g. imports/orders.csv. An expression is evaluated once, against the first incoming item.",
    }),
    format: z.enum(FILE_FORMATS).meta({ title: "Format" }),
    encoding: z.enum(READ_ENCODINGS).default("auto").meta({
      title: "Encoding",
      description: "auto: UTF-8, or UTF-16 when the file starts with a byte order mark. Files from Excel on Windows are often windows-1252.",
    }),
    batchSize: z.number().int().min(1).max(100_000).default(1000).meta({
      title: "Batch size",
      description: "Items read before they are passed on; memory use grows with it, not with the file's size.",
    }),
    delimiter: z.string().min(1).max(10).default(",").meta({ title: "Delimiter (CSV)", description: 'Often "," or ";" (or "\\t" for tab).' }),
    quote: z.string().length(1).default('"').meta({ title: "Quote character (CSV)" }),
    escape: z.string().length(1).default('"').meta({ title: "Escape character (CSV)", description: 'Written before a quote inside a quoted field; usually the quote itself ("").' }),
    header: z.boolean().default(true).meta({ title: "First row is a header (CSV)" }),
    columns: z.array(z.string().min(1)).min(1).optional().meta({
      title: "Column names (CSV)",
      description: "Names for the columns, in order. With a header row, they replace its names; without one, they are required unless column1, column2, … will do.",
    }),
    skipEmptyLines: z.boolean().default(true).meta({ title: "Skip empty lines (CSV)" }),
    itemsPath: dottedPath.optional().meta({
      title: "Items path (JSON)",
      description: 'Keys leading to the array of items inside the top-level object, e.g. "data.items". Empty: the file itself is an array.',
    }),
    itemPath: dottedPath.optional().meta({
      title: "Item element (XML)",
      description: 'The repeated element, from the root down, e.g. "orders.order". Required for XML.',
    }),
    arrays: z.array(z.string().min(1)).default([]).meta({
      title: "Always lists (XML)",
      description: "Element names that are always read as a list, even when an item has only one of them.",
    }),
    badRecords: z.enum(["error", "fail"]).default("error").meta({
      title: "Unreadable records",
      description: "error: each goes to the error port (naming its line) and reading continues; fail: the first one stops the read.",
    }),
    maxBadRecords: z.number().int().min(0).default(1000).meta({
      title: "Most unreadable records",
      description: "Above this many, the read stops: the settings probably do not match the file.",
    }),
  })
  .strict()
  .superRefine((config, issues) => {
    if (config.format === "xml" && !config.itemPath)
      issues.addIssue({ code: "custom", path: ["itemPath"], message: 'name the repeated element for XML, e.g. "orders.order"' });
    if (config.itemsPath && config.format !== "json")
      issues.addIssue({ code: "custom", path: ["itemsPath"], message: "the items path applies to the json format only" });
    if (config.itemPath && config.format !== "xml")
      issues.addIssue({ code: "custom", path: ["itemPath"], message: "the item element applies to the xml format only" });
  });
export type ReadConfig = z.infer<typeof ReadConfig>;

export default defineNode({
  type: "file.read",
  version: 1,
  category: "source",
  title: "Read file",
  description: "Reads a CSV, JSON, NDJSON or XML file from the files folder and passes its records on in batches, however large the file.",
  config: ReadConfig,
  ports: { outputs: ["main", "error"] },
  async run({ config, ctx }) {
    const rel = relativePath(config.path);
    // Opened here, before streaming starts, so a missing file fails this node's input item
    // (and can go to the error port) instead of breaking the stream.
    const abs = await fileToRead(ctx.files, rel);
    return inBatches(records(config, readFile(abs, rel, config, ctx), rel), {
      nodeId: ctx.nodeId,
      path: rel,
      batchSize: config.batchSize,
      badRecords: config.badRecords,
      maxBadRecords: config.maxBadRecords,
      signal: ctx.signal,
      log: ctx.log,
    });
  },
});

async function* readFile(abs: string, rel: string, config: ReadConfig, ctx: NodeContext): AsyncGenerator<string> {
  let handle: FileHandle;
  try {
    handle = await open(abs, "r");
  } catch (error) {
    throw fileError(error, rel, "read");
  }
  yield* readText(handle, rel, config.encoding, ctx.signal);
}

function records(config: ReadConfig, text: AsyncIterable<string>, rel: string): AsyncIterable<ReadRecord[]> {
  switch (config.format) {
    case "csv":
      return readCsv(text, { ...config, path: rel, columns: config.columns });
    case "json":
      return readJsonArray(text, config.itemsPath ? config.itemsPath.split(".") : [], rel);
    case "ndjson":
      return readNdjson(text, rel);
    case "xml":
      if (!config.itemPath) throw new NodeError("name the repeated XML element (item path)", { code: "CONFIG_INVALID" });
      return readXml(text, { itemPath: config.itemPath.split("."), arrays: config.arrays, path: rel });
  }
}
