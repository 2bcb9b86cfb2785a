"""The bubblewrap sandbox of the default Python kernel.

What the kernel sees: the whole file system read-only, except its notebook workspace (read-write), its own
connection folder (read-write: the kernel binds its ZMQ sockets there) and a private /tmp (which also holds its
home folder, HOME=/tmp/home, gone when the kernel stops). Hidden behind empty read-only folders: the home folder, /root, /run (sockets of other services), Jupyter's runtime folder (the server's token,
other kernels' connection files), Cellmate's own folder (except `kernels/`), SSH host keys and the shadow files.
In the workspace, `.cellmate/` (Cellmate's settings) is hidden the same way and `.git` is read-only: both steer
code that runs outside the sandbox.
Its own network namespace (only `lo`) unless network is allowed, so ZMQ goes over `ipc` sockets; its own pid
namespace (it can't see or signal other processes; `/proc` shows only its own); it dies with its Jupyter Server.

When Cellmate runs as root the kernel runs as uid 1000 inside a user namespace that maps to root outside: file
permissions then don't protect root's files, only the hiding above does. Run Cellmate as an ordinary user for
the stronger separation.

Limits: memory (RLIMIT_AS) and file size (RLIMIT_FSIZE) per process, and the number of processes: a pids cgroup
where one can be created (root), else RLIMIT_NPROC set inside the sandbox's user namespace (which counts only
the sandbox's processes for an ordinary user; root is exempt from RLIMIT_NPROC, hence the cgroup).
"""

import os
import shutil
import sys

KERNELS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "launch.py")

# Files readable by their owner only; inside a user namespace mapped to root they would be readable.
_MASKED_FILES = ("/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-")
_HIDDEN_DIRS = ("/root", "/run", "/etc/ssh")
# Where a pids cgroup (v1) may be created; cgroup v2 needs delegation, which a plain root container rarely has.
_PIDS_V1 = "/sys/fs/cgroup/pids"


def _is_under(path, folder):
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def hidden_dirs(settings):
    """Folders replaced by an empty tmpfs inside the sandbox (only real folders; /tmp is private anyway)."""
    candidates = list(_HIDDEN_DIRS) + [os.path.expanduser("~")]
    candidates += [settings.get("runtime_dir") or ""] + list(settings.get("hide", []))
    found = []
    for path in candidates:
        if not path or not os.path.isdir(path) or os.path.islink(path) or _is_under(path, "/tmp"):
            continue
        real = os.path.realpath(path)
        if real != "/" and real not in found:
            found.append(real)
    return found


def readable_dirs():
    """What the kernel needs to start even when it lies in a hidden folder: its Python and `kernels/`."""
    dirs = [KERNELS_DIR, sys.prefix, sys.base_prefix, os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))]
    return [d for i, d in enumerate(dirs) if d and os.path.isdir(d) and d not in dirs[:i]]


def workspace_guards(workspace):
    """Mounts that keep what runs outside the sandbox out of a kernel's reach inside its read-write workspace.

    `.cellmate/` (Cellmate's own settings and rules: which model endpoint the assistant talks to, its standing
    orders) is hidden behind an empty read-only folder; it is made first if missing, so a kernel can't create it
    either. The `.git` of the workspace and of its direct subfolders is read-only: git runs its hooks and config
    outside the sandbox.
    """
    state = os.path.join(workspace, ".cellmate")
    if not os.path.lexists(state):
        os.makedirs(state, mode=0o700, exist_ok=True)
    if os.path.islink(state) or not os.path.isdir(state):
        raise RuntimeError("%s must be a folder, not a link or a file: Cellmate keeps its settings there" % state)
    # The kernel's own Python may live there (kernels/setup.sh's fallback virtualenv): it stays readable.
    inside = [d for d in readable_dirs() if _is_under(d, state)]
    args = ["--tmpfs", state] + [a for d in inside for a in ("--ro-bind", d, d)] + ["--remount-ro", state]
    candidates = [workspace]
    try:
        candidates += [entry.path for entry in os.scandir(workspace) if entry.is_dir(follow_symlinks=False)]
    except OSError:
        pass
    for folder in candidates:
        git = os.path.join(folder, ".git")
        # A link is mounted as what it points to, which may lie outside: leave it (the root is read-only anyway).
        if os.path.lexists(git) and not os.path.islink(git):
            args += ["--ro-bind", git, git]
    return args


