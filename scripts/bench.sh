#!/usr/bin/env bash
# Benchmark sweep over the shapes of agent histories. For each corpus shape
# (fixtures/corpus: classic, mixed, usage, base64, minified, logs,
# toolinput, subagents, small, huge) it generates a Claude Code home of
# SIZE with planted secrets, warms the page cache and times:
#   mcpscan    full rule set, JSON report (best of $RUNS runs)
#   ripgrep    rg --count-matches over gitleaks' keywords (best of $RUNS), if rg is installed
#   gitleaks   8.30.1, pinned (installed with go install when missing), one run
# and prints MB/s, peak RSS, the ratios to ripgrep's keyword pass and to
# gitleaks, and the recall of the planted secrets; then the minimum over
# the shapes. Two more rows: a ~20 MB home of ~100 files (start-up, walking
# and per-file costs; mcpscan's time is the median of $HOME_RUNS runs) and
# one transcript of SIZE_SINGLE in a single file (memory on one huge file).
#
#   scripts/bench.sh [SIZE] [WORKDIR]     e.g. scripts/bench.sh 256MB /tmp/mcpscan-bench
#
# Environment:
#   SHAPES="mixed logs"   shapes to run (default: all of `gencorpus -shapes`)
#   SEED=1                corpus seed
#   RUNS=3                runs of mcpscan and rg per shape (the best counts)
#   HOME_SIZE=20MB        the small home; HOME_RUNS=9
#   SIZE_SINGLE=1GB       the single-file row (SINGLE=0 skips it)
#   GITLEAKS=0            skip gitleaks (it runs at ~3-5 MB/s: ~1 min per 256 MB)
#   GITLEAKS_SINGLE=0     gitleaks on the single file too (default: skipped, ~5 min per GB)
#   KEEP=1                keep the generated corpora (default: each is deleted after its row)
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
# A last section measures the every-interface bind analysis
# (server-binds-all-interfaces, rules/bindcheck) on real code: an npm
# node_modules tree installed into WORKDIR (when npm is there) and Python's
# standard library. BIND_ONLY=1 runs that section alone.
#
# Needs Go, /usr/bin/time and about 2×SIZE of free disk in WORKDIR. Tools
# that are absent (rg; gitleaks with GITLEAKS=0) are skipped. The machine
# should be otherwise idle: every figure is wall-clock time on all cores.
set -euo pipefail
export LC_ALL=C # a decimal point in $EPOCHREALTIME and awk
cd "$(dirname "$0")/.."
SIZE=${1:-256MB}
WORK=${2:-/tmp/mcpscan-bench}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
HOME_SIZE=${HOME_SIZE:-20MB}
HOME_RUNS=${HOME_RUNS:-9}
SIZE_SINGLE=${SIZE_SINGLE:-1GB}
mkdir -p "$WORK/bin"
BIN="$WORK/bin"

echo "== building"
CGO_ENABLED=0 go build -o "$BIN/mcpscan" ./cmd/mcpscan
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
SHAPES=${SHAPES:-$("$BIN/gencorpus" -shapes | awk '{print $1}' | tr '\n' ' ')}

# gitleaks 8.30.1, pinned: a `go install`ed binary reports its module version to `go version -m`.
GITLEAKS_BIN=""
if [ "${GITLEAKS:-1}" != 0 ]; then
  is_pinned() { [ -x "$1" ] && { go version -m "$1" 2>/dev/null | grep -q 'gitleaks/v8[[:space:]]*v8.30.1' || "$1" version 2>/dev/null | grep -q '8.30.1'; }; }
  GITLEAKS_BIN=$(command -v gitleaks || true)
  if ! is_pinned "$GITLEAKS_BIN"; then
    GITLEAKS_BIN="$(go env GOPATH)/bin/gitleaks"
    if ! is_pinned "$GITLEAKS_BIN"; then
      echo "== installing gitleaks 8.30.1"
      GOFLAGS= go install github.com/zricethezav/gitleaks/v8@v8.30.1
    fi
  fi
fi

