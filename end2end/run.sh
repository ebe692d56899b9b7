#!/usr/bin/env bash
# Builds the release site (wasm + CSS + assets), starts Refract on a free port with a fresh
# SQLite database, runs the Playwright tests against it, and stops it. Used by scripts/test.sh.
#
# The server binary is the dev-profile one that `cargo test` already built: a release
# server build (every dependency again at opt-level 3) cost about ten minutes of a clean CI
# run and tests nothing the browser can see. The site is built by scripts/build-site.sh (the
# release wasm as `make run` ships it) rather than cargo-leptos, whose install from source
# took about 12 minutes of a clean run (and whose dev mode sets RUSTFLAGS=--cfg
# erase_components, which rebuilds every native dependency).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/.tools/node_modules/.bin:$PATH"

# Leptos bakes LEPTOS_OUTPUT_NAME in at compile time to name the wasm file the page loads
# (`refract.wasm` as build-site.sh writes it, else `refract_bg.wasm`); scripts/test.sh exports
# it for every step so clippy, the tests and this build share one set of artifacts.
export LEPTOS_OUTPUT_NAME=refract
bash scripts/build-site.sh
# A no-op after scripts/test.sh's `cargo test`; the same command so features and flags match.
cargo test --workspace --exclude frontend --no-run --quiet

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATA=$(mktemp -d)
LOG="$DATA/server.log"
REFRACT_DATA_DIR="$DATA" DATABASE_URL="sqlite://$DATA/e2e.db" REFRACT_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT="$ROOT/target/site" \
  "${CARGO_TARGET_DIR:-target}/debug/refract" serve >"$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null || { echo "server did not start:"; cat "$LOG"; exit 1; }

cd end2end
BASE_URL="http://127.0.0.1:$PORT" npx playwright test "$@" || { echo "--- server log ---"; tail -50 "$LOG"; exit 1; }
