/**
 * Names (of notebooks, files, folders) shown to a person with their invisible controls made visible. A
 * right-to-left override makes `invoice\u202Efdp.ipynb` display as "invoicebnypi.pdf"; a newline or another
 * control character can break a line or hide. Each such character is written out as `<U+202E>`. The app uses
 * this wherever it shows a name; messages that quote names (errors from the server, in the app) go through
 * `escapeBidiControls`, which keeps their line breaks. `JSON.stringify` leaves all of these characters raw.
 */

/** The bidirectional formatting characters: LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI; LRM, RLM; ALM. */
const BIDI = '\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C';
const BIDI_CONTROLS = new RegExp(`[${BIDI}]`, 'g');
/** The bidirectional ones and the C0 and C1 control characters. Zero-width joiners stay: emoji and scripts need them. */
const NAME_CONTROLS = new RegExp(`[${BIDI}\\u0000-\\u001F\\u007F-\\u009F]`, 'g');

function codePoint(char: string): string {
  return `<U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`;
}

/**
 * A name as it is shown: each bidirectional control and control character written out.
 *
 * @example visibleName('invoice\u202Efdp.ipynb') // 'invoice<U+202E>fdp.ipynb'
 */
export function visibleName(name: string): string {
  return name.replace(NAME_CONTROLS, codePoint);
}

/** A message (that may quote a name) with its bidirectional controls written out; line breaks kept. */
export function escapeBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, codePoint);
}
