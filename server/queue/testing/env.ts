// Import first in queue/DLQ tests: the environment is parsed once, at first use. A random master
// key (no key file under ~/.config), a quiet log, and loopback let through the SSRF guard, because
// the outside systems of these tests are real HTTP servers on 127.0.0.1.
import { randomBytes } from "node:crypto";

process.env.GATE_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
process.env.GATE_LOG_LEVEL ??= "fatal";
process.env.GATE_ALLOW_HOSTS ??= "127.0.0.1";
