/**
 * nbformat's own test notebooks (tests/fixtures/nbformat/), judged by Python's nbformat: every file we write must
 * pass `nbformat.validate(nbformat.read(f, 4))`, and must be byte for byte what Jupyter's writer makes of the same
 * input (given our cell ids). One Python process checks the whole batch.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JSONObject, JSONValue } from '../protocol/index.ts';
import { InvalidNotebook } from '../errors.ts';
import { isJSONObject } from './jupyter-json.ts';
import { isJsonMime, joinMultiline } from './multiline.ts';
import { parseNotebook, serializeNotebook } from './serializer.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'nbformat');
const PYTHON = '/usr/bin/python3';

const VALID_V4 = [
  'test4.ipynb',
  'test4.5.ipynb',
  'test4plus.ipynb',
  'test4custom.ipynb',
  'test4docinfo.ipynb',
  'test4jupyter_metadata.ipynb',
  'test4jupyter_metadata_timings.ipynb',
  'many_tracebacks.ipynb',
  'v4_5_no_cell_id.ipynb',
  'no_min_version.ipynb',
];
/** Invalid files we repair; each with the warning that says what was done. */
const REPAIRED: Record<string, RegExp> = {
  'invalid_cell_id.ipynb': /^cell 1: invalid id "\$illegal_chars" .* replaced by "illegal_chars"$/,
  'invalid_unique_cell_id.ipynb': /^cell 2: duplicate id "dup"; renamed "dup-1"$/,
  'v4_5_invalid_metadata.ipynb': /^metadata\.kernelspec should be an object/,
};
const OLD_FORMATS = ['test2.ipynb', 'test3.ipynb', 'test3_no_metadata.ipynb', 'test3_no_min_version.ipynb', 'test3_no_worksheets.ipynb', 'test3_worksheet_with_no_cells.ipynb'];

/** Reads a manifest on stdin; for each file: is our output valid, and what would Jupyter's writer have made of the input. */
const JUDGE = `
import json, sys, warnings
import nbformat
from nbformat.v4 import nbjson

def judge(item):
    result = {}
    with open(item["output"], encoding="utf-8") as f:
        ours_text = f.read()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with open(item["output"], encoding="utf-8") as f:
                nbformat.validate(nbformat.read(f, 4))
            result["valid"] = True
        except Exception as e:
            result["valid"] = str(e).splitlines()[0]
    result["warnings"] = [str(w.message) for w in caught if not issubclass(w.category, DeprecationWarning)]
    try:
        with open(item["input"], encoding="utf-8") as f:
            nb = nbformat.convert(nbformat.reader.reads(f.read()), 4)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                nbformat.validate(nb, strip_invalid_metadata=True)
            except Exception:
                pass
        ours = json.loads(ours_text)
        for cell, our_cell in zip(nb.cells, ours["cells"]):
            cell["id"] = our_cell["id"]
        nb.nbformat_minor = max(nb.get("nbformat_minor") or 0, 5)
        result["jupyter"] = nbjson.writes(nb) + "\\n"
    except Exception as e:
        result["jupyter_error"] = str(e)
    return result

print(json.dumps({item["name"]: judge(item) for item in json.load(sys.stdin)}))
`;

interface Verdict {
  valid: true | string;
  warnings: string[];
  jupyter?: string;
  jupyter_error?: string;
}

