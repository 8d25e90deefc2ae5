/**
 * The public plugin API. A node file imports from here and nowhere else in Gate:
 *
 *   import { defineNode, expression, z } from "../sdk";
 */
export { z } from "zod";
export { defineNode, exprable, expression, credentialRef, ExprRef, isExprRef } from "./define";
export { NodeError, toNodeError } from "./errors";
export { compileExpression, ExpressionSyntaxError } from "./expr";
export { runNode, type RunNodeOptions, type RunNodeResult } from "./harness";
export { ERROR_PORT, MAIN_PORT, inputPorts, outputPorts } from "./ports";
export { RetryPolicy } from "./retry";
export { ConfigError, ConfigExpressions, formatPath, parseConfig, type ConfigIssue } from "./config";
export { executeNode, prepareNode, NodeFailure, type PreparedNode, type NodeOutcome } from "./execute";
export { createNodeContext, silentLogger } from "./context";
export { truthy } from "./values";
export * from "./host";
export { CredentialKinds, credentialData, isCredentialKind, type CredentialKind, type CredentialData } from "./credential-kinds";
export * from "./types";
