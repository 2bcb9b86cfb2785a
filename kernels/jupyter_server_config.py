"""Configuration of the Jupyter Server that Cellmate embeds (`python -m jupyter_server --config=this file`).

Cellmate's Node process starts the server with a few environment variables, read here and then removed so that
no kernel inherits them:

- CELLMATE_JUPYTER_TOKEN  the server's token (kept out of argv, which every local process can read)
- CELLMATE_PARENT_PID     the Node process; the server dies with it
- CELLMATE_RUNTIME_DIR    a private folder for the generated kernelspec and Jupyter's runtime files, removed at exit
- CELLMATE_KERNEL_SETTINGS  JSON: the sandbox (or null), how fast dead kernels are noticed (see cellmate_kernels/)

Kernels inherit this process's environment, so everything secret-looking is scrubbed from os.environ here too,
even though the Node side already passes a scrubbed environment (the config may be used on its own).
"""

import ctypes
import ctypes.util
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import atexit

c = get_config()  # noqa: F821 -- injected by traitlets when it loads this file

KERNELS_DIR = os.path.dirname(os.path.abspath(__file__))

# --- secrets out of the environment ---------------------------------------------------------------------------

TOKEN = os.environ.pop("CELLMATE_JUPYTER_TOKEN", None) or os.environ.pop("JUPYTER_TOKEN", None)
# Cellmate's Node process; our direct parent unless CELLMATE_PYTHON is a wrapper script that doesn't `exec`.
OWNER_PID = int(os.environ.pop("CELLMATE_PARENT_PID", "0") or "0")
PARENT_PID = os.getppid()
RUNTIME_DIR = os.environ.pop("CELLMATE_RUNTIME_DIR", "") or tempfile.mkdtemp(prefix="cellmate-jupyter-")
KERNEL_SETTINGS = json.loads(os.environ.pop("CELLMATE_KERNEL_SETTINGS", "") or "{}")

# Keep in sync with server/kernels/env.ts (isSecretEnvName).
_SECRET_NAME = re.compile(
    r"(TOKEN|SECRET|PASSW|CREDENTIAL|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|_KEY$|^KEY$|^CELLMATE_|^OPENAI_|^JUPYTER_TOKEN$"
    r"|^JPY_API_TOKEN$|^JUPYTERHUB_)",
    re.IGNORECASE,
)
for _name in list(os.environ):
    if _SECRET_NAME.search(_name):
        del os.environ[_name]

# Cellmate starts this server with PYTHONSAFEPATH=1 (and outside the workspace) so that no workspace file can be
# imported by it. Kernels get `-P` instead (below): their own start is just as safe, and what a cell runs
# (`!python script.py`) keeps Python's usual path.
os.environ.pop("PYTHONSAFEPATH", None)
_SAFE_PATH = ["-P"] if sys.version_info >= (3, 11) else []

# ipykernel's debugger otherwise prints a frozen-modules warning in every kernel.
os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"

# --- die with the parent -------------------------------------------------------------------------------------


