"use client";

import { useCallback, useEffect, useState } from "react";
import { Notice } from "../../components/Notice";
import { errorText } from "../../lib/errors";
import { hasRole } from "../../lib/roles";
import { useSession } from "../../lib/session";
import { api } from "../../lib/trpc";
import type { AlertChannel, AlertIncident, AlertRule, FlowRow } from "../../lib/types";
import { ChannelDialog } from "./components/ChannelDialog";
import { ChannelList } from "./components/ChannelList";
import { IncidentList } from "./components/IncidentList";
import { RuleDialog } from "./components/RuleDialog";
import { RuleList } from "./components/RuleList";

type Message = { kind: "error" | "ok"; text: string } | undefined;
/** The open dialog: a new channel or rule, or the one being edited. */
type Modal = { of: "channel"; channel?: AlertChannel } | { of: "rule"; rule?: AlertRule } | undefined;

/** Open incidents first, then where alerts go (channels) and what raises them (rules). */
export function AlertsView() {
  const role = useSession().status?.user?.role;
  const isEditor = hasRole(role, "editor");
  const isAdmin = hasRole(role, "admin");
  const [incidents, setIncidents] = useState<AlertIncident[] | undefined>();
  const [channels, setChannels] = useState<AlertChannel[]>([]);
  const [rules, setRules] = useState<AlertRule[]>([]);
  const [flows, setFlows] = useState<FlowRow[]>([]);
  const [message, setMessage] = useState<Message>();
  const [modal, setModal] = useState<Modal>();

  const reload = useCallback(() => {
    const failed = (what: string) => (e: unknown) => setMessage({ kind: "error", text: `Could not load ${what}: ${errorText(e)}` });
    api.alerts.incidents.list.query({ status: "open", limit: 100 }).then((p) => setIncidents(p.items), failed("incidents"));
    api.alerts.rules.list.query().then(setRules, failed("rules"));
    if (isEditor) api.alerts.channels.list.query().then(setChannels, failed("channels"));
  }, [isEditor]);
  useEffect(reload, [reload]);
  useEffect(() => void api.flows.list.query().then(setFlows, () => setFlows([])), []);

  const act = async (done: string, failed: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      setMessage({ kind: "ok", text: done });
    } catch (e) {
      setMessage({ kind: "error", text: `${failed}: ${errorText(e)}` });
    }
    reload();
  };
  const saved = (text: string) => {
    setModal(undefined);
    setMessage({ kind: "ok", text });
    reload();
  };

  return (
    <section className="page alerts-page">
      <div className="page-head">
        <div>
          <h1>Alerts</h1>
          <p className="muted page-sub">Rules decide what is worth an alert; channels decide where it goes. One problem is one incident, however many runs it breaks.</p>
        </div>
      </div>
      {message && (
        <Notice kind={message.kind} onClose={() => setMessage(undefined)}>
          {message.text}
        </Notice>
      )}
      <IncidentList
        incidents={incidents}
        onAcknowledge={isEditor ? (i) => void act(`Acknowledged “${i.summary}”.`, "Not acknowledged", () => api.alerts.incidents.acknowledge.mutate({ id: i.id })) : undefined}
      />
      {isEditor && (
        <ChannelList
          channels={channels}
          onCreate={isAdmin ? () => setModal({ of: "channel" }) : undefined}
          onEdit={isAdmin ? (channel) => setModal({ of: "channel", channel }) : undefined}
          onRemove={isAdmin ? (c) => void act(`Channel “${c.name}” removed.`, "Not removed", () => api.alerts.channels.remove.mutate({ id: c.id })) : undefined}
        />
      )}
      <RuleList
        rules={rules}
        channels={channels}
        flows={flows}
        onCreate={isEditor ? () => setModal({ of: "rule" }) : undefined}
        onEdit={isEditor ? (rule) => setModal({ of: "rule", rule }) : undefined}
        onRemove={isEditor ? (r) => void act(`Rule “${r.name}” removed.`, "Not removed", () => api.alerts.rules.remove.mutate({ id: r.id })) : undefined}
      />
      {modal?.of === "channel" && <ChannelDialog channel={modal.channel} onClose={() => setModal(undefined)} onSaved={saved} />}
      {modal?.of === "rule" && <RuleDialog rule={modal.rule} channels={channels} flows={flows} onClose={() => setModal(undefined)} onSaved={saved} />}
    </section>
  );
}
