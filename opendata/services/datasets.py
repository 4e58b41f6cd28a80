"""The open data of a challenge: anonymised counts and the published winners, as tables.

Every count comes from the staff dashboard's own figures (``reporting.aggregates``) and is
published only after small-cell suppression (``opendata.services.suppression``) with the
threshold ``TANLOV_OPENDATA_MIN_CELL`` (fewer than five people by default). Only public
challenges (a live, public page presents them; ``api.selectors.public_challenges``) have
open data; winners appear once results are published (the results page's own rows,
``judging_tags.public_rows``) and only where every person of the entry agreed that their
work may be published (the profile's ``consent_publicity``).

A :class:`Table` is what one CSV file holds and one entry of the JSON's ``tables``: its
``fields`` (name, type, description: the table schema of ``datapackage.json``) and its
``rows`` (dicts of plain values, ``None`` for a withheld count). The CSV and the JSON are
written from the same rows, so they always agree. Nothing here names a person.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.selectors import public_challenges, with_status
from challenges.models import Region, Track
from core.exports import safe_text
from judging.templatetags.judging_tags import public_rows
from reporting import aggregates
from submissions.enums import MemberRole
from submissions.models import Profile, Submission, TeamMembership

from .suppression import suppress_together

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
#: The key of a breakdown's last row: the total of its counts.
TOTAL = "total"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # a Frictionless table-schema type: "string", "integer"
    description: str


@dataclass(frozen=True)
class Table:
    name: str  # the resource name and the CSV's file name (``<name>.csv``)
    title: str
    description: str
    fields: tuple
    rows: tuple  # dicts, one value per field

    @property
    def columns(self):
        return [f.name for f in self.fields]

    def values(self):
        """The rows as lists in field order (for the CSV writer)."""
        return [[row[name] for name in self.columns] for row in self.rows]


@dataclass(frozen=True)
class Dataset:
    challenge: object  # the Challenge
    threshold: int
    tables: tuple

    def table(self, name):
        found = next((t for t in self.tables if t.name == name), None)
        if found is None:
            raise Http404
        return found


def threshold():
    return settings.TANLOV_OPENDATA_MIN_CELL


def challenges():
    """The challenges with open data: ``(challenge, status, phase)``, open ones first."""
    return with_status(public_challenges())


def public_challenge(slug):
    """The public challenge ``slug``; 404 for any other (drafts and pages not live)."""
    found = public_challenges().filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


def attribution(challenge):
    """The line to quote with the data (CC BY 4.0 asks for it)."""
    return _(
        "Source: Tanlov open data, “%(title)s”, licensed under CC BY 4.0 "
        "(https://creativecommons.org/licenses/by/4.0/)."
    ) % {"title": challenge.display_title}


# --- the count tables -------------------------------------------------------------------
def _count_fields(unit, key_text):
    units = {"people": _("people"), "entries": _("entries")}
    return (
        Field("key", "string", key_text),
        Field("label", "string", _("What the row counts, in the language of the file.")),
        Field(
            "count",
            "integer",
            _(
                "How many %(unit)s; empty where withheld (fewer than %(threshold)s, or a "
                "cell that would reveal one). The last row (key “total”) is the total."
            )
            % {"unit": units[unit], "threshold": threshold()},
        ),
    )


#: name, title, description, what the key is, unit — in publication order.
SPECS = (
    (
        "people-by-region",
        gettext_lazy("Participants by region"),
        gettext_lazy("People taking part, by the region in their profile."),
        gettext_lazy("The region's ISO 3166-2 code (UZ-QR is Karakalpakstan); “unknown”."),
        "people",
    ),
    (
        "people-by-gender",
        gettext_lazy("Participants by gender"),
        gettext_lazy("People taking part, by the gender in their profile."),
        gettext_lazy("The gender as answered; “unknown” where not given."),
        "people",
    ),
    (
        "people-by-age-group",
        gettext_lazy("Participants by age group"),
        gettext_lazy("People taking part, by age in whole years on the challenge's age date."),
        gettext_lazy("The age group; “unknown” where no birth date is given."),
        "people",
    ),
    (
        "people-by-track",
        gettext_lazy("Participants by track"),
        gettext_lazy(
            "People taking part, by the track of their entry; someone with entries in "
            "two tracks counts in both, people without an entry in a track in none."
        ),
        gettext_lazy("The track's slug."),
        "people",
    ),
    (
        "entries-by-status",
        gettext_lazy("Entries by stage"),
        gettext_lazy("Entries (drafts included) by the stage they have reached."),
        gettext_lazy("The entry's status."),
        "entries",
    ),
    (
        "entries-by-track",
        gettext_lazy("Entries by track"),
        gettext_lazy("Entries (drafts included) by track."),
        gettext_lazy("The track's slug; “unknown” for entries without a track."),
        "entries",
    ),
)
#: Breakdowns of one population, suppressed together (they share their total).
POPULATIONS = (
    ("people-by-region", "people-by-gender", "people-by-age-group"),
    ("people-by-track",),
    ("entries-by-status", "entries-by-track"),
)


def _with_unknown(bars):
    """Every breakdown that can have a "not given" row has it, zero or not (stable rows)."""
    if any(b.key == aggregates.UNKNOWN for b in bars):
        return tuple(bars)
    return (*bars, aggregates.Bar(aggregates.UNKNOWN, str(aggregates.UNKNOWN_LABEL), 0))


def _breakdowns(challenge):
    """``{name: [(key, label, count), …]}`` from the dashboard's figures."""
    scope = aggregates.scope_for([challenge])
    regions = dict(Region.objects.values_list("id", "code"))
    tracks = dict(Track.objects.filter(challenge=challenge).values_list("id", "slug"))

    def code(bar, names):
        return names.get(int(bar.key), bar.key) if bar.key.isdigit() else bar.key

    # By ISO code (the dashboard ranks them by count), "not given" last.
    by_region = sorted(
        aggregates.people_by_region(scope).bars,
        key=lambda b: (b.key == aggregates.UNKNOWN, code(b, regions)),
    )

    def keyed(bars, names):
        return [(code(b, names), b.label, b.count) for b in bars]

    figures = {
        "people-by-region": keyed(_with_unknown(by_region), regions),
        "people-by-gender": keyed(_with_unknown(aggregates.people_by_gender(scope).bars), {}),
        "people-by-age-group": keyed(_with_unknown(aggregates.people_by_age_group(scope).bars), {}),
        "people-by-track": keyed(aggregates.people_by_track(scope).bars, tracks),
        "entries-by-status": keyed(aggregates.entries_by_status(scope).bars, {}),
        "entries-by-track": keyed(
            _with_unknown(aggregates.entries_by_track(scope, submitted_only=False).bars),
            tracks,
        ),
    }
    return figures


