import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { FilesError, MAX_UPLOAD_BYTES, MAX_UPLOAD_PATH } from "../../files/store";
import { router, procedure } from "../trpc";

function refusal(error: unknown): never {
  if (error instanceof FilesError) throw new TRPCError({ code: error.code === "NOT_FOUND" ? "NOT_FOUND" : "BAD_REQUEST", message: error.message });
  throw error;
}

/** Uploads for file nodes: the same folder `file.read` reads from. */
export const filesRouter = router({
  /** What an upload may be, so the page can say so before anyone tries. */
  limits: procedure.query(() => ({ maxUploadBytes: MAX_UPLOAD_BYTES, maxPathLength: MAX_UPLOAD_PATH })),
  list: procedure.query(({ ctx }) => ctx.services.files.list()),
  upload: procedure
    .input(z.object({ path: z.string().min(1).max(MAX_UPLOAD_PATH), contentBase64: z.base64().max(Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 4) }))
    .mutation(({ ctx, input }) => ctx.services.files.upload(input.path, Buffer.from(input.contentBase64, "base64")).catch(refusal)),
  delete: procedure.input(z.object({ path: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    await ctx.services.files.remove(input.path).catch(refusal);
    return { deleted: true };
  }),
});
