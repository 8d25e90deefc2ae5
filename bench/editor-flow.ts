/** The large flow the editor benchmark opens (and the e2e spec of large flows). */
/** A DAG: a chain through every node plus forward edges, laid out on a grid (positions are saved). */
export function generateFlow(nodes: number, edges: number) {
  const ids = Array.from({ length: nodes }, (_, i) => (i === 0 ? "in" : `step${i}`));
  const docNodes = ids.map((id, i) =>
    i === 0
      ? { id, type: "trigger.webhook", config: { path: "bench/editor", method: "POST" } }
      : { id, type: "map.fields", config: { fields: [{ target: "n", expr: `${i}`, type: "integer" }] } },
  );
  const docEdges: { from: string; to: string }[] = [];
  for (let i = 1; i < nodes; i++) docEdges.push({ from: ids[i - 1]!, to: ids[i]! });
  const seen = new Set(docEdges.map((e) => `${e.from}>${e.to}`));
  for (let k = 0; docEdges.length < edges; k++) {
    const from = 1 + ((k * 37) % (nodes - 3));
    const to = Math.min(nodes - 1, from + 2 + ((k * 13) % 20));
    const key = `${ids[from]}>${ids[to]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    docEdges.push({ from: ids[from]!, to: ids[to]! });
  }
  const positions = Object.fromEntries(ids.map((id, i) => [id, [(i % 20) * 280, Math.floor(i / 20) * 140]]));
  return { schemaVersion: 1, name: "Editor bench", nodes: docNodes, edges: docEdges, ui: { positions } };
}
