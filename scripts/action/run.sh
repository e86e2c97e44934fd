#!/usr/bin/env bash
# run.sh: the work of mcpscan's GitHub Action (action.yml): install mcpscan,
# run it, and hand the exit status and the report to the next steps.
#
# Inputs come as environment variables (action.yml maps them):
#
#   INPUT_VERSION       latest (default), a release (1.2.3 or v1.2.3), or anything
#                       else `go install …/cmd/mcpscan@<version>` accepts (main, a
#                       commit): used for versions that have no release
#   INPUT_ARGS          paths and flags, split like a shell command line (quotes
#                       and backslashes work; nothing is expanded); default "."
#   INPUT_FORMAT        sarif (default), json, jsonl or terminal
#   INPUT_OUTPUT        the report file (default: mcpscan.sarif, mcpscan.json,
#                       mcpscan.jsonl; terminal: the log)
#   INPUT_FAIL_ON       info, low, medium, high (default), critical: the step fails
#                       on findings at or above it; none: never on findings; "":
#                       mcpscan's own default (the repository's .mcpscan.toml
#                       fail_on, else any finding)
#   INPUT_CATEGORY      SARIF category (--sarif-category; upload-sarif's category)
#
# Release binaries: <base>/latest/download/checksums.txt names the latest
# version; <base>/download/v<version>/mcpscan_<version>_<os>_<arch>.tar.gz
# (.zip on Windows) is downloaded and checked against checksums.txt of the
# same release (SHA-256), as .goreleaser.yaml names them. <base> is
# https://github.com/mcpscan/mcpscan/releases, or $MCPSCAN_RELEASES_URL
# (a mirror; file:///dir works, for tests). $MCPSCAN_BINARY skips the install
# and runs that binary (a build of your own; tests).
#
# GitHub's variables used: RUNNER_OS (Linux, macOS, Windows), RUNNER_ARCH
# (X64, ARM64), RUNNER_TEMP, GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_PATH,
# GITHUB_STEP_SUMMARY.
#
# Outputs (GITHUB_OUTPUT): exit-code (mcpscan's: 0 clean, 1 findings at or
# above fail-on, 2 error), report (the file, when written), sarif (the SARIF
# file to upload), findings (how many, when known), version, fail (true when
# the step must fail, after the upload) and message.
# This script itself fails only when mcpscan cannot be installed or the
# inputs are wrong; the scan's verdict is applied by action.yml's last step.
set -euo pipefail

die() { echo "::error title=mcpscan::$*" >&2; exit 2; }
out() { if [ -n "${GITHUB_OUTPUT:-}" ]; then printf '%s=%s\n' "$1" "$2" >> "$GITHUB_OUTPUT"; fi; }
# unixpath P: P as this shell's path (Git Bash on Windows gets C:\… paths).
unixpath() { if command -v cygpath >/dev/null 2>&1; then cygpath -u "$1"; else printf '%s' "$1"; fi; }

version=${INPUT_VERSION:-latest}
format=${INPUT_FORMAT:-sarif}
fail_on=${INPUT_FAIL_ON-high}
category=${INPUT_CATEGORY-mcpscan}
releases=${MCPSCAN_RELEASES_URL:-https://github.com/mcpscan/mcpscan/releases}
releases=${releases%/}
module=github.com/mcpscan/mcpscan/cmd/mcpscan

case "$format" in sarif | json | jsonl | terminal) ;; *) die "format: '$format' is not sarif, json, jsonl or terminal" ;; esac
case "$fail_on" in "" | none | info | low | medium | high | critical) ;; *) die "fail-on: '$fail_on' is not info, low, medium, high, critical or none" ;; esac
output=${INPUT_OUTPUT-}
if [ -z "$output" ] && [ "$format" != terminal ]; then output="mcpscan.$format"; fi

tmp=$(unixpath "${RUNNER_TEMP:-${TMPDIR:-/tmp}}")
mkdir -p "$tmp"

# --- install -------------------------------------------------------------------

# sha256 FILE: the file's SHA-256, in hex.
sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  else openssl dgst -sha256 -r "$1" | cut -d' ' -f1; fi
}

# fetch URL FILE: download URL to FILE; fails on HTTP errors.
fetch() { curl -fsSL --retry 3 --retry-delay 2 --proto '=https,file' -o "$2" "$1"; }

