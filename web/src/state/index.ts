export * from './edit-sync.ts';
export * from './notebook-store.ts';
export * from './notebook-commands.ts';
export * from './notebook-context.tsx';
export * from './presentation.ts';
