"""Every refusal a service raises is on the one contract (core.errors): a translated
message, a stable code and the HTTP status a view answers with."""

import json

import pytest

from certificates.placeholders import PlaceholderError
from certificates.services import issuing
from core.errors import Conflict, NotAllowed, Refused, Unavailable, as_json
from core.uploads import StorageUnavailable, UploadRejected
from incubation.services import IncubationError
from judging.services import JudgingError
from judging.services.reviews import ReviewInvalid, StaleReview
from submissions.services.errors import ActionRefused
from submissions.services.errors import NotAllowed as EntryNotAllowed
from submissions.services.status import StatusError


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (JudgingError("x"), 400),
        (ReviewInvalid({1: "x"}), 400),
        (StaleReview("x"), 409),
        (IncubationError("x"), 400),
        (issuing.IssuingError("x"), 400),
        (PlaceholderError("x"), 400),
        (StatusError("x"), 400),
        (ActionRefused("x"), 400),
        (EntryNotAllowed("x"), 403),
        (UploadRejected("x"), 400),
        (StorageUnavailable("x"), 503),
    ],
)
def test_domain_errors_are_refusals_with_their_status(error, status):
    assert isinstance(error, Refused)
    assert error.status == status
    response = as_json(error)
    assert response.status_code == status
    body = json.loads(response.content)
    assert body["error"]
    assert body["code"] == error.code
    assert error.code != "refused"  # each kind names itself


def test_kinds_keep_their_family():
    assert isinstance(StaleReview("x"), Conflict)
    assert isinstance(EntryNotAllowed("x"), NotAllowed)
    assert isinstance(StorageUnavailable("x"), Unavailable)
    assert isinstance(StorageUnavailable("x"), UploadRejected)  # callers catch one
    assert issuing.StorageUnavailable is StorageUnavailable  # one such error, not two
    assert UploadRejected("too big").reason == "too big"
    assert isinstance(PlaceholderError("x"), ValueError)
