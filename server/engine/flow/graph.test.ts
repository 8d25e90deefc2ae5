import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { checkConnection, downstreamOf, reaches, topoOrder, type GraphEdge, type GraphNode, type PortInfo } from "./graph";

const e = (from: string, to: string, fromPort?: string, toPort?: string): GraphEdge => ({ from, to, fromPort, toPort });

function assertBefore(order: string[], edges: GraphEdge[]) {
  for (const edge of edges)
    assert.ok(order.indexOf(edge.from) < order.indexOf(edge.to), `${edge.from} must come before ${edge.to} in ${order.join(",")}`);
}

describe("topoOrder", () => {
  test("orders every node after all of its predecessors", () => {
    const ids = ["merge", "b", "a", "in", "out"];
    const edges = [e("in", "a"), e("in", "b"), e("a", "merge"), e("b", "merge"), e("merge", "out")];
    const result = topoOrder(ids, edges);
    assert.ok("order" in result);
    assert.deepEqual([...result.order].sort(), [...ids].sort());
    assertBefore(result.order, edges);
    assert.equal(result.order[0], "in");
    assert.equal(result.order.at(-1), "out");
  });

  test("keeps unconnected nodes and ignores edges to unknown nodes", () => {
    const result = topoOrder(["a", "b", "lonely"], [e("a", "b"), e("b", "ghost"), e("ghost", "a")]);
    assert.ok("order" in result);
    assert.equal(result.order.length, 3);
    assertBefore(result.order, [e("a", "b")]);
  });

  test("an empty graph has an empty order", () => {
    assert.deepEqual(topoOrder([], []), { order: [] });
  });

  test("on a cycle, returns one cycle whose first and last ids are the same", () => {
    const result = topoOrder(["in", "a", "b", "c", "d"], [e("in", "a"), e("a", "b"), e("b", "c"), e("c", "a"), e("c", "d")]);
    assert.ok("cycle" in result);
    const { cycle } = result;
    assert.equal(cycle[0], cycle.at(-1));
    assert.deepEqual([...new Set(cycle)].sort(), ["a", "b", "c"]);
    // Consecutive ids are real edges.
    for (let i = 0; i + 1 < cycle.length; i++) {
      const from = cycle[i]!;
      const to = cycle[i + 1]!;
      assert.ok(
        [e("a", "b"), e("b", "c"), e("c", "a")].some((x) => x.from === from && x.to === to),
        `${from} → ${to}`,
      );
    }
  });

  test("a self-loop is a cycle of one node", () => {
    const result = topoOrder(["a"], [e("a", "a")]);
    assert.deepEqual(result, { cycle: ["a", "a"] });
  });
});

describe("reaches and downstreamOf", () => {
  const edges = [e("in", "a"), e("a", "b"), e("in", "c"), e("x", "in")];

  test("reaches follows edges forward only", () => {
    assert.equal(reaches(edges, "in", "b"), true);
    assert.equal(reaches(edges, "x", "b"), true);
    assert.equal(reaches(edges, "b", "in"), false);
    assert.equal(reaches(edges, "a", "c"), false);
    assert.equal(reaches(edges, "a", "a"), true);
  });

  test("reaches terminates on cycles", () => {
    assert.equal(reaches([e("a", "b"), e("b", "a")], "a", "z"), false);
  });

  test("downstreamOf includes the start node", () => {
    assert.deepEqual([...downstreamOf(edges, "in")].sort(), ["a", "b", "c", "in"]);
    assert.deepEqual([...downstreamOf(edges, "b")], ["b"]);
  });
});

describe("checkConnection", () => {
  const nodes: GraphNode[] = [
    { id: "in", type: "trigger" },
    { id: "a", type: "plain" },
    { id: "b", type: "plain" },
    { id: "m", type: "merge" },
    { id: "u", type: "unknown" },
  ];
  const ports: Record<string, PortInfo> = {
    trigger: { inputs: [], outputs: ["main", "error"], trigger: true },
    plain: { inputs: ["main"], outputs: ["main", "error"], trigger: false },
    merge: { inputs: ["a", "b"], outputs: ["main", "error"], trigger: false },
  };
  const portsOf = (node: GraphNode) => ports[node.type];
  const graph = { nodes, edges: [e("in", "a"), e("a", "b")] };
  const check = (edge: GraphEdge) => checkConnection(edge, graph, portsOf);
  const reason = (edge: GraphEdge) => {
    const result = check(edge);
    assert.equal(result.ok, false, `expected ${JSON.stringify(edge)} to be refused`);
    return (result as { reason: string }).reason;
  };

  test("accepts a valid connection (ports default to main)", () => {
    assert.deepEqual(check(e("in", "b")), { ok: true });
    assert.deepEqual(check(e("b", "m", "main", "a")), { ok: true });
    assert.deepEqual(check(e("a", "m", "error", "b")), { ok: true });
  });

  test("refuses missing endpoints", () => {
    assert.equal(reason(e("ghost", "a")), 'there is no node "ghost"');
    assert.equal(reason(e("a", "ghost")), 'there is no node "ghost"');
  });

  test("refuses a self-connection", () => {
    assert.equal(reason(e("a", "a")), "a node cannot connect to itself");
  });

  test("refuses unknown ports, listing the ones that exist", () => {
    assert.equal(reason(e("a", "b", "true")), '"a" has no output "true" (it has main, error)');
    assert.equal(reason(e("a", "m")), '"m" has no input "main" (it has a, b)');
    assert.equal(reason(e("a", "m", "main", "c")), '"m" has no input "c" (it has a, b)');
  });

  test("refuses an edge into a trigger", () => {
    assert.equal(reason(e("a", "in")), '"in" is a trigger: it starts the flow and takes no input');
  });

  test("refuses a duplicate edge", () => {
    assert.equal(reason(e("in", "a")), "these ports are already connected");
    assert.deepEqual(check(e("in", "a", "error")), { ok: true });
  });

  test("refuses an edge that closes a cycle", () => {
    assert.equal(
      reason(e("b", "a", "error")),
      'this would make a cycle: "a" already leads to "b"',
    );
  });

  test("nodes of unknown type get no port checks", () => {
    assert.deepEqual(check(e("u", "b", "anything")), { ok: true });
    assert.deepEqual(check(e("b", "u", "main", "whatever")), { ok: true });
  });
});
