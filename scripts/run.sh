#!/usr/bin/env bash
# Builds Refract (release) and serves it at http://127.0.0.1:3000 on the embedded SQLite
# database under ./data/ (created and migrated at start). No other service is needed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
setup_build
step "cargo leptos build --release"
cargo leptos build --release
step "starting Refract on http://127.0.0.1:3000 (Ctrl-C to stop)"
exec "${CARGO_TARGET_DIR:-target}/release/refract" serve
