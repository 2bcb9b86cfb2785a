export * from './assert-never.ts';
export * from './ids.ts';
export * from './notebook.ts';
export * from './edits.ts';
export * from './schemas.ts';
export * from './messages.ts';
export * from './agent.ts';
export * from './resources.ts';
