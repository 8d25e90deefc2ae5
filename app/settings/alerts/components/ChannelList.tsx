import type { AlertChannel } from "../../../lib/types";
import { RowActions } from "./RowActions";

export interface ChannelListProps {
  channels: AlertChannel[];
  onCreate?: () => void;
  onEdit?: (channel: AlertChannel) => void;
  onRemove?: (channel: AlertChannel) => void;
}

/** Where alerts go; settings name credentials, never hold a secret (a webhook shows only its origin). */
export function ChannelList({ channels, onCreate, onEdit, onRemove }: ChannelListProps) {
  return (
    <section className="alerts-section" aria-label="Channels">
      <div className="section-head">
        <h2>Channels</h2>
        {onCreate && (
          <button type="button" className="btn" onClick={onCreate}>
            New channel
          </button>
        )}
      </div>
      {channels.length === 0 ? (
        <p className="muted">No channels yet. Incidents are always listed here (in-app); add email or a webhook to be told elsewhere.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Sends to</th>
              <th>Credential</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {channels.map((channel) => (
              <tr key={channel.id}>
                <td>
                  {channel.name} {!channel.enabled && <span className="pill">off</span>}
                </td>
                <td>{channel.kind}</td>
                <td className="cell-clip">{destination(channel)}</td>
                <td>{credentialOf(channel) ? <code>{credentialOf(channel)}</code> : <span className="muted">—</span>}</td>
                <td>
                  <RowActions item={channel} label={`channel ${channel.name}`} onEdit={onEdit} onRemove={onRemove} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function destination(channel: AlertChannel): string {
  if (channel.kind === "email") return `${channel.config.to.join(", ")} via ${channel.config.host}:${channel.config.port}`;
  if (channel.kind === "webhook") return channel.config.shownUrl;
  return "Gate's incident list";
}

function credentialOf(channel: AlertChannel): string | undefined {
  if (channel.kind === "email") return channel.config.credential;
  if (channel.kind === "webhook") return channel.config.secretCredential;
  return undefined;
}
