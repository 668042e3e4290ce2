#!/usr/bin/env bash
# Installs, only where missing, what building Troika needs (and nothing more: the demo command uses
# this alone): the wasm target, cargo-leptos, wasm-bindgen-cli (same version as the crate
# pinned in Cargo.toml) and wasm-opt (npm binaryen in .ci/wasm-opt; Debian's binaryen 108 breaks
# hydration). The test command adds Chromium and the end2end packages with .ci/test-tools.sh.
# Source it (`. .ci/tools.sh`) so the PATH it sets stays in force for the caller.
set -euo pipefail

TROIKA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' "$TROIKA_ROOT/Cargo.toml")
export PATH="$TROIKA_ROOT/.ci/wasm-opt/node_modules/.bin:$HOME/.cargo/bin:$PATH"

log() { printf '\033[1m[tools]\033[0m %s\n' "$*" >&2; }

# Prebuilt cargo-leptos and wasm-bindgen for this machine kind, when a shared folder beside the
# checkout holds them at the right versions (saves ~25 minutes of `cargo install` on a fresh machine).
# Anything missing or of another version is installed below as usual.
SHARED_BIN=$(cd "$TROIKA_ROOT/.." && pwd)/shared/bin
PREBUILT="$TROIKA_ROOT/target/prebuilt-bin"
rm -rf "$PREBUILT" && mkdir -p "$PREBUILT"
for tool in "cargo-leptos:$CARGO_LEPTOS_VERSION" "wasm-bindgen:$WASM_BINDGEN_VERSION"; do
  name=${tool%%:*} version=${tool#*:}
  if [ -x "$SHARED_BIN/$name" ] && "$SHARED_BIN/$name" --version 2>/dev/null | grep -q "$version"; then
    ln -s "$SHARED_BIN/$name" "$PREBUILT/$name"
  fi
done
export PATH="$PREBUILT:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 13 minutes, once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # Not --locked: its lockfile does not resolve against this registry mirror.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# binaryen's wasm-opt, the one npm package the build needs; again whenever its lock file changed.
if [ ! -x "$TROIKA_ROOT/.ci/wasm-opt/node_modules/.bin/wasm-opt" ] \
  || [ "$TROIKA_ROOT/.ci/wasm-opt/package-lock.json" -nt "$TROIKA_ROOT/.ci/wasm-opt/node_modules/.package-lock.json" ]; then
  log "installing binaryen's wasm-opt (npm)"
  (cd "$TROIKA_ROOT/.ci/wasm-opt" && npm ci --no-audit --no-fund --loglevel=error)
fi

# cargo-leptos runs the first wasm-opt on PATH: make sure it is binaryen's npm one.
case "$(command -v wasm-opt)" in
  "$TROIKA_ROOT"/.ci/wasm-opt/node_modules/.bin/wasm-opt) ;;
  *) log "warning: wasm-opt on PATH is $(command -v wasm-opt), not the pinned one" ;;
esac

# The release build as it is served: cargo-leptos with content-hashed names (Cargo.toml) and
# precompression (-P: a .br and a .gz beside each file); its gzip is ~16 % larger than gzip -9's,
# so the .gz files are written again with gzip -9 (-n: no name or time stamp, same bytes each build).
build_release() {
  # --split: each lazy island (rooms, moderation queue) in its own file, loaded on its page only.
  cargo leptos build --release -P --split "$@"
  local f
  # Every precompressed file of the build (the main js, wasm and css, and the split-out chunks).
  for f in "$TROIKA_ROOT"/target/site/pkg/*.gz; do
    [ -f "$f" ] && gzip -9 -n -c "${f%.gz}" > "$f.tmp" && mv "$f.tmp" "$f"
  done
}
