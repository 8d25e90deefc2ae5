import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";
import { inputPorts, outputPorts, type AnyNodeDefinition } from "../../nodes/sdk";
import type { GraphNode, PortInfo } from "./flow/graph";

const NODES_DIR = fileURLToPath(new URL("../../nodes/", import.meta.url));
const NOT_NODE_FILE = /(\.test|\.spec|\.d)\.ts$/;

export interface LoadProblem {
  source: string;
  message: string;
}

export interface NodeSummary {
  type: string;
  version: number;
  category: string;
  title: string;
  description: string;
  inputs: readonly string[];
  outputs: readonly string[];
  sideEffects: boolean;
  credential: AnyNodeDefinition["credential"];
  /** The config's JSON Schema (input side: defaults are optional), for forms and docs. */
  configSchema: Record<string, unknown>;
}

/**
 * Every node type Gate knows. The engine finds nodes only through here, never by importing a node
 * file by name, so a plugin is just one more file or package.
 */
export class NodeRegistry {
  private readonly defs = new Map<string, AnyNodeDefinition>();
  private readonly schemas = new Map<string, Record<string, unknown>>();
  readonly problems: LoadProblem[] = [];

  register(def: unknown, source: string): void {
    const problem = describeBadDefinition(def);
    if (problem) {
      this.problems.push({ source, message: problem });
      return;
    }
    const node = def as AnyNodeDefinition;
    if (this.defs.has(node.type)) {
      this.problems.push({ source, message: `node type "${node.type}" is defined twice; this one was ignored` });
      return;
    }
    this.defs.set(node.type, node);
  }

  get(type: string): AnyNodeDefinition | undefined {
    return this.defs.get(type);
  }

  types(): string[] {
    return [...this.defs.keys()].sort();
  }

  portsOf = (node: GraphNode): PortInfo | undefined => {
    const def = this.defs.get(node.type);
    if (!def) return undefined;
    return { inputs: inputPorts(def), outputs: outputPorts(def, node.config), trigger: def.category === "trigger" };
  };

  /** The config's JSON Schema, generated from zod once per type. */
  configSchema(type: string): Record<string, unknown> | undefined {
    const cached = this.schemas.get(type);
    if (cached) return cached;
    const def = this.defs.get(type);
    if (!def) return undefined;
    const schema = z.toJSONSchema(def.config, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
    this.schemas.set(type, schema);
    return schema;
  }

  summaries(): NodeSummary[] {
    return this.types().map((type) => {
      const def = this.defs.get(type)!;
      return {
        type,
        version: def.version,
        category: def.category,
        title: def.title,
        description: def.description,
        inputs: inputPorts(def),
        outputs: outputPorts(def),
        sideEffects: def.sideEffects === true,
        credential: def.credential,
        configSchema: this.configSchema(type)!,
      };
    });
  }

  /** Load every node file under a `nodes/` folder: one folder per family, one node per file. */
  async loadDirectory(dir: string = NODES_DIR): Promise<void> {
    const families = await readdir(dir, { withFileTypes: true });
    for (const family of families) {
      if (!family.isDirectory() || family.name === "sdk") continue;
      const files = await readdir(path.join(dir, family.name));
      for (const file of files.sort()) {
        if (!file.endsWith(".ts") || NOT_NODE_FILE.test(file)) continue;
        await this.loadModule(pathToFileURL(path.join(dir, family.name, file)).href, `nodes/${family.name}/${file}`);
      }
    }
  }

  /** Load one module (a file URL or a package name) whose default export is a node or a list of nodes. */
  async loadModule(specifier: string, source = specifier): Promise<void> {
    let loaded: { default?: unknown };
    try {
      loaded = (await import(specifier)) as { default?: unknown };
    } catch (error) {
      this.problems.push({ source, message: `failed to load: ${(error as Error).message}` });
      return;
    }
    const exported = loaded.default;
    if (exported === undefined) {
      // Helper modules inside a family folder export no node; that is fine.
      return;
    }
    for (const def of Array.isArray(exported) ? exported : [exported]) this.register(def, source);
  }
}

function describeBadDefinition(def: unknown): string | undefined {
  if (typeof def !== "object" || def === null) return "the default export is not a node definition (use defineNode)";
  const d = def as Partial<AnyNodeDefinition>;
  if (typeof d.type !== "string" || !/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*$/.test(d.type))
    return `invalid node type ${JSON.stringify(d.type)}: use lower camel case words joined by dots, e.g. "acme.createTicket"`;
  if (typeof d.title !== "string" || !d.title) return `node "${d.type}" has no title`;
  // Duck-typed: a plugin package may bring its own copy of zod.
  if (typeof (d.config as { safeParse?: unknown } | undefined)?.safeParse !== "function") return `node "${d.type}" has no zod config schema`;
  if (typeof d.runItem !== "function" && typeof d.run !== "function")
    return `node "${d.type}" has neither run nor runItem`;
  return undefined;
}

let defaultRegistry: Promise<NodeRegistry> | undefined;

/** The registry of Gate's own nodes, loaded once per process. */
export function loadDefaultRegistry(): Promise<NodeRegistry> {
  defaultRegistry ??= (async () => {
    const registry = new NodeRegistry();
    await registry.loadDirectory();
    return registry;
  })();
  return defaultRegistry;
}
