#!/usr/bin/env bash
# Reproducible benchmark: generate a Claude Code history of SIZE (default
# 1GB) with planted secrets, then time mcpscan, gitleaks (pinned 8.30.1),
# trufflehog (if installed) and a ripgrep keyword pass (if rg is installed)
# on it. Prints MB/s, speed-up over gitleaks, peak RSS and recall of the
# planted secrets.
#
#   scripts/bench.sh [SIZE] [WORKDIR]      e.g. scripts/bench.sh 1GB /tmp/mcpscan-bench
#
# Then, per coding agent's format (fixtures/agents: Codex rollouts, Gemini
# chats, Cursor's state.vscdb, Cline's JSON arrays, Aider's Markdown …),
# it times mcpscan over that agent's stores grown to AGENTS_PAD each
# (default 8MB; copies of their own records, secrets masked) and prints
# MB/s per agent (wall clock, and per CPU second, which a busy machine
# does not skew). AGENTS_ONLY=1 runs only this part (no gitleaks needed):
#
#   AGENTS_ONLY=1 AGENTS_PAD=16MB scripts/bench.sh
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
go build -o "$BIN/genagents" ./fixtures/agents/cmd/genagents

# bench_agents: MB/s of mcpscan per agent format, over padded stores.
bench_agents() {
  local pad=${AGENTS_PAD:-8MB}
  local dir="$WORK/agents-$pad"
  if [ ! -f "$dir/stores.tsv" ]; then
    echo "== generating agent stores padded to $pad in $dir"
    rm -rf "$dir"
    "$BIN/genagents" -out "$dir" -pad "$pad" > /dev/null
  fi
  cat $(find "$dir/home" -type f) > /dev/null
  echo
  echo "per agent format (stores padded to $pad, $(nproc) cores)"
  printf '%-13s %5s %8s %8s %8s %9s %11s %8s\n' agent files MB seconds "CPU s" "MB/s" "MB/CPU-s" findings
  local agent
  for agent in $(cut -f1 "$dir/stores.tsv" | sort -u); do
    local files=() bytes=0 f
    while IFS=$'\t' read -r a p; do
      [ "$a" = "$agent" ] || continue
      files+=("$dir/home/$p")
      bytes=$((bytes + $(stat -c %s "$dir/home/$p")))
    done < "$dir/stores.tsv"
    /usr/bin/time -f "%e %U %S" -o "$WORK/agent.time" "$BIN/mcpscan" --no-config --format json --output "$WORK/agent.json" "${files[@]}" > /dev/null 2>&1 || true
    local s u k n
    read -r s u k < <(tail -n 1 "$WORK/agent.time")
    n=$(grep -c '"rule_id"' "$WORK/agent.json" || true)
    printf '%-13s %5d %8.1f %8s %8.2f %9s %11s %8s\n' "$agent" "${#files[@]}" "$(awk -v b="$bytes" 'BEGIN{print b/1e6}')" "$s" \
      "$(awk -v u="$u" -v k="$k" 'BEGIN{print u+k}')" \
      "$(awk -v b="$bytes" -v s="$s" 'BEGIN{ printf "%.1f", (s>0 ? b/s/1e6 : 0) }')" \
      "$(awk -v b="$bytes" -v u="$u" -v k="$k" 'BEGIN{ printf "%.1f", (u+k>0 ? b/(u+k)/1e6 : 0) }')" "$n"
  done
}
if [ -n "${AGENTS_ONLY:-}" ]; then
  bench_agents
  exit 0
fi

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

bench_agents
bind_bench
