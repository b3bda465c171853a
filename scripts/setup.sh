# Shared by scripts/run and scripts/test: Debian packages, the virtualenv, npm packages.
# Sourced, not run. Idempotent: a second run installs nothing new.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DEBIAN_PACKAGES="python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig
fonts-dejavu-core fonts-liberation2 poppler-utils nodejs npm $EXTRA_DEBIAN_PACKAGES"

missing=""
for pkg in $DEBIAN_PACKAGES; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
# Node and npm may come from elsewhere than Debian (they do on some images): accept them on PATH.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing="$(echo "$missing" | tr ' ' '\n' | grep -vxE 'nodejs|npm' | tr '\n' ' ')"
fi
if [ -n "${missing// /}" ]; then
  echo "==> Installerar Debianpaket:$missing"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

PYTHON="${PYTHON:-python3}"
VENV="${VENV:-.venv}"  # scripts/smoke_run.py builds a clean one elsewhere to prove requirements.txt suffices
if [ ! -x "$VENV/bin/python" ]; then
  echo "==> Skapar $VENV"
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.installed-$(cat "$REQUIREMENTS" requirements.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "==> Installerar Pythonpaket ($REQUIREMENTS)"
  "$VENV/bin/python" -m pip install -q --upgrade pip 2>&1 | grep -v "is ignored" || true
  # pip's own exit code decides (a pipe into grep would hide a failed install)
  "$VENV/bin/python" -m pip install -q -r "$REQUIREMENTS" > "$VENV/pip-install.log" 2>&1 \
    || { grep -v "is ignored" "$VENV/pip-install.log"; exit 1; }
  "$VENV/bin/python" -m pip check >/dev/null
  rm -f "$VENV"/.installed-*; touch "$stamp"
fi
if [ ! -f node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "==> Installerar npm-paket"
  npm install --no-audit --no-fund --loglevel=error >/dev/null
fi
