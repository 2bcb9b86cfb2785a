/**
 * The container files, checked without a container engine: `docker-compose config` (Debian's docker-compose,
 * which CI installs) must accept docker-compose.yml and resolve it to the promised structure: kernels on an
 * internal network only, Cellmate also outside, one named volume for the workspace at the same path in both,
 * health checks, a restart policy, the token and model settings from the environment and none written in. The
 * Dockerfiles are read for what can be told from their text (stages, user, packages). Building and running the
 * images needs an engine, which this machine doesn't have (docs/deploy.md says so).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const SECRET_NAME = /(TOKEN|SECRET|PASSW|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY)/i;
const tokens = { CELLMATE_TOKEN: randomBytes(16).toString('hex'), JUPYTER_TOKEN: randomBytes(16).toString('hex') };
const scratch = mkdtempSync(join(tmpdir(), 'cellmate-compose-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const healthcheck = z.object({ test: z.array(z.string()).min(2), interval: z.string(), retries: z.number() });
const service = z.object({
  build: z.object({ context: z.string(), dockerfile: z.string() }),
  environment: z.record(z.string(), z.string().nullable()),
  volumes: z.array(z.string()),
  networks: z.record(z.string(), z.unknown()),
  healthcheck,
  restart: z.string(),
  tmpfs: z.array(z.string()).optional(),
});
const resolvedSchema = z.object({
  services: z.object({ cellmate: service.extend({ ports: z.array(z.string()), depends_on: z.record(z.string(), z.object({ condition: z.string() })) }), kernels: service }),
  networks: z.record(z.string(), z.object({ internal: z.boolean().optional() }).nullable()),
  volumes: z.record(z.string(), z.unknown()),
});

/** `docker-compose config` on a copy of the file (so a broken variant can be tried), as JSON. */
function composeConfig(yamlText: string, env: Record<string, string>): { status: number | null; json?: unknown; stderr: string } {
  const dir = mkdtempSync(join(scratch, 'p-'));
  writeFileSync(join(dir, 'docker-compose.yml'), yamlText);
  cpSync(join(repoRoot, 'Dockerfile'), join(dir, 'Dockerfile'));
  const run = spawnSync('docker-compose', ['--project-directory', dir, '-f', join(dir, 'docker-compose.yml'), 'config'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.error) throw new Error(`docker-compose could not run (${run.error.message}); install it: apt-get install docker-compose`);
  if (run.status !== 0) return { status: run.status, stderr: run.stderr };
  // docker-compose 1.x prints YAML only; python3-yaml comes with it.
  const toJson = spawnSync('/usr/bin/python3', ['-c', 'import sys, yaml, json; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], { input: run.stdout, encoding: 'utf8' });
  if (toJson.status !== 0) throw new Error(`could not read docker-compose's output: ${toJson.stderr}`);
  return { status: 0, json: JSON.parse(toJson.stdout), stderr: run.stderr };
}

const composeText = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
const model = { OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: 'http://model.lan:11434/v1', CELLMATE_MODEL: 'qwen' };
let resolved: ReturnType<typeof composeConfig>;
// One run of docker-compose (~2 s: it is Python) for the structure.
beforeAll(() => {
  resolved = composeConfig(composeText, { ...tokens, ...model });
});

describe('docker-compose.yml', () => {
  it('resolves to kernels on an internal network, one shared workspace path, health checks and a restart policy', () => {
    expect(resolved.stderr).not.toMatch(/ERROR/);
    expect(resolved.status).toBe(0);
    const config = resolvedSchema.parse(resolved.json);
    const { cellmate, kernels } = config.services;

    expect(config.networks.kernels?.internal).toBe(true);
    expect(Object.keys(kernels.networks)).toEqual(['kernels']);
    expect(Object.keys(cellmate.networks).sort()).toEqual(['kernels', 'outside']);
    expect(config.networks.outside?.internal ?? false).toBe(false);
    expect(resolved.json).not.toHaveProperty('services.kernels.ports');
    expect(cellmate.ports).toEqual([expect.stringMatching(/^127\.0\.0\.1:8765:8765/)]);

    // One named volume, mounted at the same path in both, which is each side's workspace; Cellmate's state in
    // it is a volume of Cellmate's alone, and the kernels see an empty read-only folder in its place.
    expect(Object.keys(config.volumes).sort()).toEqual(['state', 'workspace']);
    const mountOf = (volumes: string[], name: string) => volumes.find((v) => v.startsWith(`${name}:`))?.split(':')[1];
    expect(mountOf(cellmate.volumes, 'workspace')).toBe('/workspace');
    expect(mountOf(kernels.volumes, 'workspace')).toBe('/workspace');
    expect(mountOf(cellmate.volumes, 'state')).toBe('/workspace/.cellmate');
    expect(mountOf(kernels.volumes, 'state')).toBeUndefined();
    expect(kernels.tmpfs).toEqual([expect.stringMatching(/^\/workspace\/\.cellmate:ro(,|$)/)]);
    expect(cellmate.environment.CELLMATE_WORKSPACE).toBe('/workspace');
    expect(kernels.environment.CELLMATE_WORKSPACE).toBe('/workspace');

    expect(cellmate.healthcheck.test.join(' ')).toContain('/api/health');
    expect(kernels.healthcheck.test.join(' ')).toContain('/api');
    expect(['on-failure', 'unless-stopped', 'always']).toContain(cellmate.restart);
    expect(cellmate.depends_on.kernels?.condition).toBe('service_healthy');

    // Cellmate reaches the kernel service by its name on the internal network, with the token both were given.
    expect(new URL(cellmate.environment.JUPYTER_URL ?? '').host).toBe('kernels:8888');
    expect(cellmate.environment.JUPYTER_TOKEN).toBe(tokens.JUPYTER_TOKEN);
    expect(kernels.environment.JUPYTER_TOKEN).toBe(tokens.JUPYTER_TOKEN);
    expect(cellmate.environment.CELLMATE_TOKEN).toBe(tokens.CELLMATE_TOKEN);
    // The kernels get neither Cellmate's token nor the model's key.
    expect(Object.keys(kernels.environment).filter((name) => SECRET_NAME.test(name))).toEqual(['JUPYTER_TOKEN']);
  });

  it('takes the tokens and the model settings from the environment, with nothing secret written in', () => {
    const config = resolvedSchema.parse(resolved.json);
    expect(config.services.cellmate.environment).toMatchObject(model);
    // In the file itself every secret-looking variable is a `${…}` reference.
    const assignments = [...composeText.matchAll(/^\s+([A-Z][A-Z0-9_]*):\s*(.*)$/gm)].filter(([, name]) => SECRET_NAME.test(name ?? ''));
    expect(assignments.length).toBeGreaterThanOrEqual(4);
    for (const [line, , value] of assignments) expect(value, line).toMatch(/^\$\{[A-Z0-9_]+(:[-?][^}]*)?\}$/);
  });

  it('refuses to resolve without the tokens, and fails on a broken file', () => {
    const missing = composeConfig(composeText, { CELLMATE_TOKEN: tokens.CELLMATE_TOKEN });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('set JUPYTER_TOKEN');
    const unknownKey = composeConfig(composeText.replace('    restart: unless-stopped\n', '    restart: unless-stopped\n    restart_policy_typo: yes\n'), tokens);
    expect(unknownKey.status).not.toBe(0);
  });
});

describe('the Dockerfiles', () => {
  const stages = (text: string) => text.split(/^FROM /m).slice(1);
  const envNames = (text: string) => [...text.matchAll(/^(?:ENV|ARG)\s+(.+?)(?<!\\)$/gms)].flatMap(([, body]) => [...(body ?? '').matchAll(/([A-Z_][A-Z0-9_]*)=/g)].map(([, name]) => name ?? ''));

  it('Cellmate: the UI built in one stage, run from another with production dependencies only, not as root', () => {
    const text = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
    const [build, run] = stages(text);
    expect(stages(text)).toHaveLength(2);
    expect(build).toMatch(/RUN npm ci\b(?![^\n]*--omit=dev)/);
    expect(build).toContain('npm run build');
    expect(run).toContain('npm ci --omit=dev');
    expect(run).toContain('COPY --from=build /app/web/dist');
    expect(run).toMatch(/^USER node$/m);
    expect(run).toMatch(/^HEALTHCHECK /m);
    expect(envNames(text).filter((name) => SECRET_NAME.test(name))).toEqual([]);
  });

  it('the kernel service: Debian’s Jupyter Server and data stack, Cellmate’s server config, not as root', () => {
    const text = readFileSync(join(repoRoot, 'kernels', 'Dockerfile'), 'utf8');
    expect(text).toMatch(/^FROM debian:bookworm/m);
    for (const pkg of ['jupyter-server', 'python3-ipykernel', 'python3-pandas', 'python3-matplotlib', 'python3-altair']) expect(text).toContain(pkg);
    expect(text).toContain('--config=/opt/cellmate/kernels/jupyter_server_config.py');
    expect(text).toMatch(/^USER cellmate$/m);
    expect(text).toMatch(/useradd --uid 1000/);
    expect(envNames(text).filter((name) => SECRET_NAME.test(name))).toEqual([]);
  });
});
