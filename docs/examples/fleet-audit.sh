#!/usr/bin/env bash
# fleet-audit.sh: audit one machine of a fleet with mcpscan, on a schedule,
# and keep one report per run and per user, named after the host:
#
#   $OUT_DIR/mcpscan_<host>_<user>_<YYYYMMDDTHHMMSSZ>.json   (or .jsonl)
#
# Each report is mcpscan's JSON report (reporters/report.schema.json), or
# with FORMAT=jsonl one finding per line, each line standing alone, for log
# pipelines; both carry "host" (the machine's identifier, --host-id),
# "user" (whose home was scanned) and "started_at", so that reports
# collected from many machines stay attributable. Secrets are
# redacted; the files are written with mode 0600. Ship $OUT_DIR to your
# collector (a log shipper tailing *.jsonl, rsync, object storage), or let
# osquery read the findings (osquery-export.sh), or fetch them with Ansible
# (ansible-playbook.yml).
#
# The same script serves every scheduler:
#
# cron (as each user, or as root with ALL_USERS=1):
#
#   17 3 * * *  ALL_USERS=1 /usr/local/bin/mcpscan-fleet-audit
#
# a systemd timer:
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
# Jamf Pro (macOS): add it as a script and run it from a policy (recurring
# check-in, once a day). Jamf passes the mount point, computer name and user
# as $1-$3; this script then reads its parameters from $4-$7 and scans every
# user (ALL_USERS=1):
#   $4 MCPSCAN_VERSION  the release to install and run, e.g. 1.2.3 (see below)
#   $5 OUT_DIR          default /Library/Application Support/mcpscan/reports
#   $6 MCPSCAN_ARGS     extra mcpscan flags
#   $7 FORMAT           json (default) or jsonl
# For a Jamf extension attribute (an inventory field to build smart groups
# on, such as "machines with critical findings"), paste a second copy with
# ATTRIBUTE=1 in the settings below: it prints <result>…</result>.
#
# Microsoft Intune (macOS shell script, run as root; Linux custom
# compliance/scripts alike): Intune passes no parameters, so edit the
# defaults below (ALL_USERS=1 and MCPSCAN_VERSION at least). For a custom
# attribute, a second copy with ATTRIBUTE=1 and ATTRIBUTE_FORMAT=plain.
#
# Settings (environment):
#   MCPSCAN          the mcpscan binary (default: installed MCPSCAN_VERSION,
#                    else mcpscan on PATH, else $INSTALL_DIR/mcpscan)
#   MCPSCAN_VERSION  a release to run: installed into INSTALL_DIR (with
#                    scripts/install.sh of that release, which checks the
#                    archive against the release's checksums.txt) when that
#                    version is not there yet
#   INSTALL_DIR      default /Library/Application Support/mcpscan/bin (macOS)
#                    or /opt/mcpscan/bin as root, else ~/.local/bin
#   MCPSCAN_INSTALL_SH  a local copy of scripts/install.sh to use instead
#                    of the release's (air-gapped fleets, with
#                    MCPSCAN_RELEASES_URL pointing at a mirror)
#   OUT_DIR          where reports go (default: /var/lib/mcpscan as root on
#                    Linux, /Library/Application Support/mcpscan/reports as
#                    root on macOS, else ${XDG_STATE_HOME:-~/.local/state}/mcpscan)
#   HOST_ID          this machine's name in the reports (default: the host name)
#   FORMAT           json (default) or jsonl (one finding per line, for log pipelines)
#   ALL_USERS        1: as root, scan the agent and MCP locations of every home
#                    directory (HOMES), one report each, named after the directory
#   HOMES            the home directories for ALL_USERS=1, as globs separated by
#                    spaces (default "/home/* /Users/* /root")
#   KEEP_DAYS        delete this script's reports older than this many days
#                    (default 30; 0 keeps all)
#   MCPSCAN_ARGS     extra mcpscan flags, split at spaces (no quoting), e.g.
#                    "--fail-on high --exclude **/backups/**"
#   ATTRIBUTE        1 (or the argument --attribute): scan nothing; print one
#                    line summing up the newest report of each user, for an MDM
#                    inventory field: "<result>alice: 2 (1 critical, 1 high);
#                    bob: 0</result>" (Jamf extension attribute), without the
#                    tags with ATTRIBUTE_FORMAT=plain (Intune custom attribute)
#
# Exit status: 0 no findings, 1 findings on some user, 2 an error on some
# user (an MDM shows 1 and 2 as a failed policy run: see its log). With
# ATTRIBUTE=1 always 0.
set -euo pipefail

