#!/usr/bin/env bash
# Builds the release site, starts Refract on a free port with a fresh SQLite database,
# runs the Playwright tests against it, and stops it. Used by scripts/test.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/.tools/node_modules/.bin:$PATH"

cargo leptos build --release

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATA=$(mktemp -d)
LOG="$DATA/server.log"
DATABASE_URL="sqlite://$DATA/e2e.db" REFRACT_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT="$ROOT/target/site" \
  "${CARGO_TARGET_DIR:-target}/release/refract" serve >"$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null || { echo "server did not start:"; cat "$LOG"; exit 1; }

cd end2end
BASE_URL="http://127.0.0.1:$PORT" npx playwright test "$@" || { echo "--- server log ---"; tail -50 "$LOG"; exit 1; }
