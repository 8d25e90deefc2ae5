import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { CredentialKinds, NodeError } from "../../../nodes/sdk";
import { OAuthError } from "../../oauth/authorization-code";
import { OAUTH_CALLBACK_PATH } from "../../oauth/callback";
import { VaultError } from "../../vault";
import { router, procedure } from "../trpc";

const KindName = z.enum(Object.keys(CredentialKinds) as [keyof typeof CredentialKinds, ...(keyof typeof CredentialKinds)[]]);

/**
 * Write-only: secrets go in; what comes out is the name, kind, fingerprint, last 4 and dates. (A new
 * webhook signing secret is generated in the browser, shown there once and sent in like any other.)
 */
export const credentialsRouter = router({
  list: procedure.query(({ ctx }) => ctx.services.vault.list()),
  set: procedure
    .input(
      z.object({
        name: z.string().trim().min(1).max(200),
        kind: KindName,
        data: z.record(z.string(), z.unknown()),
        rotationDays: z.number().int().min(1).max(3650).nullable().optional(),
        graceHours: z.number().min(0).max(24 * 30).optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      try {
        const result = ctx.services.vault.set(input.name, input.kind, input.data, {
          rotationDays: input.rotationDays,
          graceMs: input.graceHours === undefined ? undefined : input.graceHours * 3600_000,
        });
        ctx.services.audit.record({
          actor: ctx.user!.email,
          action: result.created ? "credential.create" : "credential.rotate",
          target: input.name,
          outcome: "ok",
          sourceIp: ctx.ip,
          detail: { kind: input.kind, fingerprint: result.credential.fingerprint },
        });
        return result;
      } catch (error) {
        if (error instanceof VaultError) throw new TRPCError({ code: error.code === "NAME_TAKEN" ? "CONFLICT" : "BAD_REQUEST", message: error.message });
        throw error;
      }
    }),
  delete: procedure.input(z.object({ name: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const existing = ctx.services.vault.get(input.name);
    if (!existing) throw new TRPCError({ code: "NOT_FOUND", message: `no credential "${input.name}"` });
    // Tokens Gate obtained are revoked at the provider first; a provider that is down does not block the delete.
    if (existing.kind === "oauth2AuthorizationCode") await ctx.services.oauth.revoke(input.name).catch(() => undefined);
    ctx.services.vault.remove(input.name);
    ctx.services.audit.record({ actor: ctx.user!.email, action: "credential.delete", target: input.name, outcome: "ok", sourceIp: ctx.ip });
    return { deleted: true };
  }),
  /** Start an OAuth Connect: the browser goes to the returned URL and comes back to /api/oauth/callback. */
  connect: procedure.input(z.object({ name: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const origin = `${ctx.request.secure ? "https" : "http"}://${ctx.request.host ?? "127.0.0.1"}`;
    try {
      return await ctx.services.oauth.start(input.name, `${origin}${OAUTH_CALLBACK_PATH}`);
    } catch (error) {
      if (error instanceof OAuthError || error instanceof NodeError) throw new TRPCError({ code: "BAD_REQUEST", message: error.message });
      throw error;
    }
  }),
  /** Try the credential against its system; the answer classifies any failure and never holds a secret. */
  test: procedure.input(z.object({ name: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const result = await ctx.services.testConnection(input.name);
    ctx.services.audit.record({
      actor: ctx.user!.email,
      action: "credential.test",
      target: input.name,
      outcome: result.outcome === "ok" ? "ok" : "failed",
      sourceIp: ctx.ip,
      detail: { outcome: result.outcome },
    });
    return result;
  }),
});