def bwrap_command(settings, own_dir, command):
    """The bubblewrap command line that runs `command` sandboxed; `own_dir` is the kernel's connection folder."""
    sandbox = settings["sandbox"]
    workspace = os.path.realpath(settings["workspace"])
    args = [sandbox.get("bwrap") or "bwrap", "--die-with-parent", "--new-session", "--unshare-all"]
    if sandbox.get("network"):
        args.append("--share-net")
    args += ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    if sandbox.get("tmpfs_size"):
        args += ["--size", str(int(sandbox.get("memory_mb", 2048)) * 2**20)]
    args += ["--tmpfs", "/tmp"]
    hidden = hidden_dirs(settings)
    for folder in hidden:
        args += ["--tmpfs", folder]
    for path in _MASKED_FILES:
        if os.path.isfile(path):
            args += ["--ro-bind", "/dev/null", path]
    for folder in readable_dirs():
        if any(_is_under(folder, h) for h in hidden) or _is_under(folder, "/tmp"):
            args += ["--ro-bind", folder, folder]
    args += ["--bind", workspace, workspace, "--bind", own_dir, own_dir]
    args += workspace_guards(workspace)
    # Hidden folders become read-only too (after the binds above, whose mount points live in them); the home
    # folder moves to the private /tmp, where IPython, matplotlib and pip keep their files for this kernel's life.
    for folder in hidden:
        args += ["--remount-ro", folder]
    args += ["--dir", "/tmp/home", "--setenv", "HOME", "/tmp/home"]
    # With its own pid namespace the kernel's parent looks like pid 1: ipykernel would take that for an orphaning
    # and exit. --die-with-parent covers what the parent poller was for.
    args += ["--unsetenv", "JPY_PARENT_PID", "--setenv", "TMPDIR", "/tmp", "--hostname", "cellmate-sandbox"]
    if os.geteuid() == 0:
        args += ["--uid", "1000", "--gid", "1000"]
    limits = [
        "--as", str(int(sandbox.get("memory_mb", 2048)) * 2**20),
        "--fsize", str(int(sandbox.get("max_file_mb", 1024)) * 2**20),
        "--nproc", str(int(sandbox.get("max_processes", 256))),
    ]
    # Limits are set inside: RLIMIT_NPROC then counts the sandbox's processes only (see the module docstring).
    return args + ["--", sys.executable, "-I", "-S", LAUNCH] + limits + ["--"] + list(command)


def wrap(settings, own_dir, command, cgroup=None):
    """The full kernel command: join the pids cgroup (outside, where it is writable), then bubblewrap."""
    inner = bwrap_command(settings, own_dir, command)
    if not cgroup:
        return inner
    return [sys.executable, "-I", "-S", LAUNCH, "--cgroup", cgroup, "--"] + inner


def create_pids_cgroup(name, max_processes):
    """A pids cgroup limited to `max_processes`, or None where none can be made (not root, no cgroup v1 pids)."""
    if not os.path.isdir(_PIDS_V1) or not os.access(_PIDS_V1, os.W_OK):
        return None
    base = os.path.join(_PIDS_V1, "cellmate-%d" % os.getpid())
    path = os.path.join(base, name)
    try:
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, "pids.max"), "w") as f:
            f.write(str(int(max_processes)))
    except OSError:
        remove_cgroup(path)
        return None
    return path


def remove_cgroup(path):
    """Kills what is left in the cgroup (a fork bomb's survivors) and removes it; best effort."""
    if not path or not os.path.isdir(path):
        return
    for _ in range(20):  # survivors may still be forking while we kill
        try:
            with open(os.path.join(path, "cgroup.procs")) as f:
                pids = [int(line) for line in f if line.strip()]
        except OSError:
            return
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, 9)
            except OSError:
                pass
    try:
        os.rmdir(path)
    except OSError:
        pass


def remove_cgroup_base():
    """Removes this server's cgroup folder at exit (the kernels' cgroups are gone by then)."""
    base = os.path.join(_PIDS_V1, "cellmate-%d" % os.getpid())
    if os.path.isdir(base):
        for name in os.listdir(base):
            remove_cgroup(os.path.join(base, name))
        try:
            os.rmdir(base)
        except OSError:
            pass


def remove_stale_cgroups():
    """Removes the cgroups left by Jupyter Servers that died without cleaning up (killed with SIGKILL)."""
    if not os.path.isdir(_PIDS_V1) or not os.access(_PIDS_V1, os.W_OK):
        return
    for name in os.listdir(_PIDS_V1):
        owner = name[len("cellmate-") :] if name.startswith("cellmate-") else ""
        if not owner.isdigit() or int(owner) == os.getpid() or _alive(int(owner)):
            continue
        base = os.path.join(_PIDS_V1, name)
        for child in os.listdir(base):
            if os.path.isdir(os.path.join(base, child)):
                remove_cgroup(os.path.join(base, child))
        try:
            os.rmdir(base)
        except OSError:
            pass


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def find_bwrap(configured=None):
    """The bwrap executable, or None."""
    return shutil.which(configured or "bwrap")