def _set_parent_death_signal():
    """Ask Linux to send SIGTERM when the Node process dies, even on SIGKILL (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except Exception:  # the watchdog below still covers it
        pass


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _orphaned():
    return os.getppid() != PARENT_PID or (OWNER_PID > 0 and not _alive(OWNER_PID))


def _watch_parent():
    """Backup for PDEATHSIG (non-Linux, a wrapper between us and Node, a parent thread that exits first)."""
    while True:
        time.sleep(1.0)
        if _orphaned():
            # SIGTERM lets the server shut its kernels down; if that hangs, leave anyway.
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(15.0)
            os._exit(1)


_set_parent_death_signal()
if _orphaned():
    print("cellmate: the process that started this Jupyter Server is gone; exiting", file=sys.stderr)
    sys.exit(1)
threading.Thread(target=_watch_parent, name="cellmate-parent-watchdog", daemon=True).start()

# --- our python3 kernelspec ----------------------------------------------------------------------------------
# It runs kernels with this same Python and a startup file (altair's mimetype renderer, parent watchdog). It is
# generated outside the workspace on purpose: kernel code can write to the workspace, and a kernelspec it could
# edit would run outside any sandbox at the next kernel start.

_kernelspec_dir = os.path.join(RUNTIME_DIR, "kernels", "python3")
os.makedirs(_kernelspec_dir, mode=0o700, exist_ok=True)
with open(os.path.join(_kernelspec_dir, "kernel.json"), "w", encoding="utf-8") as _f:
    json.dump(
        {
            "argv": [
                sys.executable,
                *_SAFE_PATH,
                "-m",
                "ipykernel_launcher",
                "-f",
                "{connection_file}",
                "--IPKernelApp.exec_files=" + os.path.join(KERNELS_DIR, "startup.py"),
            ],
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "env": {"PYDEVD_DISABLE_FILE_VALIDATION": "1"},
            # In the sandbox a SIGINT would reach bubblewrap, not the kernel: interrupt with a control message.
            **({"interrupt_mode": "message"} if KERNEL_SETTINGS.get("sandbox") else {}),
            "metadata": {"debugger": True, "cellmate_sandbox": bool(KERNEL_SETTINGS.get("sandbox"))},
        },
        _f,
        indent=1,
    )
# JUPYTER_PATH comes first when kernelspecs are looked up, so this python3 shadows the system one.
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    p for p in [RUNTIME_DIR, os.environ.get("JUPYTER_PATH", "")] if p
)
# Also when the parent died without cleaning up (SIGKILL): the folder holds connection files and the cookie secret.
atexit.register(shutil.rmtree, RUNTIME_DIR, True)

# --- TCP_NODELAY on the kernel WebSocket -----------------------------------------------------------------------
# Tornado leaves Nagle's algorithm on; with delayed ACKs a `1+1` round trip waits ~40 ms for nothing.


def _patch_nodelay(handler_class):
    original_open = handler_class.open

    def open(self, *args, **kwargs):
        self.set_nodelay(True)
        return original_open(self, *args, **kwargs)

    handler_class.open = open


try:  # jupyter_server 1.x
    from jupyter_server.services.kernels.handlers import ZMQChannelsHandler

    _patch_nodelay(ZMQChannelsHandler)
except ImportError:
    pass
try:  # jupyter_server 2.x
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

    _patch_nodelay(KernelWebsocketHandler)
except ImportError:
    pass

# --- the server --------------------------------------------------------------------------------------------------

if TOKEN:
    c.ServerApp.token = TOKEN
c.ServerApp.ip = "127.0.0.1"
c.ServerApp.open_browser = False
c.ServerApp.allow_root = True
# Fail instead of silently moving to another port: the caller already told everyone which port it is.
c.ServerApp.port_retries = 0
# Cellmate caps outputs itself; Jupyter's limits would drop output silently ("IOPub data rate exceeded").
c.ServerApp.iopub_data_rate_limit = 0
c.ServerApp.iopub_msg_rate_limit = 0
c.ServerApp.terminals_enabled = False

# --- kernels: own connection folders, the sandbox, deaths ---------------------------------------------------------
# cellmate_kernels/ (next to this file) holds the kernel manager; see its __init__.py.

sys.path.insert(0, KERNELS_DIR)
import cellmate_kernels  # noqa: E402
from cellmate_kernels import exits as _exits, sandbox as _sandbox  # noqa: E402

cellmate_kernels.configure(dict(KERNEL_SETTINGS, runtime_dir=RUNTIME_DIR))
c.MappingKernelManager.kernel_manager_class = "cellmate_kernels.manager.CellmateKernelManager"
# A dead kernel is not restarted behind Cellmate's back: it is reported dead (with the reason) and Cellmate starts
# a fresh one for the next run. The process is polled every `death_poll_s` (Jupyter's default: 3 s).
c.KernelRestarter.restart_limit = 0
c.KernelRestarter.time_to_dead = float(KERNEL_SETTINGS.get("death_poll_s", 1.0))
# A kernel that ignores the shutdown request (stuck in C code) is killed after this long instead of 5 s.
c.KernelManager.shutdown_wait_time = 3.0
_exits.patch_status_messages()
# GET /api/cellmate/kernels/<id>/exit: why a kernel died, for one that died before its WebSocket connected.
c.ServerApp.jpserver_extensions = {"cellmate_kernels.extension": True}
atexit.register(_sandbox.remove_cgroup_base)
if KERNEL_SETTINGS.get("sandbox"):
    _sandbox.remove_stale_cgroups()
