"""The one place that counts: the programme's numbers, as plain data.

Every figure of the programme dashboard — and of anything else that reports reach (the
partners' report, open data) — comes from here. Callers describe *what* to count with a
:class:`Scope` (which challenges, a date range, a track, a region) and get back frozen
dataclasses of plain values (ints, dates, text), never model instances:

* :func:`dashboard` — everything at once (:class:`Dashboard`), in a fixed number of
  queries whatever the number of entries (each figure is one ``values().annotate(Count)``
  in SQL; labels come from one query per list).
* :func:`summary`, :func:`timeline`, :func:`entries_by_track`, :func:`entries_by_status`,
  :func:`people_by_region`, :func:`people_by_gender`, :func:`people_by_age_group`,
  :func:`people_by_track` (open data),
  :func:`screening_outcomes`, :func:`juror_progress`, :func:`certificates_issued`,
  :func:`incubated_by_stage` — one figure each.
* :func:`people_by_district`, :func:`people_by_disability` — the inclusion figures, whose
  small cells (fewer than :data:`SMALL_CELL` people) are shown as "fewer than 5".
* :func:`count_people_by` — people counted by any profile field named by the caller (the
  hook for fields other features add to the profile: district, disability).
* :func:`table` — a breakdown or the timeline as ``(columns, rows)`` for core/exports.

Who counts as what (docs for partners quote these):

* **People** (registrations) are distinct persons who joined a team of a challenge in scope
  as a member (mentors are not counted), or own an individual entry there. A person in two
  challenges counts once across them. Region, gender and age are read from their profile.
* **Entries**: a *draft* is an entry not submitted yet; *submitted* is every entry that was
  ever submitted (``submitted_at`` set), whatever screening made of it later.
* **Age** is counted on the challenge's "age counted on" date, else its submission deadline,
  else (several challenges) today; groups are :data:`AGE_GROUPS`.
* The date range narrows people by when they joined, entries and teams by when they were
  started; the region filter narrows by the person's (an entry's owner's, a team lead's)
  profile region; the track filter by the entry's track.

Only counts leave this module: no figure ever names a person.
"""

import datetime as dt
from dataclasses import dataclass, field, replace

from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, Count, Q, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.enums import CertificateKind, CertificateStatus
from certificates.models import Certificate
from challenges.enums import Gender, PhaseKind
from challenges.models import Challenge, District, Phase, Region, Track
from core.i18n import localized
from incubation.models import Project
from judging.enums import JurorStatus, ReviewState, Verdict
from judging.models import Juror, Review, ScreeningOutcome
from submissions.enums import Disability, MemberRole, SubmissionStatus
from submissions.models import Submission, Team, TeamMembership

#: The age groups of every report: ``(key, label, lowest age, highest age)``, ages in
#: whole years on the reference date; ``None`` is open-ended.
AGE_GROUPS = (
    ("under_14", _("Under 14"), None, 13),
    ("14_17", _("14–17"), 14, 17),
    ("18_24", _("18–24"), 18, 24),
    ("25_30", _("25–30"), 25, 30),
    ("over_30", _("Over 30"), 31, None),
)
#: The key of the "not given" bar of any breakdown (no region, no birth date, …).
UNKNOWN = "unknown"
UNKNOWN_LABEL = _("Not given")
#: The inclusion figures (district, self-declared disability) never show a count of 1 to
#: this minus one: such a cell reads "fewer than 5" on the page, in the downloads and in the
#: partners' report. The numbers kept here stay exact (tests compare them).
SMALL_CELL = 5


@dataclass(frozen=True)
class Scope:
    """What to count: the challenges (ids) and optional narrowing."""

    challenge_ids: tuple
    since: dt.date | None = None
    until: dt.date | None = None  # inclusive
    track_id: int | None = None
    region_id: int | None = None
    #: The time zone days are counted in (the challenge's for one challenge).
    tz: dt.tzinfo = dt.UTC
    #: Ages are counted on this date.
    age_on: dt.date | None = None


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    count: int


def fewer_than(threshold=SMALL_CELL):
    return _("fewer than %(n)s") % {"n": threshold}


@dataclass(frozen=True)
class Cell:
    """A bar as shown: ``shown`` is its count, or "fewer than 5" for a small cell."""

    key: str
    label: str
    count: int
    shown: object
    small: bool


