import { defineNode, exprable, z, type Item, type NodeContext } from "../sdk";
import { existingCsvHeader } from "./csv-header";
import { columnsOf, keysWithoutColumn, renderCsv } from "./csv-write";
import { WRITE_ENCODINGS, byteOrderMark, encodeText, xmlEncodingName } from "./encoding";
import { appendBytes, replaceAtomically, replaceTail, sizeOf } from "./file-io";
import { checkWritable, relativePath } from "./paths";
import { FILE_FORMATS } from "./formats";
import { filesOfRun, type FileInRun } from "./write-state";
import { XML_NAME, loadXmlWriter, renderXmlItems, xmlHead, xmlTail } from "./xml-write";

const DRY_RUN_ROWS = 10;
const PREVIEW_CHARS = 4000;

export const WriteConfig = z
  .object({
    path: exprable(z.string().min(1)).meta({
      title: "File",
      description:
        "Path inside the files folder, e.g. exports/orders.csv; missing folders are created. An expression is evaluated once per batch, against its first item: all items of the batch go to that file.",
    }),
    format: z.enum(FILE_FORMATS).meta({ title: "Format" }),
    mode: z.enum(["overwrite", "append"]).default("overwrite").meta({
      title: "Mode",
      description:
        "overwrite: each run replaces the file in one step (its later batches add to it). append (CSV, NDJSON): rows are added at the end; a CSV header is written only to a new or empty file.",
    }),
    encoding: z.enum(WRITE_ENCODINGS).default("utf-8").meta({
      title: "Encoding",
      description: "utf-8-bom helps Excel recognise UTF-8; latin1 and windows-1252 refuse characters they cannot store.",
    }),
    delimiter: z.string().min(1).max(10).default(",").meta({ title: "Delimiter (CSV)" }),
    quote: z.string().length(1).default('"').meta({ title: "Quote character (CSV)" }),
    header: z.boolean().default(true).meta({ title: "Write a header row (CSV)" }),
    columns: z.array(z.string().min(1)).min(1).optional().meta({
      title: "Columns (CSV)",
      description: "Which fields to write, in order. Default: the existing file's header when appending, else every field of the items, in the order first seen.",
    }),
    lineEnding: z.enum(["lf", "crlf"]).default("lf").meta({ title: "Line ending (CSV)", description: "crlf for tools that insist on Windows line endings" }),
    escapeFormulas: z.boolean().default(true).meta({
      title: "Neutralise formulas (CSV)",
      description: "A cell starting with = + - @ tab or carriage return gets a leading ' so a spreadsheet shows it instead of running it (plain numbers are left alone).",
    }),
    rootElement: z.string().regex(XML_NAME, "not a valid XML element name").default("items").meta({ title: "Root element (XML)" }),
    itemElement: z.string().regex(XML_NAME, "not a valid XML element name").default("item").meta({ title: "Item element (XML)" }),
  })
  .strict()
  .superRefine((config, issues) => {
    if (config.mode === "append" && (config.format === "json" || config.format === "xml"))
      issues.addIssue({
        code: "custom",
        path: ["mode"],
        message: `append works for csv and ndjson; a ${config.format} file cannot be added to without rewriting it (use overwrite)`,
      });
  });
export type WriteConfig = z.infer<typeof WriteConfig>;

interface Plan {
  rel: string;
  columns: string[] | undefined;
  /** The whole text when the file is new (or replaced). */
  fresh: string;
  /** Text for what the file already holds from this run (overwrite) or before (append). */
  more: string;
  tail: string;
}