# --- settings (Intune: edit these defaults) ---------------------------------
MCPSCAN_VERSION=${MCPSCAN_VERSION:-}
ALL_USERS=${ALL_USERS:-0}
ATTRIBUTE=${ATTRIBUTE:-0}
ATTRIBUTE_FORMAT=${ATTRIBUTE_FORMAT:-jamf}

# Jamf Pro passes "/" (the target volume), the computer name and the user,
# then the policy's parameters 4-7.
if [ "$#" -ge 3 ] && [ "$1" = / ]; then
  MCPSCAN_VERSION=${4:-$MCPSCAN_VERSION}
  OUT_DIR=${5:-${OUT_DIR:-}}
  MCPSCAN_ARGS=${6:-${MCPSCAN_ARGS:-}}
  FORMAT=${7:-${FORMAT:-}}
  ALL_USERS=1
  shift "$#"
fi
if [ "${1:-}" = --attribute ]; then ATTRIBUTE=1; fi

FORMAT=${FORMAT:-json}
KEEP_DAYS=${KEEP_DAYS:-30}
HOST_ID=${HOST_ID:-$(hostname 2>/dev/null || uname -n)}
root=0
if [ "$(id -u)" -eq 0 ]; then root=1; fi
macos=0
if [ "$(uname -s)" = Darwin ]; then macos=1; fi
if [ -z "${OUT_DIR:-}" ]; then
  if [ "$root" -eq 1 ] && [ "$macos" -eq 1 ]; then OUT_DIR="/Library/Application Support/mcpscan/reports"
  elif [ "$root" -eq 1 ]; then OUT_DIR=/var/lib/mcpscan
  else OUT_DIR=${XDG_STATE_HOME:-$HOME/.local/state}/mcpscan; fi
fi
if [ -z "${INSTALL_DIR:-}" ]; then
  if [ "$root" -eq 1 ] && [ "$macos" -eq 1 ]; then INSTALL_DIR="/Library/Application Support/mcpscan/bin"
  elif [ "$root" -eq 1 ]; then INSTALL_DIR=/opt/mcpscan/bin
  else INSTALL_DIR=$HOME/.local/bin; fi
fi
case "$FORMAT" in json | jsonl) ;; *) echo "fleet-audit: FORMAT must be json or jsonl, not $FORMAT" >&2; exit 2 ;; esac
# A host id becomes part of a file name: keep it to safe characters.
safe_host=$(printf '%s' "$HOST_ID" | tr -c 'A-Za-z0-9._-' '_')

# --- --attribute: a one-line summary of the newest reports --------------------
if [ "$ATTRIBUTE" = 1 ]; then
  summary=
  if [ -d "$OUT_DIR" ]; then
    # The newest report per user: names sort by time within a user.
    for user in $(find "$OUT_DIR" -maxdepth 1 -type f -name "mcpscan_${safe_host}_*" | sed -E "s|.*/mcpscan_${safe_host}_(.*)_[0-9]{8}T[0-9]{6}Z\.jsonl?$|\1|" | sort -u); do
      newest=$(find "$OUT_DIR" -maxdepth 1 -type f -name "mcpscan_${safe_host}_${user}_*" | sort | tail -n1)
      counts=
      total=0
      for sev in critical high medium low info; do
        n=$({ grep -oE "\"severity\": ?\"$sev\"" "$newest" || true; } | wc -l | tr -d ' ')
        total=$((total + n))
        if [ "$n" -gt 0 ]; then counts="${counts:+$counts, }$n $sev"; fi
      done
      summary="${summary:+$summary; }$user: $total${counts:+ ($counts)}"
    done
  fi
  summary=${summary:-no reports}
  if [ "$ATTRIBUTE_FORMAT" = plain ]; then echo "$summary"; else echo "<result>$summary</result>"; fi
  exit 0
