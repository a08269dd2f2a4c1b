"""Deployment files: the Kubernetes manifests validate (kubernetes-validate, strict), nginx accepts the hall's
configuration, the compose file and the Dockerfile say what the README promises."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests import services
from tests.conftest import ROOT

MANIFESTS = sorted((ROOT / "deploy" / "k8s").glob("*.yaml"))


def validate(paths) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kubernetes_validate", "--strict", "--quiet", *map(str, paths)],
                          capture_output=True, text=True)


def test_kubernetes_manifests_validate_strictly():
    assert len(MANIFESTS) == 4
    result = validate(MANIFESTS)
    assert result.returncode == 0, result.stdout + result.stderr
    kinds = {doc["kind"] for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text())}
    assert kinds == {"Deployment", "Service", "Ingress"}


def test_the_validator_rejects_a_broken_manifest(tmp_path):
    broken = tmp_path / "app.yaml"
    broken.write_text((ROOT / "deploy" / "k8s" / "app.yaml").read_text().replace("containerPort", "containerPrt"))
    assert validate([broken]).returncode != 0


def test_replicas_are_sticky_and_workers_share_redis():
    docs = {(d["kind"], d["metadata"]["name"]): d for p in MANIFESTS for d in yaml.safe_load_all(p.read_text())}
    ingress = docs[("Ingress", "convlab")]["metadata"]["annotations"]
    assert ingress["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert docs[("Service", "convlab-app")]["spec"]["sessionAffinity"] == "ClientIP"
    worker = docs[("Deployment", "convlab-worker")]["spec"]["template"]["spec"]["containers"][0]
    app = docs[("Deployment", "convlab-app")]["spec"]["template"]["spec"]["containers"][0]
    assert worker["command"] == ["python", "-m", "engine.worker"]
    redis_url = {e["name"]: e.get("value") for e in app["env"]}["CONVLAB_REDIS_URL"]
    assert redis_url == {e["name"]: e.get("value") for e in worker["env"]}["CONVLAB_REDIS_URL"]
    assert app["readinessProbe"]["httpGet"]["path"] == "/_stcore/health"


def test_compose_and_dockerfile():
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    assert set(compose["services"]) == {"redis", "app", "worker", "proxy"}
    mount = compose["services"]["proxy"]["volumes"][0].split(":")[0]
    assert (ROOT / "deploy" / mount).resolve() == ROOT / "deploy" / "nginx" / "convlab.conf.template"
    assert compose["services"]["worker"]["command"] == ["python", "-m", "engine.worker"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.12-slim" in dockerfile and "USER 10001" in dockerfile
    assert "HEALTHCHECK" in dockerfile and "/_stcore/health" in dockerfile


def test_nginx_accepts_the_halls_configuration(tmp_path):
    if not services.have("nginx"):
        pytest.skip("nginx is not installed")
    hall = services.hall_script()
    config = hall.write_nginx_config(tmp_path, "127.0.0.1:18080", [18501, 18502])
    text = (tmp_path / "convlab.conf").read_text()
    assert "${" not in text and "server 127.0.0.1:18502" in text and "$http_upgrade" in text
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    result = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert Path(hall.TEMPLATE).exists()
