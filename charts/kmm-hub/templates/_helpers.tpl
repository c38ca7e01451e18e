{{- define "kmm-hub.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "kmm-hub.selectorLabels" -}}
app.kubernetes.io/name: kmm-hub-controller
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "kmm-hub.labels" -}}
{{ include "kmm-hub.selectorLabels" . }}
app.kubernetes.io/part-of: kmm-hub
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* An image reference from {repository, tag, digest, pinByDigest}; the default tag is the chart's appVersion. */}}
{{- define "kmm-hub.image" -}}
{{- $image := index . 0 -}}
{{- $default := index . 1 -}}
{{- if and $image.pinByDigest $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository (default $default $image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "kmm-hub.eventsNamespace" -}}
{{- default .Release.Namespace .Values.controller.eventsNamespace -}}
{{- end -}}

{{- define "kmm-hub.leaseNamespace" -}}
{{- default .Release.Namespace .Values.controller.leaderElection.namespace -}}
{{- end -}}

{{- define "kmm-hub.webhookSecret" -}}
{{- default (printf "%s-webhook-tls" (include "kmm-hub.fullname" .)) .Values.webhook.certificate.secretName -}}
{{- end -}}

{{- define "kmm-hub.metricsSecret" -}}
{{- default (printf "%s-metrics-tls" (include "kmm-hub.fullname" .)) .Values.metrics.tls.secretName -}}
{{- end -}}

{{/* Where the registry CA bundle comes from, as JSON: {mounted, source, name, key, file}. Mounted only with
image checks on and a source other than none. */}}
{{- define "kmm-hub.registryCA" -}}
{{- $images := .Values.controller.images -}}
{{- $ca := $images.registryCA -}}
{{- $mounted := and $images.checks (ne $ca.source "none") -}}
{{- $name := $ca.name -}}
{{- if and (eq $ca.source "inject") (not $name) -}}
{{- $name = printf "%s-registry-ca" (include "kmm-hub.fullname" .) -}}
{{- end -}}
{{- dict "mounted" $mounted "source" $ca.source "name" $name "key" $ca.key "file" "ca-bundle.crt" | toJson -}}
{{- end -}}

{{- define "kmm-hub.spokePolicyNamespace" -}}
{{- default .Release.Namespace .Values.spokePolicy.namespace -}}
{{- end -}}

{{/* The pod and container security settings OpenShift's restricted-v2 SCC and the restricted Pod Security
standard both accept: no fixed UID (OpenShift assigns one), nothing privileged, read-only root filesystem. */}}
{{- define "kmm-hub.podSecurityContext" -}}
runAsNonRoot: true
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "kmm-hub.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Whole seconds of a duration value (500ms, 15s, 10m, 1h), rounded up. */}}
{{- define "kmm-hub.seconds" -}}
{{- $d := toString . -}}
{{- $n := regexFind "^[0-9]+" $d | int -}}
{{- if hasSuffix "ms" $d -}}{{ div (add $n 999) 1000 }}
{{- else if hasSuffix "s" $d -}}{{ $n }}
{{- else if hasSuffix "m" $d -}}{{ mul $n 60 }}
{{- else if hasSuffix "h" $d -}}{{ mul $n 3600 }}
{{- else -}}{{ fail (printf "%q is not a duration: a number and one unit of ms, s, m, h" $d) }}
{{- end -}}
{{- end -}}
