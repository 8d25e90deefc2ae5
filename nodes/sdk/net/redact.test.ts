import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { nextLink } from "./link-header";
import { bodyExcerpt, credentialSecrets, redactHeaders, redactText, redactUrl } from "./redact";

describe("redaction", () => {
  test("secret fields of a credential (current and previous), not the public ones; basic's base64 too", () => {
    const secrets = credentialSecrets({
      id: "1",
      name: "b",
      kind: "basic",
      data: { username: "ada", password: "pa ss" },
      previous: { data: { username: "ada", password: "old-pw" }, until: "2999-01-01T00:00:00Z" },
    });
    assert.ok(secrets.includes("pa ss") && secrets.includes("pa%20ss") && secrets.includes("old-pw"));
    assert.ok(secrets.includes(Buffer.from("ada:pa ss").toString("base64")));
    assert.ok(!secrets.includes("ada"));
  });

  test("echoed secrets, bearer tokens and authorization fields are replaced before the excerpt is cut", () => {
    const body = Buffer.from(`{"error":"bad key sk_live_123","echo":{"authorization":"Bearer abc.def.ghi","cookie":"sid=42"},"pad":"${"x".repeat(500)}"}`);
    const excerpt = bodyExcerpt(body, ["sk_live_123"]);
    assert.ok(excerpt.length <= 300);
    assert.doesNotMatch(excerpt, /sk_live_123|abc\.def\.ghi|sid=42/);
    assert.equal(redactText("token: Basic dXNlcjpwYXNz", []), "token: Basic [redacted]");
  });

  test("headers and URLs", () => {
    assert.deepEqual(redactHeaders({ Authorization: "Bearer x", "x-custom": "has-s3cret-inside", accept: "*/*" }, ["s3cret"]), {
      Authorization: "[redacted]",
      "x-custom": "[redacted]",
      accept: "*/*",
    });
    assert.equal(redactUrl("https://u:p@api.example/x?api_key=k1&q=ok&other=k2", ["k2"]), "https://redacted@api.example/x?api_key=%5Bredacted%5D&q=ok&other=%5Bredacted%5D");
  });
});

describe("Link header (RFC 8288)", () => {
  test("finds rel=next among several links, resolves relative targets, ignores commas in quotes", () => {
    const header = '<https://api.example/items?page=1>; rel="prev", <./items?page=3>; title="a, b"; rel="next last"';
    assert.equal(nextLink(header, "https://api.example/v1/items?page=2"), "https://api.example/v1/items?page=3");
    assert.equal(nextLink('<https://x.example/2>; rel=next', "https://x.example/1"), "https://x.example/2");
    assert.equal(nextLink('<https://x.example/2>; rel="prev"', "https://x.example/1"), null);
    assert.equal(nextLink(undefined, "https://x.example/1"), null);
  });
});
