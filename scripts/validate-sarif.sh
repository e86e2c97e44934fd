#!/usr/bin/env bash
# validate-sarif.sh: validate SARIF with Microsoft's SARIF Multitool, with
# its SARIF rules and its GitHub code scanning ingestion rules
# (--rule-kind "Sarif;Gh"), and fail on any error-level result.
#
#   scripts/validate-sarif.sh              # SARIF of the demo home (fixtures/home) and of an empty scan
#   scripts/validate-sarif.sh F.sarif …    # the given files
#
# The Multitool comes from npm (@microsoft/sarif-multitool, a self-contained
# build that needs no .NET), installed once into a cache directory:
# $MCPSCAN_TOOLS_CACHE, else $XDG_CACHE_HOME/mcpscan-tools, else
# ~/.cache/mcpscan-tools. Its `validate` always exits 0, so this script
# counts the error-level results (and error notifications) in its output
# log. When npm or the registry cannot be reached, it fails if $CI is set
# (CI must run this check) and otherwise says loudly that it skipped.
#
# Called by .ci/run; the Go tests validate against the SARIF JSON schema
# without network (reporters/sarif_test.go).
set -euo pipefail

MULTITOOL_VERSION=5.7.0
cd "$(dirname "$0")/.."

say() { echo "validate-sarif: $*"; }
echo "== validate-sarif: Microsoft's SARIF Multitool $MULTITOOL_VERSION (rules Sarif;Gh) on mcpscan's SARIF"
unavailable() {
  if [ -n "${CI:-}" ]; then
    say "ERROR: $* — the SARIF Multitool check cannot run, and CI requires it" >&2
    exit 1
  fi
  say "WARNING: $* — SKIPPED the SARIF Multitool check (it is required in CI)" >&2
  exit 0
}

case "$(uname -s)" in
  Linux) platform=linux ;;
  Darwin) platform=darwin ;;
  MINGW*|MSYS*|CYGWIN*) platform=win32 ;;
  *) unavailable "no SARIF Multitool build for $(uname -s)" ;;
esac

# --- the Multitool ------------------------------------------------------------
cache=${MCPSCAN_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mcpscan-tools}
prefix="$cache/sarif-multitool-$MULTITOOL_VERSION"
pkgdir="$prefix/node_modules/@microsoft/sarif-multitool-$platform"
tool="$pkgdir/Sarif.Multitool"
[ "$platform" = win32 ] && tool="$tool.exe"
if [ ! -f "$tool" ]; then
  command -v npm >/dev/null 2>&1 || unavailable "npm is not installed"
  say "installing @microsoft/sarif-multitool@$MULTITOOL_VERSION into $prefix"
  mkdir -p "$prefix"
  to=""
  command -v timeout >/dev/null 2>&1 && to="timeout 900"
  if ! $to npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error \
      "@microsoft/sarif-multitool@$MULTITOOL_VERSION" >&2; then
    rm -rf "$prefix"
    unavailable "npm install @microsoft/sarif-multitool@$MULTITOOL_VERSION failed (no registry?)"
  fi
  [ -f "$tool" ] || { rm -rf "$prefix"; unavailable "the npm package has no $tool"; }
fi
chmod u+x "$tool" # its postinstall does this, when npm runs install scripts
command -v node >/dev/null 2>&1 || unavailable "node is not installed (needed to read the Multitool's log)"

work=$(mktemp -d "${TMPDIR:-/tmp}/mcpscan-sarif.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- what to validate ---------------------------------------------------------
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  go build -o "$work/mcpscan" ./cmd/mcpscan
  set +e
  "$work/mcpscan" --format sarif --output "$work/demo-home.sarif" fixtures/home
  rc=$?
  mkdir "$work/empty"
  "$work/mcpscan" --format sarif --output "$work/empty.sarif" --sarif-root "$work/empty" "$work/empty"
  rc_empty=$?
  set -e
  [ "$rc" -eq 1 ] || { say "ERROR: mcpscan on fixtures/home exited $rc, want 1 (findings)" >&2; exit 1; }
  [ "$rc_empty" -eq 0 ] || { say "ERROR: mcpscan on an empty directory exited $rc_empty, want 0" >&2; exit 1; }
  for want in '"source": "claude-transcript"' '"source": "mcp-config"' '"uri": "fixtures/home/'; do
    grep -q "$want" "$work/demo-home.sarif" || { say "ERROR: the demo home's SARIF has no $want" >&2; exit 1; }
  done
  files=("$work/demo-home.sarif" "$work/empty.sarif")
fi

# --- validate -------------------------------------------------------------------
failed=0
for f in "${files[@]}"; do
  [ -f "$f" ] || { say "ERROR: no such file $f" >&2; failed=1; continue; }
  out="$work/$(basename "$f").validation.sarif"
  rm -f "$out"
  "$tool" validate "$f" --rule-kind "Sarif;Gh" --max-file-size-in-kb 1048576 \
    -o "$out" --log ForceOverwrite > "$work/multitool.log" 2>&1 || true
  if [ ! -s "$out" ]; then
    cat "$work/multitool.log" >&2
    say "ERROR: the Multitool wrote no log for $f" >&2
    failed=1
    continue
  fi
  # Count results by level (SARIF's default level is "warning"); error
  # notifications (an unreadable or oversized file) count as errors.
  # shellcheck disable=SC2016 # JavaScript, not shell
  summary=$(node -e '
    const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const n = { error: 0, warning: 0, note: 0, none: 0 };
    const lines = [];
    for (const run of log.runs || []) {
      const rules = (run.tool && run.tool.driver && run.tool.driver.rules) || [];
      for (const r of run.results || []) {
        const level = r.level || "warning";
        n[level] = (n[level] || 0) + 1;
        const rule = rules.find((x) => x.id === r.ruleId);
        let text = (r.message && r.message.text) || "";
        const id = r.message && r.message.id;
        if (!text && rule && rule.messageStrings && id && rule.messageStrings[id]) {
          text = rule.messageStrings[id].text.replace(/\{(\d+)\}/g, (_, i) => (r.message.arguments || [])[i] ?? "");
        }
        lines.push(`  ${level} ${r.ruleId}: ${text}`);
      }
      for (const inv of run.invocations || []) {
        for (const note of [...(inv.toolExecutionNotifications || []), ...(inv.toolConfigurationNotifications || [])]) {
          if ((note.level || "warning") === "error") {
            n.error++;
            lines.push(`  error ${(note.descriptor && note.descriptor.id) || "notification"}: ${(note.message && note.message.text) || ""}`);
          }
        }
      }
    }
    console.log(`${n.error} ${n.warning} ${n.note}`);
    for (const l of lines) console.log(l);
  ' "$out")
  read -r errors warnings notes <<< "$(head -n1 <<< "$summary")"
  say "$(basename "$f"): $errors errors, $warnings warnings, $notes notes (Multitool $MULTITOOL_VERSION, rules Sarif;Gh)"
  tail -n +2 <<< "$summary"
  if [ "$errors" -ne 0 ]; then
    failed=1
  fi
done
if [ "$failed" -ne 0 ]; then
  say "FAIL" >&2
  exit 1
fi
say "OK"
