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
#   INPUT_FORMAT        sarif (default), json, jsonl, html or terminal
#   INPUT_OUTPUT        the report file (default: mcpscan.<format>; terminal: the log)
#   INPUT_FAIL_ON       info, low, medium, high (default), critical: the step fails
#                       on findings at or above it; none: never on findings; "":
#                       mcpscan's own default (the repository's .mcpscan.toml
#                       fail_on, else any finding)
#   INPUT_CATEGORY      SARIF category (--sarif-category; upload-sarif's category)
#
# Release binaries are installed by scripts/install.sh (checked against the
# release's checksums.txt) from https://github.com/mcpscan/mcpscan/releases,
# or $MCPSCAN_RELEASES_URL (a mirror; file:///dir works, for tests); a
# version with no release is built with go install. $MCPSCAN_BINARY skips
# the install and runs that binary (a build of your own; tests).
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

case "$format" in sarif | json | jsonl | html | terminal) ;; *) die "format: '$format' is not sarif, json, jsonl, html or terminal" ;; esac
case "$fail_on" in "" | none | info | low | medium | high | critical) ;; *) die "fail-on: '$fail_on' is not info, low, medium, high, critical or none" ;; esac
output=${INPUT_OUTPUT-}
if [ -z "$output" ] && [ "$format" != terminal ]; then output="mcpscan.$format"; fi

tmp=$(unixpath "${RUNNER_TEMP:-${TMPDIR:-/tmp}}")
mkdir -p "$tmp"

# --- install -------------------------------------------------------------------

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# install_go VERSION DIR: go install the module at VERSION into DIR.
install_go() {
  local ver=$1 dir=$2
  command -v go >/dev/null 2>&1 || die "version '$ver' has no release, and building it needs Go: add actions/setup-go before this action"
  echo "mcpscan: no release for '$ver': go install $module@$ver"
  mkdir -p "$dir"
  GOBIN=$(if command -v cygpath >/dev/null 2>&1; then cygpath -w "$dir"; else printf '%s' "$dir"; fi) \
    CGO_ENABLED=0 go install "$module@$ver" || die "go install $module@$ver failed"
}

case "${RUNNER_OS:-$(uname -s)}" in
  Linux) os=linux ;;
  macOS | Darwin) os=darwin ;;
  Windows | MINGW* | MSYS* | CYGWIN*) os=windows ;;
  *) die "no mcpscan release for runner OS ${RUNNER_OS:-$(uname -s)}" ;;
esac
case "${RUNNER_ARCH:-$(uname -m)}" in
  X64 | x86_64 | amd64) arch=amd64 ;;
  ARM64 | arm64 | aarch64) arch=arm64 ;;
  *) arch= ;; # no release: only go install can help
esac
exe=mcpscan
if [ "$os" = windows ]; then exe=mcpscan.exe; fi

if [ -n "${MCPSCAN_BINARY:-}" ]; then
  bin=$(unixpath "$MCPSCAN_BINARY")
  [ -x "$bin" ] || die "MCPSCAN_BINARY=$MCPSCAN_BINARY is not an executable file"
  echo "mcpscan: using $bin (MCPSCAN_BINARY)"
else
  ver=${version#v}
  dir="$tmp/mcpscan-$ver"
  bin="$dir/$exe"
  if [ -x "$bin" ] && [ "$ver" != latest ]; then
    echo "mcpscan: $ver already installed in $dir"
  elif [ "$ver" = latest ] || [[ "$ver" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
    [ -n "$arch" ] || die "no mcpscan release for runner architecture ${RUNNER_ARCH:-$(uname -m)} (there are X64 and ARM64); set version to a branch or commit to build it with go install"
    rc=0
    MCPSCAN_RELEASES_URL=$releases bash "$here/../install.sh" -b "$dir" --os "$os" --arch "$arch" "$ver" | tee "$tmp/mcpscan-install.log" || rc=$?
    case "$rc" in
      0) bin=$(unixpath "$(tail -n1 "$tmp/mcpscan-install.log")") ;;
      3) install_go "v$ver" "$dir" ;;
      *) die "installing mcpscan $version failed (see above)" ;;
    esac
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

# A report left by an earlier step must never be uploaded as this one's
# (only a regular file: output may be /dev/stdout or /dev/null).
if [ -n "$output" ] && [ -f "$output" ] && [ ! -L "$output" ]; then rm -f "$output"; fi

echo "mcpscan ${flags[*]} ${args[*]+"${args[*]}"}"
set +e
"$bin" "${flags[@]}" ${args[@]+"${args[@]}"}
rc=$?
set -e
out exit-code "$rc"

findings=
if [ -n "$output" ] && [ -f "$output" ] && [ -s "$output" ]; then
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
