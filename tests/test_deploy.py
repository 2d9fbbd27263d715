"""The deploy kit is checked with what this machine has: HAProxy validates its configuration, and the image
and compose files say what docs/deploy.md promises (no container engine runs here)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"


@pytest.mark.skipif(shutil.which("haproxy") is None and not os.environ.get("CI"), reason="haproxy not installed")
@pytest.mark.parametrize("tls", [False, True])
def test_the_proxy_configuration_is_valid(tmp_path, tls):
    env = {**os.environ, "MOGNAD_PROXY_BIND": "127.0.0.1:18080", "MOGNAD_REPLICA_1": "127.0.0.1:18501",
           "MOGNAD_REPLICA_2": "127.0.0.1:18502"}
    env.pop("MOGNAD_TLS_CERT", None)
    if tls:  # a throwaway self-signed certificate, made here
        pem = tmp_path / "tls.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                        "/CN=localhost", "-keyout", str(pem), "-out", str(pem)], check=True, capture_output=True)
        env["MOGNAD_TLS_CERT"] = str(pem)
    result = subprocess.run(["haproxy", "-c", "-f", str(DEPLOY / "haproxy.cfg")], env=env, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_proxy_sets_the_security_headers_and_stickiness():
    config = (DEPLOY / "haproxy.cfg").read_text("utf-8")
    for needle in ("Content-Security-Policy", "Referrer-Policy no-referrer", "X-Content-Type-Options nosniff",
                   "Strict-Transport-Security", "cookie MOGNAD_REPLICA insert", "option redispatch",
                   "option httpchk GET /_stcore/health", "timeout tunnel"):
        assert needle in config, needle
    csp = re.search(r'Content-Security-Policy "([^"]+)"', config).group(1)
    assert "http:" not in csp.replace("ws:", "") and "https:" not in csp  # no third-party host


def test_the_image_runs_as_a_user_with_a_health_check_and_no_secrets():
    image = (DEPLOY / "Containerfile").read_text("utf-8")
    assert re.search(r"^USER (?!root)", image, re.M)
    assert "HEALTHCHECK" in image and "/_stcore/health" in image
    assert not re.search(r"(PASSWORD|SECRET|TOKEN)\s*=", image)
    assert 'ENTRYPOINT ["mognad", "serve"]' in image


def test_the_compose_file_has_the_topology_and_mounts_secrets():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text("utf-8"))
    services = compose["services"]
    assert {"db", "migrate", "app1", "app2", "proxy", "backup"} <= set(services)
    for name in ("app1", "app2"):
        app = services[name]
        assert app["environment"]["MOGNAD_DATABASE_URL_FILE"].startswith("/run/secrets/")
        assert app["read_only"] is True and "ALL" in app["cap_drop"]
    assert services["proxy"]["environment"]["MOGNAD_TLS_CERT"].startswith("/run/secrets/")
    assert "mognad backup" in " ".join(services["backup"]["command"])
    assert services["keycloak"]["profiles"] == ["oidc"]
    text = (DEPLOY / "compose.yaml").read_text("utf-8")
    assert not re.search(r"PASSWORD:\s*\S", text)  # passwords only through secret files
