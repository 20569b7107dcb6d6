#!/usr/bin/env bash
# Builds dist/kubectl-soar, the kubectl soar CLI as one executable file: the CLI bundled into a
# single CommonJS script (esbuild), then injected into a copy of the Node.js running this script
# as a single-executable application (Node's SEA blob, written with postject). The result runs
# without Node.js or node_modules beside it, on the operating system and CPU of that Node.js
# (Linux x86_64 on the project's machines). Put it on PATH and kubectl finds it as `kubectl soar`.
#
# Usage: hack/build-cli.sh [OUTPUT]   (default dist/kubectl-soar)
set -euo pipefail
cd "$(dirname "$0")/.."

output="${1:-dist/kubectl-soar}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

npx esbuild src/cli/main.ts --bundle --platform=node --target=node24 --format=cjs \
  --outfile="$work/kubectl-soar.cjs" --log-level=warning

cat > "$work/sea-config.json" <<JSON
{
  "main": "$work/kubectl-soar.cjs",
  "output": "$work/kubectl-soar.blob",
  "disableExperimentalSEAWarning": true,
  "useCodeCache": true
}
JSON
node --experimental-sea-config "$work/sea-config.json"

mkdir -p "$(dirname "$output")"
rm -f "$output"
cp "$(node -p 'process.execPath')" "$output"
chmod u+w "$output"
npx postject "$output" NODE_SEA_BLOB "$work/kubectl-soar.blob" \
  --sentinel-fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2 > /dev/null 2> >(grep -v "Can't find string offset for section name" >&2)
chmod 755 "$output"
echo "built $output"
