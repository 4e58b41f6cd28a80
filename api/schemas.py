"""What the API answers: plain public facts, names in the reader's language."""

from datetime import datetime
from decimal import Decimal

from ninja import Schema


class PhaseOut(Schema):
    kind: str
    name: str
    starts_at: datetime
    ends_at: datetime


class TrackOut(Schema):
    slug: str
    name: str


class ChallengeOut(Schema):
    slug: str
    title: str
    kind: str
    kind_name: str
    status: str
    status_name: str
    current_phase: str | None
    organiser: str
    time_zone: str
    phases: list[PhaseOut]
    tracks: list[TrackOut]


class PrizeOut(Schema):
    place: int
    title: str
    track: str | None
    amount: Decimal | None
    currency: str


class ChallengeDetailOut(ChallengeOut):
    team_min_size: int
    team_max_size: int
    individual_entries: bool
    min_age: int | None
    max_age: int | None
    prizes: list[PrizeOut]


class RoundOut(Schema):
    name: str
    published_at: datetime


class ResultRowOut(Schema):
    rank: int
    title: str
    track: str
    score: str | None
    status: str
    status_name: str


class ResultsOut(Schema):
    challenge: str
    round: RoundOut | None
    rows: list[ResultRowOut]
    margins: list[tuple[int, int]]


class CertificateChallengeOut(Schema):
    title: str


class CertificateOut(Schema):
    code: str
    status: str
    valid: bool
    revoked_at: datetime | None
    recipient_name: str
    kind: str
    kind_name: str
    challenge: CertificateChallengeOut
    place: int | None
    place_label: str
    project_title: str
    issued_at: datetime | None


class ErrorOut(Schema):
    detail: str
