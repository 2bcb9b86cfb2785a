/**
 * IOPub messages → nbformat outputs, the way JupyterLab's output area builds them: consecutive stream chunks of
 * the same name merge (with `\r` progress lines overwritten), `clear_output(wait=True)` waits for the next output,
 * `update_display_data` replaces outputs by `display_id`. Pure: no I/O, no timers.
 *
 * Jupyter Server's own IOPub rate limits are off (they drop output silently), so the caps live here and leave a
 * visible note when they cut something.
 */
import { KernelMessage } from '@jupyterlab/services';
import type { DisplayDataOutput, JSONObject, JSONValue, MimeBundle, Output } from '../protocol/index.ts';
import { appendStreamText } from './stream-text.ts';

export interface OutputCaps {
  /** Characters one stream output keeps (the head; the rest is replaced by a note). */
  maxStreamChars: number;
  /** Characters of all of one cell's outputs together (text, base64 images, JSON). */
  maxTotalChars: number;
  /** Number of outputs of one cell. */
  maxOutputs: number;
}

export const DEFAULT_OUTPUT_CAPS: OutputCaps = {
  maxStreamChars: 1_000_000,
  maxTotalChars: 5_000_000,
  maxOutputs: 1000,
};

/**
 * One cell's outputs while it runs. What the caps cut is replaced by a `display_data` note (`text/plain`, with
 * metadata `{ cellmate: { truncated: true } }` so a UI can style it); a cut stream ends with a note in its text.
 */
export class OutputArea {
  readonly #caps: OutputCaps;
  #items: Output[] = [];
  #sizes: number[] = [];
  #total = 0;
  #clearOnNextOutput = false;
  /** State of the last output when it is a stream (see `appendStreamText`). */
  #pendingCarriageReturn = false;
  #lastStreamTruncated = false;
  /** Outputs dropped because the cell reached its caps. */
  #omitted = 0;

  constructor(caps: Partial<OutputCaps> = {}) {
    this.#caps = { ...DEFAULT_OUTPUT_CAPS, ...caps };
  }

