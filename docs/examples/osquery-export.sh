#!/usr/bin/env bash
# osquery-export.sh: make mcpscan's findings osquery tables.
#
# osquery cannot run programs or read JSON files, but it reads SQLite
# databases as tables (automatic table construction, ATC). This script loads
# the newest JSON report of each user that fleet-audit.sh wrote into one
# SQLite database; osquery.conf, beside it, declares two ATC tables over it
# and schedules queries on them, so that the findings reach your SIEM with
# the rest of your osquery results:
#
#   mcpscan_scans      one row per user: host, user, scanned_at, tool_version,
#                      findings, errors, files_scanned, report
#   mcpscan_findings   one row per finding: host, user, scanned_at, severity,
#                      rule_id, kind, path, line, col, secret (redacted),
#                      fingerprint, source, description, report
#
# Run it after each fleet-audit.sh (the JSON format, its default), e.g. in
# the same cron line or systemd service:
#
#   ALL_USERS=1 mcpscan-fleet-audit; mcpscan-osquery-export
#
# then merge osquery.conf's "auto_table_construction" and "schedule" into
# your osquery configuration (or your fleet manager's: Fleet, Kolide …) and
# try it locally: osqueryi --config_path osquery.conf "SELECT * FROM mcpscan_scans"
#
# Settings (environment):
#   OUT_DIR   where fleet-audit.sh wrote its reports (its default: /var/lib/mcpscan
#             on Linux, /Library/Application Support/mcpscan/reports on macOS)
#   HOST_ID   the host id the reports were written with (default: the host name)
#   DB        the database (default /var/lib/mcpscan/mcpscan.db on every platform,
#             the path osquery.conf names); replaced atomically, mode 0600
#
# Needs sqlite3 with JSON functions (built in since SQLite 3.38; macOS and
# the Linux distributions ship it with them). Exit status: 0 done, 2 error.
set -euo pipefail

HOST_ID=${HOST_ID:-$(hostname 2>/dev/null || uname -n)}
if [ -z "${OUT_DIR:-}" ]; then
  if [ "$(uname -s)" = Darwin ]; then OUT_DIR="/Library/Application Support/mcpscan/reports"; else OUT_DIR=/var/lib/mcpscan; fi
fi
DB=${DB:-/var/lib/mcpscan/mcpscan.db}
command -v sqlite3 >/dev/null 2>&1 || { echo "osquery-export: sqlite3 not found" >&2; exit 2; }
[ -d "$OUT_DIR" ] || { echo "osquery-export: no report directory $OUT_DIR (run fleet-audit.sh first)" >&2; exit 2; }
safe_host=$(printf '%s' "$HOST_ID" | tr -c 'A-Za-z0-9._-' '_')

# sql_string S: S as an SQL string literal.
sql_string() { printf "'%s'" "${1//\'/\'\'}"; }

umask 077
mkdir -p "$(dirname "$DB")"
tmp="$DB.tmp.$$"
trap 'rm -f "$tmp"' EXIT
{
  cat <<'SQL'
CREATE TABLE scans (host TEXT, user TEXT, scanned_at TEXT, tool_version TEXT,
  findings INTEGER, errors INTEGER, files_scanned INTEGER, report TEXT);
CREATE TABLE findings (host TEXT, user TEXT, scanned_at TEXT, severity TEXT,
  rule_id TEXT, kind TEXT, path TEXT, line INTEGER, col INTEGER, secret TEXT,
  fingerprint TEXT, source TEXT, description TEXT, report TEXT);
BEGIN;
SQL
  n=0
  # Report names sort by time within a user: the last one per user is the newest.
  while IFS= read -r report; do
    name=$(basename "$report")
    rest=${name#"mcpscan_${safe_host}_"}
    stamp=${rest##*_}
    stamp=${stamp%.json}
    user=${rest%_*}
    # 20260301T031700Z -> 2026-03-01T03:17:00Z
    when="${stamp:0:4}-${stamp:4:2}-${stamp:6:2}T${stamp:9:2}:${stamp:11:2}:${stamp:13:2}Z"
    r=$(sql_string "$report")
    # Fields a report carries win over what its name says (host, user and
    # started_at are in newer reports).
    cat <<SQL
INSERT INTO scans SELECT
  coalesce(json_extract(doc, '\$.host'), $(sql_string "$HOST_ID")),
  coalesce(json_extract(doc, '\$.user'), $(sql_string "$user")),
  coalesce(json_extract(doc, '\$.started_at'), $(sql_string "$when")),
  json_extract(doc, '\$.tool.version'),
  json_array_length(doc, '\$.findings'), json_array_length(doc, '\$.errors'),
  json_extract(doc, '\$.stats.files_scanned'), $r
FROM (SELECT CAST(readfile($r) AS TEXT) AS doc);
INSERT INTO findings SELECT s.host, s.user, s.scanned_at,
  json_extract(f.value, '\$.severity'), json_extract(f.value, '\$.rule_id'),
  json_extract(f.value, '\$.kind'), json_extract(f.value, '\$.path'),
  json_extract(f.value, '\$.line'), json_extract(f.value, '\$.column'),
  json_extract(f.value, '\$.secret'), json_extract(f.value, '\$.fingerprint'),
  json_extract(f.value, '\$.source'), json_extract(f.value, '\$.description'), $r
FROM scans AS s, (SELECT CAST(readfile($r) AS TEXT) AS doc) AS d, json_each(d.doc, '\$.findings') AS f
WHERE s.report = $r;
SQL
    n=$((n + 1))
  done < <(find "$OUT_DIR" -maxdepth 1 -type f -name "mcpscan_${safe_host}_*_????????T??????Z.json" | sort |
    awk '{ n = $0; sub(/_[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z\.json$/, "", n); last[n] = $0 } END { for (u in last) print last[u] }' | sort)
  echo "COMMIT;"
  echo "SELECT 'osquery-export: ' || count(*) || ' findings of ' || $n || ' reports -> ' || $(sql_string "$DB") FROM findings;"
} | sqlite3 -bail "$tmp"
chmod 0600 "$tmp"
mv -f "$tmp" "$DB"
trap - EXIT
