// Pins Prometheus Alertmanager for the integration tests. It is not built from this module:
// the published module lacks the web UI assets that ui/web.go embeds, so hack/build-tools.sh
// builds ./cmd/alertmanager from a copy of the module source with placeholder assets.
module kube-soar.io/hack/tools/alertmanager

go 1.26.0

require github.com/prometheus/alertmanager v0.35.0
