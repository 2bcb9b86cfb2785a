export * from './token.ts';
export * from './http.ts';
export * from './notebooks.ts';
export * from './notebook-socket.ts';
export * from './agent.ts';
export * from './kernels.ts';
