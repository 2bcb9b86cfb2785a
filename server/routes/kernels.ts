/**
 * Kernel choice: `GET /api/kernelspecs` (what the Jupyter Server offers, its default, and the state of the
 * kernel side: sandbox, Jupyter Server, warm pool) and `POST /api/notebooks/{path}/kernel` (switch a notebook's
 * kernel: its `metadata.kernelspec` changes through an edit every tab sees, and the kernel is replaced).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { JSONObject } from '../protocol/index.ts';
import { KernelError, UnknownKernelSpec } from '../errors.ts';
import type { KernelSpecSummary } from '../kernels/types.ts';
import type { AppDeps } from './deps.ts';
import { jsonBody } from './validate.ts';

const switchBody = z.object({ name: z.string().min(1) }).strict();

function runtimeOf(deps: AppDeps): NonNullable<AppDeps['kernelRuntime']> {
  if (!deps.kernelRuntime) throw new KernelError('This server has no kernels configured');
  return deps.kernelRuntime;
}

/** Mounted at `/api`: `/kernelspecs` and `/notebooks/:path/kernel`. */
export function kernelRoutes(deps: AppDeps) {
  return new Hono()
    .get('/kernelspecs', async (c) => {
      const runtime = runtimeOf(deps);
      const specs = await runtime.listKernelSpecs().catch((error: unknown) => {
        throw new KernelError(`Could not list the kernelspecs: ${error instanceof Error ? error.message : String(error)}`);
      });
      return c.json({ ...specs, ...runtime.status() });
    })
    .post('/notebooks/:path/kernel', jsonBody(switchBody), async (c) => {
      const { name } = c.req.valid('json');
      const specs = await runtimeOf(deps).listKernelSpecs();
      const spec = specs.specs.find((s) => s.name === name);
      if (!spec) throw new UnknownKernelSpec(name, specs.specs.map((s) => s.name));
      const session = await deps.sessions.open(c.req.param('path'));
      const metadata = withKernelspec(session.doc().metadata, spec);
      session.applyEdits([{ type: 'set_notebook_metadata', metadata }], 'api');
      // The session replaces a kernel whose spec differs from the metadata's instead of restarting it.
      await session.restart();
      return c.json({ kernel: session.kernelInfo, kernelspec: spec });
    });
}

/** The notebook's metadata naming `spec`, as JupyterLab writes it; other metadata is kept. */
export function withKernelspec(metadata: JSONObject, spec: KernelSpecSummary): JSONObject {
  const previous = metadata['language_info'];
  const languageInfo = previous && typeof previous === 'object' && !Array.isArray(previous) ? previous : {};
  const sameLanguage = languageInfo['name'] === spec.language;
  return {
    ...metadata,
    kernelspec: { name: spec.name, display_name: spec.display_name, language: spec.language },
    // Details of another language (version, mimetype) would be wrong now; the kernel tells its own when it runs.
    language_info: sameLanguage ? languageInfo : { name: spec.language },
  };
}
