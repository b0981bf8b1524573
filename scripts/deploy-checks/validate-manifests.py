"""Validates rendered Kubernetes manifests offline.

Built-in kinds go through kubernetes-validate's bundled schemas (strict: unknown
fields are errors). Custom resources (KEDA, Prometheus Operator) go through the
openAPIV3Schema of their CRDs, made strict the same way. A kind with no schema is
an error, never a skip.

usage: validate-manifests.py --kube-version 1.33.0 [--crd CRD.yaml ...] MANIFESTS.yaml ...
"""
import argparse
import sys

import jsonschema
import kubernetes_validate
import yaml


def strict(schema):
    """Rejects unknown fields like the API server's strict field validation does."""
    if isinstance(schema, dict):
        out = {k: strict(v) for k, v in schema.items()}
        if ("properties" in out and "additionalProperties" not in out
                and not out.get("x-kubernetes-preserve-unknown-fields")):
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [strict(v) for v in schema]
    return schema


def load_crds(paths):
    validators = {}
    for path in paths:
        with open(path) as f:
            crd = yaml.safe_load(f)
        group = crd["spec"]["group"]
        kind = crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            if version.get("served", True):
                schema = strict(version["schema"]["openAPIV3Schema"])
                validators[(f"{group}/{version['name']}", kind)] = jsonschema.Draft7Validator(schema)
    return validators


def where(error):
    return ".".join(map(str, error.path)) or "(root)"


def crd_errors(validator, doc):
    return [f"{where(e)}: {e.message}" for e in validator.iter_errors(doc)]


def builtin_errors(doc, kube_version):
    try:
        kubernetes_validate.validate(doc, kube_version, strict=True)
        return []
    except kubernetes_validate.ValidationError as e:
        return [f"{where(e)}: {e.message}"]
    except kubernetes_validate.SchemaNotFoundError as e:
        return [e.message]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kube-version", required=True)
    parser.add_argument("--crd", action="append", default=[], help="a CRD YAML file")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    crds = load_crds(args.crd)
    failures = 0
    checked = 0
    for path in args.files:
        with open(path) as f:
            docs = [d for d in yaml.safe_load_all(f) if d]
        for doc in docs:
            name = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
            key = (doc.get("apiVersion"), doc.get("kind"))
            problems = crd_errors(crds[key], doc) if key in crds else builtin_errors(doc, args.kube_version)
            checked += 1
            for problem in problems:
                failures += 1
                print(f"INVALID {path} {name} (Kubernetes {args.kube_version}): {problem}", file=sys.stderr)
    print(f"{checked} manifests checked, {failures} problems (Kubernetes {args.kube_version})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
