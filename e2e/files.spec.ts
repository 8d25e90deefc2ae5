import { existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type FileChooser, type Page } from "@playwright/test";
import { shot } from "./helpers";

/** The main e2e server's files folder (playwright.config.ts: --data test-results/e2e-data). */
const FILES_DIR = "test-results/e2e-data/files";
const CONTACTS = "name,email\nAda,ada@example.com\n";
const CONTACTS_V2 = "name,email\nAda,ada@example.com\nGrace,grace@example.com\n";
const ORDERS = '{"id":1}\n{"id":2}\n';

/** Pick files in the browser's file chooser, as a person does after pressing "Choose files…". */
async function choose(page: Page, files: Parameters<FileChooser["setFiles"]>[0]) {
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("region", { name: "Upload files" }).getByRole("button", { name: "Choose files…" }).click();
  await (await chooser).setFiles(files);
}

test("an editor uploads files by choosing and by dropping them, is told why one is refused, replaces and deletes one", async ({ page }) => {
  await page.goto("/flows");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Files" }).click();
  await expect(page.getByRole("heading", { name: "Files", level: 1 })).toBeVisible();
  await expect(page.locator(".files-intro")).toContainText("Read file (file.read) and Write file (file.write) nodes take paths relative to this folder");
  await expect(page.getByRole("heading", { name: "No files yet" })).toBeVisible();
  await expect(page.getByText("Upload the file a flow should read first")).toBeVisible();
  const zone = page.getByRole("region", { name: "Upload files" });
  await expect(zone).toContainText("Up to 50 MiB per file.");
  await shot(page, "files-empty");

  // Choose a file.
  await choose(page, { name: "contacts.csv", mimeType: "text/csv", buffer: Buffer.from(CONTACTS) });
  await expect(page.getByRole("status").filter({ hasText: "Uploaded" })).toContainText("Uploaded contacts.csv (31 B).");
  const contacts = page.getByRole("row", { name: /contacts\.csv/ });
  await expect(contacts.getByRole("cell")).toHaveText(["contacts.csv", "31 B", "just now", "Delete"]);
  expect(readFileSync(path.join(FILES_DIR, "contacts.csv"), "utf8")).toBe(CONTACTS);

  // Drop a file onto the zone, into a folder.
  await zone.getByLabel("Into folder (optional)").fill("imports");
  const dropped = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], "orders.ndjson", { type: "application/x-ndjson" }));
    return transfer;
  }, ORDERS);
  await zone.dispatchEvent("dragover", { dataTransfer: dropped });
  await expect(zone).toHaveClass(/is-drop-target/);
  await zone.dispatchEvent("drop", { dataTransfer: dropped });
  await expect(page.getByRole("status").filter({ hasText: "Uploaded" })).toContainText("Uploaded imports/orders.ndjson (18 B).");
  await expect(page.getByRole("row", { name: /imports\/orders\.ndjson/ }).getByRole("cell").nth(1)).toHaveText("18 B");
  expect(readFileSync(path.join(FILES_DIR, "imports", "orders.ndjson"), "utf8")).toBe(ORDERS);

  // A folder that leads out of the files folder: the server refuses, in its own words.
  await zone.getByLabel("Into folder (optional)").fill("../outside");
  await choose(page, { name: "secret.json", mimeType: "application/json", buffer: Buffer.from('{"a":1}') });
  const refusal = page.getByRole("alert").filter({ hasText: "secret.json" });
  await expect(refusal).toContainText('Could not upload ../outside/secret.json: file path "../outside/secret.json" points outside the files folder');
  await expect(refusal).not.toContainText(/\bat \S+:\d+|Error:|node_modules/);
  await expect(page.getByRole("row", { name: /secret\.json/ })).toHaveCount(0);
  expect(existsSync(path.join(FILES_DIR, "..", "outside"))).toBe(false);
  await shot(page, "files-refused");
  await refusal.getByRole("button", { name: "Dismiss" }).click();

  // Too big for an upload: said before anything is sent, with the limit.
  const big = test.info().outputPath("big.csv");
  mkdirSync(path.dirname(big), { recursive: true });
  writeFileSync(big, "");
  truncateSync(big, 60 * 1024 * 1024);
  await zone.getByLabel("Into folder (optional)").fill("");
  await choose(page, big);
  await expect(page.getByRole("alert").filter({ hasText: "big.csv" })).toContainText(
    "Not uploaded: big.csv is 60 MiB (62,914,560 bytes); uploads are limited to 50 MiB. Copy bigger files into the files folder on the server directly.",
  );
  await expect(page.getByRole("row", { name: /big\.csv/ })).toHaveCount(0);

  // The same name again: asked first, then replaced.
  await choose(page, { name: "contacts.csv", mimeType: "text/csv", buffer: Buffer.from(CONTACTS_V2) });
  const replace = page.getByRole("dialog", { name: "Replace “contacts.csv”?" });
  await expect(replace).toContainText("The upload replaces it");
  await replace.getByRole("button", { name: "Replace" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Uploaded" })).toContainText("Uploaded contacts.csv (55 B).");
  await expect(contacts.getByRole("cell").nth(1)).toHaveText("55 B");
  expect(readFileSync(path.join(FILES_DIR, "contacts.csv"), "utf8")).toBe(CONTACTS_V2);

  // Delete asks first.
  await contacts.getByRole("button", { name: "Delete contacts.csv" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete “contacts.csv”?" });
  await expect(confirm).toContainText("Flows that read contacts.csv fail with FILE_NOT_FOUND");
  await confirm.getByRole("button", { name: "Delete file" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Deleted" })).toContainText("Deleted contacts.csv.");
  await expect(contacts).toHaveCount(0);
  expect(existsSync(path.join(FILES_DIR, "contacts.csv"))).toBe(false);

  // What is listed is what the folder holds: a reload shows the same.
  await page.reload();
  await expect(page.getByRole("table").getByRole("row")).toHaveCount(2);
  await expect(page.getByRole("row", { name: /imports\/orders\.ndjson/ })).toBeVisible();
  await shot(page, "files-list");
});
