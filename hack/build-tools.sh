#!/usr/bin/env bash
# Builds the real control plane and NATS from Go modules (kube-apiserver,
# kube-controller-manager, kube-scheduler, kubectl, etcd, kwok, nats-server) and caches
# them by version, so that a second run builds nothing.
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

# build_into <tools dir> <stamp> <ldflags> <package...>: builds the packages of one tools
# module into a temporary directory and moves them into the cache only when all succeed.
build_into() {
  local dir=$1 stamp=$2 ldflags=$3; shift 3
  if [[ -f "$bin/.$stamp" ]]; then log "$stamp: cached"; return; fi
  local tmp; tmp=$(mktemp -d "$bin/.build.XXXXXX")
  trap "rm -rf '$tmp'" EXIT
  local started=$SECONDS
  log "$stamp: building $* (first time only; this takes a while on two cores)"
  (cd "$here/tools/$dir" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w $ldflags" -o "$tmp/" "$@")
  # Go names a binary after its package directory; etcd's is "server".
  if [[ -f "$tmp/server" ]]; then mv "$tmp/server" "$tmp/etcd"; fi
  mv -f "$tmp"/* "$bin/"
  rmdir "$tmp"
  trap - EXIT
  touch "$bin/.$stamp"
  log "$stamp: built in $((SECONDS - started))s"
}

kube_minor=$(echo "$kube_version" | cut -d. -f2)
kube_ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kube_ldflags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$kube_minor"
  kube_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

build_into kubernetes "kubernetes-$kube_version" "$kube_ldflags" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
build_into etcd "etcd-$etcd_version" "" go.etcd.io/etcd/server/v3
build_into kwok "kwok-$kwok_version" "-X sigs.k8s.io/kwok/pkg/consts.Version=$kwok_version" sigs.k8s.io/kwok/cmd/kwok
build_into nats "nats-$nats_version" "" github.com/nats-io/nats-server/v2

echo "$bin"
