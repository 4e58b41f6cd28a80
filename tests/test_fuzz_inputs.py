"""Property-based tests (hypothesis): whatever a participant, a juror or a stranger posts —
random unicode, huge strings, missing fields, numbers out of range, JSON of the wrong shape —
the answer is never a 500, and a refused request changes nothing.

The Django test client re-raises any exception a view lets escape, so "no exception and no
5xx" is the property; "nothing saved" compares the rows before and after each refusal.
Each test draws 30–40 examples, all inside one test transaction, so the file stays fast.
"""

import json
import math

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from judging.models import Score
from notifications.models import ChannelSettings
from submissions.enums import FileStatus
from submissions.forms import EntryForm, ProfileForm
from submissions.models import Profile, Submission, SubmissionFile, Team, TeamMembership
from tests.factories import UserFactory
from tests.judging.helpers import assign, make_entries, make_juror, make_round
from tests.submissions.builders import open_challenge, participant, team_entry

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=35,
    deadline=None,
    database=None,  # no .hypothesis/ directory in the checkout; failures print their example
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- what gets posted --------------------------------------------------------------------
SHORT_TEXT = st.text(max_size=40)
#: One character repeated: a megabyte of text is cheap to draw and to shrink.
HUGE_TEXT = st.builds(lambda ch, n: ch * n, st.characters(), st.integers(3_000, 200_000))
NUMBERISH = st.sampled_from(
    ["NaN", "Infinity", "-Infinity", "1e309", "-1", "0", "9" * 40, "1.5", "0x10", "١٢", " 7 ", "-0"]
)
DATEISH = st.one_of(
    st.dates().map(lambda d: d.isoformat().rjust(10, "0")),
    st.sampled_from(["0001-01-01", "1800-01-01", "9999-12-31", "2024-02-30", "2024-13-01"]),
)
FORM_VALUE = st.one_of(
    SHORT_TEXT, HUGE_TEXT, NUMBERISH, DATEISH, st.integers().map(str), st.just("")
)
BIG_INTS = st.integers(min_value=2**63 - 2, max_value=2**70) | st.integers(max_value=-(2**63))
JSON_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), BIG_INTS, st.floats(), SHORT_TEXT, HUGE_TEXT
)
JSON_VALUE = st.recursive(
    JSON_SCALAR,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(SHORT_TEXT, inner, max_size=4),
    max_leaves=8,
)

#: JSON nested deeper than the parser's recursion limit.
DEEP_JSON = st.integers(2_000, 100_000).map(lambda n: "[" * n + "]" * n)
AWKWARD_NUMBERS = st.sampled_from([math.inf, -math.inf, math.nan, True, 1e300, "12", "", None])


def form_data(fields, **fixed):
    """A POST body over ``fields``: each one missing, or any value of ``FORM_VALUE``."""
    return st.fixed_dictionaries(
        {}, optional=dict.fromkeys(fields, FORM_VALUE) | {k: st.just(v) for k, v in fixed.items()}
    ).map(lambda data: {**fixed, **data})


def _json_body(value):
    # allow_nan: Python's json reads NaN and Infinity, so a client may send them.
    return json.dumps(value, allow_nan=True)


def _assert_no_server_error(answer):
    assert answer.status_code < 500, answer.content[:500]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _snapshot(queryset, *fields):
    return list(queryset.order_by("pk").values_list(*fields))


# --- participant forms -------------------------------------------------------------------
# The forms' own field lists (consent to publicity left out: any value of it is valid).
PROFILE_FIELDS = [name for name in ProfileForm._meta.fields if name != "consent_publicity"]


@pytest.fixture
def newcomer(client):
    user = UserFactory()
    client.force_login(user)
    return user


@FUZZ
@given(data=form_data(PROFILE_FIELDS))
def test_the_profile_form_never_fails_and_a_refusal_saves_nothing(client, newcomer, data):
    before = _snapshot(Profile.objects.all(), *PROFILE_FIELDS[:-3])

    answer = client.post(reverse("submissions:profile"), data)

    _assert_no_server_error(answer)
    if answer.status_code != 302:
        assert _snapshot(Profile.objects.all(), *PROFILE_FIELDS[:-3]) == before


