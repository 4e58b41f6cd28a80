import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x7#Kq2!vL9pZ$w4Rt8@nB3mYc6^Hs1&Jd5*Fg0(Ue)Ai-Oo+Ll=Pp_Qq",
    "ALLOWED_HOSTS": "tanlov.example.uz",
    "DATABASE_URL": "postgres://tanlov@db.internal:5432/tanlov",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "AWS_STORAGE_BUCKET_NAME": "tanlov-media",
    "AWS_S3_ENDPOINT_URL": "",
    "EMAIL_URL": "smtp+tls://mailer:pw@smtp.example.uz:587",
}


def _manage(*args, env):
    return subprocess.run(  # noqa: S603 -- our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        # The browser fixture may have relaxed async safety in this process; production won't.
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_with_production_env_reports_no_issues():
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_the_insecure_default_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": "insecure-local-only-key-do-not-use-in-production"}

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
