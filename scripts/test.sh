#!/usr/bin/env bash
# Runs every Gossip Lab test, in three layers, after installing what is missing:
#   1. native: cargo test for the workspace (unit, property and simulation tests);
#   2. browser: wasm-pack test --headless --chrome web (wasm-bindgen-test in Chromium);
#   3. end-to-end: the release page built by trunk, driven in headless Chromium.
# Also checks that the core builds with no std (wasm32v1-none), formatting and clippy.
# Prints how many tests each layer ran, and a total line.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup test
cd "$REPO_ROOT"

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

step() { printf '\n==> %s\n' "$*"; }

# Sums cargo's "test result: ok. N passed; M failed" lines of a log: "passed failed".
cargo_counts() {
  awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
       END { print p + 0, f + 0 }' "$1"
}

step "checks: formatting, clippy, no_std core build"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p gossip-web --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings
cargo build --quiet -p gossip-core -p gossip-heartbeat --target wasm32v1-none
cargo build --quiet -p gossip-core -p gossip-heartbeat --target wasm32-unknown-unknown
# gossip-core names no protocol: it depends on no protocol crate, and no line of
# its code names one of the heartbeat's types (ARCHITECTURE.md's invariants).
if cargo tree -p gossip-core -e normal --prefix none | grep -E '^gossip-' | grep -v '^gossip-core '; then
  echo "gossip-core depends on a protocol crate" >&2
  exit 1
fi
heartbeat_types='\b(Node|NodeConfig|NodeConfigError|Message|MessageKind|Digest|Delta|EndpointState|ClusterView|Detector|Profile|Generation)\b'
if grep -rnE "$heartbeat_types" core/src | grep -vE '^[^:]+:[0-9]+:\s*//'; then
  echo "gossip-core's code names a heartbeat type (above)" >&2
  exit 1
fi

step "layer 1/3: native cargo test"
cargo test --workspace 2>&1 | tee "$logs/native"

step "layer 2/3: in-browser tests (wasm-pack test --headless --chrome web)"
wasm-pack test --headless --chrome web 2>&1 | tee "$logs/browser"

step "layer 3/3: end-to-end (trunk build --release, headless Chromium)"
trunk build --release --offline
# The page's weight: gzipped wasm + JS glue, against the product's gate of 208 KiB,
# so that the page stays quick to load where it is embedded. Logic that can live in
# the book's JavaScript over mount() (book/lesson.js) costs the wasm nothing. The
# run fails past the gate, and prints the size; BENCHMARKS.md has what each part
# costs.
budget=$((208 * 1024))
page_gz=$(($(gzip -9c dist/gossip-web_bg.wasm | wc -c) + $(gzip -9c dist/gossip-web.js | wc -c)))
printf 'page size: %d B gzipped (wasm + JS); budget %d B\n' "$page_gz" "$budget"
if [ "$page_gz" -gt "$budget" ]; then
  echo "the page grew past its budget: $page_gz B > $budget B" >&2
  exit 1
fi
# The live-mode test runs real nodes: the launcher it starts is this build's.
cargo build --quiet -p gossip-node
node --test tests/ 2>&1 | tee "$logs/e2e"

read -r native_pass native_fail < <(cargo_counts "$logs/native")
read -r browser_pass browser_fail < <(cargo_counts "$logs/browser")
e2e_pass=$(awk '/^# pass / { print $3 }' "$logs/e2e")
e2e_fail=$(awk '/^# fail / { print $3 }' "$logs/e2e")
wasm=$(ls dist/*.wasm)

printf '\n==> summary\n'
printf '  native (cargo test):         %4d passed, %d failed\n' "$native_pass" "$native_fail"
printf '  browser (wasm-bindgen-test): %4d passed, %d failed\n' "$browser_pass" "$browser_fail"
printf '  end-to-end (playwright):     %4d passed, %d failed\n' "$e2e_pass" "$e2e_fail"
printf '  release wasm: %s bytes, %s bytes gzipped; page (wasm + JS) %s bytes gzipped\n' \
  "$(stat -c %s "$wasm")" "$(gzip -9c "$wasm" | wc -c)" "$page_gz"
total_pass=$((native_pass + browser_pass + e2e_pass))
total_fail=$((native_fail + browser_fail + e2e_fail))
[ "$native_pass" -gt 0 ] && [ "$browser_pass" -gt 0 ] && [ "$e2e_pass" -gt 0 ] || {
  echo "a layer ran no test" >&2
  exit 1
}
printf 'total: %d passed, %d failed\n' "$total_pass" "$total_fail"
[ "$total_fail" -eq 0 ]
