#!/usr/bin/env bash
# Runs every test: formatting and lints, unit and integration tests (SQLite and an
# ephemeral PostgreSQL), the wasm32 build of the pure crates, and the browser tests in
# headless Chromium against the release site. Installs what is missing first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
setup_test
started=$(date +%s)
# A clean clone gains nothing from incremental caches, and for the Leptos crates they
# take more disk than the artefacts themselves (CI once ran out of space mid-build).
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
df -h "$ROOT" | tail -1
# The browser crate (frontend) enables app/hydrate; native builds leave it out so app is
# compiled with ssr only.
NATIVE=(--workspace --exclude frontend)

step "cargo fmt --check"
cargo fmt --all -- --check

# The release wasm ends in minutes of single-threaded codegen (fat LTO, one codegen unit)
# and wasm-opt, and the native builds end in the long serial compiles of the app and server
# crates: run the site build beside them so each fills the other's idle core. It has its
# own target directory (scripts/build-site.sh), so the two cargo runs do not wait on one
# lock. end2end/run.sh then finds the site built.
step "cargo build -p refract-bindgen (the wasm glue generator)"
cargo build -p refract-bindgen
export REFRACT_BINDGEN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/refract-bindgen"
SITE_LOG="$(mktemp)"
step "site build started in the background (log: $SITE_LOG)"
# setsid: its own process group, so a failing step stops cargo and rustc with it.
setsid bash scripts/build-site.sh >"$SITE_LOG" 2>&1 &
SITE_PID=$!
trap 'kill -- "-$SITE_PID" 2>/dev/null || true' EXIT

step "cargo clippy (native, all targets, warnings are errors)"
cargo clippy "${NATIVE[@]}" --all-targets -- -D warnings

step "cargo clippy (wasm32: frontend and the pure crates; charts renders on the server only)"
cargo clippy -p frontend -p pricer -p indicators -p journal -p market --target wasm32-unknown-unknown -- -D warnings

step "cargo test (unit, integration on SQLite and PostgreSQL)"
cargo test "${NATIVE[@]}"

step "waiting for the background site build"
if ! wait "$SITE_PID"; then
  cat "$SITE_LOG"
  echo "the site build failed (log above)" >&2
  exit 1
fi
trap - EXIT
tail -3 "$SITE_LOG"

step "browser tests (release site, headless Chromium)"
bash end2end/run.sh

step "all tests passed in $(( $(date +%s) - started )) s"
du -sh "${CARGO_TARGET_DIR:-$ROOT/target}" 2>/dev/null || true
df -h "$ROOT" | tail -1