  /** The current outputs, as a new array of immutable output objects. */
  get outputs(): Output[] {
    if (this.#omitted === 0) return [...this.#items];
    const noun = this.#omitted === 1 ? 'output' : 'outputs';
    const text = `[Output truncated: ${this.#omitted} more ${noun} omitted (${this.#limits()})]`;
    return [...this.#items, note(text)];
  }

  /** Applies one IOPub message; returns whether the outputs changed. Other message types are ignored. */
  handle(msg: KernelMessage.IIOPubMessage): boolean {
    if (KernelMessage.isStreamMsg(msg)) {
      return this.#addStream(msg.content.name, msg.content.text);
    }
    if (KernelMessage.isDisplayDataMsg(msg)) {
      const { data, metadata, transient } = msg.content;
      const output: DisplayDataOutput = {
        output_type: 'display_data',
        data: toMimeBundle(data),
        metadata: toJSONObject(metadata),
      };
      const displayId = transient?.display_id;
      if (typeof displayId === 'string') output.transient = { display_id: displayId };
      this.#add(output);
      return true;
    }
    if (KernelMessage.isExecuteResultMsg(msg)) {
      const { data, metadata, execution_count } = msg.content;
      this.#add({
        output_type: 'execute_result',
        execution_count,
        data: toMimeBundle(data),
        metadata: toJSONObject(metadata),
      });
      return true;
    }
    if (KernelMessage.isErrorMsg(msg)) {
      const { ename, evalue, traceback } = msg.content;
      this.#add({ output_type: 'error', ename, evalue, traceback: [...traceback] });
      return true;
    }
    if (KernelMessage.isClearOutputMsg(msg)) {
      if (msg.content.wait) {
        this.#clearOnNextOutput = true;
        return false;
      }
      return this.clear();
    }
    if (KernelMessage.isUpdateDisplayDataMsg(msg)) {
      const { display_id } = msg.content.transient;
      const next = applyDisplayUpdate(this.#items, display_id, msg.content.data, msg.content.metadata);
      if (next === this.#items) return false;
      this.#items = next;
      this.#sizes = next.map(sizeOf);
      this.#total = this.#sizes.reduce((a, b) => a + b, 0);
      this.#enforceTotalAfterUpdate();
      return true;
    }
    return false;
  }

  /** Removes every output now. Returns whether there was anything to remove. */
  clear(): boolean {
    const hadOutputs = this.#items.length > 0 || this.#omitted > 0;
    this.#items = [];
    this.#sizes = [];
    this.#total = 0;
    this.#omitted = 0;
    this.#pendingCarriageReturn = false;
    this.#lastStreamTruncated = false;
    this.#clearOnNextOutput = false;
    return hadOutputs;
  }

  #addStream(name: 'stdout' | 'stderr', chunk: string): boolean {
    const cleared = this.#clearOnNextOutput && this.clear();
    const index = this.#items.length - 1;
    const last = this.#items[index];
    // After the caps dropped something, merging into an earlier stream would put text out of order.
    if (last?.output_type === 'stream' && last.name === name && this.#omitted === 0) {
      if (this.#lastStreamTruncated) return cleared;
      const next = appendStreamText({ text: last.text, pendingCarriageReturn: this.#pendingCarriageReturn }, chunk);
      this.#pendingCarriageReturn = next.pendingCarriageReturn;
      if (next.text === last.text) return cleared;
      this.#setStreamText(index, name, next.text);
      return true;
    }
    if (chunk === '') return cleared;
    const first = appendStreamText({ text: '', pendingCarriageReturn: false }, chunk);
    if (this.#add({ output_type: 'stream', name, text: '' })) {
      this.#pendingCarriageReturn = first.pendingCarriageReturn;
      this.#setStreamText(this.#items.length - 1, name, first.text);
    }
    return true;
  }

  /** Replaces a stream's text, cutting it (with a note in the text) when it passes its caps. */
  #setStreamText(index: number, name: 'stdout' | 'stderr', text: string): void {
    const previous = this.#sizes[index] ?? 0;
    const allowed = Math.min(this.#caps.maxStreamChars, this.#caps.maxTotalChars - (this.#total - previous));
    if (text.length > allowed) {
      text = `${text.slice(0, Math.max(0, allowed))}\n[Output truncated: ${this.#limits()}]\n`;
      this.#lastStreamTruncated = true;
    }
    this.#items[index] = { output_type: 'stream', name, text };
    this.#sizes[index] = text.length;
    this.#total += text.length - previous;
  }

  /** Appends an output unless the cell is full (then it only counts). Returns whether it was appended. */
  #add(output: Output): boolean {
    if (this.#clearOnNextOutput) this.clear();
    const size = sizeOf(output);
    const full = this.#items.length >= this.#caps.maxOutputs || this.#total + size > this.#caps.maxTotalChars;
    if (this.#omitted > 0 || full) {
      this.#omitted++;
      return false;
    }
    // The stream state describes the last output, which this one now is.
    this.#pendingCarriageReturn = false;
    this.#lastStreamTruncated = false;
    this.#items.push(output);
    this.#sizes.push(size);
    this.#total += size;
    return true;
  }

  /** An update can grow a display past the cell's budget: such displays become a note instead. */
  #enforceTotalAfterUpdate(): void {
    for (let i = this.#items.length - 1; i >= 0 && this.#total > this.#caps.maxTotalChars; i--) {
      const item = this.#items[i];
      if (item?.output_type !== 'display_data' || !item.transient) continue;
      const replacement = { ...note(`[Display omitted: ${this.#limits()}]`), transient: item.transient };
      this.#total += sizeOf(replacement) - (this.#sizes[i] ?? 0);
      this.#items[i] = replacement;
      this.#sizes[i] = sizeOf(replacement);
    }
  }

  #limits(): string {
    const { maxStreamChars, maxTotalChars, maxOutputs } = this.#caps;
    return `limits: ${formatChars(maxStreamChars)} per stream, ${formatChars(maxTotalChars)} and ${maxOutputs} outputs per cell`;
  }
}

/**
 * Applies an `update_display_data` to a list of outputs: every `display_data` with that `display_id` gets the new
 * data and metadata. Returns the same array when nothing matched, so callers can skip a broadcast. Exported
 * because a display may live in another cell than the one running.
 */
export function applyDisplayUpdate(outputs: Output[], displayId: string, data: unknown, metadata: unknown): Output[] {
  let changed = false;
  const next = outputs.map((output) => {
    if (output.output_type !== 'display_data' || output.transient?.display_id !== displayId) return output;
    changed = true;
    return { ...output, data: toMimeBundle(data), metadata: toJSONObject(metadata) };
  });
  return changed ? next : outputs;
}

function note(text: string): DisplayDataOutput {
  return {
    output_type: 'display_data',
    data: { 'text/plain': text },
    metadata: { cellmate: { truncated: true } },
  };
}

function sizeOf(output: Output): number {
  switch (output.output_type) {
    case 'stream':
      return output.text.length;
    case 'error':
      return output.ename.length + output.evalue.length + output.traceback.reduce((n, line) => n + line.length, 0);
    case 'display_data':
    case 'execute_result':
      return Object.values(output.data).reduce<number>(
        (n, value) => n + (typeof value === 'string' ? value.length : JSON.stringify(value).length),
        0,
      );
  }
}

function formatChars(n: number): string {
  if (n >= 1_000_000) return `${+(n / 1_000_000).toFixed(1)} MB`;
  if (n >= 1_000) return `${+(n / 1_000).toFixed(1)} kB`;
  return `${n} characters`;
}

/** JSON mime types keep their structure; every other value (text, base64) becomes one string. */
function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json');
}

/** Kernel data (multiline arrays, possibly undefined members) → nbformat's joined form. */
export function toMimeBundle(data: unknown): MimeBundle {
  const bundle: MimeBundle = {};
  if (!isRecord(data)) return bundle;
  for (const [mime, value] of Object.entries(data)) {
    if (value === undefined) continue;
    if (isJsonMime(mime)) bundle[mime] = toJSONValue(value);
    else if (typeof value === 'string') bundle[mime] = value;
    else if (Array.isArray(value) && value.every((line) => typeof line === 'string')) bundle[mime] = value.join('');
    else bundle[mime] = JSON.stringify(value);
  }
  return bundle;
}

/** Validates kernel metadata as a JSON object (anything else becomes `{}`). */
export function toJSONObject(value: unknown): JSONObject {
  const json = toJSONValue(value);
  return isRecord(json) ? json : {};
}

/** Validates what came over the wire as JSON; drops `undefined` members and anything JSON can't hold. */
function toJSONValue(value: unknown): JSONValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(toJSONValue);
  if (isRecord(value)) {
    const object: JSONObject = {};
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined) object[key] = toJSONValue(member);
    }
    return object;
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
