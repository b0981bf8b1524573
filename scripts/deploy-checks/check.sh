#!/usr/bin/env bash
# Offline checks of the deployment files (no cluster, no Docker engine):
#   chart        helm lint --strict; helm template for the default values and
#                helm/eql-stream/ci/*-values.yaml, validated against the Kubernetes
#                schemas (and the KEDA / Prometheus Operator CRDs); values the
#                schema must reject are rejected
#   rules-copy   the chart's copy of the bundled rules equals src/rules/bundled/
#   alert-rules  promtool check rules + unit tests of the alert rules; promtool check config
#   compose      docker-compose config -q; sh -n of the compose helper script
#   image        the runtime stage of the Dockerfile laid out in a folder (production
#                dependencies, dist/, bundled rules), owned by root, run as uid 10001:
#                every module loads, the bundled rules load, the CLI answers --help
# usage: check.sh [step...]   (default: every step). Installs the tools first.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${EQL_CACHE_DIR:-$ROOT/.cache}"
HELM="$CACHE/bin/helm"
PROMTOOL="$CACHE/bin/promtool"
PYTHON="$CACHE/deploy-venv/bin/python"
CHART="$ROOT/helm/eql-stream"
OUT="$CACHE/deploy-checks"
# The oldest Kubernetes the chart supports (Chart.yaml kubeVersion) and the newest kubernetes-validate knows.
KUBE_VERSIONS=(1.25.0 1.37.0)

log() { printf '[deploy-checks] %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

check_chart() {
  rm -rf "$OUT/rendered" && mkdir -p "$OUT/rendered"
  local crds=() crd values name kube
  for crd in "$CACHE"/crds/*.yaml; do [[ -f "$crd" ]] && crds+=(--crd "$crd"); done
  (( ${#crds[@]} == 8 )) || fail "expected the 4 CRD files in $CACHE/crds (install.sh fetches them)"
  for values in "" "$CHART"/ci/*-values.yaml; do
    name="$(basename "${values:-default}" .yaml)"
    local args=(); [[ -n "$values" ]] && args=(-f "$values")
    log "helm lint --strict ($name)"
    "$HELM" lint --strict "$CHART" "${args[@]}" || fail "helm lint ($name)"
    for kube in "${KUBE_VERSIONS[@]}"; do
      "$HELM" template eql-stream "$CHART" --namespace security --kube-version "$kube" "${args[@]}" \
        >"$OUT/rendered/$name-$kube.yaml" || fail "helm template ($name, Kubernetes $kube)"
      "$PYTHON" "$ROOT/scripts/deploy-checks/validate-manifests.py" --kube-version "$kube" "${crds[@]}" \
        "$OUT/rendered/$name-$kube.yaml" || fail "manifests ($name, Kubernetes $kube)"
    done
  done
  # Settings values.schema.json exists to refuse.
  local bad
  for bad in \
    "autoscaling.keda.enabled=true,autoscaling.hpa.enabled=true" \
    "autoscaling.keda.enabled=true,autoscaling.keda.minReplicaCount=0" \
    "kafka.sasl.enabled=true" \
    "rules.bundled=false" \
    "kafka.brokers[0]=kafka-without-port" \
    "metrics.serviceMonitor.enabled=true,metrics.service.enabled=false"; do
    if "$HELM" template eql-stream "$CHART" --kube-version "${KUBE_VERSIONS[0]}" --set "$bad" >/dev/null 2>&1; then
      fail "values.schema.json accepted --set $bad"
    fi
  done
  log "chart: lint clean, manifests valid, bad values refused"
}

check_rules_copy() {
  diff -r --exclude='*.md' "$ROOT/src/rules/bundled" "$CHART/rules" \
    || fail "helm/eql-stream/rules/ differs from src/rules/bundled/: cp src/rules/bundled/*.toml helm/eql-stream/rules/ (and delete removed rules)"
  log "rules-copy: helm/eql-stream/rules/ equals src/rules/bundled/"
}

check_alert_rules() {
  "$PROMTOOL" check rules "$CHART/files/prometheus-rules.yaml" || fail "promtool check rules"
  (cd "$ROOT/deploy/prometheus" && "$PROMTOOL" test rules rules-test.yaml) || fail "promtool test rules"
  "$PROMTOOL" check config --syntax-only "$ROOT/deploy/prometheus/prometheus.yml" || fail "promtool check config"
  log "alert-rules: valid, unit tests pass"
}

check_compose() {
  (cd "$ROOT" && docker-compose -f docker-compose.yml config -q) || fail "docker-compose config"
  sh -n "$ROOT/deploy/compose/samples.sh" || fail "deploy/compose/samples.sh syntax"
  log "compose: valid"
}

check_image() {
  local app="$OUT/image/app" tmp="$OUT/image/tmp"
  rm -rf "$OUT/image" && mkdir -p "$app" "$tmp"
  cp "$ROOT/package.json" "$ROOT/package-lock.json" "$app/"
  (cd "$app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error) || fail "npm ci --omit=dev"
  (cd "$ROOT" && npx tsc -p tsconfig.json --outDir "$app/dist") || fail "tsc"
  mkdir -p "$app/src/rules" && cp -r "$ROOT/src/rules/bundled" "$app/src/rules/bundled"
  chmod -R a-w "$app" && chmod 1777 "$tmp"
  as_worker() { (cd "$app" && setpriv --reuid=10001 --regid=10001 --clear-groups env -i PATH="$PATH" HOME="$tmp" TMPDIR="$tmp" "$@"); }
  # Every compiled module but the CLI entry point (which would run a command) imports with production dependencies only.
  as_worker node --input-type=module -e '
    import { readdirSync } from "node:fs";
    const files = readdirSync("dist", { recursive: true }).filter((f) => f.endsWith(".js") && f !== "cli/main.js");
    for (const f of files) await import("./dist/" + f);
    const { loadRules } = await import("./dist/rules/loader.js");
    const rules = await loadRules();
    if (rules.length === 0) throw new Error("no bundled rules");
    console.log(`${files.length} modules, ${rules.length} bundled rules`);
  ' || fail "the runtime layout does not load"
  as_worker node dist/cli/main.js --help >/dev/null || fail "node dist/cli/main.js --help"
  log "image: runtime layout loads as uid 10001 with production dependencies only"
}

bash "$ROOT/scripts/deploy-checks/install.sh"
steps=("$@"); (( ${#steps[@]} )) || steps=(chart rules-copy alert-rules compose image)
for step in "${steps[@]}"; do
  case "$step" in
    chart) check_chart ;;
    rules-copy) check_rules_copy ;;
    alert-rules) check_alert_rules ;;
    compose) check_compose ;;
    image) check_image ;;
    *) fail "unknown step $step (chart, rules-copy, alert-rules, compose, image)" ;;
  esac
done
log "all checks passed: ${steps[*]}"
