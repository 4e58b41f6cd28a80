"""The URL-by-role matrix: every URL pattern of the project, asked as every kind of person.

``TABLE`` maps each URL name (or, for an unnamed pattern, its pattern string) to the
requests made for it and the answer each role must get. Every pattern the resolver knows
must have a row (``test_every_url_pattern_has_a_row``), so a new view cannot be added
without deciding who may open it; Wagtail's and Django's own admin screens are covered
as a whole by ``WAGTAIL_ADMIN_SAMPLE`` and ``DJANGO_ADMIN_SAMPLE``.

The world (tests/matrix_world.py) is built once; each request runs inside a savepoint that
is rolled back, so a POST cannot change what later rows see. All mismatches are reported
together, one line each: ``METHOD path  role  expected → got``.

Answers are written as short words:

* ``"200"``, ``"400"``, ``"403"``, ``"404"``, ``"405"``, ``"410"`` … the status code;
* ``"login"`` a redirect to a login page (the site's, Wagtail's or Django admin's);
* ``"denied"`` Wagtail's "no permission" redirect to the admin home;
* ``"s3"`` a redirect to a presigned link in the bucket (a file handed out);
* ``"301"``/``"302"`` any other redirect.

Out of scope means **404** (exactly like a missing id), visible but not allowed **403**.
Rows marked ``# HOLE:`` answer today what they must not; see the comment.
"""

import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver
from django.utils import translation

from tests.matrix_world import ROLES, build_world

pytestmark = pytest.mark.django_db

LOGGED_IN = tuple(r for r in ROLES if r != "anonymous")
#: Who may enter the Wagtail admin at all (the "access_admin" permission).
ADMIN_USERS = ("editor", "moderator", "manager", "manager_other", "superuser")
NOT_ADMIN = tuple(r for r in LOGGED_IN if r not in ADMIN_USERS)


# --- how expectations are written --------------------------------------------------------
def answers(default, *, anonymous=None, **by_role):
    """Every role gets ``default``, except ``anonymous`` and the roles named."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, unknown
    table = dict.fromkeys(ROLES, default)
    if anonymous is not None:
        table["anonymous"] = anonymous
    table.update(by_role)
    return table


def public(outcome="200"):
    return answers(outcome)


def signed_in(outcome="200"):
    """Any signed-in person; anonymous visitors are sent to the login page."""
    return answers(outcome, anonymous="login")


def only(roles, outcome="200", *, rest="404", anonymous="login", **by_role):
    """``roles`` (a space-separated string) get ``outcome``; everyone else ``rest``."""
    names = roles.split()
    assert set(names) <= set(ROLES), names
    return answers(rest, anonymous=anonymous, **dict.fromkeys(names, outcome), **by_role)


def admin(roles, outcome="200", *, rest="404", **by_role):
    """A view inside the Wagtail admin: people without admin access are sent to its login;
    admin users outside ``roles`` get ``rest``."""
    return only(
        roles,
        outcome,
        rest=rest,
        anonymous="login",
        **dict.fromkeys(NOT_ADMIN, "login"),
        **by_role,
    )


def post_only(get_answer="405"):
    """What a GET to a POST-only participant view answers: the login first, then 405."""
    return signed_in(get_answer)


@dataclass(frozen=True)
class Probe:
    """One request: ``path`` is formatted with the world's objects (``{entry_a.pk}``)."""

    path: str
    expect: dict
    method: str = "GET"
    data: dict = field(default_factory=dict)
    json: bool = False  # send ``data`` as a JSON body
    headers: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    shows: str = ""  # text a 200 answer must contain (formatted like ``path``) …
    shown_to: str = ""  # … for these roles only; any other role's 200 must not contain it


def GET(path, expect, **kw):
    return Probe(path, expect, **kw)


def POST(path, expect, **kw):
    return Probe(path, expect, method="POST", **kw)


# Shorthands for the paths of the objects rows use over and over.
ENTRY_A = "/en/me/entry/{entry_a.pk}"
REVIEW_A = "/en/judging/round/{round_a.pk}/review/{review_a.pk}"
FOLLOWUP_A = "/en/judging/entry/{entry_a.pk}/round/{round_a.pk}/followup"
REVIEW_CONFLICTED = "/en/judging/round/{round_a.pk}/review/{review_conflicted.pk}"
PROJECT_P = "/admin/incubation/projects/{project_p.pk}"
ADMIN_ROUND = "/admin/judging/round/{round_a.pk}"
SCREEN_A = "/en/judging/round/{round_s.pk}/screen/{screen_a.pk}"
SCREEN_CONFLICTED = "/en/judging/round/{round_s.pk}/screen/{screen_conflicted.pk}"
ADMIN_SCREENING = "/admin/judging/round/{round_s.pk}/screening"
EXPO_P = "/en/judging/round/{round_p.pk}/expo"
ADMIN_PAIRWISE = "/admin/judging/round/{round_p.pk}/pairwise"
FEEDBACK_A = "/en/judging/entry/{entry_a.pk}/round/{round_f.pk}/feedback/"
ADMIN_FEEDBACK = "/admin/judging/round/{round_f.pk}/feedback"
ADMIN_APPEAL = "/admin/judging/round/{round_f.pk}/appeals/{appeal_f.pk}"
TEAM_A = "owner member"
JURORS_A = "juror juror_unassigned juror_conflicted"
PROGRAMME_STAFF = "manager manager_other superuser"  # run a challenge (any) or a cohort
EVERY_ADMIN = " ".join(ADMIN_USERS)
A_STAFF = "manager superuser"
PAGE_EDITORS = "editor moderator superuser"  # Wagtail's page permissions on the site tree
WEBHOOK_SECRET = "matrix-secret"

