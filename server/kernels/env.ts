/**
 * The environment handed to the Jupyter Server, and through it to every kernel. User code runs there, so nothing
 * that looks like a credential may reach it: the model's API key, Cellmate's own token, cloud keys, and under
 * JupyterHub the hub's API token and every other `JUPYTERHUB_*` setting (kernels are not the single-user server).
 */

// Keep in sync with `_SECRET_NAME` in kernels/jupyter_server_config.py, which scrubs again on the Python side.
const SECRET_NAME =
  /(TOKEN|SECRET|PASSW|CREDENTIAL|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|_KEY$|^KEY$|^CELLMATE_|^OPENAI_|^JUPYTER_TOKEN$|^JPY_API_TOKEN$|^JUPYTERHUB_)/i;

/** Whether an environment variable's name looks like it holds a secret (or is Cellmate's own configuration). */
export function isSecretEnvName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * A copy of `env` without secret-looking variables and without undefined values.
 *
 * @example
 *   scrubEnv({ PATH: '/usr/bin', OPENAI_API_KEY: 'sk-…', GITHUB_TOKEN: 'x' }) // → { PATH: '/usr/bin' }
 */
export function scrubEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !isSecretEnvName(name)) clean[name] = value;
  }
  return clean;
}
