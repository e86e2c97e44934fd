#!/usr/bin/env bash
# npm-prepublish.sh: refuse to publish an npm package whose files hold
# credentials, checking exactly the files `npm publish` would ship.
#
# Copy it into your package (e.g. scripts/npm-prepublish.sh) and wire it up:
#
#   "scripts": { "prepublishOnly": "bash scripts/npm-prepublish.sh" }
#
# `"prepublishOnly": "mcpscan pack"` does the same in one command (and also
# reports agent artifacts such as .claude/ and .mcp.json); see the README.
# This script remains for pinned older mcpscan versions.
#
# It lists the package's files with `npm pack --dry-run --json --ignore-scripts`
# (--ignore-scripts: lifecycle output would pollute the JSON, and a call
# from prepack would recurse), then scans them with mcpscan. Any finding
# (or an error) exits non-zero, which stops `npm publish`. Typical catches:
# .claude/settings.local.json ("always allow" rules with tokens), .mcp.json,
# CLAUDE.md, .env files shipped because the package has no "files" field.
#
# Settings (environment): MCPSCAN (the binary; default mcpscan on PATH),
# MCPSCAN_ARGS (extra flags, split at spaces, e.g. "--fail-on medium").
set -euo pipefail

MCPSCAN=${MCPSCAN:-mcpscan}
command -v "$MCPSCAN" >/dev/null 2>&1 || { echo "npm-prepublish: $MCPSCAN not found: install it (go install github.com/mcpscan/mcpscan/cmd/mcpscan@latest)" >&2; exit 2; }

files=()
while IFS= read -r -d '' f; do
  files+=("$f")
done < <(npm pack --dry-run --json --ignore-scripts 2>/dev/null |
  node -e '
    const packs = JSON.parse(require("fs").readFileSync(0, "utf8"));
    for (const p of packs) for (const f of p.files) process.stdout.write(f.path + "\0");
  ')
if [ "${#files[@]}" -eq 0 ]; then
  echo "npm-prepublish: npm pack --dry-run listed no files" >&2
  exit 2
fi

extra=()
read -r -a extra <<< "${MCPSCAN_ARGS:-}"
echo "npm-prepublish: scanning the ${#files[@]} files npm would publish"
exec "$MCPSCAN" --no-color ${extra[@]+"${extra[@]}"} -- "${files[@]}"