fi

# --- the mcpscan binary ---------------------------------------------------------
# install_version VERSION: install that release into INSTALL_DIR, unless it
# is there already.
install_version() {
  local ver=${1#v} installer
  if [ -x "$INSTALL_DIR/mcpscan" ] && "$INSTALL_DIR/mcpscan" --version 2>/dev/null | grep -q "^mcpscan version $ver "; then
    return 0
  fi
  echo "fleet-audit: installing mcpscan $ver into $INSTALL_DIR"
  installer=${MCPSCAN_INSTALL_SH:-}
  if [ -z "$installer" ]; then
    installer=$(mktemp "${TMPDIR:-/tmp}/mcpscan-install.XXXXXX")
    # The installer of the same release tag: the same source as the archive it checks.
    curl -fsSL --retry 3 -o "$installer" "https://raw.githubusercontent.com/mcpscan/mcpscan/v$ver/scripts/install.sh" ||
      { rm -f "$installer"; echo "fleet-audit: cannot download install.sh of v$ver" >&2; exit 2; }
  fi
  bash "$installer" -b "$INSTALL_DIR" "$ver" || { echo "fleet-audit: installing mcpscan $ver failed" >&2; exit 2; }
  if [ -z "${MCPSCAN_INSTALL_SH:-}" ]; then rm -f "$installer"; fi
}

if [ -z "${MCPSCAN:-}" ]; then
  if [ -n "$MCPSCAN_VERSION" ]; then
    install_version "$MCPSCAN_VERSION"
    MCPSCAN=$INSTALL_DIR/mcpscan
  elif command -v mcpscan >/dev/null 2>&1; then
    MCPSCAN=mcpscan
  else
    MCPSCAN=$INSTALL_DIR/mcpscan
  fi
fi
command -v "$MCPSCAN" >/dev/null 2>&1 || { echo "fleet-audit: $MCPSCAN not found (set MCPSCAN, or MCPSCAN_VERSION to install a release)" >&2; exit 2; }

# --- the scan -------------------------------------------------------------------
umask 077
mkdir -p "$OUT_DIR"
stamp=$(date -u +%Y%m%dT%H%M%SZ)

extra=()
read -r -a extra <<< "${MCPSCAN_ARGS:-}"

# audit HOME USER: scan the well-known locations under HOME into one report.
worst=0
audit() {
  local home=$1 user=$2 out rc
  out="$OUT_DIR/mcpscan_${safe_host}_${user}_${stamp}.$FORMAT"
  set +e
  # USER names the account in the report ("user"); HOME is whose locations are scanned.
  HOME="$home" USER="$user" LOGNAME="$user" "$MCPSCAN" --format "$FORMAT" --output "$out" --host-id "$HOST_ID" --no-color --no-progress ${extra[@]+"${extra[@]}"}
  rc=$?
  set -e
  case "$rc" in
    0) echo "fleet-audit: $HOST_ID $user: no findings -> $out" ;;
    1) echo "fleet-audit: $HOST_ID $user: FINDINGS -> $out" ;;
    *) echo "fleet-audit: $HOST_ID $user: mcpscan failed (exit $rc)" >&2 ;;
  esac
  if [ "$rc" -gt "$worst" ]; then worst=$rc; fi
}

if [ "$ALL_USERS" = 1 ]; then
  [ "$root" -eq 1 ] || { echo "fleet-audit: ALL_USERS=1 needs root" >&2; exit 2; }
  for home in ${HOMES:-/home/* /Users/* /root}; do
    [ -d "$home" ] || continue
    case "$(basename "$home")" in Shared | Guest | lost+found | .localized) continue ;; esac
    audit "$home" "$(basename "$home")"
  done
else
  audit "$HOME" "$(id -un 2>/dev/null || basename "$HOME")"
fi

if [ "$KEEP_DAYS" -gt 0 ]; then
  find "$OUT_DIR" -maxdepth 1 -type f -name "mcpscan_${safe_host}_*" -mtime +"$KEEP_DAYS" -delete
fi
exit "$worst"