export default defineNode({
  type: "file.write",
  version: 1,
  category: "destination",
  title: "Write file",
  description: "Writes the items to a CSV, JSON, NDJSON or XML file in the files folder, replacing it in one step or appending to it.",
  config: WriteConfig,
  sideEffects: true,
  async run({ items, config, ctx }) {
    const rel = relativePath(config.path);
    const abs = ctx.files.resolve(rel);
    const inRun = filesOfRun(ctx.bindings);
    const earlier = config.mode === "overwrite" ? inRun.get(abs) : undefined;
    if (config.format === "xml") await loadXmlWriter();

    if (ctx.dryRun) {
      // Nothing is read either: the preview shows the file as a new one.
      const plan = render(items, config, rel, config.columns ?? earlier?.columns, earlier);
      const row: Item = { dryRun: true, path: rel, format: config.format, mode: config.mode, rows: items.length };
      if (plan.columns) row.columns = plan.columns;
      // Encoded only to fail as the live write would on a character the encoding cannot store.
      encodeText(plan.fresh, config.encoding);
      return { main: [{ ...row, firstRows: items.slice(0, DRY_RUN_ROWS), preview: plan.fresh.slice(0, PREVIEW_CHARS) }] };
    }

    await checkWritable(ctx.files, rel);
    let bytes: Uint8Array;
    if (config.mode === "append") {
      const size = await sizeOf(abs, rel);
      const header = config.format === "csv" && size > 0 && !config.columns ? await existingCsvHeader(abs, rel, config) : undefined;
      const plan = render(items, config, rel, config.columns ?? header, undefined);
      bytes = size > 0 ? encodeText(plan.more, config.encoding) : withBom(plan.fresh, config);
      await appendBytes(abs, rel, bytes);
      warnDropped(ctx, items, plan);
    } else if (!earlier) {
      const plan = render(items, config, rel, config.columns, undefined);
      bytes = withBom(plan.fresh, config);
      await replaceAtomically(abs, rel, bytes);
      inRun.set(abs, { columns: plan.columns, count: items.length, tail: encodeText(plan.tail, config.encoding) });
      warnDropped(ctx, items, plan);
    } else {
      const plan = render(items, config, rel, earlier.columns, earlier);
      bytes = encodeText(plan.more + plan.tail, config.encoding);
      await replaceTail(abs, rel, earlier.tail, bytes);
      earlier.count += items.length;
      warnDropped(ctx, items, plan);
    }
    return { main: [{ path: rel, format: config.format, mode: config.mode, rows: items.length, bytes: bytes.length }] };
  },
});

function withBom(text: string, config: WriteConfig): Uint8Array {
  const bom = byteOrderMark(config.encoding);
  const body = encodeText(text, config.encoding);
  return bom.length ? Buffer.concat([bom, body]) : body;
}

/** The text for a batch: as a new file, and as more of an existing one. */
function render(items: Item[], config: WriteConfig, rel: string, columns: string[] | undefined, earlier: FileInRun | undefined): Plan {
  switch (config.format) {
    case "csv": {
      const cols = columns ?? columnsOf(items);
      const rows = renderCsv(items, cols, false, config);
      const head = config.header && cols.length ? renderCsv([], cols, true, config) : "";
      return { rel, columns: cols, fresh: head + rows, more: rows, tail: "" };
    }
    case "ndjson": {
      const rows = items.map((item) => `${JSON.stringify(item)}\n`).join("");
      return { rel, columns: undefined, fresh: rows, more: rows, tail: "" };
    }
    case "json": {
      const before = earlier?.count ?? 0;
      const rows = items.map((item, i) => `${before + i === 0 ? "\n" : ",\n"}${JSON.stringify(item)}`).join("");
      const tail = "\n]\n";
      return { rel, columns: undefined, fresh: `[${rows}${tail}`, more: rows, tail };
    }
    case "xml": {
      const rows = renderXmlItems(items, config.itemElement, earlier?.count ?? 0);
      const tail = xmlTail(config.rootElement);
      return { rel, columns: undefined, fresh: xmlHead(config.rootElement, xmlEncodingName(config.encoding)) + rows + tail, more: rows, tail };
    }
  }
}

/** Fields without a CSV column are not written; say which, once per batch. */
function warnDropped(ctx: NodeContext, items: Item[], plan: Plan): void {
  if (!plan.columns) return;
  const dropped = keysWithoutColumn(items, plan.columns);
  if (dropped.length)
    ctx.log.warn(`fields without a column in "${plan.rel}" were not written: ${dropped.join(", ")}`, { path: plan.rel, dropped });
}
