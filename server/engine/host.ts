/**
 * What the server lends nodes at run time: outbound network (through the SSRF guard), the files
 * folder and per-flow state. Live runs read and stage the flow's durable state (a node's `setNow`
 * writes it at once); test runs get a private in-memory state, so trying a flow never moves a
 * production cursor nor marks anything in it.
 */
import { confinedFiles, memoryState, offlineHost, type FileStore, type NodeHost, type StagedState } from "../../nodes/sdk";
import type { GateDb } from "../db/client";
import { runState } from "../db/flow-state";

export interface NetworkAccess {
  http: NodeHost["http"];
  net: NodeHost["net"];
}

export interface HostFactory {
  live(flowId: string): { host: NodeHost; state: StagedState };
  test(): NodeHost;
}

export function createHostFactory(options: { gdb: GateDb; filesDir: string; network?: NetworkAccess }): HostFactory {
  const files: FileStore = confinedFiles(options.filesDir);
  const network = options.network ?? offlineHost();
  const host = (state: StagedState): NodeHost => ({ http: network.http, net: network.net, files, state });
  return {
    live(flowId) {
      const state = runState(options.gdb, flowId);
      return { host: host(state), state };
    },
    test: () => host(memoryState()),
  };
}
