import { expect, test } from "@playwright/test";
import { importFlow, shot } from "../helpers";

/** The receiver's token sits in the URL's path and query, as Slack's and Discord's do. */
const TOKEN = "T0KEN-e2e-path-secret";
const HOOK_URL = `https://hooks.example.com/services/${TOKEN}?key=e2e-query-secret`;

test("a person edits an alert channel and rule; a webhook URL never reaches the browser", async ({ page, request }) => {
  await importFlow(request, "e2e/fixtures/contact-mapping.json", "Alert edit target");
  // Every answer about channels the page receives, to check none carries the URL.
  const channelAnswers: Promise<string>[] = [];
  page.on("response", (res) => {
    if (res.url().includes("alerts.channels")) channelAnswers.push(res.text());
  });

  await page.goto("/settings/alerts");
  await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
  const channels = page.getByRole("region", { name: "Channels" });
  const rules = page.getByRole("region", { name: "Rules" });

  await page.getByRole("button", { name: "New channel" }).click();
  const newChannel = page.getByRole("dialog", { name: "New alert channel" });
  await newChannel.getByLabel("Name").fill("Partner hook");
  await newChannel.getByLabel("Kind").selectOption("webhook");
  await newChannel.getByLabel("URL").fill(HOOK_URL);
  await newChannel.getByLabel("Signing secret credential").fill("ops-signing");
  await newChannel.getByRole("button", { name: "Create channel" }).click();
  const channelRow = channels.getByRole("row").filter({ hasText: "Partner hook" });
  await expect(channelRow).toContainText("https://hooks.example.com/…");
  await expect(channelRow).toContainText("ops-signing");

  await page.getByRole("button", { name: "New rule" }).click();
  const newRule = page.getByRole("dialog", { name: "New alert rule" });
  await newRule.getByLabel("Name").fill("Partner failures");
  await newRule.getByLabel("Failed runs in a row").fill("4");
  await newRule.getByRole("checkbox", { name: /Partner hook/ }).check();
  await newRule.getByRole("button", { name: "Create rule" }).click();
  const ruleRow = rules.getByRole("row").filter({ hasText: "Partner failures" });
  await expect(ruleRow).toContainText("Failed runs in a row: 4");
  await expect(ruleRow).toContainText("every flow");

  // Edit the channel: its settings are filled in, the URL field is empty and says what it keeps.
  await channelRow.getByRole("button", { name: "Edit channel Partner hook" }).click();
  const editChannel = page.getByRole("dialog", { name: "Edit alert channel “Partner hook”" });
  await expect(editChannel.getByLabel("Name")).toHaveValue("Partner hook");
  await expect(editChannel.getByLabel("Kind")).toHaveValue("webhook");
  await expect(editChannel.getByLabel("Signing secret credential")).toHaveValue("ops-signing");
  const url = editChannel.getByLabel("URL");
  await expect(url).toHaveValue("");
  await expect(url).toHaveAccessibleDescription(/Now https:\/\/hooks\.example\.com\/….*Leave empty to keep the current URL\./);
  await editChannel.getByLabel("Name").fill("Partner hook EU");
  await editChannel.getByLabel("Signing secret credential").fill("ops-signing-eu");
  await shot(page, "alerts-edit-channel");
  await editChannel.getByRole("button", { name: "Save channel" }).click();
  await expect(page.getByText("Channel “Partner hook EU” saved.")).toBeVisible();
  const editedChannel = channels.getByRole("row").filter({ hasText: "Partner hook EU" });
  await expect(editedChannel).toContainText("https://hooks.example.com/…");
  await expect(editedChannel).toContainText("ops-signing-eu");
  await expect(channels.getByRole("row").filter({ hasText: "Partner hook" }), "the row was changed, not another one added").toHaveCount(1);

  // Edit the rule: another kind with its parameters, one flow, a cooldown; switched off.
  await ruleRow.getByRole("button", { name: "Edit rule Partner failures" }).click();
  const editRule = page.getByRole("dialog", { name: "Edit alert rule “Partner failures”" });
  await expect(editRule.getByLabel("Name")).toHaveValue("Partner failures");
  await expect(editRule.getByLabel("Failed runs in a row")).toHaveValue("4");
  await expect(editRule.getByRole("checkbox", { name: /Partner hook EU/ })).toBeChecked();
  await expect(editRule.getByLabel("Cooldown (minutes)")).toHaveValue("30");
  await editRule.getByLabel("Name").fill("Partner failure rate");
  await editRule.getByLabel("When").selectOption({ label: "Failure rate" });
  await editRule.getByLabel("Failed runs above (%)").fill("25");
  await editRule.getByLabel("Window (minutes)").fill("30");
  await editRule.getByLabel("Flow").selectOption({ label: "Alert edit target" });
  await editRule.getByLabel("Cooldown (minutes)").fill("10");
  await editRule.getByRole("checkbox", { name: /Enabled/ }).uncheck();
  await editRule.getByRole("button", { name: "Save rule" }).click();
  await expect(page.getByText("Rule “Partner failure rate” saved.")).toBeVisible();

  const check = async () => {
    const row = rules.getByRole("row").filter({ hasText: "Partner failure rate" });
    await expect(row).toContainText("Failure rate");
    await expect(row).toContainText("Failed runs above (%): 25 · Window (minutes): 30 · At least this many runs: 5 · cooldown 10 min");
    await expect(row).toContainText("Alert edit target");
    await expect(row).toContainText("Partner hook EU");
    await expect(row.locator(".pill")).toHaveText("off");
    await expect(rules.getByRole("row").filter({ hasText: "Partner failures" })).toHaveCount(0);
    const channel = channels.getByRole("row").filter({ hasText: "Partner hook EU" });
    await expect(channel).toContainText("https://hooks.example.com/…");
    await expect(channel).toContainText("ops-signing-eu");
  };
  await check();
  await page.reload();
  await check();
  await shot(page, "alerts-edit");

  // A new URL replaces the stored one; still only its origin is shown.
  await channels.getByRole("button", { name: "Edit channel Partner hook EU" }).click();
  const again = page.getByRole("dialog", { name: "Edit alert channel “Partner hook EU”" });
  await again.getByLabel("URL").fill("https://alerts.example.org/gate");
  await again.getByRole("button", { name: "Save channel" }).click();
  await expect(channels.getByRole("row").filter({ hasText: "Partner hook EU" })).toContainText("https://alerts.example.org/…");

  const answers = await Promise.all(channelAnswers);
  expect(answers.length).toBeGreaterThanOrEqual(4);
  for (const answer of answers) {
    expect(answer).not.toContain(TOKEN);
    expect(answer).not.toContain("e2e-query-secret");
  }
  expect(await page.content()).not.toContain(TOKEN);
});
