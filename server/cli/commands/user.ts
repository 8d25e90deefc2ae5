import { text } from "node:stream/consumers";
import type { Command } from "../command";
import { UsageError } from "../errors";
import { resolveDataDir } from "../../env";
import { USER_ROLES, isRole } from "../../auth/roles";
import { UserError, createUser, listUsers } from "../../auth/users";

/** Users from the shell: the first admin of a fresh install, or a user when the UI is not at hand. */
export const userCommand: Command = {
  summary: "create a user (the password is read from standard input) or list users",
  usage: `user create --email <email> [--name <name>] (--admin | --role ${USER_ROLES.join("|")}) | list  [--data ./data]`,
  options: {
    data: { type: "string" },
    email: { type: "string" },
    name: { type: "string" },
    role: { type: "string" },
    admin: { type: "boolean", default: false },
  },
  async run({ positionals, values }) {
    const [action] = positionals;
    const { openServices } = await import("../../services");
    const services = await openServices(resolveDataDir(typeof values.data === "string" ? values.data : undefined));
    try {
      if (action === "list") {
        for (const u of listUsers(services.gdb)) process.stdout.write(`${u.email}  ${u.role}  ${u.name}\n`);
        return 0;
      }
      if (action !== "create") throw new UsageError(action ? `unknown action "${action}"` : "say create or list");
      if (typeof values.email !== "string") throw new UsageError("give the user's --email");
      const role = values.admin === true ? "admin" : values.role;
      if (!isRole(role)) throw new UsageError(`give --admin or --role (${USER_ROLES.join(", ")})`);
      // From stdin, never from an argument: arguments show up in `ps` and in shell history.
      const password = (await text(process.stdin)).replace(/\r?\n$/, "");
      try {
        const created = await createUser(services.gdb, { email: values.email, name: typeof values.name === "string" ? values.name : undefined, password, role });
        services.audit.record({ actor: "system", action: "user.create", target: created.email, outcome: "ok", detail: { role, via: "cli" } });
        process.stdout.write(`created ${created.email} (${created.role})\n`);
        return 0;
      } catch (error) {
        if (error instanceof UserError) throw new UsageError(error.message);
        throw error;
      }
    } finally {
      services.close();
    }
  },
};
