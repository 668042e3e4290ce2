#!/usr/bin/env bash
# What the tests need beyond the build (.ci/tools.sh, sourced first): clippy, Debian's Chromium and the
# end2end npm packages (Playwright, which drives the system Chromium and never downloads its own;
# axe-core for the accessibility checks; maildev, the SMTP server the e-mail tests send to).
# Source it (`. .ci/test-tools.sh`).
. "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
# After the build tools: a stray wasm-opt in old end2end packages must not shadow the pinned one.
export PATH="$PATH:$TROIKA_ROOT/end2end/node_modules/.bin"

if ! cargo clippy --version >/dev/null 2>&1; then
  log "adding clippy"
  rustup component add clippy
fi

if ! command -v chromium >/dev/null 2>&1; then
  log "installing Debian's chromium"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi
fi

# Again whenever the lock file changed.
if [ ! -d "$TROIKA_ROOT/end2end/node_modules/@playwright/test" ] || [ ! -d "$TROIKA_ROOT/end2end/node_modules/@axe-core/playwright" ] \
  || [ ! -x "$TROIKA_ROOT/end2end/node_modules/.bin/maildev" ] \
  || [ "$TROIKA_ROOT/end2end/package-lock.json" -nt "$TROIKA_ROOT/end2end/node_modules/.package-lock.json" ]; then
  log "installing end2end npm packages"
  (cd "$TROIKA_ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
