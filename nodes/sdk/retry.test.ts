import assert from "node:assert/strict";
import { test } from "node:test";
import { NodeError } from "./errors";
import { RetryPolicy, shouldRetry } from "./retry";

test("shouldRetry: retryable errors up to maxAttempts, listed 4xx codes too, and never past the total deadline", () => {
  const policy = RetryPolicy.parse({ maxAttempts: 5, retryOn: ["HTTP_409"], maxTotalMs: 1000 });
  const flaky = new NodeError("503", { code: "HTTP_503", retryable: true });
  const conflict = new NodeError("409", { code: "HTTP_409" });
  const invalid = new NodeError("400", { code: "HTTP_400" });
  assert.equal(shouldRetry(policy, 1, flaky, 0, 100), true);
  assert.equal(shouldRetry(policy, 5, flaky, 0, 100), false, "maxAttempts reached");
  assert.equal(shouldRetry(policy, 1, conflict, 0, 100), true, "listed in retryOn");
  assert.equal(shouldRetry(policy, 1, invalid, 0, 100), false, "other 4xx never");
  assert.equal(shouldRetry(policy, 2, flaky, 950, 100), false, "the next attempt would start past maxTotalMs");
  assert.equal(shouldRetry(RetryPolicy.parse({ maxAttempts: 5 }), 2, flaky, 1e9, 100), true, "0 means no total limit");
});
