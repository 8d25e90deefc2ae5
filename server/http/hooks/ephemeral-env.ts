// For throwaway data folders (tests, benchmarks): a random master key, so no key file is written
// under ~/.config, and a quiet log. Import it first: the environment is parsed once, at first use.
import { randomBytes } from "node:crypto";

process.env.GATE_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
process.env.GATE_LOG_LEVEL ??= "fatal";
