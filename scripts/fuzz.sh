#!/usr/bin/env bash
# Fuzzes every parser of user input with cargo-fuzz (libFuzzer) for a bounded time each:
#   bash scripts/fuzz.sh [seconds per target, default 60]
# Needs the nightly toolchain (installed with rustup when missing) and cargo-fuzz (installed
# from crates.io when missing). Seeds come from the committed sample files, so the fuzzer
# starts from real broker exports. A crash leaves its input under fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECONDS_EACH="${1:-60}"
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# Seed corpora (regenerated each run; fuzz/corpus is not committed).
mkdir -p fuzz/corpus/broker_import fuzz/corpus/bars_csv fuzz/corpus/actions_csv fuzz/corpus/study_spec fuzz/corpus/attachment_check
i=0
for f in journal/tests/data/imports/*; do
  # The first byte picks the format (see the target); 9 = detect.
  { printf '\x09'; cat "$f"; } > "fuzz/corpus/broker_import/seed$i"
  i=$((i + 1))
done
printf 'date,open,high,low,close,volume\n2024-01-08,10,11,9.5,10.5,1000\n2024-01-09,10.5,12,10,11.5,1500\n' > fuzz/corpus/bars_csv/seed0
printf 'date,type,value\n2000-06-21,split,2:1\n2012-08-09,dividend,2.65\n' > fuzz/corpus/actions_csv/seed0
printf '{"name":"macd","params":{"fast":12,"slow":26,"signal":9}}' > fuzz/corpus/study_spec/seed0
cp journal/tests/data/attachments/* fuzz/corpus/attachment_check/
for target in broker_import bars_csv actions_csv study_spec attachment_check; do
  echo "==> fuzz $target for ${SECONDS_EACH}s"
  cargo +nightly fuzz run --fuzz-dir fuzz "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$SECONDS_EACH" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 2>&1 |
    grep -E 'stat::number_of_executed_units|stat::peak_rss_mb|ERROR|panicked|SUMMARY' || true
  if ls "fuzz/artifacts/$target"/crash-* >/dev/null 2>&1; then
    echo "crash found in $target: see fuzz/artifacts/$target" >&2
    exit 1
  fi
done
echo "==> no crashes"
