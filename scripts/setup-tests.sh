#!/usr/bin/env bash
# Set up what the test suite needs: .venv with flashcards and its test dependencies, and, for the
# browser tests, Debian's Chromium and a CJK font. Then run the suite with `.venv/bin/python -m pytest`.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11) and "flashcards needs Python 3.11 or newer")'
# The preview's browser tests drive the system's Chromium; Japanese needs a CJK font to be drawn.
missing=()
for package in chromium fonts-noto-cjk; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${missing[*]} for the browser tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet --editable '.[test]'

