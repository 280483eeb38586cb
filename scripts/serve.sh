#!/usr/bin/env bash
# Builds the Gossip Lab page (release) and serves it on a local URL.
# Installs what is missing first. PORT=NNNN picks another port (default 8080).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup serve
cd "$REPO_ROOT"
port=${PORT:-8080}
printf '\nGossip Lab: building, then serving at http://127.0.0.1:%s/ (Ctrl-C stops)\n\n' "$port"
exec trunk serve --release --offline --address 127.0.0.1 --port "$port"
