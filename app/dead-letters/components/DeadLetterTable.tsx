import Link from "next/link";
import { dateTime, fromNow } from "../../lib/time";
import type { DeadLetterRow } from "../../lib/types";

/** One row per letter: where it failed, why, how often, and when. */
export function DeadLetterTable({ letters, flowName }: { letters: DeadLetterRow[]; flowName: (id: string) => string }) {
  return (
    <table className="table dead-letter-table">
      <thead>
        <tr>
          <th>Flow</th>
          <th>Failing node</th>
          <th>Error</th>
          <th>Attempts</th>
          <th>Failed</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {letters.map((letter) => (
          <tr key={letter.id}>
            <td>
              <Link href={`/dead-letters/${letter.id}`} className="flow-link">
                {flowName(letter.flowId)}
              </Link>
              <div className="muted small">v{letter.flowVersion}</div>
            </td>
            <td>{letter.failedNode ? <code>{letter.failedNode}</code> : <span className="muted">—</span>}</td>
            <td className="cell-clip" title={letter.error.message}>
              <strong>{letter.error.code}</strong> {letter.error.message}
            </td>
            <td>{attempts(letter)}</td>
            <td title={dateTime(letter.createdAt)}>{fromNow(letter.createdAt)}</td>
            <td>
              <span className={`pill dl-${letter.status}`}>{letter.status}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The failing node's tries in its last run, and how many runs ended in this letter. */
export function attempts(letter: Pick<DeadLetterRow, "error" | "failures">): string {
  const tries = letter.error.attempt ? `${letter.error.attempt} ${letter.error.attempt === 1 ? "try" : "tries"}` : "";
  const runs = letter.failures > 1 ? `${letter.failures} runs` : "";
  return [tries, runs].filter(Boolean).join(" · ") || "1 try";
}