def count_tables(challenge, *, min_cell=None):
    """The count tables of ``challenge``, suppressed."""
    min_cell = threshold() if min_cell is None else min_cell
    figures = _breakdowns(challenge)
    published = {}
    for names in POPULATIONS:
        done = suppress_together(
            [[count for _key, _label, count in figures[n]] for n in names], threshold=min_cell
        )
        published.update(zip(names, done, strict=True))
    tables = []
    for name, title, description, key_text, unit in SPECS:
        found = published[name]
        rows = [
            {"key": key, "label": safe_text(label), "count": cell}
            for (key, label, _count), cell in zip(figures[name], found.cells, strict=True)
        ]
        rows.append({"key": TOTAL, "label": _("Total"), "count": found.total})
        tables.append(
            Table(
                name,
                str(title),
                str(description),
                _count_fields(unit, str(key_text)),
                tuple(rows),
            )
        )
    return tables


# --- the winners ------------------------------------------------------------------------
def consenting(entry_ids):
    """The ids among ``entry_ids`` whose every person (the team's members, else the owner)
    agreed that their name and work may be published."""
    entries = list(
        Submission.objects.filter(id__in=entry_ids).values_list("id", "team_id", "owner_id")
    )
    members = {}
    for team_id, user_id in TeamMembership.objects.filter(
        team_id__in={team for _id, team, _owner in entries if team}, role=MemberRole.MEMBER
    ).values_list("team_id", "user_id"):
        members.setdefault(team_id, set()).add(user_id)
    people = {
        entry_id: members.get(team_id, set()) if team_id else {owner_id}
        for entry_id, team_id, owner_id in entries
    }
    agreed = set(
        Profile.objects.filter(
            user_id__in=set().union(*people.values()), consent_publicity=True
        ).values_list("user_id", flat=True)
    )
    return {entry_id for entry_id, who in people.items() if who and who <= agreed}


