#!/usr/bin/env bash
# install.sh: install an mcpscan release binary, checked against the
# release's checksums.txt (SHA-256).
#
#   scripts/install.sh                          # the latest release, into ./bin
#   scripts/install.sh -b /usr/local/bin 1.2.3  # a given release (1.2.3 or v1.2.3)
#   curl -fsSL https://raw.githubusercontent.com/mcpscan/mcpscan/main/scripts/install.sh | bash -s -- -b ~/.local/bin
#
# Options:
#   -b DIR          where the binary goes (default ./bin; created)
#   --os OS         linux, darwin or windows (default: this machine's)
#   --arch ARCH     amd64 or arm64 (default: this machine's)
#
# It reads <base>/latest/download/checksums.txt for the latest version, then
# downloads <base>/download/v<version>/mcpscan_<version>_<os>_<arch>.tar.gz
# (.zip for windows), as .goreleaser.yaml names the archives, checks it
# against checksums.txt of the same release and unpacks the binary into DIR
# (mcpscan, or mcpscan.exe). <base> is
# https://github.com/mcpscan/mcpscan/releases, or $MCPSCAN_RELEASES_URL (a
# mirror; file:///dir works too). The last line of its output is the
# installed binary's path.
#
# Needs curl, tar (and unzip, 7z, pwsh or python3 for .zip), and sha256sum,
# shasum or openssl. Used by the GitHub Action (scripts/action/run.sh) and
# the fleet recipes (docs/examples/fleet-audit.sh).
#
# Exit status: 0 installed, 3 no such release (no checksums.txt for that
# version: an unreleased version), 2 any other error (a download failed, the
# checksum did not match: nothing is installed then).
set -euo pipefail

die() { echo "install.sh: $*" >&2; exit 2; }

dir=bin
os=
arch=
version=latest
while [ $# -gt 0 ]; do
  case "$1" in
    -b) dir=${2:?-b needs a directory}; shift 2 ;;
    --os) os=${2:?--os needs a value}; shift 2 ;;
    --arch) arch=${2:?--arch needs a value}; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) version=$1; shift ;;
  esac
done
releases=${MCPSCAN_RELEASES_URL:-https://github.com/mcpscan/mcpscan/releases}
releases=${releases%/}

if [ -z "$os" ]; then
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) os=windows ;;
    *) die "no mcpscan release for $(uname -s); build it: go install github.com/mcpscan/mcpscan/cmd/mcpscan@latest" ;;
  esac
fi
if [ -z "$arch" ]; then
  case "$(uname -m)" in
    x86_64 | amd64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "no mcpscan release for $(uname -m); build it: go install github.com/mcpscan/mcpscan/cmd/mcpscan@latest" ;;
  esac
fi
case "$os" in linux | darwin | windows) ;; *) die "--os: $os is not linux, darwin or windows" ;; esac
case "$arch" in amd64 | arm64) ;; *) die "--arch: $arch is not amd64 or arm64" ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcpscan-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# fetch URL FILE: download URL to FILE; curl's exit status on failure
# (22: an HTTP error such as 404; 37: a file:// file that is not there).
fetch() { curl -fsSL --retry 3 --retry-delay 2 --proto '=https,file' -o "$2" "$1"; }

# sha256 FILE: the file's SHA-256, in hex.
sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  elif command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 -r "$1" | cut -d' ' -f1
  else die "no sha256sum, shasum or openssl to check the download"; fi
}

# unzip_to ZIP DIR
unzip_to() {
  if command -v unzip >/dev/null 2>&1; then unzip -q -o "$1" -d "$2"
  elif command -v 7z >/dev/null 2>&1; then 7z x -y -bd "-o$2" "$1" >/dev/null
  elif command -v pwsh >/dev/null 2>&1; then pwsh -NoProfile -NonInteractive -Command "Expand-Archive -Force -LiteralPath '$1' -DestinationPath '$2'"
  elif command -v python3 >/dev/null 2>&1; then python3 -m zipfile -e "$1" "$2"
  else die "no unzip, 7z, pwsh or python3 to unpack a .zip"; fi
}

version=${version#v}
if [ "$version" = latest ]; then
  fetch "$releases/latest/download/checksums.txt" "$tmp/checksums.txt" || die "cannot read the latest release's checksums.txt at $releases"
  version=$(sed -nE 's/^[0-9a-f]+ +\*?mcpscan_([^_]+)_[a-z]+_[a-z0-9]+\.(tar\.gz|zip)$/\1/p' "$tmp/checksums.txt" | head -n1)
  [ -n "$version" ] || die "the latest release's checksums.txt names no mcpscan archive"
  echo "install.sh: the latest release is $version"
fi
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || die "$version is not a release version (X.Y.Z); for a branch or commit: go install github.com/mcpscan/mcpscan/cmd/mcpscan@$version"

ext=tar.gz
exe=mcpscan
if [ "$os" = windows ]; then ext=zip exe=mcpscan.exe; fi
name="mcpscan_${version}_${os}_${arch}.${ext}"
base="$releases/download/v$version"

rc=0
fetch "$base/checksums.txt" "$tmp/checksums.txt" 2>/dev/null || rc=$?
case "$rc" in
  0) ;;
  22 | 37) echo "install.sh: no release v$version at $releases" >&2; exit 3 ;;
  *) die "cannot download $base/checksums.txt (curl exit $rc)" ;;
esac
want=$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1 }' "$tmp/checksums.txt")
[ -n "$want" ] || die "checksums.txt of v$version does not list $name"
echo "install.sh: downloading $base/$name"
fetch "$base/$name" "$tmp/$name" || die "cannot download $base/$name"
got=$(sha256 "$tmp/$name")
[ "$got" = "$want" ] || die "$name: SHA-256 $got does not match checksums.txt ($want): not installed"
echo "install.sh: $name matches checksums.txt (SHA-256 $got)"

mkdir -p "$tmp/x"
if [ "$ext" = zip ]; then unzip_to "$tmp/$name" "$tmp/x"; else tar -xzf "$tmp/$name" -C "$tmp/x"; fi
[ -f "$tmp/x/$exe" ] || die "$name holds no $exe"
mkdir -p "$dir"
chmod 0755 "$tmp/x/$exe"
# Replace atomically: a running mcpscan keeps its file.
cp "$tmp/x/$exe" "$dir/.$exe.new.$$"
mv -f "$dir/.$exe.new.$$" "$dir/$exe"
echo "install.sh: installed mcpscan $version"
echo "$(cd "$dir" && pwd)/$exe"
