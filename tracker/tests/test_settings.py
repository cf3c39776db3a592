import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

PRODUCTION_ENVIRONMENT = {
    "SECRET_KEY": "k3y-for-the-deploy-check-" + "x7Qp2Lm9Zr4Tb8Wc1Nd6Hs3Jf5Gv0Yk" * 2,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "tracker.example.org",
}


def manage(*args, **environment):
    """Run manage.py in a fresh interpreter, with only the environment given (plus PATH)."""
    env = {"PATH": os.environ["PATH"], **environment}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENVIRONMENT)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_app_refuses_to_start_without_a_secret_key():
    environment = {**PRODUCTION_ENVIRONMENT, "SECRET_KEY": ""}
    result = manage("check", **environment)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_malformed_setting_fails_loudly_naming_the_variable():
    result = manage("check", **{**PRODUCTION_ENVIRONMENT, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_postgresql_runs_the_pages_bounded_reads_without_compiling_them():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
