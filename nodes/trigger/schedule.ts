import { defineNode, z } from "../sdk";
import { cronField, timeZoneField } from "./timing";

export default defineNode({
  type: "trigger.schedule",
  version: 1,
  category: "trigger",
  title: "Schedule",
  description:
    "Starts the flow on a cron schedule (with seconds, in a time zone). Each run starts with one item: `firedAt`, `scheduledFor` and the payload's fields. Runs missed while Gate was down are reported, not replayed.",
  config: z
    .object({
      cron: cronField().meta({
        title: "Cron pattern",
        description: "sec min hour day month weekday, e.g. `0 0 9 * * MON-FRI` (9:00 on weekdays) or `*/30 * * * * *`",
      }),
      timezone: timeZoneField(),
      payload: z
        .record(z.string(), z.json())
        .default({})
        .meta({ title: "Payload", description: "A JSON object whose fields every run starts with" }),
    })
    .strict(),
  // Several schedules may start one flow: one cron pattern cannot say "9:00 on weekdays and noon on Sundays".
  multiple: true,
  run({ items, config }) {
    const now = new Date().toISOString();
    // The scheduler passes the tick; a test run without a sample gets one made up for "now".
    const ticks = items.length ? items : [{}];
    // Field order matters for people reading the output: times first. The tick's own fields win over
    // payload fields of the same name, so `firedAt` is always the real firing time.
    return { main: ticks.map((tick) => ({ firedAt: now, scheduledFor: now, ...config.payload, ...tick })) };
  },
});
