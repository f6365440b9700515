#!/usr/bin/env bash
# Makes a headless Chromium available for the report page's browser test and prints its path.
# Uses one on PATH (chromium, chromium-browser, google-chrome) if present; otherwise installs
# Debian's chromium package with apt (running apt-get update only if the first install fails).
# Exit 0 with the path on stdout; exit 77 when no browser is here and none can be installed
# (not root and no passwordless sudo, no apt, no network), saying why on stderr.
set -uo pipefail

for b in chromium chromium-browser google-chrome; do
  if p=$(command -v "$b" 2>/dev/null); then echo "$p"; exit 0; fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: no chromium on PATH and no apt-get to install it" >&2; exit 77
fi
if [ "$(id -u)" -eq 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else
  echo "ensure-chromium: no chromium on PATH, and installing it needs root or passwordless sudo" >&2; exit 77
fi
install() {
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium >&2
}
if ! install; then
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update >&2 && install || {
    echo "ensure-chromium: apt could not install chromium (see the messages above)" >&2; exit 77; }
fi
p=$(command -v chromium) || { echo "ensure-chromium: chromium installed but not on PATH" >&2; exit 77; }
echo "$p"
