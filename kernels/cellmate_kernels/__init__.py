"""Kernel management for the Jupyter Server that Cellmate embeds (loaded by ../jupyter_server_config.py).

- `manager.CellmateKernelManager`: every kernel gets its own connection folder (so a sandbox can be given that
  folder and nothing else of the runtime folder), the default Python kernel runs in a bubblewrap sandbox when
  Cellmate asks for it, and the reason a kernel died is remembered.
- `exits`: turns a kernel's exit status into a sentence and adds it to the `dead` status message the server sends
  over the kernel WebSocket (`content.cellmate_reason`), so Cellmate can tell the person why.
- `sandbox`: the bubblewrap command and the per-kernel process limit (a pids cgroup where one can be made).
- `launch.py` runs right before bubblewrap (limits, cgroup); `probe.py` tells Cellmate at start whether the
  sandbox works on this machine.

`configure()` receives the settings Cellmate passes in `CELLMATE_KERNEL_SETTINGS` (JSON).
"""

SETTINGS = {}


def configure(settings):
    """Replaces the settings every kernel manager of this process reads."""
    SETTINGS.clear()
    SETTINGS.update(settings)
