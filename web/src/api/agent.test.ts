import { describe, expect, it } from 'vitest';
import { isAgentStatus } from './agent.ts';

describe('isAgentStatus', () => {
  it('checks the provider status with the protocol schema', () => {
    const status = { configured: false, base_url: null, model: null, has_api_key: false, vision: false, help: 'Set OPENAI_API_KEY' };
    expect(isAgentStatus({ ...status, detected: [{ name: 'Ollama', base_url: 'http://127.0.0.1:11434/v1', models: ['llama3.1'] }] })).toBe(true);
    expect(isAgentStatus({ ...status, help: undefined })).toBe(false);
    expect(isAgentStatus({ ...status, detected: [{ name: 'Ollama' }] })).toBe(false);
  });
});
