"""The kernel manager class of the embedded Jupyter Server (`MappingKernelManager.kernel_manager_class`).

On top of Jupyter's own:
- Its own connection folder per kernel (`<runtime>/k-<id>/`), so a sandbox can be given exactly that folder; the
  names stay short because `ipc` socket paths are limited to ~100 characters.
- The default Python kernel (its kernelspec says `metadata.cellmate_sandbox`) runs in the bubblewrap sandbox when
  Cellmate enabled it, with ZMQ over `ipc` (TCP can't cross the sandbox's own network namespace).
- When the process is found dead, the reason is recorded for the status message (see `exits`).
"""

import os
import shutil

from . import SETTINGS, exits, sandbox

try:  # jupyter_server 2.x tracks execution state in its own subclass
    from jupyter_server.services.kernels.kernelmanager import ServerKernelManager as _Base
except ImportError:  # jupyter_server 1.x
    from jupyter_client.ioloop import AsyncIOLoopKernelManager as _Base


class CellmateKernelManager(_Base):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        folder, name = os.path.split(self.connection_file)
        stem = name[len("kernel-") : len("kernel-") + 8] if name.startswith("kernel-") else name[:8]
        self._own_dir = os.path.join(folder, "k-" + stem)
        os.makedirs(self._own_dir, mode=0o700, exist_ok=True)
        self.connection_file = os.path.join(self._own_dir, "kernel.json")
        self._sandboxed = bool(SETTINGS.get("sandbox")) and self._wants_sandbox()
        self._cgroup = None
        if self._sandboxed:
            self.transport = "ipc"
            self.ip = os.path.join(self._own_dir, "ipc")

    def _wants_sandbox(self):
        try:
            return bool(self.kernel_spec and self.kernel_spec.metadata.get("cellmate_sandbox"))
        except Exception:  # an unknown kernelspec fails later, where Jupyter reports it
            return False

    def format_kernel_cmd(self, extra_arguments=None):
        command = super().format_kernel_cmd(extra_arguments)
        if not self._sandboxed:
            return command
        if self._cgroup is None:
            limit = SETTINGS["sandbox"].get("max_processes", 256)
            self._cgroup = sandbox.create_pids_cgroup(os.path.basename(self._own_dir), limit) or ""
        return sandbox.wrap(SETTINGS, self._own_dir, command, self._cgroup or None)

    def start_restarter(self):
        super().start_restarter()
        # Jupyter drops a kernel whose restarts failed without cleaning up after it.
        self.add_restart_callback(self._cleanup_after_death, "dead")

    async def is_alive(self):
        alive = await super().is_alive()
        if not alive:
            process = getattr(self.provisioner, "process", None) if self.provisioner else None
            code = process.poll() if process is not None else None
            if code is not None:
                exits.record(self.kernel_id, exits.describe_exit(code, self._sandboxed))
        return alive

    async def cleanup_resources(self, restart=False):
        await super().cleanup_resources(restart=restart)
        if not restart:
            self._cleanup_after_death()

    def _cleanup_after_death(self):
        sandbox.remove_cgroup(self._cgroup)
        self._cgroup = None
        shutil.rmtree(self._own_dir, ignore_errors=True)
