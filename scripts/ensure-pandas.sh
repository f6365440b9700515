#!/usr/bin/env bash
# Makes a Python 3 with pandas available for the docs/outputs.md snippet test and prints its path.
# Uses python3 on PATH, then /usr/bin/python3, if either imports pandas; otherwise installs
# Debian's python3-pandas package with apt (running apt-get update only if the first install
# fails) and prints /usr/bin/python3.
# Exit 0 with the path on stdout; exit 77 when no pandas is here and none can be installed
# (not root and no passwordless sudo, no apt, no network), saying why on stderr.
set -uo pipefail

has_pandas() { "$1" -c 'import pandas' >/dev/null 2>&1; }
for py in "$(command -v python3 2>/dev/null)" /usr/bin/python3; do
  if [ -n "$py" ] && [ -x "$py" ] && has_pandas "$py"; then echo "$py"; exit 0; fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-pandas: no python3 with pandas and no apt-get to install python3-pandas" >&2; exit 77
fi
if [ "$(id -u)" -eq 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else
  echo "ensure-pandas: no python3 with pandas, and installing python3-pandas needs root or passwordless sudo" >&2; exit 77
fi
install() {
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends python3-pandas >&2
}
if ! install; then
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update >&2 && install || {
    echo "ensure-pandas: apt could not install python3-pandas (see the messages above)" >&2; exit 77; }
fi
has_pandas /usr/bin/python3 || { echo "ensure-pandas: python3-pandas installed but /usr/bin/python3 cannot import pandas" >&2; exit 77; }
echo /usr/bin/python3