let outDir: string;
const written = new Map<string, { text: string; warnings: string[] }>();
let verdicts: Record<string, Verdict>;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'cellmate-fixtures-'));
  const names = (await readdir(FIXTURES)).filter((name) => name.endsWith('.ipynb'));
  const manifest: { name: string; input: string; output: string }[] = [];
  for (const name of names) {
    if (name === 'invalid.ipynb') continue;
    const { doc, warnings } = parseNotebook(await readFile(join(FIXTURES, name), 'utf8'));
    const text = serializeNotebook(doc);
    written.set(name, { text, warnings });
    await writeFile(join(outDir, name), text);
    manifest.push({ name, input: join(FIXTURES, name), output: join(outDir, name) });
  }
  const python = spawnSync(PYTHON, ['-c', JUDGE], { input: JSON.stringify(manifest), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (python.status !== 0) {
    throw new Error(`The nbformat judge needs ${PYTHON} with nbformat (Debian: apt-get install python3-nbformat): ${python.error ?? python.stderr}`);
  }
  verdicts = JSON.parse(python.stdout);
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

function verdict(name: string): Verdict {
  const found = verdicts[name];
  if (!found) throw new Error(`no verdict for ${name}`);
  return found;
}

describe('nbformat fixtures', () => {
  it.each([...VALID_V4, ...Object.keys(REPAIRED), ...OLD_FORMATS])('%s is written valid, as Jupyter writes it', (name) => {
    const { valid, warnings, jupyter, jupyter_error } = verdict(name);
    expect(valid).toBe(true);
    expect(warnings).toEqual([]);
    // Jupyter itself cannot read four of the v3 files (no metadata, no minor, no worksheets, no cells).
    if (jupyter_error === undefined) expect(written.get(name)?.text).toBe(jupyter);
    else expect(name).toMatch(/^test3_/);
  });

  it.each(VALID_V4)('%s equals its input once multiline strings are joined (plus ids for 4.0–4.4)', async (name) => {
    const input = asObject(JSON.parse(await readFile(join(FIXTURES, name), 'utf8')));
    const expected = normalise(input);
    expected['nbformat_minor'] = Math.max(Number(input['nbformat_minor'] ?? 0), 5);
    const actual = normalise(asObject(JSON.parse(written.get(name)!.text)));
    const inputCells = Array.isArray(input['cells']) ? input['cells'] : [];
    // Ids the file did not have were added (and checked valid by Python above): take them out to compare.
    const cells = Array.isArray(actual['cells']) ? actual['cells'] : [];
    actual['cells'] = cells.map((cell, index) => {
      const had = inputCells[index];
      return isJSONObject(cell) && isJSONObject(had) && !('id' in had) ? omit(cell, ['id']) : cell;
    });
    expect(actual).toEqual(expected);
  });

  it('keeps the version and the unknown parts of a newer minor (test4plus, 4.99)', () => {
    const output = JSON.parse(written.get('test4plus.ipynb')!.text);
    expect(output).toMatchObject({ nbformat_minor: 99, extra: 'future' });
    expect(output.cells[9]).toEqual({ id: 'future-10', cell_type: 'future cell', metadata: {}, key: 'value' });
    expect(output.cells[10].outputs[1]).toEqual({ output_type: 'future output', 'some key': ['some data'] });
  });

  it.each(Object.entries(REPAIRED))('%s is repaired with a warning', (name, warning) => {
    expect(written.get(name)?.warnings).toContainEqual(expect.stringMatching(warning));
  });

  it.each(OLD_FORMATS)('%s is upgraded to 4.5 with a warning', (name) => {
    expect(written.get(name)?.warnings[0]).toMatch(/^converted from nbformat [23] to 4\.5/);
    expect(JSON.parse(written.get(name)!.text)).toMatchObject({ nbformat: 4, nbformat_minor: 5 });
  });

  it('refuses invalid.ipynb naming each problem', async () => {
    const text = await readFile(join(FIXTURES, 'invalid.ipynb'), 'utf8');
    expect(() => parseNotebook(text)).toThrow(InvalidNotebook);
    expect(() => parseNotebook(text)).toThrow(
      `Invalid nbformat 4 notebook: cell 1: missing 'source'; cell 3: unknown cell_type "heading"; cell 4, output 1: unknown output_type "bad stream"`,
    );
  });
});

function asObject(value: JSONValue): JSONObject {
  if (!isJSONObject(value)) throw new Error('not a notebook');
  return value;
}

function omit(object: JSONObject, keys: string[]): JSONObject {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

/** nbformat's reading of a file (`rejoin_lines` and `strip_transient`): what a round trip must preserve. */
function normalise(nb: JSONObject): JSONObject {
  const metadata = isJSONObject(nb['metadata']) ? omit(nb['metadata'], ['signature', 'orig_nbformat', 'orig_nbformat_minor']) : {};
  const cells = (Array.isArray(nb['cells']) ? nb['cells'] : []).map((cell) => {
    if (!isJSONObject(cell)) return cell;
    const result: JSONObject = { ...cell, metadata: isJSONObject(cell['metadata']) ? omit(cell['metadata'], ['trusted']) : {} };
    if ('source' in cell) result['source'] = joinMultiline(cell['source']) ?? cell['source'];
    if (Array.isArray(cell['outputs'])) result['outputs'] = cell['outputs'].map(joinOutput);
    return result;
  });
  return { ...nb, metadata, cells };
}

function joinOutput(output: JSONValue): JSONValue {
  if (!isJSONObject(output)) return output;
  const result: JSONObject = { ...output };
  if ('text' in output) result['text'] = joinMultiline(output['text']) ?? output['text'];
  const data = output['data'];
  if (isJSONObject(data)) {
    result['data'] = Object.fromEntries(Object.entries(data).map(([mime, value]) => [mime, isJsonMime(mime) ? value : (joinMultiline(value) ?? value)]));
  }
  return result;
}
