/** The tools the agent gets in a notebook, and their registry. */
import { addCell, deleteCell, editCell, readNotebook } from './cell-tools.ts';
import { inspectVariables, listFiles } from './kernel-tools.ts';
import { createToolRegistry, type ToolRegistry } from './registry.ts';
import { runCell } from './run-cell.ts';
import type { AgentTool } from './types.ts';

/** The notebook tools, in the order the model sees them. */
export const notebookTools: readonly AgentTool[] = [readNotebook, addCell, editCell, deleteCell, runCell, listFiles, inspectVariables];

/** A registry of the notebook tools. */
export function createNotebookToolRegistry(): ToolRegistry {
  return createToolRegistry(notebookTools);
}
