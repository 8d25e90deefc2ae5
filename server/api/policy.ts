/**
 * Who may call what: every tRPC procedure is listed here with the least role it needs. One table,
 * so a reviewer reads the whole access model in one place; a procedure missing from it is refused
 * (default deny), and a test fails until it is listed.
 */
import type { UserRole } from "../auth/roles";

export type Requirement = UserRole | "public";

export const POLICY: Record<string, Requirement> = {
  // Signing in and first-run setup.
  "auth.status": "public",
  "auth.setup": "public",
  "auth.me": "viewer",
  // Flows: everyone reads; analysts test and edit mappings (checked in flows.save); editors build;
  // admins switch flows on and off.
  "flows.list": "viewer",
  "flows.get": "viewer",
  "flows.versions": "viewer",
  "flows.version": "viewer",
  "flows.validate": "viewer",
  "flows.save": "analyst",
  "flows.create": "editor",
  "flows.import": "editor",
  "flows.rename": "editor",
  "flows.duplicate": "editor",
  "flows.delete": "editor",
  "flows.restore": "editor",
  "flows.setActive": "admin",
  "nodes.list": "viewer",
  "nodes.problems": "viewer",
  "nodes.ports": "viewer",
  "runs.test": "analyst",
  // Saved test cases: a new flow version that changes only `tests`, so analysts may save them.
  "testCases.list": "viewer",
  "testCases.get": "viewer",
  "testCases.save": "analyst",
  "testCases.delete": "analyst",
  "testCases.run": "analyst",
  "executions.list": "viewer",
  "executions.get": "viewer",
  "executions.cancel": "editor",
  "schedules.list": "viewer",
  "schedules.dismissMissed": "editor",
  "webhooks.log": "viewer",
  "webhooks.events": "viewer",
  "webhooks.event": "viewer",
  // Credentials: editors pick them by name; only admins create, rotate, delete or test them.
  "credentials.list": "editor",
  "credentials.set": "admin",
  "credentials.delete": "admin",
  "credentials.connect": "admin",
  "credentials.test": "admin",
  "files.limits": "viewer",
  "files.list": "viewer",
  "files.upload": "editor",
  "files.delete": "editor",
  "users.list": "admin",
  "users.create": "admin",
  "users.setRole": "admin",
  "users.delete": "admin",
  "audit.list": "admin",
  // Dead letters and the queue: admins and editors inspect, edit, replay and discard.
  "deadLetters.list": "editor",
  "deadLetters.get": "editor",
  "deadLetters.updatePayload": "editor",
  "deadLetters.replay": "editor",
  "deadLetters.replayAll": "editor",
  "deadLetters.replayProgress": "editor",
  "deadLetters.discard": "editor",
  "queue.runNow": "editor",
  "queue.stats": "viewer",
  // Alerts: channels reference credentials and send data out, so only admins define them.
  "alerts.channels.list": "editor",
  "alerts.channels.create": "admin",
  "alerts.channels.update": "admin",
  "alerts.channels.remove": "admin",
  "alerts.rules.list": "viewer",
  "alerts.rules.create": "editor",
  "alerts.rules.update": "editor",
  "alerts.rules.remove": "editor",
  "alerts.incidents.list": "viewer",
  "alerts.incidents.acknowledge": "editor",
};
