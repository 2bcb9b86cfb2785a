/**
 * The tools the model may call: their OpenAI `tools` definitions, and one `execute` that parses and validates
 * the arguments and runs the handler. Whatever goes wrong (arguments that are not JSON, a schema mismatch, an
 * unknown tool, a handler failure) comes back as a structured result the model can read and act on; `execute`
 * never throws.
 */
import { z } from 'zod';
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import { EditError, type JSONValue } from '../../protocol/index.ts';
import { ToolError, type AgentTool, type ToolContext, type ToolOutcome } from './types.ts';

export interface ToolCallRequest {
  id: string;
  name: string;
  /** The raw arguments text as the model wrote it. */
  arguments: string;
}

export interface ToolCallResult extends ToolOutcome {
  ok: boolean;
  /** The parsed arguments, or the raw text when it is not JSON. */
  args: JSONValue;
}

export interface ToolRegistry {
  readonly tools: readonly AgentTool[];
  /** The `tools` parameter of a chat completion request. */
  definitions(options?: { strict?: boolean }): ChatCompletionFunctionTool[];
  execute(call: ToolCallRequest, ctx: ToolContext): Promise<ToolCallResult>;
}

/**
 * The JSON schema of a tool's input for OpenAI: no `$schema`, `additionalProperties: false` and every property
 * listed in `required` (strict mode requires both; optional fields are nullable instead).
 */
export function toolParameters(input: z.ZodObject): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(input);
  return { ...schema, required: Object.keys(input.shape), additionalProperties: false };
}

function failure(code: string, message: string, fix: string, args: JSONValue): ToolCallResult {
  return {
    ok: false,
    args,
    content: JSON.stringify({ ok: false, error: code, message, fix }),
    summary: `${code.replace(/_/g, ' ')}: ${message.split('\n')[0]}`,
  };
}

function parseArguments(text: string): { ok: true; value: JSONValue } | { ok: false; message: string } {
  // Some servers send an empty string for a call without arguments.
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    // JSON.parse only yields JSON values.
    return { ok: true, value: JSON.parse(text) as JSONValue };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Builds the registry; tool names must be unique. */
export function createToolRegistry(tools: readonly AgentTool[]): ToolRegistry {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  if (byName.size !== tools.length) throw new Error('Tool names must be unique');

  return {
    tools,
    definitions({ strict = true } = {}) {
      return tools.map((tool) => ({
        type: 'function',
        function: { name: tool.name, description: tool.description, parameters: toolParameters(tool.input), strict },
      }));
    },
    async execute(call, ctx) {
      const tool = byName.get(call.name);
      if (!tool) {
        return failure('unknown_tool', `There is no tool named ${JSON.stringify(call.name)}.`, `Use one of: ${[...byName.keys()].join(', ')}.`, call.arguments);
      }
      const parsed = parseArguments(call.arguments);
      if (!parsed.ok) {
        const schema = JSON.stringify(toolParameters(tool.input));
        return failure(
          'invalid_json',
          `The arguments of ${tool.name} are not valid JSON (${parsed.message}): ${JSON.stringify(call.arguments.slice(0, 300))}`,
          `Call ${tool.name} again with one JSON object matching this schema: ${schema}. Escape newlines in strings as \\n.`,
          call.arguments,
        );
      }
      try {
        const outcome = await tool.run(parsed.value, ctx);
        return { ok: true, args: parsed.value, ...outcome };
      } catch (error) {
        if (error instanceof ToolError) return failure(error.code, error.message, error.fix, parsed.value);
        if (error instanceof EditError) {
          // The notebook changed under the agent (a person deleted the cell meanwhile).
          return failure(error.code, error.message, 'Call read_notebook to see the cells as they are now, then try again.', parsed.value);
        }
        const message = error instanceof Error ? error.message : String(error);
        return failure('tool_failed', `${tool.name} failed: ${message}`, 'Check the arguments; if it fails again, tell the person what went wrong.', parsed.value);
      }
    },
  };
}
