"use client";

import { useCallback, useEffect, useState } from "react";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { Notice } from "../components/Notice";
import { errorText } from "../lib/errors";
import { hasRole, needsRole } from "../lib/roles";
import { useSession } from "../lib/session";
import { api } from "../lib/trpc";
import { FileTable } from "./components/FileTable";
import { UploadZone } from "./components/UploadZone";
import { formatSize, readBase64, targetPath, uploadProblem, type FileRow, type UploadLimits } from "./upload";

type Message = { kind: "error" | "ok"; text: string };
interface Upload {
  file: File;
  path: string;
}
/** Uploads waiting for "Replace?": `replacing` are the paths that already hold a file. */
type Pending = { uploads: Upload[]; replacing: string[] } | undefined;

/** The files folder: what `file.read` reads and `file.write` writes, relative to it. */
export function FilesView() {
  const role = useSession().status?.user?.role;
  const changeReason = hasRole(role, "editor") ? undefined : needsRole("Uploading and deleting files", "editor", role);
  const [files, setFiles] = useState<FileRow[] | undefined>();
  const [limits, setLimits] = useState<UploadLimits | undefined>();
  const [messages, setMessages] = useState<Message[]>([]);
  const [busy, setBusy] = useState<string | undefined>();
  const [pending, setPending] = useState<Pending>();
  const [deleting, setDeleting] = useState<FileRow | undefined>();

  const reload = useCallback(() => {
    api.files.list
      .query()
      .then(setFiles)
      .catch((e: unknown) => setMessages([{ kind: "error", text: `Could not list the files folder: ${errorText(e)}` }]));
  }, []);
  useEffect(reload, [reload]);
  useEffect(() => {
    api.files.limits
      .query()
      .then(setLimits)
      .catch((e: unknown) => setMessages((m) => [...m, { kind: "error", text: `Could not ask for the upload limit: ${errorText(e)}` }]));
  }, []);

  /** One after the other, so a refusal names its file and the others still go in. */
  const upload = async (uploads: Upload[]) => {
    const done: Message[] = [];
    for (const [i, { file, path }] of uploads.entries()) {
      setBusy(`Uploading ${path}${uploads.length > 1 ? ` (${i + 1} of ${uploads.length})` : ""}…`);
      try {
        const entry = await api.files.upload.mutate({ path, contentBase64: await readBase64(file) });
        done.push({ kind: "ok", text: `Uploaded ${entry.path} (${formatSize(entry.size)}).` });
      } catch (e) {
        done.push({ kind: "error", text: `Could not upload ${path}: ${errorText(e)}` });
      }
    }
    setBusy(undefined);
    setMessages((m) => [...m, ...done]);
    reload();
  };

  const choose = (chosen: File[], folder: string) => {
    if (limits === undefined) return;
    const refused: Message[] = [];
    const uploads: Upload[] = [];
    for (const file of chosen) {
      const path = targetPath(folder, file.name);
      const problem = uploadProblem(file, path, limits);
      if (problem) refused.push({ kind: "error", text: `Not uploaded: ${problem}` });
      else uploads.push({ file, path });
    }
    setMessages(refused);
    if (!uploads.length) return;
    const replacing = uploads.map((u) => u.path).filter((p) => files?.some((f) => f.path === p));
    if (replacing.length) setPending({ uploads, replacing });
    else void upload(uploads);
  };

  const remove = async (file: FileRow) => {
    try {
      await api.files.delete.mutate({ path: file.path });
      setMessages([{ kind: "ok", text: `Deleted ${file.path}.` }]);
    } catch (e) {
      setMessages([{ kind: "error", text: `Could not delete ${file.path}: ${errorText(e)}` }]);
    }
    reload();
  };

  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1>Files</h1>
          <p className="muted page-sub">The files folder on the Gate server: the files your flows read and write.</p>
        </div>
      </div>
      <div className="files-intro">
        <p>
          <strong>Read file</strong> (<code>file.read</code>) and <strong>Write file</strong> (<code>file.write</code>) nodes take paths relative to this folder: a
          file listed here as <code>imports/orders.csv</code> is read with the path <code>imports/orders.csv</code>. Paths cannot leave the folder (no <code>..</code>, no
          leading <code>/</code>). Files that flows write show up here too.
        </p>
      </div>
      {changeReason ? (
        <p className="muted small role-note">{changeReason}; you can see what is in the folder.</p>
      ) : (
        <UploadZone maxBytes={limits?.maxUploadBytes} busy={busy} onFiles={choose} />
      )}
      {messages.map((m, i) => (
        <Notice key={`${i}:${m.text}`} kind={m.kind} onClose={() => setMessages((all) => all.filter((x) => x !== m))}>
          {m.text}
        </Notice>
      ))}
      {!files && !messages.length && <p className="muted">Loading…</p>}
      {files?.length === 0 && (
        <div className="empty">
          <h2>No files yet</h2>
          <p>
            {changeReason
              ? "Nothing is in the files folder yet. An editor can upload files here, or a flow's Write file node creates them."
              : "Upload the file a flow should read first: drop it above or use Choose files…, then use its path in a Read file node."}
          </p>
        </div>
      )}
      {files && files.length > 0 && <FileTable files={files} deleteReason={changeReason} onDelete={setDeleting} />}
      {pending && (
        <ConfirmDialog
          title={pending.replacing.length === 1 ? `Replace “${pending.replacing[0]}”?` : `Replace ${pending.replacing.length} files?`}
          confirm="Replace"
          onClose={() => setPending(undefined)}
          onConfirm={() => {
            const { uploads } = pending;
            setPending(undefined);
            void upload(uploads);
          }}
        >
          <p>The files folder already holds {pending.replacing.length === 1 ? "a file at this path" : "files at these paths"}:</p>
          <ul>
            {pending.replacing.map((p) => (
              <li key={p}>
                <code>{p}</code>
              </li>
            ))}
          </ul>
          <p>The upload replaces it; flows read the new content from their next run. Cancel uploads nothing.</p>
        </ConfirmDialog>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.path}”?`}
          confirm="Delete file"
          onClose={() => setDeleting(undefined)}
          onConfirm={() => {
            const file = deleting;
            setDeleting(undefined);
            void remove(file);
          }}
        >
          <p>Flows that read {deleting.path} fail with FILE_NOT_FOUND until a file is there again. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
