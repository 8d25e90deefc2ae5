/**
 * The public plugin API. A node file imports from here and nowhere else in Gate:
 *
 *   import { defineNode, expression, z } from "../sdk";
 */
export { z } from "zod";
export { defineNode, exprable, expression, code, credentialRef, ExprRef, isExprRef } from "./define";
export { NodeError, toNodeError } from "./errors";
export { compileExpression, ExpressionSyntaxError } from "./expr";
export { runNode, type RunNodeOptions, type RunNodeResult } from "./harness";
export { ERROR_PORT, MAIN_PORT, inputPorts, outputPorts } from "./ports";
export { NO_RETRY, RetryPolicy } from "./retry";
export { ConfigError, ConfigExpressions, formatPath, parseConfig, type ConfigIssue } from "./config";
export { executeNode, prepareNode, NodeFailure, type PreparedNode, type NodeOutcome } from "./execute";
export { createNodeContext, silentLogger } from "./context";
export { stableJson, truthy } from "./values";
export * from "./host";
export { onShutdown, shutdownNodes } from "./lifecycle";
export { CredentialKinds, credentialData, isCredentialKind, type CredentialKind, type CredentialData } from "./credential-kinds";
export * from "./types";
export * from "./net";
export { CircuitBreaker, breakerFor, breakerSnapshots, clearBreakers, isConnectionFault, type BreakerOptions, type BreakerPermit, type BreakerSnapshot, type BreakerState } from "./breaker";
