#!/usr/bin/env bash
# Load test on loopback, bounded in time: /healthz and an authenticated GET /api/v1/me on
# the release build (SQLite), and a bare axum hello-world for comparison. Prints wrk's
# figures; BENCHMARKS.md records them. Usage: scripts/loadtest.sh [seconds per run]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
DURATION="${1:-10}"
have wrk || apt_install wrk
setup_build
step "release build"
bash scripts/build-site.sh
cargo build --release -p server --bin refract --example hello_axum
TARGET="${CARGO_TARGET_DIR:-target}"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port); HELLO_PORT=$(free_port)
DATA=$(mktemp -d)
DATABASE_URL="sqlite://$DATA/load.db" REFRACT_ADDR="127.0.0.1:$PORT" RUST_LOG=warn \
  "$TARGET/release/refract" serve >"$DATA/server.log" 2>&1 &
SERVER=$!
HELLO_ADDR="127.0.0.1:$HELLO_PORT" "$TARGET/release/examples/hello_axum" &
HELLO=$!
trap 'kill $SERVER $HELLO 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

step "signing up a load-test user"
COOKIE=$(curl -s -D - -o /dev/null -H 'content-type: application/json' \
  -d '{"email":"load@example.com","password":"load test password","name":"Load"}' \
  "http://127.0.0.1:$PORT/api/v1/auth/signup" | grep -i '^set-cookie:' | sed 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/')
curl -fs -H "cookie: $COOKIE" "http://127.0.0.1:$PORT/api/v1/me" >/dev/null

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
for target in "healthz http://127.0.0.1:$PORT/healthz" "me http://127.0.0.1:$PORT/api/v1/me" "hello http://127.0.0.1:$HELLO_PORT/"; do
  set -- $target
  step "wrk -t2 -c64 -d${DURATION}s $1"
  if [ "$1" = me ]; then
    wrk -t2 -c64 -d"${DURATION}s" --latency -H "cookie: $COOKIE" "$2"
  else
    wrk -t2 -c64 -d"${DURATION}s" --latency "$2"
  fi
done
