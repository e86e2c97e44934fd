#!/usr/bin/env bash
# npm-packages.sh: build mcpscan's npm packages, ready for `npm publish`.
#
#   scripts/npm-packages.sh OUTDIR                     # every platform
#   scripts/npm-packages.sh --platforms host OUTDIR    # only this machine's (for tests)
#   scripts/npm-packages.sh --platforms linux-x64,darwin-arm64 --version 1.2.3 OUTDIR
#   scripts/npm-packages.sh --print-version            # the version it would use, and nothing else
#
# It writes into OUTDIR, with `npm pack`:
#
#   mcpscan-<version>.tgz                  the launcher package (npm/mcpscan)
#   mcpscan-cli-<os>-<cpu>-<version>.tgz   one per platform (npm/platform), with bin/mcpscan[.exe]
#
# The platforms are the optionalDependencies of npm/mcpscan/package.json
# (linux, darwin, win32 × x64, arm64). The binaries come from GoReleaser's
# dist/ (dist/artifacts.json) when it exists, so that npm ships the very
# binaries of the release archives; otherwise each is built here with
# `CGO_ENABLED=0 go build -trimpath` and the release ldflags.
#
# The version, in this order: --version; GoReleaser's dist/metadata.json
# (when the binaries come from dist/); the git tag: vX.Y.Z on HEAD gives
# X.Y.Z, N commits after vX.Y.Z gives X.Y.(Z+1)-dev.N.g<sha> (after X.Y.Z,
# before the next release, as GoReleaser's snapshots); no tag gives
# 0.0.0-dev.g<sha>; no git 0.0.0-dev. Every package gets the same version
# and the launcher pins its platform packages to it.
#
# Needs node and npm (any npm 7.18+); go when dist/ is absent. Nothing is
# downloaded and nothing is published: see RELEASING.md for that.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
platforms=all
version=
dist="$repo/dist"
outdir=
print_version=0

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "npm-packages: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --platforms) platforms=${2:?--platforms needs a value}; shift 2 ;;
    --platforms=*) platforms=${1#*=}; shift ;;
    --version) version=${2:?--version needs a value}; shift 2 ;;
    --version=*) version=${1#*=}; shift ;;
    --dist) dist=${2:?--dist needs a value}; shift 2 ;;
    --dist=*) dist=${1#*=}; shift ;;
    --print-version) print_version=1; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [ -z "$outdir" ] || die "one OUTDIR only"; outdir=$1; shift ;;
  esac
done
[ -n "$outdir" ] || [ "$print_version" -eq 1 ] || { usage >&2; exit 2; }
command -v node >/dev/null 2>&1 || die "node is needed (and npm)"
command -v npm >/dev/null 2>&1 || die "npm is needed"

template="$repo/npm"
# json FILE EXPR: evaluate a JavaScript expression over FILE's JSON (as j).
json() { node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const r = eval(process.argv[2]); if (r !== undefined) console.log(r)' "$1" "$2"; }

# --- platforms ---------------------------------------------------------------
all=$(json "$template/mcpscan/package.json" 'Object.keys(j.optionalDependencies).map(n => n.replace("@mcpscan/cli-", "")).join(" ")')
case "$platforms" in
  all) selected=$all ;;
  host) selected=$(node -p 'process.platform + "-" + process.arch') ;;
  *) selected=${platforms//,/ } ;;
esac
for p in $selected; do
  case " $all " in *" $p "*) ;; *) die "platform $p is not one of: $all" ;; esac
done

# --- binaries: dist/ or go build -------------------------------------------
from_dist=0
if [ -f "$dist/artifacts.json" ]; then
  from_dist=1
elif [ -e "$dist" ] && [ "$dist" != "$repo/dist" ]; then
  die "$dist has no artifacts.json: not a GoReleaser dist/"
fi

commit=$(git -C "$repo" rev-parse HEAD 2>/dev/null || true)
if [ -z "$version" ] && [ "$from_dist" -eq 1 ] && [ -f "$dist/metadata.json" ]; then
  version=$(json "$dist/metadata.json" 'j.version')
fi
if [ -z "$version" ]; then
  describe=$(git -C "$repo" describe --tags --long --abbrev=12 --match 'v[0-9]*' 2>/dev/null || true)
  short=$(git -C "$repo" rev-parse --short=12 HEAD 2>/dev/null || true)
  if [[ "$describe" =~ ^v([0-9]+)\.([0-9]+)\.([0-9]+)(-[0-9A-Za-z.-]+)?-([0-9]+)-g([0-9a-f]+)$ ]]; then
    major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]} patch=${BASH_REMATCH[3]}
    pre=${BASH_REMATCH[4]} ahead=${BASH_REMATCH[5]} sha=${BASH_REMATCH[6]}
    if [ "$ahead" -eq 0 ]; then
      version="$major.$minor.$patch$pre"
    elif [ -n "$pre" ]; then
      version="$major.$minor.$patch$pre.dev.$ahead.g$sha"
    else
      version="$major.$minor.$((patch + 1))-dev.$ahead.g$sha"
    fi
  elif [ -n "$short" ]; then
    version="0.0.0-dev.g$short"
  else
    version="0.0.0-dev"
  fi
