/**
 * An alert as a signed webhook: a JSON POST with the Standard Webhooks headers (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature: v1,<HMAC-SHA256>`), signed with the `whsec_` secret of
 * a `webhookSecret` credential — the same signer `webhook.send` uses. During a secret rotation the
 * previous secret signs too, so a receiver that has not switched yet still verifies.
 */
import { credentialData, type HttpClient } from "../../../nodes/sdk";
import { standardWebhookSignature } from "../../../nodes/sdk/net/webhook-signature";
import type { WebhookChannelConfig } from "../model";
import { secretValues, type SecretSource } from "./secrets";

export async function sendWebhook(
  config: WebhookChannelConfig,
  message: { id: string; body: string; now: number },
  deps: { vault: SecretSource; http: HttpClient; secrets: string[] },
): Promise<void> {
  const credential = deps.vault.resolve(config.secretCredential);
  deps.secrets.push(...secretValues(credential));
  const current = credentialData("webhookSecret", credential).secret;
  const previous = credential.previous?.data.secret;
  const secrets = typeof previous === "string" && previous !== current ? [current, previous] : [current];
  const timestamp = Math.floor(message.now / 1000);
  const response = await deps.http.request({
    url: config.url,
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": message.id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": standardWebhookSignature({ id: message.id, timestamp, body: message.body, secrets }),
    },
    body: message.body,
    timeoutMs: config.timeoutMs,
    // A receiver that redirects is misconfigured; following would re-send the signed alert elsewhere.
    maxRedirects: 0,
    maxBodyBytes: 64 * 1024,
  });
  if (response.status < 200 || response.status > 299) throw new Error(`the receiver answered HTTP ${response.status}`);
}