# ripgrep's keyword pass: gitleaks' keywords (the rules mcpscan takes from
# gitleaks), case-insensitive, every file (hidden ones too: ~/.claude).
RG=$(command -v rg || true)
if [ -n "$RG" ]; then
  "$BIN/mcpscan" rules --json | awk '
    /"origin":/ { origin = $2 }
    /"keywords": \[/ { inkw = 1; n = 0; next }
    inkw && /\]/ { inkw = 0; if (origin ~ /gitleaks/) for (i = 0; i < n; i++) print kw[i]; next }
    inkw { s = $0; sub(/^[ \t]*"/, "", s); sub(/",?[ \t]*$/, "", s); gsub(/\\u003c/, "<", s); gsub(/\\u003e/, ">", s); gsub(/\\u0026/, "\\&", s); gsub(/\\"/, "\"", s); gsub(/\\\\/, "\\", s); kw[n++] = s }
  ' | sort -u > "$WORK/keywords.txt"
  # The origin line follows the keywords in `rules --json`: fall back to
  # every keyword when the filter found none.
  if [ ! -s "$WORK/keywords.txt" ]; then
    "$BIN/mcpscan" rules --json | awk '/"keywords": \[/ {k=1; next} k && /\]/ {k=0} k {s=$0; sub(/^[ \t]*"/,"",s); sub(/",?[ \t]*$/,"",s); print s}' | sort -u > "$WORK/keywords.txt"
  fi
else
  echo "== rg not installed: the ripgrep column is skipped (Debian: apt-get install ripgrep)"
fi

