/** Hand one alert event to each of a rule's channels; one channel failing never stops the others. */
import type { HttpClient, OutboundGuard } from "../../../nodes/sdk";
import type { AlertEvent } from "../message";
import { emailText } from "../message";
import type { AlertChannel } from "../model";
import { sendEmail } from "./email";
import { scrub, type SecretSource } from "./secrets";
import { sendWebhook } from "./webhook";

export interface DeliveryDeps {
  vault: SecretSource;
  http: HttpClient;
  net: OutboundGuard;
}

export interface DeliveryResult {
  /** Channels that took the message (in-app always does). */
  delivered: string[];
  /** `<channel name>: <reason>` per channel that did not, secrets scrubbed. */
  failed: string[];
}

export async function deliver(channels: readonly AlertChannel[], event: AlertEvent, messageId: string, deps: DeliveryDeps, now: number): Promise<DeliveryResult> {
  const result: DeliveryResult = { delivered: [], failed: [] };
  await Promise.all(
    channels.map(async (channel) => {
      const secrets: string[] = [];
      try {
        if (channel.kind === "email") await sendEmail(channel.config, emailText(event), { vault: deps.vault, net: deps.net, secrets });
        else if (channel.kind === "webhook")
          await sendWebhook(channel.config, { id: messageId, body: JSON.stringify(event), now }, { vault: deps.vault, http: deps.http, secrets });
        result.delivered.push(channel.name);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        result.failed.push(`${channel.name}: ${scrub(reason, secrets)}`);
      }
    }),
  );
  return result;
}
