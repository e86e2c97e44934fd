#!/usr/bin/env bash
# Regenerates cmd/mcpscan/default.pgo, the CPU profile that `go build`
# uses for profile-guided optimization of mcpscan (go build's default
# -pgo=auto picks up default.pgo in the main package; releases are built
# the same way). The profile merges one scan of every corpus shape
# (fixtures/corpus, SIZE each) and eight scans of a small home, so that
# no single shape steers the optimizer. Re-run it after changes to the
# matcher or the rules; a stale profile still helps, just less.
#
#   scripts/pgo.sh [WORKDIR]          SIZE=256MB by default (about 2.6 GB of disk in WORKDIR)
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-/tmp/mcpscan-pgo}
SIZE=${SIZE:-256MB}
mkdir -p "$WORK"
CGO_ENABLED=0 go build -pgo=off -o "$WORK/mcpscan" ./cmd/mcpscan
go build -o "$WORK/gencorpus" ./fixtures/corpus/cmd/gencorpus
profiles=()
scan() { # scan NAME DIR: one profiled scan
  "$WORK/mcpscan" --cpuprofile "$WORK/$1.prof" --format json --no-progress --output "$WORK/report.json" "$2" > /dev/null 2>&1 || true
  profiles+=("$WORK/$1.prof")
}
for shape in $("$WORK/gencorpus" -shapes | awk '{print $1}'); do
  [ -d "$WORK/$shape/home" ] || "$WORK/gencorpus" -out "$WORK/$shape" -size "$SIZE" -seed 1 -shape "$shape" > /dev/null
  scan "$shape" "$WORK/$shape/home"
done
[ -d "$WORK/small-home/home" ] || "$WORK/gencorpus" -out "$WORK/small-home" -size 20MB -seed 1 -shape mixed -projects 4 -sessions 6 > /dev/null
for i in 1 2 3 4 5 6 7 8; do scan "small-home-$i" "$WORK/small-home/home"; done
go tool pprof -proto "${profiles[@]}" > cmd/mcpscan/default.pgo 2> /dev/null
echo "cmd/mcpscan/default.pgo: $(wc -c < cmd/mcpscan/default.pgo) bytes from ${#profiles[@]} profiles"
