"""Security headers on the pages each kind of visitor opens (core/headers.py).

The site's pages — public, participant, juror, mentor, incubation staff — get a policy that
runs no inline script and no eval; the Wagtail and Django admins get their own, looser one.
"""

import re
from pathlib import Path

import pytest
from django.test import Client

from judging.enums import JurorStatus
from judging.models import Juror
from tests.factories import ChallengeFactory, CohortFactory, SuperuserFactory, UserFactory
from tests.incubation.conftest import make_project

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DENIED_FEATURES = {"camera", "microphone", "geolocation", "payment", "usb"}


def policy(response):
    """The Content-Security-Policy header as {directive: {sources}}."""
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def denied_features(response):
    return set(re.findall(r"([a-z-]+)=\(\)", response["Permissions-Policy"]))


@pytest.fixture
def people(home_pages):
    challenge = ChallengeFactory()
    project = make_project(CohortFactory(challenges=[challenge]))
    juror = UserFactory()
    Juror.objects.create(
        challenge=challenge, email=juror.email, user=juror, status=JurorStatus.ACTIVE
    )
    mentor = UserFactory()
    project.mentors.add(mentor)
    return {
        "visitor": None,
        "participant": project.owner,
        "juror": juror,
        "mentor": mentor,
        "staff": SuperuserFactory(),
        "project": project,
    }


def _get(people, who, url):
    client = Client()
    if people[who] is not None:
        client.force_login(people[who])
    response = client.get(url)
    assert response.status_code == 200, (who, url, response.status_code)
    return response


def site_pages(people):
    project = people["project"].pk
    return [
        ("visitor", "/en/"),
        ("visitor", "/uz/accounts/signup/"),
        ("visitor", "/ru/accounts/login/"),
        ("participant", "/en/me/"),
        ("participant", f"/en/incubation/projects/{project}/"),
        ("juror", "/en/judging/"),
        ("mentor", f"/en/incubation/projects/{project}/"),
    ]


def test_site_pages_run_no_inline_script_no_eval_and_nothing_foreign(people, s3_server):
    for who, url in site_pages(people):
        directives = policy(_get(people, who, url))

        assert directives["default-src"] == {"'self'"}, url
        assert directives["script-src"] == {"'self'"}, url
        assert directives["style-src"] == {"'self'"}, url
        assert directives["img-src"] == {"'self'", "data:"}, url
        # The browser posts uploads straight to S3 (here moto's server), nowhere else.
        assert directives["connect-src"] == {"'self'", s3_server}, url
        assert directives["form-action"] == {"'self'"}, url
        assert directives["frame-ancestors"] == {"'none'"}, url
        assert directives["object-src"] == {"'none'"}, url
        assert directives["base-uri"] == {"'self'"}, url


def test_every_page_denies_the_browser_features_the_site_never_uses(people):
    admin = [("staff", "/admin/"), ("staff", "/admin/incubation/"), ("staff", "/django-admin/")]
    for who, url in [*site_pages(people), *admin]:
        response = _get(people, who, url)

        assert denied_features(response) >= DENIED_FEATURES, url


def test_admin_pages_get_the_looser_admin_policy(people):
    # (Their login pages only redirect to the site's one login, which has the site policy.)
    for who, url in [
        ("staff", "/admin/"),
        ("staff", "/admin/pages/"),
        ("staff", "/admin/incubation/"),
        ("staff", "/django-admin/"),
        ("staff", "/django-admin/auth/user/"),
    ]:
        directives = policy(_get(people, who, url))

        assert {"'unsafe-inline'", "'unsafe-eval'"} <= directives["script-src"], url
        assert "'unsafe-inline'" in directives["style-src"], url
        # Still no other origins, no plugins, and only the admin itself may frame it.
        assert directives["default-src"] == {"'self'"}, url
        assert directives["frame-ancestors"] == {"'self'"}, url
        assert directives["object-src"] == {"'none'"}, url


def test_a_missing_page_under_the_site_gets_the_site_policy(people):
    response = Client().get("/en/no-such-page/")

    assert response.status_code == 404
    assert policy(response)["script-src"] == {"'self'"}


@pytest.mark.parametrize(
    ("endpoint", "style", "origin"),
    [
        ("https://minio.example.uz:9000", "path", "https://minio.example.uz:9000"),
        ("https://storage.example.uz", "virtual", "https://tanlov-media.storage.example.uz"),
        (None, "virtual", "https://tanlov-media.s3.eu-central-1.amazonaws.com"),
    ],
)
def test_connect_src_follows_the_s3_endpoint_uploads_go_to(
    home_pages, settings, endpoint, style, origin
):
    settings.AWS_S3_ENDPOINT_URL = endpoint
    settings.AWS_S3_ADDRESSING_STYLE = style
    settings.AWS_S3_REGION_NAME = "eu-central-1"
    settings.AWS_STORAGE_BUCKET_NAME = "tanlov-media"

    response = Client().get("/en/")

    assert policy(response)["connect-src"] == {"'self'", origin}


SITE_TEMPLATES = [
    path
    for path in ROOT.glob("*/templates/**/*.html")
    if "/admin/" not in str(path)  # Wagtail admin views: the admin policy
    and "/email/" not in str(path)  # mail clients, not browsers
    and "/pdf/" not in str(path)  # WeasyPrint (and the admin's preview)
    and "/.venv/" not in str(path)
    and "/node_modules/" not in str(path)
]
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style", re.I)


def test_site_templates_need_no_inline_script_handler_or_style():
    """What the site's policy would block: keep it out of the templates in the first place."""
    assert len(SITE_TEMPLATES) > 40
    offenders = {
        str(path.relative_to(ROOT)): INLINE.findall(path.read_text(encoding="utf-8"))
        for path in SITE_TEMPLATES
        if INLINE.search(path.read_text(encoding="utf-8"))
    }

    assert offenders == {}
