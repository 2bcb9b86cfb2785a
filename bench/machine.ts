/** What the numbers were measured on: CPU, memory, load, Node, and the Python side's versions. */
import { execFile } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { promisify } from 'node:util';

const VERSIONS = 'import sys, ipykernel, jupyter_server; print(sys.version.split()[0], ipykernel.__version__, jupyter_server.__version__)';

export async function describeMachine(python: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(python, ['-c', VERSIONS]).catch((error: Error) => ({ stdout: `? ? ? (${error.message})` }));
  const [py, ipykernel, jupyterServer] = stdout.trim().split(' ');
  const cores = cpus();
  return [
    `date: ${new Date().toISOString()}`,
    `CPU: ${cores[0]?.model.trim() ?? 'unknown'}, ${cores.length} cores`,
    `memory: ${(totalmem() / 2 ** 30).toFixed(1)} GB`,
    `Node ${process.versions.node}; Python ${py}, ipykernel ${ipykernel}, jupyter_server ${jupyterServer}`,
  ];
}

export const loadNow = () => loadavg().map((value) => value.toFixed(1)).join(' ');
