import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('reads the assistant’s provider and limits', () => {
    const config = loadConfig({ OPENAI_API_KEY: 'sk-x', CELLMATE_MODEL: 'm', CELLMATE_AGENT_MAX_STEPS: '5', CELLMATE_AGENT_CELL_TIMEOUT_MS: '30000' });
    expect(config.provider).toMatchObject({ apiKey: 'sk-x', baseURL: null, model: 'm' });
    expect(config.agentLimits).toEqual({ maxSteps: 5, cellTimeoutMs: 30_000 });
  });

  it('refuses limits that are not numbers in range, and keeps bad provider values as problems', () => {
    expect(() => loadConfig({ CELLMATE_AGENT_MAX_STEPS: '0' })).toThrow(/CELLMATE_AGENT_MAX_STEPS/);
    expect(loadConfig({ OPENAI_BASE_URL: 'not a url' }).provider?.problems).toEqual([expect.stringMatching(/OPENAI_BASE_URL is not valid/)]);
  });

  it('reads the limits of bodies, messages and notebooks, and refuses them out of range', () => {
    expect(loadConfig({}).limits).toEqual({});
    const env = { CELLMATE_MAX_BODY_BYTES: '2048', CELLMATE_MAX_NOTEBOOK_BYTES: '4096', CELLMATE_MAX_CELLS: '50', CELLMATE_MAX_JSON_DEPTH: '20' };
    expect(loadConfig(env).limits).toEqual({ maxBodyBytes: 2048, maxNotebookBytes: 4096, maxCells: 50, maxJsonDepth: 20 });
    expect(() => loadConfig({ CELLMATE_MAX_JSON_DEPTH: '5000' })).toThrow(/CELLMATE_MAX_JSON_DEPTH/);
    expect(() => loadConfig({ CELLMATE_MAX_CELLS: '0' })).toThrow(/CELLMATE_MAX_CELLS/);
    expect(() => loadConfig({ CELLMATE_MAX_BODY_BYTES: 'lots' })).toThrow(/CELLMATE_MAX_BODY_BYTES/);
  });

  it('reads the autosave delay, and refuses it out of range', () => {
    expect(loadConfig({}).autosaveMs).toBeUndefined();
    expect(loadConfig({ CELLMATE_AUTOSAVE_MS: '600000' }).autosaveMs).toBe(600_000);
    expect(() => loadConfig({ CELLMATE_AUTOSAVE_MS: '0' })).toThrow(/CELLMATE_AUTOSAVE_MS/);
    expect(() => loadConfig({ CELLMATE_AUTOSAVE_MS: 'soon' })).toThrow(/CELLMATE_AUTOSAVE_MS/);
  });

  it('reads the extra host names as a list, and refuses what is no host name', () => {
    expect(loadConfig({}).allowedHosts).toBeUndefined();
    expect(loadConfig({ CELLMATE_ALLOWED_HOSTS: ' notebooks.example.com, box.lan:8765 ,,' }).allowedHosts).toEqual(['notebooks.example.com', 'box.lan:8765']);
    expect(loadConfig({ CELLMATE_ALLOWED_HOSTS: '*' }).allowedHosts).toEqual(['*']);
    expect(() => loadConfig({ CELLMATE_ALLOWED_HOSTS: 'http://x/y' })).toThrow(/CELLMATE_ALLOWED_HOSTS/);
  });

  it('reads whether JUPYTER_URL is a kernel gateway: said, or left to be asked', () => {
    expect(loadConfig({ JUPYTER_URL: 'http://eg:8888/', JUPYTER_TOKEN: 't' }).jupyter).toEqual({ url: 'http://eg:8888/', token: 't' });
    expect(loadConfig({ JUPYTER_URL: 'http://eg:8888/', JUPYTER_GATEWAY: '1' }).jupyter).toEqual({ url: 'http://eg:8888/', token: '', gateway: true });
    expect(loadConfig({ JUPYTER_URL: 'http://eg:8888/', JUPYTER_GATEWAY: 'off' }).jupyter?.gateway).toBe(false);
    expect(loadConfig({ JUPYTER_URL: 'http://eg:8888/', JUPYTER_GATEWAY: 'auto' }).jupyter).not.toHaveProperty('gateway');
    expect(() => loadConfig({ JUPYTER_GATEWAY: '1' })).toThrow(/JUPYTER_GATEWAY: needs JUPYTER_URL/);
    expect(() => loadConfig({ JUPYTER_URL: 'http://eg:8888/', JUPYTER_GATEWAY: 'maybe' })).toThrow(/JUPYTER_GATEWAY/);
  });
});
