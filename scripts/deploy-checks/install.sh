#!/usr/bin/env bash
# Installs the tools the deployment checks need, into .cache/ (idempotent; a second
# run does nothing). Everything comes from package registries: helm and promtool
# are built from the Go module proxy, the KEDA and Prometheus Operator CRDs come
# from their Go modules, kubernetes-validate (bundled Kubernetes schemas) from
# PyPI, docker-compose from Debian.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${EQL_CACHE_DIR:-$ROOT/.cache}"
BIN="$CACHE/bin"
VENV="$CACHE/deploy-venv"
CRDS="$CACHE/crds"

HELM_VERSION=v3.22.0
PROMETHEUS_VERSION=v0.316.0          # Go module version of Prometheus 3.16
KEDA_VERSION=v2.20.2
PROMETHEUS_OPERATOR_VERSION=v0.85.0
KUBERNETES_VALIDATE_VERSION=1.37.0

log() { printf '[deploy-checks] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# go install PACKAGE@VERSION (with build TAGS) into $BIN, unless that build is already there.
go_tool() {
  local name="$1" package="$2" version="$3" tags="${4:-}"
  local stamp="$version${tags:+ tags $tags}"
  if [[ -x "$BIN/$name" && "$(cat "$BIN/$name.version" 2>/dev/null)" == "$stamp" ]]; then return; fi
  command -v go >/dev/null || die "Go is needed to build $name"
  log "building $name $stamp with go install (minutes on 2 cores; cached afterwards)"
  mkdir -p "$BIN"
  GOBIN="$BIN" GOFLAGS=-buildvcs=false go install -tags "$tags" "$package@$version"
  echo "$stamp" >"$BIN/$name.version"
}

# Copies FILES (paths inside the Go module) into $CRDS.
module_files() {
  local module="$1" version="$2" dir; shift 2
  dir="$(cd "$CACHE" && go mod download -json "$module@$version" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -n "$dir" && -d "$dir" ]] || die "go mod download $module@$version gave no directory"
  mkdir -p "$CRDS"
  for file in "$@"; do cp "$dir/$file" "$CRDS/"; done
}

install_crds() {
  local stamp="$CRDS/.versions" want="keda $KEDA_VERSION prometheus-operator $PROMETHEUS_OPERATOR_VERSION"
  if [[ "$(cat "$stamp" 2>/dev/null)" == "$want" ]]; then return; fi
  log "fetching KEDA $KEDA_VERSION and Prometheus Operator $PROMETHEUS_OPERATOR_VERSION CRDs"
  rm -rf "$CRDS"
  module_files github.com/kedacore/keda/v2 "$KEDA_VERSION" \
    config/crd/bases/keda.sh_scaledobjects.yaml config/crd/bases/keda.sh_triggerauthentications.yaml
  module_files github.com/prometheus-operator/prometheus-operator "$PROMETHEUS_OPERATOR_VERSION" \
    example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml \
    example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml
  echo "$want" >"$stamp"
}

install_kubernetes_validate() {
  if "$VENV/bin/python" -c "import kubernetes_validate, importlib.metadata as m; assert m.version('kubernetes-validate') == '$KUBERNETES_VALIDATE_VERSION'" 2>/dev/null; then
    return
  fi
  log "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
}

install_docker_compose() {
  if command -v docker-compose >/dev/null; then return; fi
  log "installing docker-compose from Debian"
  local sudo=""; [[ "$(id -u)" == 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq docker-compose >/dev/null
}

go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION"
# remove_all_sd: leave out the cloud service-discovery plugins (less to compile; we only use static targets).
go_tool promtool github.com/prometheus/prometheus/cmd/promtool "$PROMETHEUS_VERSION" remove_all_sd
install_crds
install_kubernetes_validate
install_docker_compose
log "tools ready: helm $HELM_VERSION, promtool $PROMETHEUS_VERSION, kubernetes-validate $KUBERNETES_VALIDATE_VERSION, $(docker-compose version --short)"
