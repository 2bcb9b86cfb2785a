/**
 * Imported first by the page (main.tsx), before any schema is built: zod decides whether to compile its checks
 * with `new Function` when an object schema is made, and the page's Content-Security-Policy has no
 * 'unsafe-eval' (even zod's caught probe is reported as a policy violation). Interpreted, a 2,000-cell snapshot
 * is checked in about 13 ms.
 */
import * as z from 'zod/mini';

z.config({ jitless: true });