@dataclass(frozen=True)
class Breakdown:
    """One figure: counts by one attribute, bars in display order."""

    slug: str
    title: str
    unit: str  # what is counted: "people", "entries", "reviews", …
    bars: tuple
    #: Counts from 1 to this minus one are shown as "fewer than …" (0: every count shown).
    small_below: int = 0

    @property
    def total(self):
        return sum(b.count for b in self.bars)

    def count(self, key):
        return next((b.count for b in self.bars if b.key == key), 0)

    def is_small(self, count):
        return bool(self.small_below) and 0 < count < self.small_below

    @property
    def cells(self):
        """The bars as shown (small cells hidden behind "fewer than …")."""
        return tuple(
            Cell(
                b.key,
                b.label,
                b.count,
                str(fewer_than(self.small_below)) if self.is_small(b.count) else b.count,
                self.is_small(b.count),
            )
            for b in self.bars
        )


@dataclass(frozen=True)
class Day:
    date: dt.date
    started: int  # entries started that day
    submitted: int  # entries submitted that day
    drafts_total: int  # open drafts at the end of the day (started so far minus submitted so far)
    submitted_total: int  # submitted so far


@dataclass(frozen=True)
class Timeline:
    slug: str
    title: str
    days: tuple
    deadline: dt.datetime | None  # the submission deadline (one challenge), aware
    deadline_day: dt.date | None = None  # its day in the scope's time zone


@dataclass(frozen=True)
class Summary:
    registrations: int
    teams: int
    entries: int
    drafts: int
    submitted: int
    jurors: int
    reviews_done: int
    reviews_assigned: int
    certificates: int
    incubated: int


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    summary: Summary
    timeline: Timeline
    breakdowns: dict = field(default_factory=dict)  # slug → Breakdown, in display order


# --- scope -------------------------------------------------------------------------------
def scope_for(challenges, *, since=None, until=None, track=None, region=None, today=None):
    """A :class:`Scope` for ``challenges`` (a list): one challenge brings its time zone and
    age reference date; several are counted in UTC, ages on ``today``."""
    challenges = list(challenges)
    tz, age_on = dt.UTC, None
    if len(challenges) == 1:
        only = challenges[0]
        tz = only.tz
        age_on = only.age_reference_date
        if age_on is None:
            deadline = _deadlines([only.id]).get(only.id)
            age_on = deadline.astimezone(tz).date() if deadline else None
    return Scope(
        challenge_ids=tuple(c.id for c in challenges),
        since=since,
        until=until,
        track_id=track.id if track else None,
        region_id=region.id if region else None,
        tz=tz,
        age_on=age_on or today or timezone.localdate(),
    )


def _deadlines(challenge_ids):
    return dict(
        Phase.objects.filter(challenge_id__in=challenge_ids, kind=PhaseKind.SUBMISSION).values_list(
            "challenge_id", "ends_at"
        )
    )


def _in_range(scope, field_name):
    q = Q()
    if scope.since:
        q &= Q(**{f"{field_name}__date__gte": scope.since})
    if scope.until:
        q &= Q(**{f"{field_name}__date__lte": scope.until})
    return q


# --- the base querysets ------------------------------------------------------------------
def entries(scope):
    """The entries in scope (a queryset)."""
    found = Submission.objects.filter(challenge_id__in=scope.challenge_ids).filter(
        _in_range(scope, "created_at")
    )
    if scope.track_id:
        found = found.filter(track_id=scope.track_id)
    if scope.region_id:
        found = found.filter(owner__profile__region_id=scope.region_id)
    return found


def people(scope):
    """The people in scope (a queryset of users, each once)."""
    members = TeamMembership.objects.filter(
        challenge_id__in=scope.challenge_ids, role=MemberRole.MEMBER
    ).filter(_in_range(scope, "joined_at"))
    solo = Submission.objects.filter(
        challenge_id__in=scope.challenge_ids, team__isnull=True
    ).filter(_in_range(scope, "created_at"))
    if scope.track_id:
        members = members.filter(team__submissions__track_id=scope.track_id)
        solo = solo.filter(track_id=scope.track_id)
    found = get_user_model().objects.filter(
        Q(pk__in=members.values("user_id")) | Q(pk__in=solo.values("owner_id"))
    )
    if scope.region_id:
        found = found.filter(profile__region_id=scope.region_id)
    return found


