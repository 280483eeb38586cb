#!/usr/bin/env bash
# Installs whatever Gossip Lab's build or tests need and is missing; skips what is
# there. Sourced by scripts/serve.sh (`setup serve`) and scripts/test.sh
# (`setup test`). Nothing here downloads a browser or a prebuilt binary: everything
# comes from crates.io, npm or Debian's packages.

TRUNK_VERSION=0.21.14
MDBOOK_VERSION=0.5.4
WASM_PACK_VERSION=0.15.1
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

export PATH="$REPO_ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

_installed=()

_say() { printf 'setup: %s\n' "$*"; }
_die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# The wasm-bindgen version that Cargo.lock pins; the CLI must equal it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' \
    "$REPO_ROOT/Cargo.lock"
}

_need_rust() {
  command -v cargo >/dev/null && command -v rustup >/dev/null ||
    _die "Rust (cargo and rustup) is needed: install it from rustup, then run this again."
  local target
  for target in wasm32-unknown-unknown wasm32v1-none; do
    if ! rustup target list --installed | grep -qx "$target"; then
      _say "adding the Rust target $target"
      rustup target add "$target" || _die "rustup target add $target failed"
      _installed+=("$target")
    fi
  done
}

_need_trunk() {
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    _say "installing trunk $TRUNK_VERSION (about 15 minutes the first time)"
    cargo install --locked "trunk@$TRUNK_VERSION" || _die "installing trunk failed"
    _installed+=("trunk $TRUNK_VERSION")
  fi
}

# mdBook builds the book into dist/book/ (Trunk's post-build hook). Only the search
# feature: the book is served by Trunk, so mdBook's own server and watcher are not
# built.
_need_mdbook() {
  if [ "$(mdbook --version 2>/dev/null)" != "mdbook v$MDBOOK_VERSION" ]; then
    _say "installing mdbook $MDBOOK_VERSION (a few minutes)"
    cargo install --locked "mdbook@$MDBOOK_VERSION" --no-default-features --features search ||
      _die "installing mdbook failed"
    _installed+=("mdbook $MDBOOK_VERSION")
  fi
}

_need_wasm_bindgen() {
  local want
  want=$(wasm_bindgen_version)
  [ -n "$want" ] || _die "no wasm-bindgen in Cargo.lock: run 'cargo generate-lockfile' first"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]; then
    _say "installing wasm-bindgen-cli $want (the version in Cargo.lock)"
    # No --locked: the CLI's own lock file names a crate release the registry lacks.
    cargo install wasm-bindgen-cli --version "=$want" || _die "installing wasm-bindgen-cli failed"
    _installed+=("wasm-bindgen-cli $want")
  fi
}

# wasm-opt (npm `binaryen`; Debian's is too old), terser and playwright-core, as
# locked in package-lock.json.
_need_node_tools() {
  command -v npm >/dev/null ||
    _die "Node.js and npm are needed: install them (Debian: apt-get install nodejs npm)."
  local stamp="$REPO_ROOT/node_modules/.package-lock.json"
  if [ ! -x "$REPO_ROOT/node_modules/.bin/wasm-opt" ] ||
     [ ! -d "$REPO_ROOT/node_modules/playwright-core" ] ||
     [ ! -d "$REPO_ROOT/node_modules/terser" ] ||
     [ "$REPO_ROOT/package-lock.json" -nt "$stamp" ]; then
    _say "installing wasm-opt (npm binaryen), terser and playwright-core with npm ci"
    (cd "$REPO_ROOT" && npm ci --no-audit --no-fund --loglevel=error) || _die "npm ci failed"
    _installed+=("npm packages")
  fi
}

_need_wasm_pack() {
  if [ "$(wasm-pack --version 2>/dev/null)" != "wasm-pack $WASM_PACK_VERSION" ]; then
    _say "installing wasm-pack $WASM_PACK_VERSION"
    cargo install wasm-pack --version "=$WASM_PACK_VERSION" || _die "installing wasm-pack failed"
    _installed+=("wasm-pack $WASM_PACK_VERSION")
  fi
}

# Debian's chromium and chromium-driver, for the in-browser and end-to-end tests.
_need_chromium() {
  command -v chromium >/dev/null && command -v chromedriver >/dev/null && return
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo="sudo"
    else
      _die "the tests need Chromium and ChromeDriver. Install them, then run this again:
    sudo apt-get install chromium chromium-driver"
    fi
  fi
  command -v apt-get >/dev/null ||
    _die "the tests need Chromium and ChromeDriver (chromium and chromedriver on PATH); this is not a Debian-like system, so install them by hand."
  _say "installing Debian's chromium and chromium-driver"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null ||
    _die "apt-get install chromium chromium-driver failed"
  _installed+=("chromium" "chromium-driver")
}

# setup serve | setup test
setup() {
  case "${1:-}" in
    serve) _need_rust; _need_trunk; _need_mdbook; _need_wasm_bindgen; _need_node_tools ;;
    test) _need_rust; _need_trunk; _need_mdbook; _need_wasm_bindgen; _need_node_tools; _need_wasm_pack; _need_chromium ;;
    *) _die "usage: setup serve|test" ;;
  esac
  if [ ${#_installed[@]} -eq 0 ]; then
    _say "all tools present, nothing installed"
  else
    _say "installed: ${_installed[*]}"
  fi
}
