"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Notice } from "../../components/Notice";
import { errorText } from "../../lib/errors";
import { hasRole } from "../../lib/roles";
import { useSession } from "../../lib/session";
import { api } from "../../lib/trpc";
import type { CredentialRow } from "../../lib/types";
import { connectCredential } from "./connect";
import { CredentialDialog } from "./components/CredentialDialog";
import { CredentialTable } from "./components/CredentialTable";

type Modal = { kind: "create" } | { kind: "rotate"; credential: CredentialRow } | { kind: "delete"; credential: CredentialRow } | undefined;
type Message = { kind: "error" | "ok"; text: string } | undefined;

/** The OAuth callback comes back here with `?connected=<name>` or `?oauthError=<message>`. */
function useConnectResult(): Message {
  const params = useSearchParams();
  const connected = params.get("connected");
  const failed = params.get("oauthError");
  if (connected) return { kind: "ok", text: `“${connected}” is connected: Gate stored the provider's tokens and refreshes them before they expire.` };
  if (failed) return { kind: "error", text: `Connect failed: ${failed}` };
  return undefined;
}

export function CredentialsView() {
  const isAdmin = hasRole(useSession().status?.user?.role, "admin");
  const router = useRouter();
  const pathname = usePathname();
  const connectResult = useConnectResult();
  const [credentials, setCredentials] = useState<CredentialRow[] | undefined>();
  const [message, setMessage] = useState<Message>(connectResult);
  const [modal, setModal] = useState<Modal>();

  const reload = useCallback(() => {
    api.credentials.list
      .query()
      .then(setCredentials)
      .catch((e: unknown) => setMessage({ kind: "error", text: `Could not load credentials: ${errorText(e)}` }));
  }, []);
  useEffect(reload, [reload]);

  const dismiss = () => {
    setMessage(undefined);
    // A reload must not show the Connect result again.
    if (connectResult) router.replace(pathname);
  };
  const act = async (done: string, failed: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      setMessage({ kind: "ok", text: done });
    } catch (e) {
      setMessage({ kind: "error", text: `${failed}: ${errorText(e)}` });
    }
    reload();
  };
  const connect = async (c: CredentialRow) => {
    try {
      window.location.assign(await connectCredential(c.name));
    } catch (e) {
      setMessage({ kind: "error", text: `Could not start Connect for “${c.name}”: ${errorText(e)}` });
    }
  };

  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1>Credentials</h1>
          <p className="muted page-sub">
            {isAdmin ? "Secrets go in and stay in: the list shows fingerprints and the last four characters, never a value." : "Credentials your flows can use, by name. Only admins create, rotate or delete them."}
          </p>
        </div>
        {isAdmin && (
          <button type="button" className="btn btn-primary" onClick={() => setModal({ kind: "create" })}>
            New credential
          </button>
        )}
      </div>
      {message && (
        <Notice kind={message.kind} onClose={dismiss}>
          {message.text}
        </Notice>
      )}
      {!credentials && !message && <p className="muted">Loading…</p>}
      {credentials?.length === 0 && (
        <div className="empty">
          <h2>No credentials yet</h2>
          <p>{isAdmin ? "Store an API key, a token or a database login once; flows then refer to it by name." : "An admin has not stored any credentials yet."}</p>
        </div>
      )}
      {credentials && credentials.length > 0 && (
        <CredentialTable
          credentials={credentials}
          actionsFor={
            isAdmin
              ? (c) => ({
                  onRotate: () => setModal({ kind: "rotate", credential: c }),
                  onDelete: () => setModal({ kind: "delete", credential: c }),
                  onConnect: () => void connect(c),
                })
              : undefined
          }
        />
      )}
      {(modal?.kind === "create" || modal?.kind === "rotate") && (
        <CredentialDialog
          rotating={modal.kind === "rotate" ? modal.credential : undefined}
          onClose={() => setModal(undefined)}
          onSaved={(text) => {
            setModal(undefined);
            setMessage({ kind: "ok", text });
            reload();
          }}
        />
      )}
      {modal?.kind === "delete" && (
        <ConfirmDialog
          title={`Delete “${modal.credential.name}”?`}
          confirm="Delete credential"
          onClose={() => setModal(undefined)}
          onConfirm={() => {
            const { name } = modal.credential;
            setModal(undefined);
            void act(`Credential “${name}” deleted.`, `Could not delete “${name}”`, () => api.credentials.delete.mutate({ name }));
          }}
        >
          <p>Flows that use “{modal.credential.name}” will fail until you pick another credential. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
