#!/usr/bin/env bash
# Builds Refract (release) and serves it at http://127.0.0.1:3000 on the embedded SQLite
# database under ./data/ (created and migrated at start). No other service is needed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
setup_build
step "building the site (wasm, glue, CSS, assets)"
bash scripts/build-site.sh
step "cargo build --release -p server"
cargo build --release -p server
step "starting Refract on http://127.0.0.1:3000 (Ctrl-C to stop)"
exec "${CARGO_TARGET_DIR:-target}/release/refract" serve