def teams(scope):
    found = Team.objects.filter(challenge_id__in=scope.challenge_ids).filter(
        _in_range(scope, "created_at")
    )
    if scope.track_id:
        found = found.filter(
            pk__in=Submission.objects.filter(track_id=scope.track_id).values("team_id")
        )
    if scope.region_id:
        found = found.filter(lead__profile__region_id=scope.region_id)
    return found


def _grouped(queryset, key):
    """``{value: count}`` of ``queryset`` grouped by ``key`` (one query)."""
    return {
        row[key]: row["n"]
        for row in queryset.order_by().values(key).annotate(n=Count("pk", distinct=True))
    }


def _bars(counts, choices, *, unknown=True):
    """Bars for ``choices`` (``(key, label)``, in order), then "not given" if any."""
    bars = [Bar(str(key), str(label), counts.get(key, 0)) for key, label in choices]
    missing = sum(n for key, n in counts.items() if key in (None, ""))
    if unknown and missing:
        bars.append(Bar(UNKNOWN, str(UNKNOWN_LABEL), missing))
    return tuple(bars)


# --- the figures -------------------------------------------------------------------------
def count_people_by(scope, field_name, choices=None):
    """``{value: count}`` of the people in scope by the profile field ``field_name``
    (``"gender"``, ``"region"``, or any field a feature adds: ``"district"``,
    ``"disability"``), one query. With ``choices`` (``(key, label)``), a tuple of
    :class:`Bar` in that order instead."""
    counts = _grouped(people(scope), f"profile__{field_name}")
    return counts if choices is None else _bars(counts, choices)


def people_by_gender(scope):
    bars = count_people_by(scope, "gender", Gender.choices)
    return Breakdown("gender", str(_("People by gender")), "people", bars)


def people_by_region(scope):
    """All 14 regions (Karakalpakstan included), most people first; then "not given"."""
    regions = [(r.id, str(r)) for r in Region.objects.order_by("code")]
    bars = count_people_by(scope, "region", regions)
    ranked = sorted((b for b in bars if b.key != UNKNOWN), key=lambda b: (-b.count, b.label))
    ranked += [b for b in bars if b.key == UNKNOWN]
    return Breakdown("region", str(_("People by region")), "people", tuple(ranked))


def people_by_district(scope):
    """People by district: with a region filter, every district of that region (most
    people first); without, the districts anyone is from, labelled with their region.
    Small cells are shown as "fewer than 5"."""
    counts = count_people_by(scope, "district")
    districts = District.objects.select_related("region")
    if scope.region_id:
        districts = districts.filter(region_id=scope.region_id)
    else:
        districts = districts.filter(pk__in=people(scope).values("profile__district"))
    choices = [
        (d.id, str(d) if scope.region_id else f"{d} ({d.region})")
        for d in districts.order_by("code")
    ]
    bars = _bars(counts, choices)
    ranked = sorted((b for b in bars if b.key != UNKNOWN), key=lambda b: (-b.count, b.label))
    ranked += [b for b in bars if b.key == UNKNOWN]
    title = str(_("People by district"))
    return Breakdown("district", title, "people", tuple(ranked), small_below=SMALL_CELL)


def people_by_disability(scope):
    """The optional, self-declared disability answer; small cells "fewer than 5"."""
    bars = count_people_by(scope, "disability", Disability.choices)
    title = str(_("People by disability (self-declared)"))
    return Breakdown("disability", title, "people", bars, small_below=SMALL_CELL)


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_group_case(on):
    """A SQL expression naming the age group (:data:`AGE_GROUPS`) of ``birth_date`` on ``on``."""
    whens = []
    for key, _label, low, high in AGE_GROUPS:
        q = Q()
        if low is not None:  # at least ``low`` years old on ``on``
            q &= Q(profile__birth_date__lte=_years_before(on, low))
        if high is not None:  # younger than ``high + 1``
            q &= Q(profile__birth_date__gt=_years_before(on, high + 1))
        whens.append(When(q & Q(profile__birth_date__isnull=False), then=Value(key)))
    return Case(*whens, default=Value(""), output_field=CharField())


def people_by_age_group(scope):
    on = scope.age_on or timezone.localdate()
    counts = _grouped(people(scope).annotate(age_group=age_group_case(on)), "age_group")
    choices = [(key, label) for key, label, _low, _high in AGE_GROUPS]
    return Breakdown("age", str(_("People by age group")), "people", _bars(counts, choices))