def winners_table(challenge):
    published = public_rows(challenge)
    rows = []
    if published is not None:
        shown = consenting([row["entry_id"] for row in published["rows"]])
        rows = [
            {
                "rank": row["rank"],
                "title": safe_text(row["title"]),
                "track": safe_text(row["track"] or ""),
                "status": row["status"],
                "status_label": str(row["status_label"]),
            }
            for row in published["rows"]
            if row["entry_id"] in shown
        ]
    fields = (
        Field("rank", "integer", _("The entry's place in the published ranking.")),
        Field("title", "string", _("The project's title.")),
        Field("track", "string", _("The track's name; empty without tracks.")),
        Field("status", "string", _("winner, finalist or incubated.")),
        Field("status_label", "string", _("The status, in the language of the file.")),
    )
    return Table(
        "winners",
        _("Winners and finalists"),
        _(
            "The published results: winners, finalists and entries incubated since, where "
            "every member of the team agreed that their work may be published."
        ),
        fields,
        tuple(rows),
    )


def dataset(challenge, *, min_cell=None):
    """Everything published about ``challenge`` (a public one)."""
    min_cell = threshold() if min_cell is None else min_cell
    tables = (*count_tables(challenge, min_cell=min_cell), winners_table(challenge))
    return Dataset(challenge, min_cell, tables)


# --- the files --------------------------------------------------------------------------
def as_json(data, *, urls):
    """The JSON document (a dict) of :func:`dataset`; ``urls`` has the absolute ``page``,
    ``datapackage`` and ``csv`` (a function of a table's name)."""
    challenge = data.challenge
    return {
        "challenge": {"slug": challenge.slug, "title": challenge.display_title},
        "page": urls["page"],
        "datapackage": urls["datapackage"],
        "licence": {**LICENCE, "attribution": attribution(challenge)},
        "threshold": data.threshold,
        "tables": [
            {
                "name": t.name,
                "title": t.title,
                "description": t.description,
                "csv": urls["csv"](t.name),
                "fields": [f.name for f in t.fields],
                "rows": list(t.rows),
            }
            for t in data.tables
        ],
    }


def datapackage(data, *, urls):
    """A Frictionless Data Package descriptor: one CSV resource per table, with its table
    schema (fields, types, descriptions) and the licence."""
    challenge = data.challenge
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": f"tanlov-{challenge.slug}".lower(),
        "title": _("Open data: %(title)s") % {"title": challenge.display_title},
        "description": _(
            "Anonymised counts of the participants and entries of a Tanlov challenge, and "
            "its published winners. Counts below %(threshold)s are withheld, as is any "
            "count that would reveal one."
        )
        % {"threshold": data.threshold},
        "homepage": urls["page"],
        "licenses": [LICENCE],
        "contributors": [{"title": "Tanlov", "roles": ["publisher"]}],
        "keywords": ["open data", "innovation challenge", "Uzbekistan"],
        "resources": [
            {
                "name": t.name,
                "path": urls["csv"](t.name),
                "title": t.title,
                "description": t.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "licenses": [LICENCE],
                "schema": {
                    "fields": [
                        {"name": f.name, "type": f.type, "description": f.description}
                        for f in t.fields
                    ],
                    "missingValues": [""],
                    **({"primaryKey": ["key"]} if t.columns[0] == "key" else {}),
                },
            }
            for t in data.tables
        ],
    }
