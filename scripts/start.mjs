#!/usr/bin/env node
// `npm start`: installs what is missing, then runs the server in this same process (so a signal or a kill of
// this process reaches the server, which stops its embedded Jupyter Server).
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { prepare, root } from './prepare.mjs';

prepare();
const { register } = await import('tsx/esm/api');
register();
await import(pathToFileURL(join(root, 'server', 'main.ts')).href);
