{{- define "kgate.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "kgate.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "kgate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kgate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "kgate.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{ include "kgate.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "kgate.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "kgate.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the keys file: an existing one, or the chart's. */}}
{{- define "kgate.authSecretName" -}}
{{- default (printf "%s-auth" (include "kgate.fullname" .)) .Values.auth.existingSecret -}}
{{- end -}}

{{- define "kgate.saslSecretName" -}}
{{- default (printf "%s-kafka-sasl" (include "kgate.fullname" .)) .Values.kafka.sasl.existingSecret -}}
{{- end -}}

{{- define "kgate.tlsSecretName" -}}
{{- default (printf "%s-kafka-tls" (include "kgate.fullname" .)) .Values.kafka.tls.existingSecret -}}
{{- end -}}

{{- define "kgate.sasl" -}}
{{- if hasPrefix "sasl_" (lower .Values.kafka.securityProtocol) }}true{{ end -}}
{{- end -}}

{{- define "kgate.tls" -}}
{{- if or (eq (lower .Values.kafka.securityProtocol) "ssl") (eq (lower .Values.kafka.securityProtocol) "sasl_ssl") }}true{{ end -}}
{{- end -}}

{{/* A Secret with the CA and maybe a client certificate is mounted (else: the system trust store). */}}
{{- define "kgate.tlsFiles" -}}
{{- $t := .Values.kafka.tls -}}
{{- if and (include "kgate.tls" .) (or $t.existingSecret $t.ca $t.cert) }}true{{ end -}}
{{- end -}}

{{- define "kgate.mtls" -}}
{{- $t := .Values.kafka.tls -}}
{{- if and (include "kgate.tls" .) (or $t.cert (and $t.existingSecret $t.clientCertificate)) }}true{{ end -}}
{{- end -}}

{{- define "kgate.encryptedKey" -}}
{{- $t := .Values.kafka.tls -}}
{{- if and (include "kgate.mtls" .) (or $t.keyPassword (and $t.existingSecret $t.encryptedKey)) }}true{{ end -}}
{{- end -}}

{{/* SHUTDOWN_TIMEOUT_MS as the gateway will read it (docs/configuration.md default 30000). */}}
{{- define "kgate.shutdownTimeoutMs" -}}
{{- $v := index .Values.env "SHUTDOWN_TIMEOUT_MS" | default 30000 -}}
{{- $v | int -}}
{{- end -}}

{{/* The grace period that covers preStop and the whole drain; a configured one below it is refused. */}}
{{- define "kgate.terminationGracePeriodSeconds" -}}
{{- $needed := add .Values.preStopSleepSeconds (div (add (include "kgate.shutdownTimeoutMs" . | int) 999) 1000) 5 -}}
{{- if kindIs "invalid" .Values.terminationGracePeriodSeconds -}}
{{- $needed -}}
{{- else if lt (int .Values.terminationGracePeriodSeconds) (int $needed) -}}
{{- fail (printf "terminationGracePeriodSeconds %v is shorter than preStopSleepSeconds + SHUTDOWN_TIMEOUT_MS + 5 s = %v s: SIGKILL would cut the drain" .Values.terminationGracePeriodSeconds $needed) -}}
{{- else -}}
{{- .Values.terminationGracePeriodSeconds -}}
{{- end -}}
{{- end -}}

{{/* An env value as text: YAML numbers reach templates as float64, and 1048576 would print as 1.048576e+06. */}}
{{- define "kgate.envValue" -}}
{{- if and (kindIs "float64" .) (eq (float64 .) (float64 (int64 .))) -}}
{{- int64 . -}}
{{- else -}}
{{- toString . -}}
{{- end -}}
{{- end -}}
