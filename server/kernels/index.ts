export * from './types.ts';
export * from './jupyter-process.ts';
export * from './settings.ts';
export * from './broker.ts';
export * from './kernel-handle.ts';
export * from './execute.ts';
export { OutputArea, DEFAULT_OUTPUT_CAPS, applyDisplayUpdate, type OutputCaps } from './outputs.ts';
export { scrubEnv, isSecretEnvName } from './env.ts';
