"""Does the kernel sandbox work on this machine? `python probe.py '<settings JSON>'` prints one JSON line:

  {"ok": true, "bwrap": "/usr/bin/bwrap", "tmpfs_size": true, "process_limit": "cgroup", "reason": "..."}

It runs a trivial Python through the same bubblewrap command the kernels get (network namespace, hidden folders,
limits). `reason` says why not when `ok` is false (bwrap missing, user namespaces refused by a seccomp profile…).
`process_limit`: "cgroup" (a pids cgroup per kernel), "rlimit" (RLIMIT_NPROC inside the sandbox), or "none"
(root without a writable pids cgroup: RLIMIT_NPROC does not apply to root).
"""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from cellmate_kernels import sandbox  # noqa: E402


def probe(settings):
    configured = settings.get("sandbox", {}).get("bwrap")
    bwrap = sandbox.find_bwrap(configured)
    if not bwrap:
        return {"ok": False, "reason": "bubblewrap (bwrap) is not installed"}
    try:
        help_text = subprocess.run([bwrap, "--help"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError) as error:
        return {"ok": False, "reason": "bwrap could not be run: %s" % error}
    result = {"bwrap": bwrap, "tmpfs_size": "--size" in help_text}
    with tempfile.TemporaryDirectory(prefix="cellmate-probe-") as scratch:
        workspace = settings.get("workspace") or os.path.join(scratch, "workspace")
        own_dir = os.path.join(scratch, "own")
        os.makedirs(workspace, exist_ok=True)
        os.makedirs(own_dir)
        full = dict(settings, workspace=workspace)
        full["sandbox"] = dict(settings.get("sandbox", {}), bwrap=bwrap, tmpfs_size=result["tmpfs_size"])
        command = sandbox.bwrap_command(full, own_dir, [sys.executable, "-I", "-S", "-c", "print('sandbox-ok')"])
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=20, cwd=workspace)
        except (OSError, subprocess.SubprocessError) as error:
            return dict(result, ok=False, reason="bwrap failed to run: %s" % error)
    if run.returncode != 0 or "sandbox-ok" not in run.stdout:
        detail = (run.stderr.strip().splitlines() or ["exit code %d" % run.returncode])[-1]
        return dict(result, ok=False, reason="bwrap does not work here: %s" % detail)
    cgroup = sandbox.create_pids_cgroup("probe", 8)
    if cgroup:
        sandbox.remove_cgroup(cgroup)
        sandbox.remove_cgroup_base()
        result["process_limit"] = "cgroup"
    else:
        result["process_limit"] = "none" if os.geteuid() == 0 else "rlimit"
    return dict(result, ok=True, reason="bubblewrap works")


if __name__ == "__main__":
    print(json.dumps(probe(json.loads(sys.argv[1]) if len(sys.argv) > 1 else {})))