@pytest.fixture
def lone_lead(client):
    """A team of one: its lead. No transfer or removal can succeed, whatever is posted."""
    submission = team_entry(open_challenge())
    client.force_login(submission.owner)
    return submission.team


@FUZZ
@given(
    data=form_data(
        ["user", "email", "role"],
    ),
    action=st.sampled_from(["transfer", "remove", "invite", "", "drop table"]) | SHORT_TEXT,
)
def test_the_team_page_never_fails_and_its_members_stay(client, lone_lead, data, action):
    team = lone_lead
    before = _snapshot(TeamMembership.objects.filter(team=team), "user_id", "role")

    answer = client.post(reverse("submissions:team", args=[team.pk]), {**data, "action": action})

    _assert_no_server_error(answer)
    assert _snapshot(TeamMembership.objects.filter(team=team), "user_id", "role") == before
    assert Team.objects.get(pk=team.pk).lead_id == team.lead_id


@FUZZ
@given(name=FORM_VALUE, action=st.sampled_from(["create_team", "join"]), code=FORM_VALUE)
def test_creating_or_joining_a_team_never_fails(client, data_user_challenge, name, action, code):
    user, challenge = data_user_challenge
    teams_before = Team.objects.count()

    answer = client.post(
        reverse("submissions:enter", args=[challenge.slug]),
        {"action": action, "name": name, "code": code},
    )

    _assert_no_server_error(answer)
    created = Team.objects.count() - teams_before
    if created:
        team = Team.objects.latest("pk")
        assert (action, team.name, team.lead_id) == ("create_team", name.strip(), user.pk)
        assert answer["Location"] == reverse("submissions:team", args=[team.pk])


@pytest.fixture
def data_user_challenge(client):
    user = participant()
    client.force_login(user)
    return user, open_challenge()


ENTRY_FIELDS = list(EntryForm._meta.fields)


@pytest.fixture
def own_entry(client):
    submission = team_entry(open_challenge(), title="Mehr")
    client.force_login(submission.owner)
    return submission


@FUZZ
@given(data=form_data(ENTRY_FIELDS, action="save"))
def test_the_entry_form_never_fails_and_a_refusal_saves_nothing(client, own_entry, data):
    fields = [name for name in ENTRY_FIELDS if name != "track"]
    before = _snapshot(Submission.objects.filter(pk=own_entry.pk), *fields)

    answer = client.post(reverse("submissions:entry", args=[own_entry.pk]), data)

    _assert_no_server_error(answer)
    if answer.status_code != 302:
        assert _snapshot(Submission.objects.filter(pk=own_entry.pk), *fields) == before


# --- the juror's score form --------------------------------------------------------------
@pytest.fixture
def juror_review(client):
    round_ = make_round()
    juror = make_juror(round_.challenge)
    review = assign(round_, juror, make_entries(round_.challenge, 1))[0]
    client.force_login(juror.user)
    return review


@FUZZ
@given(
    values=st.lists(FORM_VALUE | st.sampled_from(["4", "0.5", "10", "11", "-3"]), min_size=6),
    version=FORM_VALUE | st.sampled_from(["0", "1"]),
    button=st.sampled_from(["save", "submit"]),
    autosave=st.booleans(),
)
def test_the_score_form_never_fails_and_a_refusal_saves_nothing(
    client, juror_review, values, version, button, autosave
):
    review = juror_review
    impact, feasibility = review.round.criteria.all()
    data = {
        "version": version,
        f"score_{impact.id}": values[0],
        f"score_{feasibility.id}": values[1],
        f"comment_{impact.id}": values[2],
        f"comment_{feasibility.id}": values[3],
        "overall_comment": values[4],
        button: "1",
    }
    reviews = type(review).objects.filter(pk=review.pk)
    before = (
        _snapshot(reviews, "version", "state", "overall_comment"),
        _snapshot(Score.objects.filter(review=review), "criterion_id", "value", "comment"),
    )

    answer = client.post(
        reverse("judging:review", args=[review.round_id, review.id]),
        data,
        headers={"X-Autosave": "1"} if autosave else {},
    )

    _assert_no_server_error(answer)
    if answer.status_code >= 400:
        assert (
            _snapshot(reviews, "version", "state", "overall_comment"),
            _snapshot(Score.objects.filter(review=review), "criterion_id", "value", "comment"),
        ) == before


