#!/usr/bin/env bash
# Installs what building and testing Refract needs, skipping whatever is already there.
# Sourced by scripts/run.sh and scripts/test.sh; each step prints what it does.
# Versions are pinned where a mismatch breaks the build (see ../shared/TOOLCHAIN.md).
set -euo pipefail

BINARYEN_NPM_VERSION=132.0.0

# Leptos bakes the wasm's file name into both halves at compile time (pkg/refract.wasm,
# else refract_bg.wasm and a page that never hydrates); every build shares it.
export LEPTOS_OUTPUT_NAME=refract

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"

# Each step shows the minutes:seconds since the script started, so a CI log tells where the
# time went.
step() { printf '\033[1m==> [%d:%02d] %s\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif have sudo; then sudo "$@"; else
    echo "need root for: $*" >&2; return 1; fi
}

apt_install() {
  step "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

ensure_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "wasm32-unknown-unknown target: present"
  else
    step "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

# scripts/build-site.sh runs wasm-opt from PATH. Debian's binaryen (108) produces wasm
# that fails to hydrate, so use npm's.
ensure_binaryen() {
  if [ -x "$TOOLS/node_modules/.bin/wasm-opt" ]; then
    step "wasm-opt (npm binaryen $BINARYEN_NPM_VERSION): present"
  else
    step "npm install binaryen@$BINARYEN_NPM_VERSION into .tools/"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-audit --no-fund --silent "binaryen@$BINARYEN_NPM_VERSION"
  fi
  export PATH="$TOOLS/node_modules/.bin:$PATH"
}

ensure_chromium() {
  if have chromium; then
    step "chromium: present ($(chromium --version 2>/dev/null | head -1))"
  else
    apt_install chromium chromium-driver
  fi
}

# The PostgreSQL suite starts its own server from the system's binaries (pgtemp). As root
# it runs them through `sudo -u postgres`, because PostgreSQL refuses to run as root.
ensure_postgres() {
  if have initdb && have pg_ctl && have postgres; then
    step "PostgreSQL server binaries: present ($(postgres --version))"
  else
    apt_install postgresql
    for b in /usr/lib/postgresql/*/bin; do export PATH="$PATH:$b"; done
  fi
  if [ "$(id -u)" = 0 ] && ! have sudo; then
    apt_install sudo
  fi
}

ensure_e2e_packages() {
  if [ -d "$ROOT/end2end/node_modules/@playwright/test" ]; then
    step "end2end npm packages: present"
  else
    step "npm ci in end2end/ (Playwright without its browser download)"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
}

setup_build() {
  ensure_wasm_target
  ensure_binaryen
}

setup_test() {
  setup_build
  ensure_chromium
  ensure_postgres
  ensure_e2e_packages
}
