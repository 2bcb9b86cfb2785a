export * from './paths.ts';
export * from './router.ts';