# unzip_to ZIP DIR
unzip_to() {
  if command -v unzip >/dev/null 2>&1; then unzip -q -o "$1" -d "$2"
  elif command -v 7z >/dev/null 2>&1; then 7z x -y -bd "-o$2" "$1" >/dev/null
  elif command -v pwsh >/dev/null 2>&1; then pwsh -NoProfile -NonInteractive -Command "Expand-Archive -Force -LiteralPath '$1' -DestinationPath '$2'"
  else python3 -m zipfile -e "$1" "$2"; fi
}

# install_release VERSION DIR: download, verify and unpack the release
# archive for this runner into DIR. Returns 3 when the release does not exist.
install_release() {
  local ver=$1 dir=$2 os arch ext name sums want got
  case "${RUNNER_OS:-$(uname -s)}" in
    Linux) os=linux ;;
    macOS | Darwin) os=darwin ;;
    Windows | MINGW* | MSYS* | CYGWIN*) os=windows ;;
    *) die "no mcpscan release for runner OS ${RUNNER_OS:-$(uname -s)}" ;;
  esac
  case "${RUNNER_ARCH:-$(uname -m)}" in
    X64 | x86_64 | amd64) arch=amd64 ;;
    ARM64 | arm64 | aarch64) arch=arm64 ;;
    *) die "no mcpscan release for runner architecture ${RUNNER_ARCH:-$(uname -m)} (there are X64 and ARM64); set version to a branch or commit to build it with go install" ;;
  esac
  ext=tar.gz
  if [ "$os" = windows ]; then ext=zip; fi
  name="mcpscan_${ver}_${os}_${arch}.${ext}"
  sums="$tmp/mcpscan-checksums-$ver.txt"
  local rc=0
  fetch "$releases/download/v$ver/checksums.txt" "$sums" 2>/dev/null || rc=$?
  case "$rc" in
    0) ;;
    22 | 37) return 3 ;; # HTTP 404 (or a missing file): no such release
    *) die "cannot download $releases/download/v$ver/checksums.txt (curl exit $rc)" ;;
  esac
  echo "mcpscan: downloading $releases/download/v$ver/$name"
  fetch "$releases/download/v$ver/$name" "$tmp/$name" || die "cannot download $name from $releases/download/v$ver"
  want=$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1 }' "$sums")
  [ -n "$want" ] || die "checksums.txt of v$ver does not list $name"
  got=$(sha256 "$tmp/$name")
  if [ "$got" != "$want" ]; then
    die "$name: SHA-256 $got does not match checksums.txt ($want): refusing to run it"
  fi
  echo "mcpscan: $name matches checksums.txt (SHA-256 $got)"
  mkdir -p "$dir"
  if [ "$ext" = zip ]; then unzip_to "$tmp/$name" "$dir"; else tar -xzf "$tmp/$name" -C "$dir"; fi
  rm -f "$tmp/$name" "$sums"
}

# install_go VERSION DIR: go install the module at VERSION into DIR.
install_go() {
  local ver=$1 dir=$2
  command -v go >/dev/null 2>&1 || die "version '$ver' has no release, and building it needs Go: add actions/setup-go before this action"
  echo "mcpscan: no release for '$ver': go install $module@$ver"
  mkdir -p "$dir"
  GOBIN=$(if command -v cygpath >/dev/null 2>&1; then cygpath -w "$dir"; else printf '%s' "$dir"; fi) \
    CGO_ENABLED=0 go install "$module@$ver" || die "go install $module@$ver failed"
}

exe=mcpscan
case "${RUNNER_OS:-$(uname -s)}" in Windows | MINGW* | MSYS* | CYGWIN*) exe=mcpscan.exe ;; esac

if [ -n "${MCPSCAN_BINARY:-}" ]; then
  bin=$(unixpath "$MCPSCAN_BINARY")
  [ -x "$bin" ] || die "MCPSCAN_BINARY=$MCPSCAN_BINARY is not an executable file"
  echo "mcpscan: using $bin (MCPSCAN_BINARY)"
