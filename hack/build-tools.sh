#!/usr/bin/env bash
# Builds the real control plane, NATS and the producers the integration tests send from, from
# Go modules (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, kwok,
# nats-server, alertmanager, cloudevents-send, promtool) and caches them by version, so that a second run
# builds nothing.
#
#   hack/build-tools.sh            build what is missing, print the bin directory
#   hack/build-tools.sh --print    print the bin directory without building
#
# The cache lives outside the checkout: $KUBE_SOAR_CACHE, default ~/.cache/kube-soar.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${KUBE_SOAR_CACHE:-$HOME/.cache/kube-soar}

# The versions come from the tools modules, so go.mod stays the one place to change them.
module_version() { # <tools dir> <module path>
  awk -v m="$2" '$1 == "require" && $2 == m { print $3; exit } $1 == m && $2 ~ /^v/ { print $2; exit }' "$here/tools/$1/go.mod"
}
kube_version=$(module_version kubernetes k8s.io/kubernetes)
etcd_version=$(module_version etcd go.etcd.io/etcd/server/v3)
kwok_version=$(module_version kwok sigs.k8s.io/kwok)
nats_version=$(module_version nats github.com/nats-io/nats-server/v2)
alertmanager_version=$(module_version alertmanager github.com/prometheus/alertmanager)
sdk_version=$(module_version producers github.com/cloudevents/sdk-go/v2)
# cloudevents-send is this repository's own program: its stamp follows its source too.
producers_digest=$(cat "$here"/tools/producers/{go.mod,go.sum,cloudevents-send/main.go} | sha256sum | cut -c1-12)
bin="$cache/bin/k8s-${kube_version}_etcd-${etcd_version}_kwok-${kwok_version}_nats-${nats_version}"

if [[ ${1:-} == --print ]]; then echo "$bin"; exit 0; fi

log() { printf '[build-tools] %s\n' "$*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  log "error: the Go toolchain is not on PATH."
  log "kube-soar builds kube-apiserver, etcd, kwok and nats-server from Go modules; install Go >= 1.26"
  log "(https://go.dev/doc/install or the 'golang' Debian package) and run this again."
  exit 1
fi

mkdir -p "$bin"
# One build at a time per cache: a second caller waits, then finds the binaries cached.
exec 9>"$bin/.lock"
if ! flock -n 9; then
  log "another build into $bin is running; waiting for it"
  flock 9
fi

# Temporary directories of this run, removed however it ends.
scratch=()
trap 'rm -rf "${scratch[@]}"' EXIT

# build_into <module dir> <stamp> <ldflags> <build flags and packages...>: builds packages of
# one module into a temporary directory and moves them into the cache only when all succeed.
build_into() {
  local dir=$1 stamp=$2 ldflags=$3; shift 3
  if [[ -f "$bin/.$stamp" ]]; then log "$stamp: cached"; return; fi
  local tmp; tmp=$(mktemp -d "$bin/.build.XXXXXX")
  scratch+=("$tmp")
  local started=$SECONDS
  log "$stamp: building $* (first time only; this takes a while on two cores)"
  (cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w $ldflags" -o "$tmp/" "$@")
  # Go names a binary after its package directory; etcd's is "server".
  if [[ -f "$tmp/server" ]]; then mv "$tmp/server" "$tmp/etcd"; fi
  mv -f "$tmp"/* "$bin/"
  rmdir "$tmp"
  touch "$bin/.$stamp"
  log "$stamp: built in $((SECONDS - started))s"
}

# alertmanager_source <version>: sets alertmanager_src to a writable copy of the Alertmanager
# module source
# whose ui/app/dist (the web UI, built by npm and not published in the module) is a placeholder,
# enough for ui/web.go to embed; the tests use the API only.
alertmanager_source() {
  local module; module=$(cd "$here/tools/alertmanager" && go mod download -json "github.com/prometheus/alertmanager@$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  if [[ -z $module ]]; then log "error: go mod download printed no directory for alertmanager $1"; exit 1; fi
  local src; src=$(mktemp -d "$bin/.src.XXXXXX")
  scratch+=("$src")
  cp -R "$module/." "$src"
  chmod -R u+w "$src"
  mkdir -p "$src/ui/app/dist"
  echo "The web UI is not built into this Alertmanager." >"$src/ui/app/dist/index.txt"
  alertmanager_src=$src
}

kube_minor=$(echo "$kube_version" | cut -d. -f2)
kube_ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kube_ldflags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$kube_minor"
  kube_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

tools="$here/tools"
build_into "$tools/kubernetes" "kubernetes-$kube_version" "$kube_ldflags" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
build_into "$tools/etcd" "etcd-$etcd_version" "" go.etcd.io/etcd/server/v3
build_into "$tools/kwok" "kwok-$kwok_version" "-X sigs.k8s.io/kwok/pkg/consts.Version=$kwok_version" sigs.k8s.io/kwok/cmd/kwok
build_into "$tools/nats" "nats-$nats_version" "" github.com/nats-io/nats-server/v2
build_into "$tools/producers" "cloudevents-send-sdk-${sdk_version}-${producers_digest}" "" ./cloudevents-send

# dockerfile-lint, this repository's own program: BuildKit's Dockerfile parser and lint rules
# (those of `docker build --check`) for the test that lints the image's Dockerfile. Its stamp
# follows its source too.
dockerfile_lint_version=$(module_version dockerfile-lint github.com/moby/buildkit)
dockerfile_lint_digest=$(cat "$here"/tools/dockerfile-lint/{go.mod,go.sum,dockerfile-lint/main.go} | sha256sum | cut -c1-12)
build_into "$tools/dockerfile-lint" "dockerfile-lint-buildkit-${dockerfile_lint_version}-${dockerfile_lint_digest}" "" ./dockerfile-lint

# promtool, Prometheus's own rule checker and rule unit-test runner, and promql-metrics, this
# repository's program listing the metrics that rules and dashboards query (Prometheus's PromQL
# parser). remove_all_sd leaves out the service-discovery plugins, which rules never use.
prometheus_version=$(module_version promtool github.com/prometheus/prometheus)
promtool_digest=$(cat "$here"/tools/promtool/{go.mod,go.sum,promql-metrics/main.go} | sha256sum | cut -c1-12)
build_into "$tools/promtool" "promtool-${prometheus_version}-${promtool_digest}" \
  "" \
  -tags remove_all_sd,netgo,grpcnotrace github.com/prometheus/prometheus/cmd/promtool ./promql-metrics

if [[ ! -f "$bin/.alertmanager-$alertmanager_version" ]]; then
  # netgo as upstream releases it; grpcnotrace drops gRPC's x/net/trace debug pages.
  alertmanager_source "$alertmanager_version"
  build_into "$alertmanager_src" "alertmanager-$alertmanager_version" \
    "-X github.com/prometheus/common/version.Version=${alertmanager_version#v}" \
    -tags netgo,grpcnotrace ./cmd/alertmanager
else
  log "alertmanager-$alertmanager_version: cached"
fi

# helm renders, lints, installs and upgrades charts/kube-soar in the integration tests.
helm_version=$(module_version helm helm.sh/helm/v4)
build_into "$tools/helm" "helm-$helm_version" "-X helm.sh/helm/v4/internal/version.version=$helm_version" \
  helm.sh/helm/v4/cmd/helm

echo "$bin"
