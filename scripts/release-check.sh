#!/usr/bin/env bash
# release-check.sh: check the release pipeline (.goreleaser.yaml) without
# publishing anything.
#
#   scripts/release-check.sh              # the committed HEAD
#   scripts/release-check.sh --worktree   # HEAD plus uncommitted changes (tracked and new files)
#   scripts/release-check.sh --keep       # keep the temporary clone and its dist/ (path printed)
#
# It clones the repository into a temporary directory (so the result is that
# of a clean clone: nothing untracked, no local dist/), points the clone's
# origin at the GitHub repository (GoReleaser reads the owner and name from
# it), then runs
#
#   goreleaser check
#   goreleaser release --snapshot --clean --skip=sbom,sign
#
# and checks what came out: archives for linux, darwin and windows on amd64
# and arm64, checksums, deb and rpm packages, the Homebrew cask and the Scoop
# manifest, and that `mcpscan --version` of the snapshot build shows the
# snapshot version and the commit. Everything works offline once the Go
# modules are in the module cache.
#
# GoReleaser: $GORELEASER, else `goreleaser` on PATH or in $(go env GOPATH)/bin,
# else it is installed with `go install github.com/goreleaser/goreleaser/v2@v2.16.0`
# (about 8 minutes on 2 cores). Not part of .ci/run: run it before tagging a
# release, or after changing .goreleaser.yaml, cmd/mcpscan/version.go or
# the build.
set -euo pipefail

GORELEASER_VERSION=v2.16.0
REMOTE_URL=https://github.com/mcpscan/mcpscan.git

worktree=0
keep=0
for arg in "$@"; do
  case "$arg" in
    --worktree) worktree=1 ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "release-check: unknown argument $arg" >&2; exit 2 ;;
  esac
done

repo=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "release-check: FAIL: $*" >&2; exit 1; }

# --- GoReleaser -------------------------------------------------------------
gr=${GORELEASER:-}
if [ -z "$gr" ]; then
  if command -v goreleaser >/dev/null 2>&1; then
    gr=$(command -v goreleaser)
  elif [ -x "$(go env GOPATH)/bin/goreleaser" ]; then
    gr="$(go env GOPATH)/bin/goreleaser"
  else
    echo "== installing GoReleaser $GORELEASER_VERSION (go install; this takes several minutes)"
    go install "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION"
    gr="$(go env GOPATH)/bin/goreleaser"
  fi
fi
echo "== $("$gr" --version 2>/dev/null | grep -m1 -i '^GitVersion' || echo "goreleaser at $gr")"

# --- a clean clone -----------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcpscan-release-check.XXXXXX")
if [ "$keep" -eq 1 ]; then
  echo "== keeping $tmp"
else
  trap 'rm -rf "$tmp"' EXIT
fi
src="$tmp/src"
git clone --quiet --no-hardlinks "$repo" "$src"
if [ "$worktree" -eq 1 ]; then
  # Copy tracked and untracked (not ignored) files as they are now, and
  # delete what the work tree deleted; commit them in the clone only.
  (cd "$repo" && git ls-files -z --cached --others --exclude-standard) |
    while IFS= read -r -d '' f; do
      if [ -e "$repo/$f" ] || [ -L "$repo/$f" ]; then
        mkdir -p "$src/$(dirname "$f")"
        cp -a "$repo/$f" "$src/$f"
      else
        rm -f "$src/$f"
      fi
    done
  git -C "$src" add -A
  git -C "$src" -c user.name=release-check -c user.email=release-check@localhost \
    commit --quiet --allow-empty -m "release-check: work tree"
fi
git -C "$src" remote set-url origin "$REMOTE_URL"
commit=$(git -C "$src" rev-parse HEAD)
echo "== clone of $(git -C "$repo" rev-parse --short HEAD)$([ "$worktree" -eq 1 ] && echo " + work tree") at $src (commit $commit)"

cd "$src"
unset GITHUB_TOKEN GITLAB_TOKEN GITEA_TOKEN # a snapshot publishes nothing

echo "== goreleaser check"
"$gr" check

echo "== goreleaser release --snapshot --clean --skip=sbom,sign"
"$gr" release --snapshot --clean --skip=sbom,sign

# --- what came out ----------------------------------------------------------
dist="$src/dist"
version=$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' "$dist/metadata.json")
[ -n "$version" ] || fail "no version in dist/metadata.json"
echo "== snapshot version $version"

for target in linux_amd64 linux_arm64 darwin_amd64 darwin_arm64; do
  [ -f "$dist/mcpscan_${version}_${target}.tar.gz" ] || fail "missing archive mcpscan_${version}_${target}.tar.gz"
done
for target in windows_amd64 windows_arm64; do
  [ -f "$dist/mcpscan_${version}_${target}.zip" ] || fail "missing archive mcpscan_${version}_${target}.zip"
done
[ -s "$dist/checksums.txt" ] || fail "missing checksums.txt"
[ "$(wc -l < "$dist/checksums.txt")" -ge 10 ] || fail "checksums.txt lists fewer than 10 files"
(cd "$dist" && sha256sum --check --quiet checksums.txt) || fail "checksums.txt does not match the files"
for pattern in 'mcpscan_*_amd64.deb' 'mcpscan_*_arm64.deb' 'mcpscan-*.x86_64.rpm' 'mcpscan-*.aarch64.rpm'; do
  compgen -G "$dist/$pattern" >/dev/null || fail "missing package $pattern"
done
cask=$(find "$dist" -name mcpscan.rb -path '*Casks*' | head -n1)
if [ -z "$cask" ] || ! grep -q 'binary "mcpscan"' "$cask"; then fail "missing or wrong Homebrew cask"; fi
scoop=$(find "$dist" -name mcpscan.json -path '*bucket*' | head -n1)
if [ -z "$scoop" ] || ! grep -q '"64bit"' "$scoop" || ! grep -q '"arm64"' "$scoop"; then fail "missing or wrong Scoop manifest"; fi

goos=$(go env GOOS)
goarch=$(go env GOARCH)
bin=$(find "$dist" -type f -name mcpscan -path "*mcpscan_${goos}_${goarch}*" | head -n1)
if [ -n "$bin" ]; then
  out=$("$bin" --version)
  echo "== $bin --version"
  echo "$out"
  case "$out" in *"$version"*) ;; *) fail "--version does not show the version $version" ;; esac
  case "$out" in *"$commit"*) ;; *) fail "--version does not show the commit $commit" ;; esac
else
  echo "== no build for $goos/$goarch to run; --version not checked"
fi

echo "== release-check: OK ($(find "$dist" -mindepth 1 -maxdepth 1 | wc -l) entries in dist/)"