# --- JSON endpoints ----------------------------------------------------------------------
SLOT_REQUEST = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.sampled_from(["pitch_deck", "image", "video"]) | JSON_VALUE,
        "name": st.sampled_from(["deck.pdf", "../../etc/passwd", "a\x00b.pdf"]) | JSON_VALUE,
        "content_type": st.sampled_from(["application/pdf", "image/png", "text/html"]) | JSON_VALUE,
        "size": st.integers(-5, 2_000_000) | AWKWARD_NUMBERS | JSON_VALUE,
        "sha256": st.sampled_from(["", "a" * 64, "A" * 64 + "\x00"]) | JSON_VALUE,
    },
)


@pytest.fixture
def uploader(client, s3_bucket):
    submission = team_entry(open_challenge())
    client.force_login(submission.owner)
    return submission


def _post_json(client, url, body):
    return client.post(url, data=body, content_type="application/json")


@FUZZ
@given(
    body=st.one_of(SLOT_REQUEST.map(_json_body), JSON_VALUE.map(_json_body), DEEP_JSON, st.binary())
)
def test_the_upload_slot_never_fails_and_a_refusal_reserves_nothing(client, uploader, body):
    before = SubmissionFile.objects.count()

    answer = _post_json(client, reverse("submissions:file_slot", args=[uploader.pk]), body)

    _assert_no_server_error(answer)
    assert answer["Content-Type"] == "application/json"
    if answer.status_code != 200:
        assert "error" in answer.json()
        assert SubmissionFile.objects.count() == before


@pytest.fixture
def pending_file(uploader):
    return SubmissionFile.objects.create(
        submission=uploader,
        kind="pitch_deck",
        key=f"fuzz/{uploader.pk}/pending.pdf",
        original_name="deck.pdf",
        content_type="application/pdf",
        size=100,
        uploaded_by=uploader.owner,
    )


@FUZZ
@given(
    body=st.one_of(
        st.fixed_dictionaries({}, optional={"sha256": JSON_VALUE}).map(_json_body),
        JSON_VALUE.map(_json_body),
        DEEP_JSON,
        st.binary(),
    )
)
def test_the_upload_confirm_never_fails_nor_verifies_a_missing_object(
    client, uploader, pending_file, body
):
    url = reverse("submissions:file_confirm", args=[uploader.pk, pending_file.pk])

    answer = _post_json(client, url, body)

    _assert_no_server_error(answer)
    assert not SubmissionFile.objects.filter(status=FileStatus.VERIFIED).exists()


MESSAGE = st.fixed_dictionaries(
    {},
    optional={
        "chat": st.fixed_dictionaries({}, optional={"id": st.integers() | JSON_VALUE}) | JSON_VALUE,
        "text": st.sampled_from(["/start", "/start abc", "/start a\x00b", "/start  x y"])
        | JSON_VALUE,
    },
)
UPDATE = st.fixed_dictionaries(
    {}, optional={"update_id": JSON_VALUE, "message": MESSAGE | JSON_VALUE}
)


@pytest.fixture
def webhook(settings):
    settings.TANLOV_TELEGRAM_WEBHOOK_SECRET = "hook-secret"
    ChannelSettings.objects.create(
        user=participant(),
        telegram_code="kept-secret-code",
        telegram_code_created_at=timezone.now(),
    )
    return reverse("notifications:telegram_webhook")


@FUZZ
@given(body=st.one_of(UPDATE.map(_json_body), JSON_VALUE.map(_json_body), DEEP_JSON, st.binary()))
def test_the_telegram_webhook_never_fails_nor_links_a_stranger(client, webhook, body):
    answer = client.post(
        webhook,
        data=body,
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": "hook-secret"},
    )

    assert answer.status_code in (200, 400)
    assert ChannelSettings.objects.get().telegram_chat_id == ""


def test_a_body_above_the_memory_limit_is_refused_as_json(client, uploader, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    before = SubmissionFile.objects.count()

    answer = _post_json(
        client,
        reverse("submissions:file_slot", args=[uploader.pk]),
        '{"name": "' + "x" * 2000 + '"}',
    )

    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/json"
    assert "error" in answer.json()
    assert SubmissionFile.objects.count() == before
