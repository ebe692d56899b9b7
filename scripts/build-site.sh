#!/usr/bin/env bash
# Builds the browser half of Refract into target/site: the hydrating wasm (release profile
# `wasm-release`), its wasm-bindgen glue, the stylesheet and the static assets. The same
# steps `cargo leptos build --release --frontend-only` runs (cargo-leptos 0.3.10,
# src/compile/front.rs), without cargo-leptos itself: installing it from source costs about
# 12 minutes on 2 cores, most of a clean CI run's set-up. Usage: scripts/build-site.sh
# (needs wasm-opt on PATH, which scripts/setup.sh installs; the wasm-bindgen glue comes from
# the workspace's own tools/bindgen, so no wasm-bindgen-cli has to be installed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
# The wasm is built in a target directory of its own: it shares no artefact with the native
# builds (other target, other profile), and a separate cargo lock lets scripts/test.sh build
# it in the background while clippy and the tests build in the main one.
WASM_TARGET="$TARGET/wasm-site"
SITE="${LEPTOS_SITE_ROOT:-$ROOT/target/site}"
PKG="$SITE/pkg"
# Leptos bakes the output name into the wasm at compile time and the page asks for
# pkg/$LEPTOS_OUTPUT_NAME.{js,wasm}; the server reads the same variable at run time.
export LEPTOS_OUTPUT_NAME=refract

CARGO_TARGET_DIR="$WASM_TARGET" cargo build --package=frontend --lib \
  --target=wasm32-unknown-unknown --profile=wasm-release
WASM="$WASM_TARGET/wasm32-unknown-unknown/wasm-release/frontend.wasm"
# The glue generator is a dev build in the main target directory (it shares the tests'
# dependencies); scripts/test.sh builds it first and passes it in REFRACT_BINDGEN.
if [ -z "${REFRACT_BINDGEN:-}" ]; then
  cargo build --package=refract-bindgen --quiet
  REFRACT_BINDGEN="$TARGET/debug/refract-bindgen"
fi
mkdir -p "$PKG"
# wasm-opt takes minutes on this wasm: skip the glue steps when cargo left the wasm as it was.
if [ "$PKG/refract.wasm" -nt "$WASM" ] && [ -f "$PKG/refract.js" ]; then
  echo "frontend.wasm unchanged since the last site build: keeping pkg/refract.{js,wasm}"
else
  "$REFRACT_BINDGEN" "$WASM" "$PKG" refract
  # Leptos' hydration script loads refract.wasm (cargo-leptos renames wasm-bindgen's output).
  mv -f "$PKG/refract_bg.wasm" "$PKG/refract.wasm.tmp"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$PKG/refract.wasm.tmp" -o "$PKG/refract.wasm"
  rm -f "$PKG/refract.wasm.tmp"
fi
cp style/main.css "$PKG/refract.css"
cp -R public/. "$SITE/"
echo "site built in $SITE ($(du -k "$PKG/refract.wasm" | cut -f1) KB of wasm)"
