/**
 * Test cases saved in a stored flow: list, save (from a test run or with an explicit expectation),
 * delete and run. Every change is a new flow version, through the flow service, so history and
 * the "active flows take only valid documents" rule hold for cases as for any edit.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { StoreError } from "../../db/errors";
import { compileFlow, FlowInvalidError, type CompiledFlow } from "../../engine/flow/compile";
import { TestCase } from "../../engine/flow/schema";
import type { Problem } from "../../engine/flow/validate";
import { createHostFactory } from "../../engine/host";
import { CaseCaptureError, captureCase, caseProblems, runCases, type CaseRunOptions } from "../../engine/test-cases";
import type { Services } from "../../services";
import { vaultResolver } from "../../vault";
import { notFound, procedure, router } from "../trpc";

const FlowRef = z.object({ flowId: z.string().min(1) });
const CaseBody = TestCase.omit({ expect: true });

function storedFlow(services: Services, flowId: string) {
  const stored = services.flows.get(flowId);
  if (!stored || stored.id !== flowId) throw notFound(`flow ${flowId}`);
  return stored;
}

function caseOptions(services: Services): CaseRunOptions {
  return {
    credentials: vaultResolver(services.vault, (credential) => services.oauth.fresh(credential)),
    host: createHostFactory({ gdb: services.gdb, filesDir: services.filesDir, network: services.network }).test(),
  };
}

function invalid(message: string, problems: Problem[]): never {
  // The error formatter passes a FlowInvalidError's problems to the client, paths and all.
  throw new TRPCError({ code: "BAD_REQUEST", message, cause: new FlowInvalidError(problems) });
}

function compiled(services: Services, doc: unknown): CompiledFlow {
  try {
    return compileFlow(doc, services.registry);
  } catch (error) {
    if (error instanceof FlowInvalidError) invalid("the flow is not valid: fix it before working with its test cases", error.problems);
    throw error;
  }
}

interface DocWithTests {
  tests?: { pinned?: unknown; cases?: { name: string }[] };
}

/** Save `cases` as the flow's next version; `baseVersion` refuses a save over someone else's. */
function saveCases(services: Services, flowId: string, cases: unknown[], baseVersion: number | undefined, note: string) {
  const stored = storedFlow(services, flowId);
  if (baseVersion !== undefined && stored.version !== baseVersion)
    throw new TRPCError({ code: "CONFLICT", message: `the flow changed since version ${baseVersion} (it is at ${stored.version}); reload and try again` });
  const doc = stored.doc as unknown as Record<string, unknown> & DocWithTests;
  const next = { ...doc, tests: { ...doc.tests, cases } };
  const problems = caseProblems(compiled(services, next).flow, services.registry);
  if (problems.length) invalid("the test case does not fit the flow", problems);
  try {
    return services.flows.save(flowId, next, note).flow;
  } catch (error) {
    if (error instanceof FlowInvalidError) invalid("the flow is not valid", error.problems);
    if (error instanceof StoreError) throw new TRPCError({ code: error.code === "NOT_FOUND" ? "NOT_FOUND" : "CONFLICT", message: error.message });
    throw error;
  }
}

export const testCasesRouter = router({
  list: procedure.input(FlowRef).query(({ ctx, input }) => {
    const stored = storedFlow(ctx.services, input.flowId);
    return { flowId: stored.id, version: stored.version, pinned: stored.doc.tests?.pinned ?? {}, cases: stored.doc.tests?.cases ?? [] };
  }),

  get: procedure.input(FlowRef.extend({ name: z.string().min(1) })).query(({ ctx, input }) => {
    const found = storedFlow(ctx.services, input.flowId).doc.tests?.cases?.find((c) => c.name === input.name);
    if (!found) throw notFound(`test case "${input.name}"`);
    return found;
  }),

  /**
   * Add a case, or replace the one with the same name. Give `expect`, or `capture` (node ids) to
   * take the expectation from a test run of the flow's current version on the case's input.
   */
  save: procedure
    .input(
      FlowRef.extend({
        case: CaseBody,
        expect: TestCase.shape.expect.optional(),
        capture: z.array(z.string().min(1)).min(1).optional(),
        baseVersion: z.number().int().min(1).optional(),
      }).refine((v) => (v.expect === undefined) !== (v.capture === undefined), { message: "give either expect or capture (the nodes to take it from)" }),
    )
    .mutation(async ({ ctx, input }) => {
      const stored = storedFlow(ctx.services, input.flowId);
      let testCase: TestCase;
      if (input.capture) {
        try {
          testCase = await captureCase(compiled(ctx.services, stored.doc), { ...input.case, nodes: input.capture }, caseOptions(ctx.services));
        } catch (error) {
          if (error instanceof CaseCaptureError) throw new TRPCError({ code: "BAD_REQUEST", message: error.message });
          throw error;
        }
      } else testCase = { ...input.case, expect: input.expect! };
      const others = (stored.doc.tests?.cases ?? []).filter((c) => c.name !== testCase.name);
      const existing = (stored.doc.tests?.cases ?? []).findIndex((c) => c.name === testCase.name);
      const cases = existing === -1 ? [...others, testCase] : others.toSpliced(existing, 0, testCase);
      const flow = saveCases(ctx.services, input.flowId, cases, input.baseVersion ?? stored.version, `test case "${testCase.name}" saved`);
      return { case: testCase, flow };
    }),

  delete: procedure.input(FlowRef.extend({ name: z.string().min(1), baseVersion: z.number().int().min(1).optional() })).mutation(({ ctx, input }) => {
    const stored = storedFlow(ctx.services, input.flowId);
    const cases = stored.doc.tests?.cases ?? [];
    if (!cases.some((c) => c.name === input.name)) throw notFound(`test case "${input.name}"`);
    const flow = saveCases(
      ctx.services,
      input.flowId,
      cases.filter((c) => c.name !== input.name),
      input.baseVersion ?? stored.version,
      `test case "${input.name}" deleted`,
    );
    return { deleted: true, flow };
  }),

  /** Run the saved cases (or one) of the current version: test runs, nothing stored. */
  run: procedure.input(FlowRef.extend({ name: z.string().min(1).optional() })).mutation(async ({ ctx, input }) => {
    const stored = storedFlow(ctx.services, input.flowId);
    const flow = compiled(ctx.services, stored.doc);
    const problems = caseProblems(flow.flow, ctx.services.registry);
    if (problems.length) invalid("the flow's test cases do not fit it", problems);
    if (input.name !== undefined && !flow.flow.tests?.cases.some((c) => c.name === input.name)) throw notFound(`test case "${input.name}"`);
    return { version: stored.version, results: await runCases(flow, { ...caseOptions(ctx.services), only: input.name }) };
  }),
});