def entries_by_status(scope):
    counts = _grouped(entries(scope), "status")
    return Breakdown(
        "status",
        str(_("Entries by status")),
        "entries",
        _bars(counts, SubmissionStatus.choices, unknown=False),
    )


def entries_by_track(scope, *, submitted_only=True):
    """Submitted entries by track (with ``submitted_only=False``: every entry, drafts
    included, so that the bars add up to :func:`entries_by_status`'s); "not given" holds
    entries without a track."""
    tracks = [
        (t.id, str(t) if len(scope.challenge_ids) == 1 else f"{t} ({t.challenge})")
        for t in Track.objects.filter(challenge_id__in=scope.challenge_ids)
        .select_related("challenge")
        .order_by("challenge_id", "sort_order", "id")
    ]
    found = entries(scope)
    if submitted_only:
        found = found.filter(submitted_at__isnull=False)
        title = str(_("Submitted entries by track"))
    else:
        title = str(_("Entries by track"))
    return Breakdown("track", title, "entries", _bars(_grouped(found, "track_id"), tracks))


def people_by_track(scope):
    """People by the track of their team's (or their own) entry: :func:`people` narrowed
    to each track, one query per track. Someone with entries in two tracks counts in both;
    people whose team has no entry in a track are in none."""
    tracks = Track.objects.filter(challenge_id__in=scope.challenge_ids).order_by(
        "challenge_id", "sort_order", "id"
    )
    bars = tuple(
        Bar(str(t.id), str(t), people(replace(scope, track_id=t.id)).count()) for t in tracks
    )
    return Breakdown("people_track", str(_("People by track")), "people", bars)


def screening_outcomes(scope):
    found = ScreeningOutcome.objects.filter(submission__in=entries(scope))
    counts = _grouped(found, "verdict")
    return Breakdown(
        "screening",
        str(_("Screening outcomes")),
        "entries",
        _bars(counts, Verdict.choices, unknown=False),
    )


def juror_progress(scope):
    """The jury's reviews (calibration reviews left out) by state."""
    found = Review.objects.filter(
        round__challenge_id__in=scope.challenge_ids,
        is_calibration=False,
        submission__in=entries(scope),
    )
    counts = _grouped(found, "state")
    return Breakdown(
        "reviews",
        str(_("Juror progress (reviews)")),
        "reviews",
        _bars(counts, ReviewState.choices, unknown=False),
    )


def certificates_issued(scope):
    found = Certificate.objects.filter(
        challenge_id__in=scope.challenge_ids, status=CertificateStatus.ISSUED
    ).filter(_in_range(scope, "issued_at"))
    if scope.region_id:
        found = found.filter(recipient__profile__region_id=scope.region_id)
    counts = _grouped(found, "kind")
    return Breakdown(
        "certificates",
        str(_("Certificates issued")),
        "certificates",
        _bars(counts, CertificateKind.choices, unknown=False),
    )


def incubated_by_stage(scope):
    """Incubated projects by stage; stages of the same name (in the reader's language) in
    different cohorts are one bar."""
    found = Project.objects.filter(challenge_id__in=scope.challenge_ids)
    if scope.track_id:
        found = found.filter(submission__track_id=scope.track_id)
    if scope.region_id:
        found = found.filter(region_id=scope.region_id)
    rows = (
        found.order_by()
        .values("stage_id", "stage__name", "stage__name_ru", "stage__name_en", "stage__sort_order")
        .annotate(n=Count("pk"))
        .order_by("stage__sort_order", "stage_id")
    )
    merged = {}
    for row in rows:
        stage = _Named(row["stage__name"], row["stage__name_ru"], row["stage__name_en"])
        label = localized(stage, "name")
        merged[label] = merged.get(label, 0) + row["n"]
    bars = tuple(Bar(label, label, n) for label, n in merged.items())
    return Breakdown("incubation", str(_("Incubated projects by stage")), "projects", bars)


@dataclass(frozen=True)
class _Named:
    name: str
    name_ru: str
    name_en: str


#: The longest daily chart: a year before its last day (older days are carried in).
TIMELINE_DAYS = 366


