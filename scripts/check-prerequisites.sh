#!/usr/bin/env bash
# Names the first missing prerequisite in one line, so a newcomer knows what to install.
set -u
fail() { echo "Missing prerequisite: $1" >&2; exit 1; }

python="${PYTHON:-python3}"
command -v "$python" >/dev/null 2>&1 \
  || fail "Python 3.11 or newer ($python not found): install it, e.g. 'apt-get install python3 python3-venv'."
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || fail "Python 3.11 or newer (found $("$python" --version 2>&1)): install it, or run with PYTHON=/path/to/python3.11."
"$python" -c 'import venv, ensurepip' >/dev/null 2>&1 \
  || fail "the Python venv module: install it, e.g. 'apt-get install python3-venv'."
command -v node >/dev/null 2>&1 \
  || fail "Node.js 20 or newer (node not found): install it, e.g. 'apt-get install nodejs npm'."
node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' \
  || fail "Node.js 20 or newer (found $(node --version)): upgrade Node.js."
command -v npm >/dev/null 2>&1 \
  || fail "npm (comes with Node.js): install it, e.g. 'apt-get install npm'."
# WeasyPrint draws the report's PDF with Pango.
{ ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so" && ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so"; } \
  || fail "the Pango text library, for PDF reports: install it, e.g. 'apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core'."
exit 0
