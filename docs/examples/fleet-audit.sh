#!/usr/bin/env bash
# fleet-audit.sh: audit one machine of a fleet with mcpscan, on a schedule,
# and keep one JSON report per run (and per user), named after the host.
#
# Each report is mcpscan's JSON report (reporters/report.schema.json) with
# a top-level "host" (the machine's identifier, --host-id) so that reports
# collected from many machines stay attributable. Secrets are redacted; the
# files are written with mode 0600. Ship $OUT_DIR to your collector (rsync,
# object storage, or a log shipper tailing *.jsonl with FORMAT=jsonl).
#
# Schedule it with cron (as each user, or as root with ALL_USERS=1):
#
#   17 3 * * *  /usr/local/bin/mcpscan-fleet-audit
#
# or a systemd timer:
#
#   # /etc/systemd/system/mcpscan-audit.service
#   [Service]
#   Type=oneshot
#   Environment=ALL_USERS=1 OUT_DIR=/var/lib/mcpscan
#   ExecStart=/usr/local/bin/mcpscan-fleet-audit
#   # /etc/systemd/system/mcpscan-audit.timer
#   [Timer]
#   OnCalendar=daily
#   RandomizedDelaySec=1h
#   Persistent=true
#   [Install]
#   WantedBy=timers.target
#
# Settings (environment):
#   MCPSCAN       the mcpscan binary (default: mcpscan on PATH)
#   OUT_DIR       where reports go (default: /var/lib/mcpscan as root, else
#                 ${XDG_STATE_HOME:-~/.local/state}/mcpscan)
#   HOST_ID       this machine's name in the reports (default: the host name)
#   FORMAT        json (default) or jsonl (one finding per line, for log pipelines)
#   ALL_USERS     1: as root, scan the agent and MCP locations of every home
#                 directory under /home and /Users (and /root), one report each
#   KEEP_DAYS     delete this script's reports older than this many days (default 30; 0 keeps all)
#   MCPSCAN_ARGS  extra mcpscan flags, split at spaces (no quoting), e.g.
#                 "--fail-on high --exclude **/backups/**"
#
# Exit status: 0 no findings, 1 findings on some user, 2 an error on some user.
set -euo pipefail

MCPSCAN=${MCPSCAN:-mcpscan}
FORMAT=${FORMAT:-json}
KEEP_DAYS=${KEEP_DAYS:-30}
HOST_ID=${HOST_ID:-$(hostname 2>/dev/null || uname -n)}
if [ -z "${OUT_DIR:-}" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    OUT_DIR=/var/lib/mcpscan
  else
    OUT_DIR=${XDG_STATE_HOME:-$HOME/.local/state}/mcpscan
  fi
fi
case "$FORMAT" in json | jsonl) ;; *) echo "fleet-audit: FORMAT must be json or jsonl, not $FORMAT" >&2; exit 2 ;; esac
command -v "$MCPSCAN" >/dev/null 2>&1 || { echo "fleet-audit: $MCPSCAN not found (set MCPSCAN)" >&2; exit 2; }

umask 077
mkdir -p "$OUT_DIR"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
# A host id becomes part of a file name: keep it to safe characters.
safe_host=$(printf '%s' "$HOST_ID" | tr -c 'A-Za-z0-9._-' '_')

extra=()
read -r -a extra <<< "${MCPSCAN_ARGS:-}"

# audit HOME USER: scan the well-known locations under HOME into one report.
worst=0
audit() {
  local home=$1 user=$2 out rc
  out="$OUT_DIR/mcpscan_${safe_host}_${user}_${stamp}.$FORMAT"
  set +e
  HOME="$home" "$MCPSCAN" --format "$FORMAT" --output "$out" --host-id "$HOST_ID" --no-color ${extra[@]+"${extra[@]}"}
  rc=$?
  set -e
  case "$rc" in
    0) echo "fleet-audit: $HOST_ID $user: no findings -> $out" ;;
    1) echo "fleet-audit: $HOST_ID $user: FINDINGS -> $out" ;;
    *) echo "fleet-audit: $HOST_ID $user: mcpscan failed (exit $rc)" >&2 ;;
  esac
  if [ "$rc" -gt "$worst" ]; then worst=$rc; fi
}

if [ "${ALL_USERS:-0}" = 1 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "fleet-audit: ALL_USERS=1 needs root" >&2; exit 2; }
  for home in /home/* /Users/* /root; do
    [ -d "$home" ] || continue
    case "$(basename "$home")" in Shared | Guest | lost+found) continue ;; esac
    audit "$home" "$(basename "$home")"
  done
else
  audit "$HOME" "$(id -un 2>/dev/null || basename "$HOME")"
fi

if [ "$KEEP_DAYS" -gt 0 ]; then
  find "$OUT_DIR" -maxdepth 1 -type f -name "mcpscan_${safe_host}_*" -mtime +"$KEEP_DAYS" -delete
fi
exit "$worst"
