"""Runs a command with Cellmate's kernel limits: `launch.py [--cgroup DIR] [--as BYTES] [--fsize BYTES]
[--nproc N] -- COMMAND...`. Started with `python -I -S` (no site packages: fast, nothing of the user's loaded).

Outside the sandbox it moves itself into the kernel's pids cgroup (the kernel and everything it starts inherit
it); inside, it sets the resource limits. Then it becomes COMMAND (exec), so it leaves no process behind.
"""

import os
import resource
import sys

_LIMITS = {"--as": resource.RLIMIT_AS, "--fsize": resource.RLIMIT_FSIZE, "--nproc": resource.RLIMIT_NPROC}


def main(argv):
    if "--" not in argv:
        sys.exit("usage: launch.py [--cgroup DIR] [--as BYTES] [--fsize BYTES] [--nproc N] -- COMMAND...")
    split = argv.index("--")
    options, command = argv[:split], argv[split + 1 :]
    if not command or len(options) % 2:
        sys.exit("launch.py: options take one value each, and a command must follow --")
    for name, value in zip(options[::2], options[1::2]):
        if name == "--cgroup":
            try:
                with open(os.path.join(value, "cgroup.procs"), "w") as f:
                    f.write(str(os.getpid()))
            except OSError as error:
                # The kernel still runs, without the process limit; say so where the server log shows it.
                print("cellmate: could not join the kernel's pids cgroup: %s" % error, file=sys.stderr)
        elif name in _LIMITS:
            limit = int(value)
            soft, hard = resource.getrlimit(_LIMITS[name])
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            resource.setrlimit(_LIMITS[name], (limit, limit))
        else:
            sys.exit("launch.py: unknown option %s" % name)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