else
  ver=${version#v}
  if [ "$ver" = latest ]; then
    sums="$tmp/mcpscan-checksums-latest.txt"
    fetch "$releases/latest/download/checksums.txt" "$sums" || die "cannot find the latest release at $releases (set version)"
    ver=$(sed -nE 's/.*[ *]mcpscan_([^_]+)_[a-z]+_[a-z0-9]+\.(tar\.gz|zip)$/\1/p' "$sums" | head -n1)
    [ -n "$ver" ] || die "the latest release's checksums.txt names no mcpscan archive"
    echo "mcpscan: latest release is $ver"
  fi
  dir="$tmp/mcpscan-$ver"
  bin="$dir/$exe"
  if [ -x "$bin" ]; then
    echo "mcpscan: $ver already installed in $dir"
  elif [[ "$ver" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
    rc=0
    install_release "$ver" "$dir" || rc=$?
    if [ "$rc" -eq 3 ]; then
      echo "mcpscan: no release v$ver at $releases"
      install_go "v$ver" "$dir"
    elif [ "$rc" -ne 0 ]; then
      exit "$rc"
    fi
  else
    install_go "$version" "$dir"
  fi
  [ -x "$bin" ] || die "installing mcpscan $version left no $exe in $dir"
  if [ -n "${GITHUB_PATH:-}" ]; then
    if command -v cygpath >/dev/null 2>&1; then cygpath -w "$dir" >> "$GITHUB_PATH"; else echo "$dir" >> "$GITHUB_PATH"; fi
  fi
fi
installed=$("$bin" --version | head -n1)
echo "$installed"
out version "$(printf '%s' "$installed" | sed -n 's/^mcpscan version \([^ ]*\).*/\1/p')"
out path "$bin"

# --- scan ----------------------------------------------------------------------

# The arguments, split as xargs splits them: quotes and backslashes, no
# expansion of $, ` or globs.
args=()
if [ -n "$(printf '%s' "${INPUT_ARGS-.}" | tr -d ' \t\r\n')" ]; then
  split="$tmp/mcpscan-args.$$"
  printf '%s' "${INPUT_ARGS-.}" | xargs printf '%s\0' > "$split" ||
    die "args: cannot split '${INPUT_ARGS-}' (an unmatched quote?)"
  while IFS= read -r -d '' a; do args+=("$a"); done < "$split"
  rm -f "$split"
fi

has_flag() { local f; for f in "${args[@]+"${args[@]}"}"; do case "$f" in "$1" | "$1"=*) return 0 ;; esac; done; return 1; }

flags=(--no-color --no-progress)
if [ "$format" != terminal ] || [ -n "$output" ]; then flags+=(--format "$format"); fi
if [ -n "$output" ]; then flags+=(--output "$output"); fi
if [ -n "$fail_on" ] && [ "$fail_on" != none ]; then flags+=(--fail-on "$fail_on"); fi
if [ "$format" = sarif ]; then
  if ! has_flag --sarif-root && [ -n "${GITHUB_WORKSPACE:-}" ]; then flags+=(--sarif-root "$GITHUB_WORKSPACE"); fi
  if ! has_flag --sarif-category; then flags+=(--sarif-category "$category"); fi
fi

# A report left by an earlier step must never be uploaded as this one's.
if [ -n "$output" ]; then rm -f "$output"; fi

echo "mcpscan ${flags[*]} ${args[*]+"${args[*]}"}"
set +e
"$bin" "${flags[@]}" ${args[@]+"${args[@]}"}
rc=$?
set -e
out exit-code "$rc"

findings=
if [ -n "$output" ] && [ -s "$output" ]; then
  out report "$output"
  if [ "$format" = sarif ]; then out sarif "$output"; fi
  if command -v jq >/dev/null 2>&1; then
    case "$format" in
      sarif) findings=$(jq '[.runs[].results[]?] | length' "$output" 2>/dev/null || true) ;;
      json) findings=$(jq '.findings | length' "$output" 2>/dev/null || true) ;;
      jsonl) findings=$(jq -c 'select(.type == "finding")' "$output" 2>/dev/null | wc -l | tr -d ' ' || true) ;;
    esac
  fi
fi
out findings "$findings"

at=${fail_on:-"mcpscan's fail_on"}
case "$rc" in
  0) verdict="no findings at or above $at"; fail=false ;;
  1)
    verdict="findings at or above $at: rotate the credentials, then remove them (see ${output:-the log})"
    fail=true
    if [ "$fail_on" = none ]; then verdict="findings (fail-on: none)"; fail=false; fi
    ;;
  *) verdict="mcpscan failed (exit $rc): see the log"; fail=true ;;
esac
out fail "$fail"
out message "mcpscan: $verdict"
echo "mcpscan: exit $rc: $verdict${findings:+ ($findings findings in the report)}"

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo "### mcpscan"
    echo
    echo "| | |"
    echo "|---|---|"
    echo "| version | \`$installed\` |"
    echo "| exit status | $rc: $verdict |"
    if [ -n "$findings" ]; then echo "| findings in the report | $findings |"; fi
    if [ -n "$output" ]; then echo "| report | \`$output\` |"; fi
  } >> "$GITHUB_STEP_SUMMARY"
fi
