/**
 * Reads the outputs of a code cell from nbformat 4 JSON into the model. Problems that lose nothing are repaired
 * with a warning; problems that would lose data are reported as errors (the caller refuses the notebook).
 */
import type { JSONObject, JSONValue, Output } from '../protocol/index.ts';
import { isCount, isJSONObject, isStringArray, omitKeys } from './jupyter-json.ts';
import { isJsonMime, joinMultiline, rejoinMimeBundle } from './multiline.ts';

/** Where a reader records what it found: errors make the notebook unreadable, warnings describe repairs. */
export interface ReadReport {
  errors: string[];
  warnings: string[];
  /** A notebook from a newer nbformat minor: unknown fields are expected (kept without a warning), and so are unknown types. */
  isFuture: boolean;
}

const KNOWN_OUTPUT_FIELDS: Record<Output['output_type'], readonly string[]> = {
  stream: ['output_type', 'name', 'text'],
  display_data: ['output_type', 'data', 'metadata', 'transient'],
  execute_result: ['output_type', 'data', 'metadata', 'execution_count', 'transient'],
  error: ['output_type', 'ename', 'evalue', 'traceback'],
};

/**
 * An output the model has no type for (an output type from a newer nbformat, a stream other than
 * stdout/stderr) is kept whole in `extra`, shown as plain text, and written back exactly as it came. `extra`
 * never holds `output_type` otherwise, so its presence marks such an output for the writer.
 */
function keptAsIs(original: JSONObject, shownAs: string): Output {
  return { output_type: 'display_data', data: { 'text/plain': shownAs }, metadata: {}, extra: original };
}

export function readOutputs(raw: JSONValue | undefined, where: string, report: ReadReport): Output[] {
  if (raw === undefined) {
    report.warnings.push(`${where}: missing 'outputs'; read as no outputs`);
    return [];
  }
  if (!Array.isArray(raw)) {
    report.errors.push(`${where}: 'outputs' must be a list`);
    return [];
  }
  const outputs: Output[] = [];
  raw.forEach((item, index) => {
    const output = readOutput(item, `${where}, output ${index + 1}`, report);
    if (output) outputs.push(output);
  });
  return outputs;
}

function readOutput(raw: JSONValue, where: string, report: ReadReport): Output | undefined {
  if (!isJSONObject(raw)) return fail(report, `${where}: not an object`);
  const type = raw['output_type'];
  if (type === undefined) return fail(report, `${where}: missing 'output_type'`);
  if (typeof type !== 'string') return fail(report, `${where}: 'output_type' must be a string, not ${JSON.stringify(type)}`);
  switch (type) {
    case 'stream':
      return readStream(raw, where, report);
    case 'display_data':
    case 'execute_result':
      return readRich(raw, type, where, report);
    case 'error':
      return readError(raw, where, report);
    default:
      if (!report.isFuture) return fail(report, `${where}: unknown output_type ${JSON.stringify(type)}`);
      return keptAsIs(raw, `[${type} output from a newer notebook format: kept, not shown]`);
  }
}

function readStream(raw: JSONObject, where: string, report: ReadReport): Output | undefined {
  const name = raw['name'];
  const text = joinMultiline(raw['text']);
  if (typeof name !== 'string') return fail(report, `${where}: stream output without a 'name'`);
  if (text === undefined) return fail(report, `${where}: stream 'text' must be a string or a list of strings`);
  if (name !== 'stdout' && name !== 'stderr') {
    report.warnings.push(`${where}: stream ${JSON.stringify(name)} is shown as text and kept as it came`);
    return keptAsIs(raw, text);
  }
  return withExtra({ output_type: 'stream', name, text }, raw, where, report);
}

function readRich(raw: JSONObject, type: 'display_data' | 'execute_result', where: string, report: ReadReport): Output | undefined {
  const data = raw['data'];
  if (!isJSONObject(data)) return fail(report, `${where}: ${type} output needs a 'data' object`);
  checkMimeBundle(data, where, report);
  let metadata = raw['metadata'];
  if (metadata === undefined) {
    report.warnings.push(`${where}: missing 'metadata'; added an empty one`);
    metadata = {};
  }
  if (!isJSONObject(metadata)) return fail(report, `${where}: 'metadata' must be an object`);
  if (type === 'display_data') return withExtra({ output_type: type, data: rejoinMimeBundle(data), metadata }, raw, where, report);
  const count = raw['execution_count'];
  if (count !== null && !isCount(count)) {
    report.warnings.push(countWarning(where, count));
  }
  const execution_count = isCount(count) ? count : null;
  return withExtra({ output_type: type, execution_count, data: rejoinMimeBundle(data), metadata }, raw, where, report);
}

function readError(raw: JSONObject, where: string, report: ReadReport): Output | undefined {
  const { ename, evalue, traceback } = raw;
  if (typeof ename !== 'string' || typeof evalue !== 'string') return fail(report, `${where}: error output needs string 'ename' and 'evalue'`);
  if (!isStringArray(traceback)) return fail(report, `${where}: error 'traceback' must be a list of strings`);
  return withExtra({ output_type: 'error', ename, evalue, traceback }, raw, where, report);
}

/**
 * Non-JSON mime values must be strings or lists of lines. Anything else is kept untouched (the user's data) but
 * Jupyter will call the saved file invalid, so say so.
 */
export function checkMimeBundle(bundle: JSONObject, where: string, report: ReadReport): void {
  for (const [mime, value] of Object.entries(bundle)) {
    if (!isJsonMime(mime) && joinMultiline(value) === undefined) {
      report.warnings.push(`${where}: ${mime} should hold text, not ${JSON.stringify(value).slice(0, 40)}; kept as is`);
    }
  }
}

/** Fields this version doesn't model go to `extra` (runtime-only `transient` is dropped, as on write). */
function withExtra(output: Output, raw: JSONObject, where: string, report: ReadReport): Output {
  const extra = omitKeys(raw, KNOWN_OUTPUT_FIELDS[output.output_type]);
  if (!extra) return output;
  if (!report.isFuture) {
    report.warnings.push(`${where}: unknown field(s) ${Object.keys(extra).map((k) => JSON.stringify(k)).join(', ')} kept as is`);
  }
  return { ...output, extra };
}

/** An execution count that is neither a count nor null is bookkeeping, not content: read as null. */
export function countWarning(where: string, count: JSONValue | undefined): string {
  return count === undefined
    ? `${where}: missing 'execution_count'; read as null`
    : `${where}: execution_count ${JSON.stringify(count)} is not a count; read as null`;
}

function fail(report: ReadReport, message: string): undefined {
  report.errors.push(message);
  return undefined;
}