TABLE = {
    # --- plumbing and public pages -----------------------------------------------------
    "healthz": [GET("/healthz", public())],
    "sitemap": [GET("/sitemap.xml", public())],
    "robots_txt": [GET("/robots.txt", public())],
    "favicon.ico": [GET("/favicon.ico", public("301"))],
    "set_language": [POST("/i18n/setlang/", public("302"), data={"language": "ru", "next": "/"})],
    "public_media": [
        GET("/media/{image.file.name}", public()),
        # A private object (an entry's file) is never served from the public media path.
        GET("/media/{file_a.key}", public("404")),
    ],
    "wagtaildocs_serve": [GET("/documents/{document.pk}/{document_filename}", public("s3"))],
    "wagtaildocs_authenticate_with_password": [
        GET("/documents/authenticate_with_password/999999/", public("404"))
    ],
    "wagtail_serve": [GET("/en/", public(), shows="{homes[en].title}")],
    "wagtailcore_authenticate_with_password": [
        GET("/en/_util/authenticate_with_password/999999/{homes[en].pk}/", public("404"))
    ],
    "wagtailcore_login": [GET("/en/_util/login/", public())],
    # --- development only (mounted by TANLOV_DEV_MAIL: dev and test settings, never
    # production — tests/core/test_dev_mailbox.py) ---------------------------------------
    "dev_mail": [GET("/en/dev/mail/", public(), shows="Development mailbox")],
    "dev_mail_message": [GET("/en/dev/mail/00000000000000000000-deadbeef/", public("404"))],
    # --- accounts (allauth) --------------------------------------------------------------
    "account_login": [GET("/en/accounts/login/", answers("302", anonymous="200"))],
    # The admins' own login pages only lead to the one (allauth) login; someone signed in
    # who may use that admin goes on to it, anyone else signed in is refused.
    "wagtail_admin_login": [
        GET("/admin/login/", answers("403", anonymous="login", **dict.fromkeys(ADMIN_USERS, "302")))
    ],
    "account_signup": [GET("/en/accounts/signup/", answers("302", anonymous="200"))],
    "account_logout": [GET("/en/accounts/logout/", answers("200", anonymous="302"))],
    "account_inactive": [GET("/en/accounts/inactive/", public())],
    "account_reauthenticate": [GET("/en/accounts/reauthenticate/", signed_in())],
    "account_request_reauthentication_code": [
        GET("/en/accounts/reauthenticate/code/", signed_in())
    ],
    # No code was requested: back to the start of the flow.
    "account_confirm_reauthentication_code": [
        GET("/en/accounts/reauthenticate/code/confirm/", signed_in("302"))
    ],
    "account_email": [GET("/en/accounts/email/", signed_in())],
    "account_email_verification_sent": [GET("/en/accounts/confirm-email/", public())],
    # No sign-up waits in the matrix's sessions: everyone is sent to sign in (which resends).
    "account_resend_verification": [
        GET("/en/accounts/confirm-email/resend/", public("405")),
        POST("/en/accounts/confirm-email/resend/", public("login")),
    ],
    "account_change_password": [GET("/en/accounts/password/change/", signed_in())],
    "account_set_password": [GET("/en/accounts/password/set/", signed_in("302"))],
    "account_reset_password": [GET("/en/accounts/password/reset/", public())],
    "account_reset_password_done": [GET("/en/accounts/password/reset/done/", public())],
    "account_confirm_login_code": [
        GET("/en/accounts/login/code/confirm/", answers("302", anonymous="login"))
    ],
    "account_confirm_email": [GET("/en/accounts/confirm-email/not-a-key/", public())],
    "account_reset_password_from_key": [
        GET("/en/accounts/password/reset/key/1-not-a-key/", public())
    ],
    "account_reset_password_from_key_done": [
        GET("/en/accounts/password/reset/key/done/", public())
    ],
    # --- participants: profile, teams, entries, files ------------------------------------
    "submissions:dashboard": [
        GET("/en/me/", signed_in(), shows="{entry_a.title}", shown_to=TEAM_A)
    ],
    "submissions:profile": [GET("/en/me/profile/", signed_in())],
    # A person's own data (core.personal_data): no id in the address, so nobody else's.
    "personal_data_export": [GET("/en/me/data/", signed_in())],
    "personal_data_erase": [
        GET("/en/me/delete/", signed_in()),
        # A wrong password: the page again, nothing erased.
        POST("/en/me/delete/", signed_in("400"), data={"secret": "wrong", "confirm": "on"}),
    ],
    "submissions:enter": [GET("/en/me/enter/{a.slug}/", signed_in(), shows="{a.title}")],
    "submissions:team": [
        GET("/en/me/team/{team_a.pk}/", only(TEAM_A), shows="{team_a.name}"),
        POST("/en/me/team/{team_a.pk}/", only(TEAM_A, "302"), data={"action": "new_code"}),
    ],
    # The join code and the invitation token are the secret: whoever holds one may join.
    "submissions:join": [
        GET("/en/me/join/{team_a.join_code}/", signed_in(), shows="{team_a.name}"),
        POST("/en/me/join/{team_a.join_code}/", signed_in("302")),
    ],
    "submissions:invitation": [
        # The page explains the invitation to anyone holding the link (an invitee without
        # an account too); accepting needs an account, declining only the link.
        GET("/en/me/invitation/{invitation.token}/", public(), shows="{team_a.name}"),
        POST(
            "/en/me/invitation/{invitation.token}/",
            answers("302", anonymous="login"),
            data={"action": "accept"},
        ),
        POST("/en/me/invitation/{invitation.token}/", public("302"), data={"action": "decline"}),
    ],
    "submissions:entry": [
        GET(ENTRY_A + "/", only(TEAM_A), shows="{entry_a.title}"),
        POST(ENTRY_A + "/", only(TEAM_A, "400"), data={"action": "save"}),
    ],
    # A frozen version opens read-only for the team only; a version that does not exist: 404.
    "submissions:version": [
        GET(ENTRY_A + "/versions/1/", only(TEAM_A), shows="{entry_a.title}"),
        GET(ENTRY_A + "/versions/9/", only(TEAM_A, "404")),
    ],
    "submissions:version_receipt": [
        GET(ENTRY_A + "/versions/1/receipt.pdf", only(TEAM_A)),
        GET(ENTRY_A + "/versions/9/receipt.pdf", only(TEAM_A, "404")),
        POST(ENTRY_A + "/versions/1/receipt.pdf", signed_in("405")),
    ],
    "submissions:file_slot": [
        GET(ENTRY_A + "/files/slot/", post_only()),
        # Entries closed at the deadline: the team is refused (400), others never see it.
        POST(
            ENTRY_A + "/files/slot/",
            only(TEAM_A, "400"),
            json=True,
            data={"kind": "image", "name": "x.png", "content_type": "image/png", "size": 10},
        ),
    ],
    "submissions:file_upload": [
        GET(ENTRY_A + "/files/upload/", post_only()),
        POST(ENTRY_A + "/files/upload/", only(TEAM_A, "302")),
    ],
    "submissions:file_part": [
        GET(ENTRY_A + "/files/{pending_a.pk}/part/", post_only()),
        POST(
            ENTRY_A + "/files/{pending_a.pk}/part/",
            only(TEAM_A, "400"),
            json=True,
            data={"part": 1},
        ),
    ],
    "submissions:file_confirm": [
        GET(ENTRY_A + "/files/{pending_a.pk}/confirm/", post_only()),
        POST(ENTRY_A + "/files/{pending_a.pk}/confirm/", only(TEAM_A, "400"), json=True),
    ],
    "submissions:file_remove": [
        GET(ENTRY_A + "/files/{file_a.pk}/remove/", only(TEAM_A), shows="{file_a.original_name}"),
        POST(ENTRY_A + "/files/{file_a.pk}/remove/", only(TEAM_A, "302")),
    ],
    # The team, the challenge's staff, and (after the deadline) its assigned, unconflicted
    # juror get a presigned link.
    "submissions:file_download": [
        GET(ENTRY_A + "/files/{file_a.pk}/", only("owner member juror manager superuser", "s3")),
        GET(ENTRY_A + "/files/{pending_a.pk}/", signed_in("404")),
    ],
    # --- jurors --------------------------------------------------------------------------
    "judging:home": [
        GET("/en/judging/", signed_in(), shows="{round_a.name_en}", shown_to=JURORS_A)
    ],
    "judging:accept": [
        GET("/en/judging/invitation/{invited_juror.token}/", signed_in(), shows="{a.title}")
    ],
    "judging:conflicts": [
        GET(
            "/en/judging/challenge/{a.pk}/conflicts/",
            only(JURORS_A),
        )
    ],
    "judging:queue": [
        # Only the jurors it is assigned to see A's entry in their queue; not the juror
        # who declared a conflict with it after being assigned (fixed: it was listed).
        GET(
            "/en/judging/round/{round_a.pk}/",
            only(JURORS_A),
            shows="{entry_a.title}",
            shown_to="juror",
        )
    ],
    "judging:expo": [
        # A pairwise round: every juror of A's jury walks it; nobody else finds it.
        GET(EXPO_P + "/", only(JURORS_A), shows="Start: send me to a table", shown_to=JURORS_A),
        # A scored round has no expo page.
        GET("/en/judging/round/{round_a.pk}/expo/", signed_in("404")),
    ],
    "judging:expo_answer": [
        GET(EXPO_P + "/answer/", post_only()),
        POST(EXPO_P + "/answer/", only(JURORS_A, "302"), data={"action": "start"}),
        # Comparing with no table visited: refused (400), nothing saved.
        POST(
            EXPO_P + "/answer/",
            only(JURORS_A, "400"),
            data={
                "action": "compare",
                "a": "{entry_a.pk}",
                "b": "{entry_b.pk}",
                "winner": "{entry_a.pk}",
            },
        ),
    ],
    "judging:followup": [
        # Team members of an entry in the round's scope only; anyone else (staff and jurors
        # included: they read sent answers on their own pages) finds nothing.
        GET(FOLLOWUP_A + "/", only(TEAM_A), shows="Budget"),
        POST(FOLLOWUP_A + "/", only(TEAM_A, "302"), data={"budget": "5", "action": "save"}),
        GET("/en/judging/entry/{entry_b.pk}/round/{round_a.pk}/followup/", only("other_team")),
        # Another round (the screening round asks for nothing): no follow-up page.
        GET("/en/judging/entry/{entry_a.pk}/round/{round_s.pk}/followup/", signed_in("404")),
    ],
    "judging:feedback": [
        # The entry's team only, once the round's feedback is released; anyone else 404.
        GET(FEEDBACK_A, only(TEAM_A), shows="{entry_a.title}"),
        # A's team has appealed already: a second appeal is refused (400), nothing saved.
        POST(FEEDBACK_A, only(TEAM_A, "400"), data={"reason": "Again"}),
        POST(
            "/en/judging/entry/{entry_b.pk}/round/{round_f.pk}/feedback/",
            only("other_team", "302"),
            data={"reason": "Please look again."},
        ),
        # Round R's feedback is not released: no page for anyone.
        GET("/en/judging/entry/{entry_a.pk}/round/{round_a.pk}/feedback/", signed_in("404")),
    ],
    "judging:review": [
        GET(REVIEW_A + "/", only("juror"), shows="{entry_a.title}"),
        # Declared a conflict after being assigned: the review no longer exists for them.
        GET(REVIEW_CONFLICTED + "/", signed_in("404")),
    ],
    "judging:screen": [
        GET(SCREEN_A + "/", only("juror"), shows="{entry_a.title}"),
        POST(SCREEN_A + "/", only("juror", "302"), data={"verdict": "eligible"}),
        # Conflicted with the entry: the assignment does not exist for them (and no decision).
        GET(SCREEN_CONFLICTED + "/", signed_in("404")),
        POST(SCREEN_CONFLICTED + "/", signed_in("404"), data={"verdict": "eligible"}),
        # A scoring assignment is not screened.
        GET("/en/judging/round/{round_a.pk}/screen/{review_a.pk}/", signed_in("404")),
    ],
    "judging:reopen": [
        GET(REVIEW_A + "/reopen/", post_only()),
        POST(REVIEW_A + "/reopen/", only("juror", "302")),
    ],
    "judging:download": [
        GET(REVIEW_A + "/file/0/", only("juror", "s3")),
        GET(REVIEW_CONFLICTED + "/file/0/", signed_in("404")),
    ],
    # --- people's choice vote ---------------------------------------------------------
    # The gallery is public and shows only consented entries (A's, not B's).
    "voting:gallery": [
        GET("/en/vote/{a.slug}/", public(), shows="{entry_a.title}"),
        GET("/en/vote/{z.slug}/", public("404")),  # Z holds no vote
    ],
    # Any signed-in account may vote (the service refuses unverified ones); POST only.
    "voting:vote": [
        GET("/en/vote/{a.slug}/vote/", public("405")),
        POST("/en/vote/{a.slug}/vote/", signed_in("302"), data={"entry": "{entry_a.pk}"}),
    ],
    # Anyone signed in confirms their own phone; nobody asked for a code, so a code is
    # refused (400) and nothing about anyone else's phone is ever shown.
    "voting:phone": [
        GET("/en/vote/phone/", signed_in()),
        POST("/en/vote/phone/", signed_in("400"), data={"action": "confirm", "code": "000000"}),
    ],
    # Hidden until published: the page answers, without any count.
    "voting:results": [GET("/en/vote/{a.slug}/results/", public())],
    # A's entry has no verified image; B's is not in the gallery: no image either way.
    "voting:image": [
        GET("/en/vote/{a.slug}/entry/{entry_a.pk}/image/", public("404")),
        GET("/en/vote/{a.slug}/entry/{entry_b.pk}/image/", public("404")),
    ],
    # The team sees whether its entry is in the gallery; only its lead decides.
    "voting:consent": [
        GET("/en/vote/entry/{entry_a.pk}/consent/", only(TEAM_A)),
        POST(
            "/en/vote/entry/{entry_a.pk}/consent/",
            only("owner", "302", member="403"),
            data={"consent": "no"},
        ),
    ],
    # --- certificates --------------------------------------------------------------------
    "certificates:download": [
        GET("/en/certificates/{certificate.code}/download/", only("owner " + A_STAFF, "s3")),
        GET(
            "/en/certificates/{certificate_b.code}/download/",
            only("other_team " + A_STAFF, "s3"),
        ),
    ],
    "certificates:badge_issuer": [GET("/en/certificates/badges/issuer.json", public())],
    "certificates:badge_class": [
        GET("/en/certificates/badges/{c.pk}/participation.json", public(), shows="{c.title}")
    ],
    "certificates:badge_image": [GET("/en/certificates/badges/{c.pk}/participation.svg", public())],
    "certificates:badge_assertion": [
        GET("/en/certificates/badges/assertions/{certificate.code}.json", public())
    ],
    "certificate_verify": [
        GET("/en/verify/{certificate.code}/", public(), shows="{certificate.recipient_name}"),
        GET("/en/verify/ZZZZ-ZZZZ-ZZZZ/", public("404")),
    ],
    "certificate_lookup": [
        GET("/en/verify/", public(), shows="Check a certificate"),
        GET("/en/verify/?code={certificate.code}", public("302")),
    ],
    # --- the read-only public API (docs/api.md): the same to everyone ----------------------
    "api_v1:api-root": [GET("/api/v1/", public("404"))],
    "api_v1:openapi-json": [
        GET("/api/v1/openapi.json", public(), shows="/api/v1/certificates/{{code}}")
    ],
    "api_v1:challenges": [
        GET("/api/v1/challenges", public(), shows='"slug": "{c.slug}"'),
        GET("/api/v1/challenges?status=closed&kind={c.kind}&page=1", public(), shows="{c.slug}"),
        GET("/api/v1/challenges?status=shut", public("422")),
    ],
    "api_v1:challenge": [
        GET("/api/v1/challenges/{c.slug}?lang=en", public(), shows="{c.slug}"),
        GET("/api/v1/challenges/{a.slug}", public("404")),  # no public page
        GET("/api/v1/challenges/{z.slug}", public("404")),
    ],
    "api_v1:results": [
        GET("/api/v1/challenges/{c.slug}/results", public(), shows="90.00"),
        GET("/api/v1/challenges/{a.slug}/results", public("404")),
    ],
    "api_v1:certificate": [
        GET(
            "/api/v1/certificates/{certificate.code}",
            public(),
            shows="{certificate.recipient_name}",
        ),
        GET("/api/v1/certificates/ZZZZ-ZZZZ-ZZZZ", public("404")),
    ],
    # --- open data (docs/opendata.md): the same to everyone; C is public, A and Z are not -
    "opendata:index": [GET("/en/open-data/", public(), shows="/en/open-data/{c.slug}/")],
    "opendata:challenge": [
        GET("/en/open-data/{c.slug}/", public(), shows="datapackage.json"),
        GET("/en/open-data/{a.slug}/", public("404")),
        GET("/en/open-data/{z.slug}/", public("404")),
    ],
    "opendata:json": [
        GET("/en/open-data/{c.slug}/data.json", public(), shows='"people-by-region"'),
        GET("/en/open-data/{a.slug}/data.json", public("404")),
    ],
    "opendata:datapackage": [
        GET("/en/open-data/{c.slug}/datapackage.json", public(), shows="CC-BY-4.0"),
        GET("/en/open-data/{a.slug}/datapackage.json", public("404")),
    ],
    "opendata:csv": [
        GET("/en/open-data/{c.slug}/people-by-region.csv", public(), shows="UZ-QR"),
        GET("/en/open-data/{c.slug}/nothing.csv", public("404")),
        GET("/en/open-data/{a.slug}/people-by-region.csv", public("404")),
    ],
    "wagtailapi_v2:pages:listing": [GET("/api/v2/pages/", public(), shows="{c_page.slug}")],
    "wagtailapi_v2:pages:detail": [
        GET("/api/v2/pages/{c_page.pk}/", public(), shows="{c_page.title}"),
        GET("/api/v2/pages/999999/", public("404")),
    ],
    "wagtailapi_v2:pages:find": [GET("/api/v2/pages/find/?html_path=/", public("302"))],
    "wagtailapi_v2:images:listing": [GET("/api/v2/images/", public(), shows="{image.title}")],
    "wagtailapi_v2:images:detail": [GET("/api/v2/images/{image.pk}/", public())],
    "wagtailapi_v2:images:find": [GET("/api/v2/images/find/?id={image.pk}", public("302"))],
    # --- incubation: teams and mentors ---------------------------------------------------
    "incubation:home": [
        GET(
            "/en/incubation/",
            signed_in(),
            shows="{project_p.title}",
            shown_to="owner member mentor",
        )
    ],
    "incubation:project": [
        GET(
            "/en/incubation/projects/{project_p.pk}/",
            only("owner member mentor " + A_STAFF),
            shows="{project_p.title}",
        )
    ],
    # Reports are the team's; a mentor or the staff may read the project but not report.
    # (The superuser passes because the view asks user.has_perm, which says yes to every
    # superuser; core.access.require would say no — the view refactor decides which.)
    "incubation:report": [
        GET(
            "/en/incubation/projects/{project_p.pk}/report/",
            # The team only: staff and mentors see the project but do not write its reports
            # (a superuser neither: rules decide, not Django's superuser bypass).
            only(TEAM_A, mentor="403", manager="403", superuser="403"),
        )
    ],
    "incubation:milestone": [
        GET(
            "/en/incubation/milestones/{milestone.pk}/",
            only(TEAM_A + " " + A_STAFF, mentor="403"),
        )
    ],
    "incubation:comment": [
        GET("/en/incubation/reports/{report.pk}/comment/", post_only()),
        POST(
            "/en/incubation/reports/{report.pk}/comment/",
            only("mentor " + A_STAFF, "302", owner="403", member="403"),
        ),
    ],
    "incubation:file": [
        GET(
            "/en/incubation/files/{project_file.pk}/",
            only("owner member mentor " + A_STAFF, "s3"),
        ),
        # A file whose upload was never confirmed is handed to nobody.
        GET("/en/incubation/files/{pending_file.pk}/", signed_in("404")),
    ],
    "incubation:upload_start": [
        GET("/en/incubation/projects/{project_p.pk}/uploads/", post_only()),
        POST(
            "/en/incubation/projects/{project_p.pk}/uploads/",
            only(TEAM_A + " " + A_STAFF, mentor="403"),
            data={"name": "plan.pdf", "type": "application/pdf", "size": "10"},
        ),
    ],
    # Only the person who started the upload confirms it (the object is not in S3: 400).
    "incubation:upload_confirm": [
        GET("/en/incubation/uploads/{pending_file.pk}/confirm/", post_only()),
        POST("/en/incubation/uploads/{pending_file.pk}/confirm/", only("owner", "400")),
    ],
    # --- incubation: the old staff addresses (the pages moved into the admin) -----------
    "incubation:staff_moved": [
        GET("/en/incubation/staff/", public("301")),
        GET("/en/incubation/staff/projects/?stage=pilot", public("301")),
    ],
    # --- notifications -------------------------------------------------------------------
    "notifications:inbox": [GET("/en/notifications/", signed_in())],
    "notifications:open": [GET("/en/notifications/{notification.pk}/", only("owner", "302"))],
    "notifications:mark_all_read": [
        GET("/en/notifications/read/", post_only()),
        POST("/en/notifications/read/", signed_in("302")),
    ],
    "notifications:preferences": [GET("/en/notifications/settings/", signed_in())],
    "notifications:telegram_link": [
        GET("/en/notifications/telegram/link/", post_only()),
        POST("/en/notifications/telegram/link/", signed_in("302")),
    ],
    "notifications:telegram_unlink": [
        GET("/en/notifications/telegram/unlink/", post_only()),
        POST("/en/notifications/telegram/unlink/", signed_in("302")),
    ],
    # Telegram is not a person: the secret header decides, whoever's cookie comes along.
    "notifications:telegram_webhook": [
        GET("/en/notifications/telegram/webhook/", public("405")),
        POST("/en/notifications/telegram/webhook/", public("404"), json=True),
        POST(
            "/en/notifications/telegram/webhook/",
            public("403"),
            json=True,
            data={"update_id": 1},
            settings={"TANLOV_TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET},
        ),
        POST(
            "/en/notifications/telegram/webhook/",
            public("200"),
            json=True,
            data={"update_id": 1, "message": {"chat": {"id": 7}, "text": "/start nothing"}},
            headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
            settings={"TANLOV_TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET},
        ),
    ],
    # --- staff: entries in the Wagtail admin ---------------------------------------------
    "submissions_admin:list": [
        GET("/admin/entries/", admin(EVERY_ADMIN), shows="{entry_a.title}", shown_to=A_STAFF),
        GET(
            "/admin/entries/?format=csv",
            admin(EVERY_ADMIN),
            shows="{entry_a.title}",
            shown_to=A_STAFF,
        ),
    ],
    "submissions_admin:detail": [
        GET("/admin/entries/{entry_a.pk}/", admin(A_STAFF), shows="{entry_a.title}")
    ],
    "submissions_admin:exception_index": [
        GET("/admin/entries/exceptions/", admin(EVERY_ADMIN), shows="{a.title}", shown_to=A_STAFF)
    ],
    "submissions_admin:exceptions": [
        GET(
            "/admin/entries/exceptions/challenge/{a.pk}/",
            admin(A_STAFF),
            shows="{exception_a.reason}",
        ),
        # An empty form: refused on the page (400), nothing granted.
        POST("/admin/entries/exceptions/challenge/{a.pk}/", admin(A_STAFF, "400")),
    ],
    "submissions_admin:exception_revoke": [
        GET("/admin/entries/exceptions/{exception_a.pk}/revoke/", admin(EVERY_ADMIN, "405")),
        POST("/admin/entries/exceptions/{exception_a.pk}/revoke/", admin(A_STAFF, "302")),
    ],
    "submissions_admin:districts": [
        # A page of names by region and typed district: the staff of a challenge the people
        # take part in see them (each viewing audited); other staff an empty list.
        GET(
            "/admin/entries/districts/",
            admin("manager manager_other superuser", rest="denied"),
            shows="Chilonzor-9",
            shown_to=A_STAFF,
        )
    ],
    "submissions_admin:district_settle": [
        GET("/admin/entries/districts/{member_profile.pk}/", admin(EVERY_ADMIN, "405")),
        POST(
            "/admin/entries/districts/{member_profile.pk}/",
            admin(A_STAFF, "302"),
            data={"district": "{chilonzor.pk}"},
        ),
    ],
    # --- staff: judging ------------------------------------------------------------------
    "judging_admin:index": [
        GET("/admin/judging/", admin(EVERY_ADMIN), shows="{a.title}", shown_to=A_STAFF)
    ],
    "judging_admin:round_new": [GET("/admin/judging/challenge/{a.pk}/rounds/new/", admin(A_STAFF))],
    "judging_admin:round_edit": [
        GET("/admin/judging/challenge/{a.pk}/rounds/{round_a.pk}/edit/", admin(A_STAFF)),
        # A round of another challenge under A's address is not found, even by A's staff.
        GET("/admin/judging/challenge/{a.pk}/rounds/{round_z.pk}/edit/", admin("", rest="404")),
    ],
    "judging_admin:jurors": [GET("/admin/judging/challenge/{a.pk}/jurors/", admin(A_STAFF))],
    "judging_admin:round": [
        GET(ADMIN_ROUND + "/", admin(A_STAFF), shows="{entry_a.title}"),
        GET("/admin/judging/round/{round_z.pk}/", admin("manager_other superuser")),
    ],
    "judging_admin:certainty": [
        GET(ADMIN_ROUND + "/certainty/", admin(A_STAFF), shows="{entry_a.title}"),
        POST(
            ADMIN_ROUND + "/certainty/",
            admin(A_STAFF, "302"),
            data={"action": "cut", "rule": "top", "value": "1"},
        ),
        # A screening round has no ranking to be sure of.
        GET(ADMIN_SCREENING + "/certainty/", admin("", rest="404")),
    ],
    "judging_admin:pairwise": [
        GET(ADMIN_PAIRWISE + "/", admin(A_STAFF), shows="{entry_a.title}", shown_to=A_STAFF),
        POST(
            ADMIN_PAIRWISE + "/",
            admin(A_STAFF, "302"),
            data={"action": "table", "entry": "{entry_a.pk}", "number": "50"},
        ),
        # A scored round has no pairwise page.
        GET(ADMIN_ROUND + "/pairwise/", admin("", rest="404")),
    ],
    "judging_admin:round_action": [
        GET(ADMIN_ROUND + "/action/", admin(EVERY_ADMIN, "405")),
        POST(ADMIN_ROUND + "/action/", admin(A_STAFF, "302"), data={"action": "remind"}),
        POST(ADMIN_ROUND + "/action/", admin(A_STAFF, "302"), data={"action": "followup"}),
    ],
    "judging_admin:export": [
        GET(ADMIN_ROUND + "/export/ranking.csv", admin(A_STAFF)),
        GET(ADMIN_ROUND + "/export/scores.csv", admin(A_STAFF)),
        GET("/admin/judging/round/{round_p.pk}/export/pairwise.csv", admin(A_STAFF)),
        GET("/admin/judging/round/{round_p.pk}/export/comparisons.csv", admin(A_STAFF)),
        # A scored round has no pairwise export.
        GET(ADMIN_ROUND + "/export/pairwise.csv", admin("", rest="404")),
    ],
    "judging_admin:export_xlsx": [
        GET(ADMIN_ROUND + "/export/ranking.xlsx", admin(A_STAFF)),
        GET("/admin/judging/round/{round_p.pk}/export/pairwise.xlsx", admin(A_STAFF)),
    ],
    "judging_admin:screening": [
        GET(ADMIN_SCREENING + "/", admin(A_STAFF), shows="{entry_a.title}"),
        # A scored round has no screening list.
        GET(ADMIN_ROUND + "/screening/", admin("", rest="404")),
    ],
    "judging_admin:screening_decide": [
        GET(ADMIN_SCREENING + "/decide/", admin(EVERY_ADMIN, "405")),
        POST(
            ADMIN_SCREENING + "/decide/",
            admin(A_STAFF, "302"),
            data={"entries": "{entry_a.pk}", "verdict": "ineligible", "reason": "late"},
        ),
        # Another challenge's entry in the selection: nothing changes (400).
        POST(
            ADMIN_SCREENING + "/decide/",
            admin(A_STAFF, "400"),
            data={"entries": "{entry_c.pk}", "verdict": "eligible"},
        ),
    ],
    "judging_admin:feedback": [GET(ADMIN_FEEDBACK + "/", admin(A_STAFF))],
    "judging_admin:feedback_action": [
        GET(ADMIN_FEEDBACK + "/action/", admin(EVERY_ADMIN, "405")),
        # Released already: refused (400), nothing changes.
        POST(ADMIN_FEEDBACK + "/action/", admin(A_STAFF, "400"), data={"action": "release"}),
    ],
    "judging_admin:appeals": [
        GET("/admin/judging/round/{round_f.pk}/appeals/", admin(A_STAFF), shows="{entry_a.title}")
    ],
    "judging_admin:appeal": [GET(ADMIN_APPEAL + "/", admin(A_STAFF), shows="Please look again.")],
    "judging_admin:appeal_file": [GET(ADMIN_APPEAL + "/file/", admin(A_STAFF, "s3"))],
    "judging_admin:appeal_action": [
        GET(ADMIN_APPEAL + "/action/", admin(EVERY_ADMIN, "405")),
        POST(
            ADMIN_APPEAL + "/action/",
            admin(A_STAFF, "302"),
            data={"action": "decide", "decision": "dismissed", "response": "The scores stand."},
        ),
    ],
    "judging_admin:entry": [
        GET(ADMIN_ROUND + "/entry/{entry_a.pk}/", admin(A_STAFF), shows="{entry_a.title}")
    ],
    "judging_admin:entry_action": [
        GET(ADMIN_ROUND + "/entry/{entry_a.pk}/action/", admin(EVERY_ADMIN, "405")),
        POST(
            ADMIN_ROUND + "/entry/{entry_a.pk}/action/",
            admin(A_STAFF, "302"),
            data={"action": "reopen", "review": "{review_a.pk}"},
        ),
    ],
    # --- staff: people's choice vote ---------------------------------------------------
    "voting_admin:index": [
        GET("/admin/voting/", admin(EVERY_ADMIN), shows="{a.title}", shown_to=A_STAFF)
    ],
    "voting_admin:edit": [
        GET("/admin/voting/{a.pk}/", admin(A_STAFF)),
        GET("/admin/voting/{z.pk}/", admin("manager_other superuser")),
    ],
    "voting_admin:review": [
        GET("/admin/voting/{a.pk}/review/", admin(A_STAFF), shows="{entry_a.title}"),
        POST(
            "/admin/voting/{a.pk}/review/",
            admin(A_STAFF, "302"),
            data={"votes": "{held_vote.pk}", "decision": "void", "reason": "Matrix"},
        ),
        # Z has no vote.
        GET("/admin/voting/{z.pk}/review/", admin("", rest="404")),
    ],
    "voting_admin:publish": [
        GET("/admin/voting/{a.pk}/publish/", admin(EVERY_ADMIN, "405")),
        # Still open: refused with a message, back to the review page.
        POST("/admin/voting/{a.pk}/publish/", admin(A_STAFF, "302")),
    ],
    # --- staff: broadcasts ---------------------------------------------------------------
    "broadcasts_admin:index": [
        GET(
            "/admin/broadcasts/",
            admin(EVERY_ADMIN),
            shows="{broadcast_a.subject}",
            shown_to=A_STAFF,
        )
    ],
    "broadcasts_admin:new": [
        GET("/admin/broadcasts/challenge/{a.pk}/new/", admin(A_STAFF)),
        GET("/admin/broadcasts/challenge/{z.pk}/new/", admin("manager_other superuser")),
        POST(
            "/admin/broadcasts/challenge/{a.pk}/new/",
            admin(A_STAFF, "302"),
            data={"segment": "entrants", "subject_en": "Hello", "body_en": "Tomorrow at ten."},
        ),
    ],
    "broadcasts_admin:detail": [
        GET("/admin/broadcasts/{broadcast_a.pk}/", admin(A_STAFF), shows="{broadcast_a.subject}"),
        GET("/admin/broadcasts/{broadcast_sent.pk}/", admin(A_STAFF)),
    ],
    "broadcasts_admin:edit": [
        GET("/admin/broadcasts/{broadcast_a.pk}/edit/", admin(A_STAFF)),
        # Sent: back to its page with the reason, nothing to change.
        GET("/admin/broadcasts/{broadcast_sent.pk}/edit/", admin(A_STAFF, "302")),
    ],
    "broadcasts_admin:send": [
        GET("/admin/broadcasts/{broadcast_a.pk}/send/", admin(EVERY_ADMIN, "405")),
        POST(
            "/admin/broadcasts/{broadcast_a.pk}/send/",
            admin(A_STAFF, "302"),
            data={"when": "now"},
        ),
        # Sent already: refused (409), nothing sent again.
        POST(
            "/admin/broadcasts/{broadcast_sent.pk}/send/",
            admin(A_STAFF, "409"),
            data={"when": "now"},
        ),
    ],
    "broadcasts_admin:unschedule": [
        GET("/admin/broadcasts/{broadcast_a.pk}/unschedule/", admin(EVERY_ADMIN, "405")),
        # A draft is not scheduled: the reason as a message, back to its page.
        POST("/admin/broadcasts/{broadcast_a.pk}/unschedule/", admin(A_STAFF, "302")),
    ],
    # --- staff: programme dashboard -------------------------------------------------------
    "reporting_admin:dashboard": [
        GET("/admin/reporting/", admin(EVERY_ADMIN), shows="{a.title}", shown_to=A_STAFF),
        # Another challenge's numbers: not found, as its pages are.
        GET("/admin/reporting/?challenge={z.pk}", admin("manager_other superuser")),
        GET("/admin/reporting/?challenge={a.pk}", admin(A_STAFF), shows="{a.title}"),
    ],
    "reporting_admin:challenge": [
        GET("/admin/reporting/challenge/{a.pk}/", admin(A_STAFF), shows="{a.title}"),
        GET("/admin/reporting/challenge/{z.pk}/", admin("manager_other superuser")),
    ],
    "reporting_admin:export": [
        GET("/admin/reporting/export/region.csv?challenge={a.pk}", admin(A_STAFF)),
        GET("/admin/reporting/export/daily.csv", admin(PROGRAMME_STAFF)),
        GET("/admin/reporting/export/nothing.csv", admin("", rest="404")),
    ],
    "reporting_admin:export_xlsx": [
        GET("/admin/reporting/export/gender.xlsx?challenge={a.pk}", admin(A_STAFF)),
    ],
    # --- staff: personal data (superusers only; every export and erasure audited) ---------
    "privacy_admin:index": [
        GET("/admin/personal-data/", admin("superuser", rest="denied")),
        GET(
            "/admin/personal-data/?email={member_user.email}",
            admin("superuser", rest="denied"),
            shows="{member_user.email}",
            shown_to="superuser",
        ),
    ],
    "privacy_admin:export": [
        GET("/admin/personal-data/{member_user.pk}/export/", admin(EVERY_ADMIN, "405")),
        POST(
            "/admin/personal-data/{member_user.pk}/export/",
            admin("superuser", rest="denied"),
            data={"reason": "Request 12"},
        ),
    ],
    "privacy_admin:erase": [
        GET("/admin/personal-data/{member_user.pk}/erase/", admin(EVERY_ADMIN, "405")),
        POST(
            "/admin/personal-data/{member_user.pk}/erase/",
            admin("superuser", "302", rest="denied"),
            data={"reason": "Guardian asked", "guardian": "on", "confirm": "on"},
        ),
    ],
    # The partners' report: staff of the challenge only (out of scope: 404, like a missing id).
    "reporting_admin:reports": [
        GET("/admin/reporting/challenge/{a.pk}/reports/", admin(A_STAFF), shows="{a.title}"),
        GET("/admin/reporting/challenge/{z.pk}/reports/", admin("manager_other superuser")),
        POST(
            "/admin/reporting/challenge/{a.pk}/reports/",
            admin(A_STAFF, "302"),
            data={"language": "uz"},
        ),
        POST(
            "/admin/reporting/challenge/{a.pk}/reports/",
            admin(A_STAFF, "400"),
            data={"language": "de"},
        ),
    ],
    "reporting_admin:report": [
        GET("/admin/reporting/reports/{report_job.pk}/", admin(A_STAFF), shows="{a.title}"),
        GET("/admin/reporting/reports/{report_queued.pk}/", admin(A_STAFF)),
    ],
    "reporting_admin:report_progress": [
        GET("/admin/reporting/reports/{report_queued.pk}/progress.json", admin(A_STAFF)),
    ],
    "reporting_admin:report_pdf": [
        GET("/admin/reporting/reports/{report_job.pk}/report.pdf", admin(A_STAFF, "s3")),
        GET("/admin/reporting/reports/{report_queued.pk}/report.pdf", admin("", rest="404")),
    ],
    "reporting_admin:report_xlsx": [
        GET("/admin/reporting/reports/{report_job.pk}/report.xlsx", admin(A_STAFF, "s3")),
    ],
    # --- staff: certificates -------------------------------------------------------------
    "certificates_admin:issue": [
        GET("/admin/certificates/issue/", admin(EVERY_ADMIN), shows="{c.title}", shown_to=A_STAFF)
    ],
    "certificates_admin:issue_confirm": [
        GET(
            "/admin/certificates/issue/confirm/?challenge={c.pk}&rule=participants",
            admin(A_STAFF),
        ),
        GET("/admin/certificates/issue/confirm/?challenge={c.pk}&rule=nobody", admin("", "404")),
        POST(
            "/admin/certificates/issue/confirm/",
            admin(A_STAFF, "302"),
            data={"challenge": "{c.pk}", "rule": "participants"},
        ),
    ],
    "certificates_admin:list": [
        GET(
            "/admin/certificates/list/",
            admin(EVERY_ADMIN),
            shows="{certificate.recipient_name}",
            shown_to=A_STAFF,
        )
    ],
    "certificates_admin:batch": [GET("/admin/certificates/batches/{batch.pk}/", admin(A_STAFF))],
    "certificates_admin:batch_progress": [
        GET("/admin/certificates/batches/{batch.pk}/progress.json", admin(A_STAFF))
    ],
    "certificates_admin:batch_retry": [
        POST("/admin/certificates/batches/{batch.pk}/retry/", admin(A_STAFF, "302"))
    ],
    "certificates_admin:certificate": [
        GET(
            "/admin/certificates/{certificate.pk}/",
            admin(A_STAFF),
            shows="{certificate.recipient_name}",
        )
    ],
    "certificates_admin:revoke": [
        GET(
            "/admin/certificates/{certificate.pk}/revoke/",
            admin(A_STAFF),
            shows="{certificate.recipient_name}",
        ),
        POST(
            "/admin/certificates/{certificate.pk}/revoke/",
            admin(A_STAFF, "302"),
            data={"reason": "Issued by mistake"},
        ),
    ],
    # --- staff: notifications ------------------------------------------------------------
    "notifications_admin:dead_letters": [
        GET("/admin/notifications/dead-letters/", admin("superuser", rest="denied"))
    ],
    "notifications_admin:retry": [
        POST(
            "/admin/notifications/dead-letters/{dead_letter.pk}/retry/",
            admin("superuser", "302", rest="denied"),
        )
    ],
    # --- staff: incubation (board, table, cohort KPIs, project actions) ------------------
    "incubation_admin:board": [
        GET("/admin/incubation/", admin(PROGRAMME_STAFF)),
        GET("/admin/incubation/?cohort={cohort.pk}", admin(A_STAFF), shows="{project_p.title}"),
    ],
    "incubation_admin:table": [
        GET(
            "/admin/incubation/projects/",
            admin(PROGRAMME_STAFF),
            shows="{project_p.title}",
            shown_to=A_STAFF,
        )
    ],
    "incubation_admin:export": [
        GET(
            "/admin/incubation/projects.csv",
            admin(PROGRAMME_STAFF),
            shows="{project_p.title}",
            shown_to=A_STAFF,
        ),
        GET("/admin/incubation/projects.csv?format=xlsx", admin(PROGRAMME_STAFF)),
    ],
    "incubation_admin:cohort": [
        GET("/admin/incubation/cohorts/{cohort.pk}/", admin(A_STAFF), shows="{cohort.name_en}")
    ],
    "incubation_admin:incubate": [
        GET("/admin/incubation/cohorts/{cohort.pk}/incubate/", admin(EVERY_ADMIN, "405")),
        POST("/admin/incubation/cohorts/{cohort.pk}/incubate/", admin(A_STAFF, "302")),
    ],
    "incubation_admin:move": [
        GET(PROJECT_P + "/move/", admin(EVERY_ADMIN, "405")),
        POST(PROJECT_P + "/move/", admin(A_STAFF, "302"), data={"stage": "{project_p.stage_id}"}),
    ],
    "incubation_admin:milestone_add": [
        GET(PROJECT_P + "/milestones/", admin(EVERY_ADMIN, "405")),
        POST(PROJECT_P + "/milestones/", admin(A_STAFF, "302")),
    ],
    "incubation_admin:support_add": [
        GET(PROJECT_P + "/support/", admin(EVERY_ADMIN, "405")),
        POST(PROJECT_P + "/support/", admin(A_STAFF, "302")),
    ],
    "incubation_admin:mentor_add": [
        GET(PROJECT_P + "/mentors/", admin(EVERY_ADMIN, "405")),
        POST(PROJECT_P + "/mentors/", admin(A_STAFF, "302")),
    ],
    "incubation_admin:link_add": [
        GET(PROJECT_P + "/links/", admin(EVERY_ADMIN, "405")),
        POST(PROJECT_P + "/links/", admin(A_STAFF, "302")),
    ],
    # --- staff: success story from an incubated project (cms) ----------------------------
    "incubation_story": [
        GET("/admin/incubation/projects/{project_p.pk}/story/", admin(EVERY_ADMIN, "405")),
        POST("/admin/incubation/projects/{project_p.pk}/story/", admin(A_STAFF, "302")),
    ],
    # --- staff: a translated page sent to the moderators (cms) ---------------------------
    # The world's ru home page is a plain copy (no synced translation): editors of the
    # page tree get the explanation page (GET) or are sent back with it (POST); anyone
    # else in the admin may not edit the page, which answers 404.
    "cms_submit_translation": [
        GET("/admin/cms/pages/{homes[ru].pk}/submit-translation/", admin(PAGE_EDITORS)),
        POST("/admin/cms/pages/{homes[ru].pk}/submit-translation/", admin(PAGE_EDITORS, "302")),
        GET("/admin/cms/pages/999999/submit-translation/", admin("", rest="404")),
    ],
}

# --- hackathons (world: tests/hackathons/world.py) ----------------------------------------
HACK = "/en/hackathons/{h.slug}"
TABLE.update(
    {
        "hackathons:event": [
            GET(HACK + "/", public(), shows="{h.title}"),
            GET("/en/hackathons/{a.slug}/", public("404")),  # not a hackathon
        ],
        # Anyone signed in may try; the service says why not (already registered, …).
        "hackathons:register": [
            GET(HACK + "/register/", post_only()),
            POST(HACK + "/register/", signed_in("302")),
        ],
        # Only someone registered has something to confirm or cancel.
        "hackathons:confirm": [POST(HACK + "/confirm/", only("owner member other_team", "302"))],
        "hackathons:cancel": [POST(HACK + "/cancel/", only("owner member other_team", "302"))],
        # People holding a place (not the waitlisted member) and the challenge's staff.
        "hackathons:teammates": [
            GET(HACK + "/teammates/", only("owner other_team manager superuser"))
        ],
        "hackathons:listing": [
            POST(HACK + "/teammates/listing/", only("owner member other_team", "302"))
        ],
        # Team H's lead only.
        "hackathons:add_role": [POST(HACK + "/teammates/roles/", only("owner", "302"))],
        "hackathons:remove_role": [
            POST(HACK + "/teammates/roles/{role_h.pk}/remove/", only("owner", "302"))
        ],
        "hackathons:invite": [
            POST(HACK + "/teammates/invite/{reg_other.pk}/", only("owner", "302"))
        ],
        "hackathons:ask": [
            POST(HACK + "/teammates/ask/{team_h.pk}/", only("owner other_team", "302"))
        ],
        # Team H asked other_team: only other_team answers; the lead sees it but may not.
        "hackathons:answer": [
            POST(
                HACK + "/teammates/requests/{request_h.pk}/",
                only("other_team", "302", owner="403"),
                data={"answer": "decline"},
            )
        ],
        # The door: staff of H's challenge only.
        "hackathons:check_in": [
            GET(HACK + "/check-in/", only("manager superuser")),
            POST(HACK + "/check-in/", only("manager superuser", "302"), data={"code": "x"}),
        ],
        "hackathons:check_in_counts": [GET(HACK + "/check-in/counts/", only("manager superuser"))],
        "hackathons_admin:index": [
            GET("/admin/hackathons/", admin(EVERY_ADMIN), shows="{h.title}", shown_to=A_STAFF)
        ],
        "hackathons_admin:edit": [
            GET("/admin/hackathons/{h.pk}/", admin(A_STAFF)),
            GET("/admin/hackathons/{a.pk}/", admin("")),  # not a hackathon
        ],
        "hackathons_admin:registrations": [
            GET("/admin/hackathons/{h.pk}/registrations/", admin(A_STAFF), shows="{h.title}"),
            POST(
                "/admin/hackathons/{h.pk}/registrations/",
                admin(A_STAFF, "302"),
                data={"action": "in_order"},
            ),
        ],
    }
)


def _viewset_rows(prefix, pk, *, listed, index, add, edit, delete, object_views):
    """Rows for one Wagtail ModelViewSet; ``object_views`` maps a view to its answers;
    ``listed`` is the text of the object, which only A's staff see in the listing."""
    rows = {
        f"{prefix}:index": [GET(f"/admin/{prefix}/", index, shows=listed, shown_to=A_STAFF)],
        f"{prefix}:index_results": [
            GET(f"/admin/{prefix}/results/", index, shows=listed, shown_to=A_STAFF)
        ],
        f"{prefix}:add": [GET(f"/admin/{prefix}/new/", add)],
        f"{prefix}:edit": [GET(f"/admin/{prefix}/edit/{pk}/", edit)],
        f"{prefix}:delete": [GET(f"/admin/{prefix}/delete/{pk}/", delete)],
    }
    for view, expect in object_views.items():
        rows[f"{prefix}:{view}"] = [GET(f"/admin/{prefix}/{view.replace('_', '-')}/{pk}/", expect)]
    return rows


# Challenges and cohorts in the Wagtail admin: Wagtail's model permissions first ("denied"),
# then the scope of the person (404 for another manager's).
TABLE.update(
    _viewset_rows(
        "challenge",
        "{a.pk}",
        listed="{a.title}",
        index=admin("manager manager_other superuser", rest="denied"),
        add=admin("manager manager_other superuser", rest="denied"),
        edit=admin(A_STAFF, manager_other="404", rest="denied"),
        # Managers may not delete challenges (no delete_challenge permission).
        delete=admin("superuser", manager="denied"),
        object_views={
            # HOLE (fixed here): history and usage had no scope; another challenge's
            # manager got 200 (its title and change log). Now 404 like edit.
            "history": admin(A_STAFF),
            "history_results": admin(A_STAFF),
            "usage": admin(A_STAFF),
            "copy": admin(A_STAFF, manager_other="404", rest="denied"),
        },
    )
)
TABLE.update(
    _viewset_rows(
        "incubation_cohort",
        "{cohort.pk}",
        listed="{cohort.name}",
        index=admin("manager manager_other superuser", rest="denied"),
        add=admin("manager manager_other superuser", rest="denied"),
        edit=admin(A_STAFF, manager_other="404", rest="denied"),
        # The "Challenge managers" group may delete the cohorts it runs.
        delete=admin(A_STAFF),
        object_views={
            # HOLE (fixed here): history, usage and copy had no scope; another challenge's
            # manager got 200 — copy even prefilled the form with the cohort's data.
            "history": admin(A_STAFF),
            "history_results": admin(A_STAFF),
            "usage": admin(A_STAFF),
            "copy": admin(A_STAFF, manager_other="404", rest="denied"),
        },
    )
)

# Certificate templates: a snippet shared by every challenge (no per-challenge scope).
_SNIPPET = "wagtailsnippets_certificates_certificatetemplate"
_CHOOSER = "wagtailsnippetchoosers_certificates_certificatetemplate"
_TEMPLATES = "/admin/snippets/certificates/certificatetemplate"
_CHOOSE = "/admin/snippets/choose/certificates/certificatetemplate"
_TEMPLATE_STAFF = admin("superuser", rest="denied")
# Wagtail's snippet choosers ask for admin access only, not for a permission on the model:
# any admin user can list template names (no challenge data; see the report of issue 12).
_TEMPLATE_CHOOSER = admin(EVERY_ADMIN)
TABLE.update(
    {
        f"{_SNIPPET}:list": [GET(_TEMPLATES + "/", _TEMPLATE_STAFF)],
        f"{_SNIPPET}:list_results": [GET(_TEMPLATES + "/results/", _TEMPLATE_STAFF)],
        f"{_SNIPPET}:add": [GET(_TEMPLATES + "/add/", _TEMPLATE_STAFF)],
        f"{_SNIPPET}:edit": [GET(_TEMPLATES + "/edit/{template.pk}/", _TEMPLATE_STAFF)],
        f"{_SNIPPET}:delete": [GET(_TEMPLATES + "/delete/{template.pk}/", _TEMPLATE_STAFF)],
        f"{_SNIPPET}:usage": [GET(_TEMPLATES + "/usage/{template.pk}/", _TEMPLATE_STAFF)],
        f"{_SNIPPET}:history": [GET(_TEMPLATES + "/history/{template.pk}/", _TEMPLATE_STAFF)],
        f"{_SNIPPET}:history_results": [
            GET(_TEMPLATES + "/history-results/{template.pk}/", _TEMPLATE_STAFF)
        ],
        f"{_SNIPPET}:copy": [GET(_TEMPLATES + "/copy/{template.pk}/", _TEMPLATE_STAFF)],
        f"{_SNIPPET}:preview_on_add": [GET(_TEMPLATES + "/preview/", _TEMPLATE_STAFF)],
        f"{_SNIPPET}:preview_on_edit": [
            GET(_TEMPLATES + "/preview/{template.pk}/", _TEMPLATE_STAFF)
        ],
        f"{_CHOOSER}:choose": [GET(_CHOOSE + "/", _TEMPLATE_CHOOSER)],
        f"{_CHOOSER}:choose_results": [GET(_CHOOSE + "/results/", _TEMPLATE_CHOOSER)],
        f"{_CHOOSER}:chosen": [GET(_CHOOSE + "/chosen/{template.pk}/", _TEMPLATE_CHOOSER)],
        f"{_CHOOSER}:chosen_multiple": [
            GET(_CHOOSE + "/chosen-multiple/?id={template.pk}", _TEMPLATE_CHOOSER)
        ],
        f"{_CHOOSER}:create": [GET(_CHOOSE + "/create/", _TEMPLATE_STAFF)],
    }
)

#: Wagtail's own admin (pages, images, users …), covered as a whole by a sample of screens.
WAGTAIL_ADMIN_PREFIX = "admin/"
WAGTAIL_ADMIN_SAMPLE = [
    GET("/admin/", admin(EVERY_ADMIN)),
    GET("/admin/pages/", admin("editor moderator superuser", rest="denied")),
    GET("/admin/images/", admin(EVERY_ADMIN)),  # managers add hero images
    GET("/admin/users/", admin("superuser", rest="denied")),
    GET("/admin/no-such-screen/", admin(EVERY_ADMIN, "404")),
]
#: Django's admin is for superusers only (core.apps.SuperuserAdminConfig).
DJANGO_ADMIN_PREFIX = "django-admin/"
DJANGO_ADMIN_SAMPLE = [
    GET("/django-admin/", only("superuser", rest="login")),
    GET("/django-admin/auth/user/", only("superuser", rest="login")),
    GET("/django-admin/login/", answers("403", anonymous="login", superuser="302")),
]

#: The apps whose views the matrix must list one by one.
PROJECT_APPS = {
    "api",
    "cms",
    "challenges",
    "submissions",
    "judging",
    "certificates",
    "incubation",
    "notifications",
    "core",
    "config",
}


# --- the resolver ----------------------------------------------------------------------
def url_patterns():
    """``(pattern, key, callback)`` for every pattern, with /en/ as the language prefix;
    ``key`` is the namespaced name, or the pattern itself for an unnamed one."""

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            pattern = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry, pattern, inner)
            else:
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                yield pattern, name or pattern, entry.callback

    with translation.override("en"):
        return list(walk(get_resolver(), "", ""))


def is_project_view(callback):
    """A view of ours: defined in one of our apps, or a generic view bound to our model."""
    view = getattr(callback, "view_class", callback)
    model = getattr(callback, "view_initkwargs", {}).get("model")
    app_label = getattr(getattr(model, "_meta", None), "app_label", None)
    return view.__module__.split(".")[0] in PROJECT_APPS or app_label in PROJECT_APPS


def covered_by_prefix(pattern, callback):
    if pattern.startswith(DJANGO_ADMIN_PREFIX):
        return True
    return pattern.startswith(WAGTAIL_ADMIN_PREFIX) and not is_project_view(callback)


def without_rows(patterns):
    """The patterns neither ``TABLE`` nor a whole-prefix rule covers."""
    return sorted(
        f"{key}  ({pattern})"
        for pattern, key, callback in patterns
        if key not in TABLE and not covered_by_prefix(pattern, callback)
    )


def test_every_url_pattern_has_a_row():
    patterns = url_patterns()
    stale = sorted(set(TABLE) - {key for _pattern, key, _callback in patterns})

    missing = without_rows(patterns)

    assert missing == [], "URL patterns without a row in the matrix:\n" + "\n".join(missing)
    assert stale == [], "rows for URL patterns that no longer exist:\n" + "\n".join(stale)


def test_a_new_view_without_a_row_is_reported():
    """Ours anywhere (even under /admin/, even a Wagtail generic view on our model) needs
    a row; a screen of Wagtail's own admin does not."""
    from wagtail.admin.views.generic import IndexView
    from wagtail.users.views.users import IndexView as UserIndexView

    from incubation.models import Cohort
    from submissions import views

    added = [
        ("en/me/new/", "submissions:new", views.dashboard),
        ("admin/new-screen/", "brand_new", views.dashboard),
        ("admin/cohorts-again/", "cohorts_again:index", IndexView.as_view(model=Cohort)),
        ("admin/users-again/", "wagtailusers_again:index", UserIndexView.as_view()),
    ]

    missing = without_rows(url_patterns() + added)

    assert missing == [
        "brand_new  (admin/new-screen/)",
        "cohorts_again:index  (admin/cohorts-again/)",
        "submissions:new  (en/me/new/)",
    ]


# --- asking ---------------------------------------------------------------------------
def outcome(response):
    """The short word a response is compared by (see the module docstring)."""
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response["Location"]
        path = urlsplit(location).path
        if location.startswith(settings.AWS_S3_ENDPOINT_URL):
            return "s3"
        if path.endswith("/login/") and (
            path.startswith(("/admin/", "/django-admin/")) or "/accounts/" in path
        ):
            return "login"
        if path == "/admin/" and _error_message(response):
            return "denied"
        return str(status)
    return str(status)


def _error_message(response):
    """Whether the response queued an error message (Wagtail's "no permission")."""
    storage = getattr(response.wsgi_request, "_messages", None)
    return storage is not None and any(m.level == messages.ERROR for m in storage)


def _sessions(users):
    cookies = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def _text(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def ask(probe, role, sessions, values):
    """Make ``probe``'s request as ``role`` inside a rolled-back savepoint; its outcome."""
    client = Client(raise_request_exception=False, headers={"accept-language": "en"})
    client.cookies["django_language"] = "en"
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
    path = probe.path.format(**values)
    data = {k: v.format(**values) if isinstance(v, str) else v for k, v in probe.data.items()}
    kwargs = {"headers": probe.headers}
    if probe.json:
        kwargs.update(data=json.dumps(data), content_type="application/json")
    else:
        kwargs["data"] = data
    with override_settings(**probe.settings), transaction.atomic():
        if probe.method == "GET":
            response = client.get(path, **kwargs)
        else:
            response = client.post(path, **kwargs)
        got = outcome(response)
        text = _text(response)  # reads a streamed body to its end, which closes it
        if got == "200" and probe.shows:
            wanted = probe.shows.format(**values)
            if not probe.shown_to or role in probe.shown_to.split():
                got = "200" if wanted in text else f"200 without {wanted!r}"
            elif wanted in text:
                got = f"200 showing {wanted!r}"
        transaction.set_rollback(True)
    return path, got


def test_every_url_answers_each_role_as_the_matrix_says(s3_bucket):
    world = build_world()
    sessions = _sessions(world.users)
    values = dict(world.objects)
    rows = [probe for probes in TABLE.values() for probe in probes]
    rows += WAGTAIL_ADMIN_SAMPLE + DJANGO_ADMIN_SAMPLE
    mismatches = []
    for probe in rows:
        assert set(probe.expect) == set(ROLES), probe.path
        for cache in caches.all():  # rate limits and Wagtail's caches start afresh per row
            cache.clear()
        for role in ROLES:
            path, got = ask(probe, role, sessions, values)
            if got != probe.expect[role]:
                mismatches.append(f"{probe.method} {path}  {role}  {probe.expect[role]} → {got}")

    assert mismatches == [], f"{len(mismatches)} answers differ:\n" + "\n".join(mismatches)
