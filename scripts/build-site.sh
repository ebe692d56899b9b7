#!/usr/bin/env bash
# Builds the browser half of Refract into target/site: the hydrating wasm (release profile
# `wasm-release`), its wasm-bindgen glue, the stylesheet and the static assets. The same
# steps `cargo leptos build --release --frontend-only` runs (cargo-leptos 0.3.10,
# src/compile/front.rs), without cargo-leptos itself: installing it from source costs about
# 12 minutes on 2 cores, most of a clean CI run's set-up. Usage: scripts/build-site.sh
# (needs wasm-bindgen-cli and wasm-opt on PATH; scripts/setup.sh installs them).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
SITE="${LEPTOS_SITE_ROOT:-$ROOT/target/site}"
PKG="$SITE/pkg"
# Leptos bakes the output name into the wasm at compile time and the page asks for
# pkg/$LEPTOS_OUTPUT_NAME.{js,wasm}; the server reads the same variable at run time.
export LEPTOS_OUTPUT_NAME=refract

cargo build --package=frontend --lib --target=wasm32-unknown-unknown --profile=wasm-release
WASM="$TARGET/wasm32-unknown-unknown/wasm-release/frontend.wasm"
mkdir -p "$PKG"
# wasm-opt takes minutes on this wasm: skip the glue steps when cargo left the wasm as it was.
if [ "$PKG/refract.wasm" -nt "$WASM" ] && [ -f "$PKG/refract.js" ]; then
  echo "frontend.wasm unchanged since the last site build: keeping pkg/refract.{js,wasm}"
else
  wasm-bindgen --target=web --no-typescript --out-name=refract --out-dir="$PKG" "$WASM"
  # Leptos' hydration script loads refract.wasm (cargo-leptos renames wasm-bindgen's output).
  mv -f "$PKG/refract_bg.wasm" "$PKG/refract.wasm.tmp"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$PKG/refract.wasm.tmp" -o "$PKG/refract.wasm"
  rm -f "$PKG/refract.wasm.tmp"
fi
cp style/main.css "$PKG/refract.css"
cp -R public/. "$SITE/"
echo "site built in $SITE ($(du -k "$PKG/refract.wasm" | cut -f1) KB of wasm)"
