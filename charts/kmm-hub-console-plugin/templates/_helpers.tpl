{{- define "plugin.name" -}}{{ .Values.plugin.name }}{{- end -}}

{{- define "plugin.selectorLabels" -}}
app.kubernetes.io/name: {{ .Values.plugin.name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "plugin.labels" -}}
{{ include "plugin.selectorLabels" . }}
app.kubernetes.io/part-of: kmm-hub
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "plugin.image" -}}
{{- $image := index . 0 -}}
{{- if and $image.pinByDigest $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository (default (index . 1) $image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "plugin.secret" -}}
{{- default (printf "%s-cert" .Values.plugin.name) .Values.certificate.secretName -}}
{{- end -}}
