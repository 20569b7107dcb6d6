{{/* The chart name, or nameOverride. */}}
{{- define "kube-soar.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of every object name: fullnameOverride, or the release name (with the chart name unless it holds it). */}}
{{- define "kube-soar.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels selecting the operator's Pods. */}}
{{- define "kube-soar.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kube-soar.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "kube-soar.labels" -}}
{{ include "kube-soar.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* The operator's ServiceAccount. */}}
{{- define "kube-soar.serviceAccountName" -}}
{{- default (include "kube-soar.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{/* The image reference: by digest when one is given, else by tag (the appVersion by default). */}}
{{- define "kube-soar.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The Secret holding the receiver's tokens (key "tokens"). */}}
{{- define "kube-soar.receiverTokenSecret" -}}
{{- default (printf "%s-receiver" (include "kube-soar.fullname" .)) .Values.receiver.auth.existingSecret }}
{{- end }}

{{/* Whether the receiver reads tokens: it is enabled and not open to everyone. */}}
{{- define "kube-soar.receiverUsesTokens" -}}
{{- if and .Values.receiver.enabled (not .Values.receiver.allowUnauthenticated) }}true{{ end }}
{{- end }}

{{/* The namespaces the manager and action roles are bound in when watchNamespaces is set. */}}
{{- define "kube-soar.roleNamespaces" -}}
{{- append .Values.watchNamespaces .Release.Namespace | uniq | toJson }}
{{- end }}

{{/* The metrics port; fails when it is the probes' port, which the operator would refuse at start. */}}
{{- define "kube-soar.metricsPort" -}}
{{- if eq (int .Values.metrics.port) (int .Values.probes.port) }}
{{- fail "metrics.port must differ from probes.port: the probes and metrics listeners are separate" }}
{{- end }}
{{- .Values.metrics.port }}
{{- end }}
