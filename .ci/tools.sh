#!/usr/bin/env bash
# Installs, only where missing, everything Troika's build and tests need:
# the wasm target, cargo-leptos, wasm-bindgen-cli (same version as the crate pinned in Cargo.toml),
# wasm-opt (npm binaryen; Debian's binaryen 108 breaks hydration), Chromium, and the end2end npm packages.
# Source it (`. .ci/tools.sh`) so the PATH it sets stays in force for the caller.
set -euo pipefail

TROIKA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' "$TROIKA_ROOT/Cargo.toml")
export PATH="$TROIKA_ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"

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

if ! cargo clippy --version >/dev/null 2>&1; then
  log "adding clippy"
  rustup component add clippy
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

if ! command -v chromium >/dev/null 2>&1; then
  log "installing Debian's chromium"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi
fi

# Playwright (driving the system chromium, never its own download), binaryen's wasm-opt, and maildev
# (the SMTP server the e-mail tests send to); again whenever the lock file changed.
if [ ! -x "$TROIKA_ROOT/end2end/node_modules/.bin/wasm-opt" ] || [ ! -d "$TROIKA_ROOT/end2end/node_modules/@playwright/test" ] \
  || [ ! -x "$TROIKA_ROOT/end2end/node_modules/.bin/maildev" ] \
  || [ "$TROIKA_ROOT/end2end/package-lock.json" -nt "$TROIKA_ROOT/end2end/node_modules/.package-lock.json" ]; then
  log "installing end2end npm packages"
  (cd "$TROIKA_ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

# cargo-leptos runs the first wasm-opt on PATH: make sure it is binaryen's npm one.
case "$(command -v wasm-opt)" in
  "$TROIKA_ROOT"/end2end/node_modules/.bin/wasm-opt) ;;
  *) log "warning: wasm-opt on PATH is $(command -v wasm-opt), not the pinned one" ;;
esac
