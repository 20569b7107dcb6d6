#!/usr/bin/env bash
# Runs every check kube-soar has, on a fresh machine too: puts Node 24 on PATH, builds or reuses
# the Go-built control plane and NATS, installs npm dependencies, then lint, typecheck, the
# generated-code drift check and all test projects (unit, integration, e2e).
# Ends with the line "N passed, N failed" and exits non-zero when anything failed.
#
#   hack/test.sh                 everything
#   hack/test.sh --project unit  only the unit tests (any vitest arguments pass through)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

eval "$(hack/ensure-node.sh)" || exit 1
KUBE_SOAR_BIN_DIR=$(bash hack/build-tools.sh | tail -n 1) || exit 1
export KUBE_SOAR_BIN_DIR

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund || exit 1
fi

status=0
step() { # <name> <command...>
  local name=$1; shift
  local started=$SECONDS
  echo "== $name"
  if "$@"; then echo "== $name: ok ($((SECONDS - started))s)"; else echo "== $name: FAILED"; status=1; fi
}

if [[ $# -eq 0 ]]; then
  step lint npx eslint --max-warnings 0 .
  step typecheck npx tsc -p tsconfig.json
  step "generated files up to date" node hack/generate-api.ts --check
fi

report=$(mktemp -d)/vitest.json
step tests npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
node hack/test-summary.ts "$report" "$status"
