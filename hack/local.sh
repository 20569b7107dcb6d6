#!/usr/bin/env bash
# npm run local: kube-soar on this machine, end to end, on a fresh machine too. Puts Node 24 on
# PATH, builds or reuses the Go-built control plane and NATS, installs the npm dependencies when
# they are missing or stale, then runs hack/local.ts: control plane (with kwok), NATS, CRDs,
# samples, the operator, and the sample Falco alert's Incident shown live until Ctrl-C, after
# which everything is stopped and removed.
#
#   npm run local                      watch until Ctrl-C
#   npm run local -- --once            exit 0 once the Incident is finished (1 after --deadline, default 3m)
#   npm run local -- --state-dir DIR   keep state and logs in DIR instead of .local/
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

eval "$(hack/ensure-node.sh)"
if [[ -z ${KUBE_SOAR_BIN_DIR:-} ]]; then
  KUBE_SOAR_BIN_DIR=$(bash hack/build-tools.sh | tail -n 1)
fi
export KUBE_SOAR_BIN_DIR

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi

# exec: Ctrl-C reaches hack/local.ts directly, which then stops everything it started.
exec node hack/local.ts "$@"
