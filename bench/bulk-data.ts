/** The bulk benchmark's data: a 10-column CSV, generated as a stream, and the JSON Schema its rows meet. */
import { once } from "node:events";
import { createWriteStream } from "node:fs";

export const BULK_COLUMNS = ["id", "name", "email", "age", "country", "city", "amount", "active", "created", "note"] as const;

/** Every column is checked: CSV values are text, so numbers and dates are checked by pattern and format. */
export const BULK_SCHEMA = {
  type: "object",
  required: [...BULK_COLUMNS],
  properties: {
    id: { type: "string", pattern: "^[1-9][0-9]*$" },
    name: { type: "string", minLength: 1, maxLength: 100 },
    email: { type: "string", format: "email" },
    age: { type: "string", pattern: "^[0-9]{1,3}$" },
    country: { enum: ["FR", "DE", "PE", "US", "JP"] },
    city: { type: "string", minLength: 1 },
    amount: { type: "string", pattern: "^[0-9]+\\.[0-9]{2}$" },
    active: { enum: ["true", "false"] },
    created: { type: "string", format: "date" },
    note: { type: "string", maxLength: 200 },
  },
};

/** The table both sides fill: the same declaration, so column affinity converts the same way. */
export const BULK_TABLE =
  "CREATE TABLE t (id INTEGER, name TEXT, email TEXT, age INTEGER, country TEXT, city TEXT, amount REAL, active TEXT, created TEXT, note TEXT)";

const COUNTRIES = ["FR", "DE", "PE", "US", "JP"];
const CITIES = ["Paris", "Berlin", "Lima", "Boston", "Osaka"];

/** Write `rows` rows (plus a header) in chunks, waiting for the stream to drain: memory stays flat. */
export async function writeBulkCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write(`${BULK_COLUMNS.join(",")}\n`);
  const chunk = 10_000;
  for (let start = 1; start <= rows; start += chunk) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(rows + 1, start + chunk); i++) {
      const day = String((i % 28) + 1).padStart(2, "0");
      const month = String((i % 12) + 1).padStart(2, "0");
      lines.push(
        `${i},Person ${i},person${i}@example.com,${18 + (i % 70)},${COUNTRIES[i % 5]},${CITIES[(i * 7) % 5]},${Math.floor((i % 100_000) / 100) + 1}.${String(i % 100).padStart(2, "0")},${i % 3 ? "true" : "false"},2024-${month}-${day},"note ${i}, with a comma"`,
      );
    }
    if (!out.write(`${lines.join("\n")}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}
