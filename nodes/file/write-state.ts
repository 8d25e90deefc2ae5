/** What a run has written to one file so far, so its next batch can continue the same file. */
export interface FileInRun {
  columns: string[] | undefined;
  /** Items written so far. */
  count: number;
  /** The closing text the file ends with (JSON `]`, XML end tag), as encoded bytes. */
  tail: Uint8Array;
}

/**
 * Behind a streaming source, a destination runs once per batch. In overwrite mode the first batch
 * of a run replaces the file and later batches of the same run must add to it, not replace it
 * again. A run is recognised by its bindings object, which the interpreter (and the test harness)
 * creates once per run and shares between its nodes; a WeakMap lets a finished run's entry go
 * with it, without a hook at the end of the run.
 */
const runs = new WeakMap<object, Map<string, FileInRun>>();

export function filesOfRun(run: object): Map<string, FileInRun> {
  let files = runs.get(run);
  if (!files) {
    files = new Map();
    runs.set(run, files);
  }
  return files;
}
