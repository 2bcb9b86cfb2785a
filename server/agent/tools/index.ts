export { addCell, deleteCell, editCell, findCell, readNotebook } from './cell-tools.ts';
export { buildInspectCode, formatVariable, inspectVariables, listFiles, variableHelperSource } from './kernel-tools.ts';
export { createNotebookToolRegistry, notebookTools } from './notebook-tools.ts';
export { createToolRegistry, toolParameters, type ToolCallRequest, type ToolCallResult, type ToolRegistry } from './registry.ts';
export { runCell } from './run-cell.ts';
export { defineTool, ToolError, type AgentTool, type ToolContext, type ToolOutcome, type ToolSpec } from './types.ts';