# timed NAME CMD...: run once, record seconds and peak RSS (KiB) in SECS/RSS.
# The wall clock is bash's $EPOCHREALTIME around the run (microseconds;
# /usr/bin/time's %e has 10 ms steps, a sixth of a small home's scan); it
# includes starting /usr/bin/time itself, about a millisecond.
declare -A SECS RSS
timed() {
  local name=$1; shift
  local t0 t1
  t0=$EPOCHREALTIME
  /usr/bin/time -f "%M" -o "$WORK/$name.time" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" || true
  t1=$EPOCHREALTIME
  SECS[$name]=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')
  RSS[$name]=$(tail -n 1 "$WORK/$name.time")
}
# best NAME N CMD...: the fastest of N runs, the largest RSS.
best() {
  local name=$1 n=$2; shift 2
  local s="" r=0
  for _ in $(seq "$n"); do
    timed "$name" "$@"
    if [ -z "$s" ] || awk -v a="${SECS[$name]}" -v b="$s" 'BEGIN{exit !(a<b)}'; then s=${SECS[$name]}; fi
    [ "${RSS[$name]}" -gt "$r" ] && r=${RSS[$name]}
  done
  SECS[$name]=$s; RSS[$name]=$r
}
# median NAME N CMD...: the median of N runs, the largest RSS.
median() {
  local name=$1 n=$2; shift 2
  local all=() r=0
  for _ in $(seq "$n"); do
    timed "$name" "$@"
    all+=("${SECS[$name]}")
    [ "${RSS[$name]}" -gt "$r" ] && r=${RSS[$name]}
  done
  SECS[$name]=$(printf '%s\n' "${all[@]}" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  RSS[$name]=$r
}
warm() { find "$1" -type f -exec cat {} + > /dev/null; }
div() { awk -v a="$1" -v b="$2" -v f="${3:-%.1f}" 'BEGIN{ if (b > 0) printf f, a/b; else printf "-" }'; }

TABLE="$WORK/table.txt"
CPU="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
{
  echo "mcpscan $(git describe --always --dirty 2>/dev/null || echo dev), $CPU, seed $SEED, best of $RUNS runs (mcpscan, rg), page cache warm"
  printf '%-10s %9s %9s %9s %8s %9s %10s  %s\n' shape MB seconds "MB/s" "RSS MiB" "vs rg" "vs gitleaks" "recall (mcpscan; gitleaks)"
} > "$TABLE"

MIN=""
MINSHAPE=""
# row NAME DIR TARGET: one line of the table (TARGET: what the tools scan).
row() {
  local name=$1 dir=$2 target=$3
  local bytes mb s r rgx glx rc glrc mbs
  bytes=$(du -sb "$target" | cut -f1)
  mb=$(div "$bytes" 1000000 %.0f)
  s=${SECS[mcpscan]}; r=$((RSS[mcpscan] / 1024))
  mbs=$(div "$bytes" "$(awk -v s="$s" 'BEGIN{print s*1e6}')")
  rgx=-; glx=-; glrc=""
  [ -n "${SECS[ripgrep]:-}" ] && rgx="$(div "$s" "${SECS[ripgrep]}" %.2f)x"
  [ -n "${SECS[gitleaks]:-}" ] && glx="$(div "${SECS[gitleaks]}" "$s" %.0f)x"
  rc=$("$BIN/corpusrecall" -manifest "$dir/manifest.json" -home "$dir/home" -format mcpscan "$WORK/mcpscan.json" 2>/dev/null | sed 's/ planted secrets//; s/ findings on lines where nothing was planted/ unplanted/' || echo "-")
  [ "$name" = single ] && rc="(one file of the corpus: $(grep -c '"rule_id"' "$WORK/mcpscan.json" || true) findings)"
  if [ -n "${SECS[gitleaks]:-}" ]; then
    glrc="; $("$BIN/corpusrecall" -manifest "$dir/manifest.json" -home "$dir/home" -format gitleaks "$WORK/gitleaks.json" 2>/dev/null | sed 's/.*(\([0-9.]*%\)).*/\1/' || echo "-")"
  fi
  printf '%-10s %9s %9s %9s %8s %9s %10s  %s\n' "$name" "$mb" "$s" "$mbs" "$r" "$rgx" "$glx" "$rc$glrc" | tee -a "$TABLE"
  if [ "$name" != home ] && [ "$name" != single ]; then
    if [ -z "$MIN" ] || awk -v a="$mbs" -v b="$MIN" 'BEGIN{exit !(a<b)}'; then MIN=$mbs; MINSHAPE=$name; fi
  fi
}

# scan DIR TARGET RUNNER: run the tools over TARGET (a directory or file).
scan() {
  local dir=$1 target=$2 runner=$3 n=$4
  unset 'SECS[ripgrep]' 'SECS[gitleaks]'
  warm "$target"
  "$runner" mcpscan "$n" "$BIN/mcpscan" --format json --show-secrets --no-progress --output "$WORK/mcpscan.json" "$target"
  if [ -n "$RG" ]; then
    best ripgrep "$RUNS" "$RG" --count-matches --no-filename --hidden --no-ignore -i -F -f "$WORK/keywords.txt" "$target"
  fi
  if [ -n "$GITLEAKS_BIN" ] && { [ "$target" = "$dir/home" ] || [ "${GITLEAKS_SINGLE:-0}" = 1 ]; }; then
    timed gitleaks "$GITLEAKS_BIN" dir "$target" --report-format json --report-path "$WORK/gitleaks.json" --no-banner --log-level error --exit-code 0
  fi
}

for shape in $SHAPES; do
  dir="$WORK/$shape-$SIZE-seed$SEED"
  if [ ! -f "$dir/manifest.json" ]; then
    rm -rf "$dir"
    echo "== generating $shape ($SIZE)" >&2
    "$BIN/gencorpus" -out "$dir" -size "$SIZE" -seed "$SEED" -shape "$shape" >&2
  fi
  echo "== $shape" >&2
  scan "$dir" "$dir/home" best "$RUNS"
  row "$shape" "$dir" "$dir/home"
  [ "${KEEP:-0}" = 1 ] || rm -rf "$dir"
done

# A small home: ~100 files, the size of a few weeks of use.
dir="$WORK/home-$HOME_SIZE-seed$SEED"
if [ ! -f "$dir/manifest.json" ]; then
  rm -rf "$dir"
  "$BIN/gencorpus" -out "$dir" -size "$HOME_SIZE" -seed "$SEED" -shape mixed -projects 4 -sessions 6 >&2
fi
echo "== home ($(find "$dir/home" -type f | wc -l) files)" >&2
scan "$dir" "$dir/home" median "$HOME_RUNS"
row home "$dir" "$dir/home"
[ "${KEEP:-0}" = 1 ] || rm -rf "$dir"

# One transcript of SIZE_SINGLE in a single file (ScanAt on every core).
if [ "${SINGLE:-1}" != 0 ]; then
  dir="$WORK/single-$SIZE_SINGLE-seed$SEED"
  if [ ! -f "$dir/manifest.json" ]; then
    rm -rf "$dir"
    "$BIN/gencorpus" -out "$dir" -size "$SIZE_SINGLE" -seed "$SEED" -shape huge -projects 1 -sessions 1 >&2
  fi
  file=$(find "$dir/home/.claude/projects" -maxdepth 2 -name '*.jsonl' -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2)
  echo "== single file ($(du -h "$file" | cut -f1))" >&2
  scan "$dir" "$file" best 1
  row single "$dir" "$file"
  [ "${KEEP:-0}" = 1 ] || rm -rf "$dir"
fi

echo "minimum over the shapes: $MIN MB/s ($MINSHAPE)" | tee -a "$TABLE"
echo
echo "table written to $TABLE"

bench_agents
bind_bench
