#!/usr/bin/env bash
# Builds the Gossip Lab page (release) and the book (mdBook, into dist/book/ by
# Trunk's post-build hook), and serves both. Installs what is missing first.
# PORT=NNNN picks another port (default 8080).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup serve
cd "$REPO_ROOT"
port=${PORT:-8080}
printf '\nGossip Lab: building, then serving (Ctrl-C stops)\n  the page:  http://127.0.0.1:%s/\n  the book:  http://127.0.0.1:%s/book/\n  embedding: http://127.0.0.1:%s/embed.html\n\n' "$port" "$port" "$port"
printf 'A live cluster on the page: in another terminal, start real nodes serving on a port,\n  cargo run --release -p gossip-node -- cluster --nodes 10 --seeds 2 --serve 127.0.0.1:7070 --allow-origin http://127.0.0.1:%s\nthen open http://127.0.0.1:%s/?live=ws://127.0.0.1:7070 (the guide: "The page on a live cluster").\n\n' "$port" "$port"
exec trunk serve --release --offline --address 127.0.0.1 --port "$port"
