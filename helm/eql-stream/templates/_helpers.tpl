{{- define "eql-stream.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "eql-stream.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "eql-stream.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "eql-stream.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "eql-stream.selectorLabels" -}}
app.kubernetes.io/name: {{ include "eql-stream.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "eql-stream.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "eql-stream.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "eql-stream.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "eql-stream.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "eql-stream.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Seconds the pod gets after SIGTERM: the worker's shutdown budget plus a margin for the last produce and commit. */}}
{{- define "eql-stream.terminationGracePeriodSeconds" -}}
{{- add (div (add .Values.config.shutdownTimeoutMs 999) 1000) .Values.terminationGraceMarginSeconds -}}
{{- end -}}

{{/* The topic KEDA measures lag on: the explicit one, else the only input topic; empty means every topic the group has offsets for. */}}
{{- define "eql-stream.kedaTopic" -}}
{{- if .Values.autoscaling.keda.topic -}}
{{- .Values.autoscaling.keda.topic -}}
{{- else if eq (len .Values.kafka.topics) 1 -}}
{{- first .Values.kafka.topics -}}
{{- end -}}
{{- end -}}

{{/* KEDA's Kafka scaler spells the SASL mechanisms its own way. */}}
{{- define "eql-stream.kedaSasl" -}}
{{- get (dict "plain" "plaintext" "scram-sha-256" "scram_sha256" "scram-sha-512" "scram_sha512") .Values.kafka.sasl.mechanism -}}
{{- end -}}

{{- define "eql-stream.autoscaled" -}}
{{- if or .Values.autoscaling.keda.enabled .Values.autoscaling.hpa.enabled -}}true{{- end -}}
{{- end -}}
