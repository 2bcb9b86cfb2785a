#!/bin/sh
# Provisions the Python stack Cellmate's kernels need: jupyter_server, ipykernel, pandas, matplotlib, altair,
# nbformat. Idempotent: quiet and quick when everything is already there.
#
#   1. ${CELLMATE_PYTHON:-/usr/bin/python3} already imports them  → nothing to do.
#   2. Debian/Ubuntu, as root or with password-less sudo           → apt-get install the distribution packages.
#   3. Otherwise                                                   → a virtualenv in .cellmate/venv, filled with pip
#                                                                     from PyPI (needs network access to PyPI).
#
# Usage: kernels/setup.sh [workspace]   (the venv goes into <workspace>/.cellmate/venv; default: current folder)
set -eu

PYTHON="${CELLMATE_PYTHON:-/usr/bin/python3}"
WORKSPACE="${1:-.}"
MODULES="jupyter_server ipykernel pandas matplotlib altair nbformat"
APT_PACKAGES="python3-ipykernel jupyter-server python3-jupyter-server python3-pandas python3-matplotlib python3-numpy python3-altair python3-nbformat bubblewrap"
# altair 5+ emits application/vnd.vegalite.v5+json with the mimetype renderer (Debian's 4.2: v4); both render.
PIP_PACKAGES="jupyter_server ipykernel pandas matplotlib altair nbformat"

say() { printf 'cellmate setup: %s\n' "$*" >&2; }

# Prints the modules the given Python cannot import (nothing when all are there).
missing_modules() {
  [ -x "$1" ] || command -v "$1" >/dev/null 2>&1 || { echo "$MODULES"; return; }
  "$1" - "$MODULES" <<'EOF' 2>/dev/null || echo "$MODULES"
import importlib.util, sys
print(" ".join(m for m in sys.argv[1].split() if importlib.util.find_spec(m) is None))
EOF
}

MISSING="$(missing_modules "$PYTHON")"
[ -z "$MISSING" ] && exit 0
say "$PYTHON lacks: $MISSING"

# 2. Distribution packages.
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    SUDO="none"
  fi
  if [ "$SUDO" != "none" ] && [ "$PYTHON" = "/usr/bin/python3" ]; then
    say "installing Debian packages: $APT_PACKAGES"
    $SUDO apt-get update
    # shellcheck disable=SC2086 # word splitting of the package list is intended
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $APT_PACKAGES
    MISSING="$(missing_modules "$PYTHON")"
    if [ -z "$MISSING" ]; then
      say "done: $PYTHON has everything"
      exit 0
    fi
    say "apt-get finished but $PYTHON still lacks: $MISSING; falling back to a virtualenv"
  fi
fi

# 3. A virtualenv with pip (needs PyPI).
VENV="$WORKSPACE/.cellmate/venv"
BASE_PYTHON="$PYTHON"
command -v "$BASE_PYTHON" >/dev/null 2>&1 || BASE_PYTHON="$(command -v python3 || true)"
if [ -z "$BASE_PYTHON" ]; then
  say "no Python 3 found; install python3 (3.9 or newer) and run this again"
  exit 1
fi
if [ -n "$(missing_modules "$VENV/bin/python")" ]; then
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating a virtualenv in $VENV with $BASE_PYTHON"
    if ! "$BASE_PYTHON" -m venv "$VENV"; then
      say "could not create a virtualenv (on Debian: apt-get install python3-venv)"
      exit 1
    fi
  fi
  say "installing from PyPI: $PIP_PACKAGES"
  # shellcheck disable=SC2086
  if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --quiet $PIP_PACKAGES; then
    say "pip could not install the packages (is PyPI reachable? a proxy can be set with PIP_INDEX_URL)"
    exit 1
  fi
fi
VENV_PYTHON="$(cd "$VENV/bin" && pwd)/python"
say "done. Start Cellmate with: CELLMATE_PYTHON=$VENV_PYTHON"
echo "CELLMATE_PYTHON=$VENV_PYTHON"
