#!/usr/bin/env bash
# Installs what số hóa needs on Debian 12 (as root) and the project into .venv. Safe to run again.
# `setup.sh --bench` also installs OCRmyPDF and its helpers, the reference bench/ocr.py measures against.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(python3-venv tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng fonts-noto-core fonts-liberation2
              fonts-freefont-ttf chromium poppler-utils libnss3-tools qpdf redis-server postgresql softhsm2 opensc)
EXTRAS="queue,api,test"
if [ "${1:-}" = "--bench" ]; then
  APT_PACKAGES+=(ghostscript unpaper pngquant)
  EXTRAS="$EXTRAS,bench"
fi
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.sohoa-installed-${EXTRAS//,/-}
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e ".[$EXTRAS]"
  touch "$stamp"
fi
