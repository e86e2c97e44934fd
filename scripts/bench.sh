#!/usr/bin/env bash
# Reproducible benchmark: generate a Claude Code history of SIZE (default
# 1GB) with planted secrets, then time mcpscan, gitleaks (pinned 8.30.1),
# trufflehog (if installed) and a ripgrep keyword pass (if rg is installed)
# on it. Prints MB/s, speed-up over gitleaks, peak RSS and recall of the
# planted secrets.
#
#   scripts/bench.sh [SIZE] [WORKDIR]      e.g. scripts/bench.sh 1GB /tmp/mcpscan-bench
#
# Needs Go and /usr/bin/time; installs gitleaks into $(go env GOPATH)/bin
# when it is missing (go install github.com/zricethezav/gitleaks/v8@v8.30.1).
#
# A last section measures the every-interface bind analysis
# (server-binds-all-interfaces, rules/bindcheck) on real code: an npm
# node_modules tree installed into WORKDIR (when npm is there) and Python's
# standard library. BIND_ONLY=1 runs that section alone.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-1GB}
WORK=${2:-/tmp/mcpscan-bench}
SEED=${SEED:-1}
mkdir -p "$WORK"
BIN="$WORK/bin"
mkdir -p "$BIN"

echo "== building"
go build -o "$BIN/mcpscan" ./cmd/mcpscan

# bind_bench: the cost of the bind analysis on real JS/TS and Python trees.
# TestTreeCost runs the analysis alone (files, MB, files past the keyword
# prefilter, binds, MB/s, heap peak); then mcpscan scans the same tree end
# to end, with every rule.
bind_bench() {
  local js="$WORK/bindtree-js" py
  if command -v npm > /dev/null && [ ! -d "$js/node_modules" ]; then
    echo "== installing an npm tree into $js"
    mkdir -p "$js"
    (cd "$js" && npm install --no-audit --no-fund --ignore-scripts express fastify koa ws @modelcontextprotocol/sdk typescript > npm.log 2>&1) || echo "npm install failed (see $js/npm.log)"
  fi
  py=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2> /dev/null || true)
  echo
  echo "bind analysis on code trees"
  for tree in "$js/node_modules" "$py"; do
    [ -n "$tree" ] && [ -d "$tree" ] || continue
    MCPSCAN_BIND_TREE="$tree" go test -count=1 -run TestTreeCost -v ./rules/bindcheck | grep -o '/.*MiB' || true
    /usr/bin/time -f "  mcpscan end to end: %e s, %M KiB peak RSS" "$BIN/mcpscan" --no-default-excludes --format json --output "$WORK/bindtree.json" "$tree" > /dev/null 2> "$WORK/bindtree.err" || true
    tail -n 1 "$WORK/bindtree.err"
    echo "  server-binds-all-interfaces findings: $(grep -c '"rule_id": "server-binds-all-interfaces"' "$WORK/bindtree.json" || true)"
  done
}
if [ -n "${BIND_ONLY:-}" ]; then
  bind_bench
  exit 0
fi
go build -o "$BIN/gencorpus" ./fixtures/corpus/cmd/gencorpus
go build -o "$BIN/corpusrecall" ./fixtures/corpus/cmd/corpusrecall

CORPUS="$WORK/corpus-$SIZE-seed$SEED"
if [ ! -f "$CORPUS/manifest.json" ]; then
  echo "== generating $SIZE corpus in $CORPUS"
  rm -rf "$CORPUS"
  "$BIN/gencorpus" -out "$CORPUS" -size "$SIZE" -seed "$SEED"
fi
BYTES=$(du -sb "$CORPUS/home" | cut -f1)
echo "corpus: $BYTES bytes, $(find "$CORPUS/home" -type f | wc -l) files"
# Warm the page cache.
cat $(find "$CORPUS/home" -type f) > /dev/null

# gitleaks 8.30.1, pinned: a `go install`ed binary reports its module version to `go version -m`.
is_pinned() { [ -x "$1" ] && { go version -m "$1" 2>/dev/null | grep -q 'gitleaks/v8[[:space:]]*v8.30.1' || "$1" version 2>/dev/null | grep -q '8.30.1'; }; }
GITLEAKS=$(command -v gitleaks || true)
if ! is_pinned "$GITLEAKS"; then
  GITLEAKS="$(go env GOPATH)/bin/gitleaks"
  if ! is_pinned "$GITLEAKS"; then
    echo "== installing gitleaks 8.30.1"
    GOFLAGS= go install github.com/zricethezav/gitleaks/v8@v8.30.1
  fi
fi

# run NAME CMD...: time one tool, record seconds and peak RSS (KiB).
declare -A SECS RSS
run() {
  local name=$1; shift
  echo "== $name: $*"
  /usr/bin/time -f "%e %M" -o "$WORK/$name.time" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" || true
  read -r SECS[$name] RSS[$name] < <(tail -n 1 "$WORK/$name.time")
}

run mcpscan "$BIN/mcpscan" --format json --show-secrets --output "$WORK/mcpscan.json" "$CORPUS/home"
run gitleaks "$GITLEAKS" dir "$CORPUS/home" --report-format json --report-path "$WORK/gitleaks.json" --no-banner --log-level error --exit-code 0
if command -v trufflehog > /dev/null; then
  run trufflehog sh -c "trufflehog filesystem --no-verification --json '$CORPUS/home' > '$WORK/trufflehog.jsonl'"
fi
if command -v rg > /dev/null; then
  "$BIN/mcpscan" rules --json | grep -o '"keywords": \[[^]]*\]' | grep -o '"[^"]*"' | grep -v keywords | tr -d '"' | sort -u > "$WORK/keywords.txt"
  run ripgrep rg --count-matches --no-filename -i -F -f "$WORK/keywords.txt" "$CORPUS/home"
fi

recall() { "$BIN/corpusrecall" -manifest "$CORPUS/manifest.json" -home "$CORPUS/home" -format "$1" "$2" 2>/dev/null || echo "(no report)"; }
echo
echo "corpus $SIZE (seed $SEED), $BYTES bytes, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf '%-11s %9s %10s %9s %11s  %s\n' tool seconds "MB/s" "RSS MiB" "vs gitleaks" recall
for t in mcpscan gitleaks trufflehog ripgrep; do
  [ -n "${SECS[$t]:-}" ] || continue
  s=${SECS[$t]}; r=${RSS[$t]}
  mbs=$(awk -v b="$BYTES" -v s="$s" 'BEGIN{ printf "%.1f", (s>0 ? b/s/1e6 : 0) }')
  ratio=$(awk -v g="${SECS[gitleaks]}" -v s="$s" 'BEGIN{ printf "%.1fx", (s>0 ? g/s : 0) }')
  case $t in
    mcpscan) rc=$(recall mcpscan "$WORK/mcpscan.json") ;;
    gitleaks) rc=$(recall gitleaks "$WORK/gitleaks.json") ;;
    trufflehog) rc=$(recall trufflehog "$WORK/trufflehog.jsonl") ;;
    *) rc="-" ;;
  esac
  printf '%-11s %9s %10s %9s %11s  %s\n' "$t" "$s" "$mbs" "$((r / 1024))" "$ratio" "$rc"
done

bind_bench
