/**
 * The smallest single replacement turning `before` into `after` (common prefix and suffix kept). Applying an
 * external update this way lets CodeMirror map the cursor and selection through it instead of resetting them.
 * The server makes whole-text replacements into changes the same way, so it lives in the protocol.
 */
import { minimalChange } from '../../../server/protocol/text.ts';

export interface TextChange {
  from: number;
  to: number;
  insert: string;
}

export { minimalChange };