def timeline(scope):
    """Entries started and submitted per day, two queries.

    The days run from the first day with activity (or the start of the date range) to the
    submission deadline (one challenge; else the end of the range, else the last day with
    activity), at most :data:`TIMELINE_DAYS`. Entries started or submitted before the first
    day are carried into the running totals; activity after the last day (grace minutes,
    late fixes) is in the headline numbers, not on the chart.
    """
    tz = scope.tz
    base = entries(scope)
    started = _grouped(base.annotate(day=TruncDate("created_at", tzinfo=tz)), "day")
    submitted = _grouped(
        base.filter(submitted_at__isnull=False).annotate(day=TruncDate("submitted_at", tzinfo=tz)),
        "day",
    )
    deadline = None
    if len(scope.challenge_ids) == 1:
        deadline = _deadlines(scope.challenge_ids).get(scope.challenge_ids[0])
    deadline_day = deadline.astimezone(tz).date() if deadline else None
    days_with = sorted(d for d in (*started, *submitted) if d)
    last = scope.until or deadline_day or (days_with[-1] if days_with else None)
    first = scope.since or (days_with[0] if days_with else None)
    days = []
    if first and last:
        first = max(first, last - dt.timedelta(days=TIMELINE_DAYS - 1))
    if first and last and first <= last:
        total_started = sum(n for d, n in started.items() if d and d < first)
        total_submitted = sum(n for d, n in submitted.items() if d and d < first)
        day = first
        while day <= last:
            s, u = started.get(day, 0), submitted.get(day, 0)
            total_started += s
            total_submitted += u
            days.append(Day(day, s, u, max(total_started - total_submitted, 0), total_submitted))
            day += dt.timedelta(days=1)
    return Timeline("daily", str(_("Entries per day")), tuple(days), deadline, deadline_day)


def summary(scope, *, by_status=None, reviews=None, certificates=None, incubation=None):
    """The headline numbers; figures already computed can be passed in (no second query)."""
    by_status = by_status or entries_by_status(scope)
    reviews = reviews or juror_progress(scope)
    certificates = certificates or certificates_issued(scope)
    incubation = incubation or incubated_by_stage(scope)
    drafts = by_status.count(SubmissionStatus.DRAFT)
    return Summary(
        registrations=people(scope).count(),
        teams=teams(scope).count(),
        entries=by_status.total,
        drafts=drafts,
        submitted=entries(scope).filter(submitted_at__isnull=False).count(),
        jurors=Juror.objects.filter(challenge_id__in=scope.challenge_ids)
        .exclude(status=JurorStatus.DECLINED)
        .count(),
        reviews_done=reviews.count(ReviewState.SUBMITTED),
        reviews_assigned=reviews.total,
        certificates=certificates.total,
        incubated=incubation.total,
    )


def dashboard(scope):
    """Every figure for ``scope`` (a fixed number of queries)."""
    figures = [
        entries_by_status(scope),
        entries_by_track(scope),
        people_by_region(scope),
        people_by_gender(scope),
        people_by_age_group(scope),
        people_by_district(scope),
        people_by_disability(scope),
        screening_outcomes(scope),
        juror_progress(scope),
        certificates_issued(scope),
        incubated_by_stage(scope),
    ]
    by_slug = {f.slug: f for f in figures}
    head = summary(
        scope,
        by_status=by_slug["status"],
        reviews=by_slug["reviews"],
        certificates=by_slug["certificates"],
        incubation=by_slug["incubation"],
    )
    return Dashboard(scope, head, timeline(scope), by_slug)


# --- tables for exports ------------------------------------------------------------------
def table(figure):
    """``(columns, rows)`` of a :class:`Breakdown` or the :class:`Timeline`, for
    core/exports (numbers stay numbers)."""
    if isinstance(figure, Timeline):
        columns = [
            _("Day"),
            _("Entries started"),
            _("Entries submitted"),
            _("Open drafts"),
            _("Submitted so far"),
        ]
        rows = [
            [d.date, d.started, d.submitted, d.drafts_total, d.submitted_total] for d in figure.days
        ]
        return [str(c) for c in columns], rows
    return [str(figure.title), str(_("Count"))], [[c.label, c.shown] for c in figure.cells]


def challenges_in(scope):
    """The challenges of ``scope`` (for titles), one query."""
    return list(Challenge.objects.filter(id__in=scope.challenge_ids))
