export { runAgentTurn, newTurnId, resolveLimits, DEFAULT_LIMITS, type AgentLimits, type AgentTurnOptions, type AgentTurnResult } from './loop.ts';
export { compactConversation, historyMessages, summariseArgs, trimMessagesForRetry } from './conversation.ts';
export { notebookOverview, shapeCell, shapeCells, shapeOutputs, type ModelImage, type ShapeOptions, type ShapedOutputs } from './context.ts';
export { systemPrompt, type PromptOptions } from './prompt.ts';
export {
  configForDetected,
  createProviderClient,
  DEFAULT_OPENAI_MODEL,
  detectLocalServers,
  isConfigured,
  listModels,
  LOCAL_SERVERS,
  OPENAI_BASE_URL,
  providerConfigFromEnv,
  providerStatus,
  resolveModel,
  supportsVision,
  type DetectedServer,
  type LocalServerCandidate,
  type ProviderConfig,
  type ProviderStatus,
} from './provider.ts';
export { describeProviderError, isContextLengthError, redactSecrets, StreamDropped, type ProviderErrorInfo } from './provider-errors.ts';
export { createNotebookToolRegistry, notebookTools, createToolRegistry, defineTool, ToolError, type AgentTool, type ToolContext, type ToolRegistry } from './tools/index.ts';
export type { AgentNotebook, RunCellOptions } from './types.ts';