fi
node -e 'const v = process.argv[1]; if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/.test(v) || /(^|[.-])0\d+(\.|$)/.test(v.split("-").slice(1).join("-"))) { process.exit(1) }' "$version" ||
  die "version $version is not a semantic version (X.Y.Z or X.Y.Z-pre, no build metadata)"
if [ "$print_version" -eq 1 ]; then
  echo "$version"
  exit 0
fi
echo "== version $version"
if [ "$from_dist" -eq 1 ]; then echo "== binaries from $dist (GoReleaser)"; fi
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcpscan-npm.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# binary OS CPU DEST: put the mcpscan binary for npm's OS and CPU at DEST.
binary() {
  local os=$1 cpu=$2 dest=$3 goos goarch src
  case "$os" in win32) goos=windows ;; *) goos=$os ;; esac
  case "$cpu" in x64) goarch=amd64 ;; *) goarch=$cpu ;; esac
  if [ "$from_dist" -eq 1 ]; then
    # The Binary artifact for goos/goarch (amd64: the v1 baseline build).
    src=$(json "$dist/artifacts.json" "(j.filter(a => a.type === 'Binary' && a.goos === '$goos' && a.goarch === '$goarch' && (!a.goamd64 || a.goamd64 === 'v1'))[0] || {}).path")
    [ -n "$src" ] || die "no $goos/$goarch binary in $dist/artifacts.json"
    case "$src" in /*) ;; *) src="$(dirname "$dist")/$src" ;; esac
    [ -f "$src" ] || die "$src (from artifacts.json) is missing"
    cp "$src" "$dest"
  else
    local date
    date=$(TZ=UTC git -C "$repo" log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd 2>/dev/null || true)
    echo "   go build $goos/$goarch"
    (cd "$repo" && CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath \
      -ldflags "-s -w -X main.version=$version -X main.commit=$commit -X main.date=$date" \
      -o "$dest" ./cmd/mcpscan)
  fi
  chmod 0755 "$dest"
}

# pack DIR: npm pack DIR into OUTDIR and print the tarball's name.
pack() {
  (cd "$1" && npm pack --ignore-scripts --silent --pack-destination "$outdir" 2>/dev/null) | tail -n1
}

# --- one package per platform -----------------------------------------------
for p in $selected; do
  os=${p%-*} cpu=${p#*-}
  stage="$tmp/cli-$p"
  mkdir -p "$stage/bin"
  exe=mcpscan
  if [ "$os" = win32 ]; then exe=mcpscan.exe; fi
  binary "$os" "$cpu" "$stage/bin/$exe"
  node -e '
    const fs = require("fs");
    const [tpl, out, os, cpu, version] = process.argv.slice(1);
    const j = JSON.parse(fs.readFileSync(tpl, "utf8"));
    j.name = `@mcpscan/cli-${os}-${cpu}`;
    j.version = version;
    j.description = j.description.replace("OS CPU", `${os}-${cpu}`);
    j.os = [os];
    j.cpu = [cpu];
    fs.writeFileSync(out, JSON.stringify(j, null, 2) + "\n");
  ' "$template/platform/package.json" "$stage/package.json" "$os" "$cpu" "$version"
  sed -e "s/OS-CPU/$os-$cpu/g; s/for OS on CPU/for $os on $cpu/" "$template/platform/README.md" > "$stage/README.md"
  if [ -f "$repo/LICENSE" ]; then cp "$repo/LICENSE" "$stage/LICENSE"; fi
  echo "== $outdir/$(pack "$stage")"
done

# --- the launcher package ---------------------------------------------------
stage="$tmp/mcpscan"
mkdir -p "$stage/bin"
cp "$template/mcpscan/bin/mcpscan" "$stage/bin/mcpscan"
chmod 0755 "$stage/bin/mcpscan"
cp "$template/mcpscan/README.md" "$stage/README.md"
if [ -f "$repo/LICENSE" ]; then cp "$repo/LICENSE" "$stage/LICENSE"; fi
node -e '
  const fs = require("fs");
  const [tpl, out, version] = process.argv.slice(1);
  const j = JSON.parse(fs.readFileSync(tpl, "utf8"));
  j.version = version;
  for (const name of Object.keys(j.optionalDependencies)) j.optionalDependencies[name] = version;
  fs.writeFileSync(out, JSON.stringify(j, null, 2) + "\n");
' "$template/mcpscan/package.json" "$stage/package.json" "$version"
echo "== $outdir/$(pack "$stage")"
