"""Staff views in the Wagtail admin: entries of the challenges a person manages."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from challenges.enums import FormStage
from challenges.models import Challenge, District, EntryField, Region
from challenges.selectors import managed_by
from challenges.services.eligibility import age_on
from core import exports, pagination
from core.access import obtain, require
from core.audit import record
from core.errors import Refused, show
from core.forms import limit
from core.pagination import paginate

from .enums import FileStatus, SubmissionStatus
from .filters import SubmissionFilter
from .forms import ExceptionForm
from .models import EligibilityException, Submission
from .selectors import unmatched_districts
from .services import answers
from .services.eligibility import grant_exception, revoke_exception
from .services.entries import snapshot
from .services.profiles import settle_district
from .services.status import StatusError, change_status


def staff_entries(user):
    """Entries of the challenges ``user`` manages, with everything the list and CSV show."""
    return (
        Submission.objects.filter(challenge__in=managed_by(user))
        .select_related("challenge", "team", "track", "owner__profile__region", "current_version")
        .annotate(
            file_count=Count(
                "files",
                filter=Q(files__status=FileStatus.VERIFIED, files__removed_at__isnull=True),
                distinct=True,
            ),
            member_count=Count("team__memberships", distinct=True),
        )
        .order_by("challenge_id", "-submitted_at", "-pk")
    )


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (SubmissionStatus.ELIGIBLE, SubmissionStatus.ELIGIBLE.label),
            (SubmissionStatus.INELIGIBLE, SubmissionStatus.INELIGIBLE.label),
        ],
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=limit(Submission, "status_reason"),
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == SubmissionStatus.INELIGIBLE and not data.get("reason"):
            self.add_error("reason", _("Give the reason: the team will read it."))
        return data


def _profile_row(entry):
    profile = getattr(entry.owner, "profile", None)
    today = timezone.localdate()
    return {
        "name": profile.full_name if profile else entry.owner.get_username(),
        "region": str(profile.region) if profile and profile.region_id else "",
        "gender": profile.get_gender_display() if profile else "",
        "age": age_on(profile.birth_date, today) if profile and profile.birth_date else "",
    }


def entry_list(request):
    filterset = SubmissionFilter(
        request.GET or None, queryset=staff_entries(request.user), user=request.user
    )
    queryset = (
        filterset.qs if filterset.is_bound and filterset.is_valid() else staff_entries(request.user)
    )
    # The list and the export name people with their region, gender and age: each
    # viewing is audited (who, which filters, which entries or how many).
    if fmt := exports.requested_format(request):
        record(
            action="submissions.entries.exported",
            obj=request.user,
            by=request.user,
            format=fmt,
            query=request.GET.urlencode(),
            rows=queryset.count(),
        )
        return _export(fmt, queryset)
    listing = paginate(request, queryset, label=_("Pages of the entries"))
    rows = [(entry, _profile_row(entry)) for entry in listing]
    record(
        action="submissions.entries.listed",
        obj=request.user,
        by=request.user,
        query=request.GET.urlencode(),
        entries=[entry.pk for entry, _person in rows],
    )
    query = request.GET.copy()
    query.pop(pagination.PAGE, None)
    query.pop(pagination.SIZE, None)
    return TemplateResponse(
        request,
        "submissions/admin/entry_list.html",
        {"filter": filterset, "listing": listing, "rows": rows, "query": query.urlencode()},
    )


ENTRY_COLUMNS = (
    gettext_lazy("ID"),
    gettext_lazy("Challenge"),
    gettext_lazy("Team"),
    gettext_lazy("Title"),
    gettext_lazy("Track"),
    gettext_lazy("Status"),
    gettext_lazy("Reason"),
    gettext_lazy("Submitted"),
    gettext_lazy("Version"),
    gettext_lazy("Lead"),
    gettext_lazy("E-mail"),
    gettext_lazy("Region"),
    gettext_lazy("Gender"),
    gettext_lazy("Age"),
    gettext_lazy("Members"),
    gettext_lazy("Files"),
)


def _questions_of(queryset):
    """Every question (archived too) of the challenges in ``queryset``: one column per
    question name, in form order, and each challenge's questions for its drafts."""
    rows = EntryField.objects.filter(
        challenge_id__in=queryset.order_by().values("challenge_id"), stage=FormStage.ENTRY
    ).order_by("challenge_id", "sort_order", "id")
    columns, by_challenge = {}, {}
    for question in rows:
        columns.setdefault(question.clean_name, question.text("label", answers.language())[0])
        by_challenge.setdefault(question.challenge_id, []).append(question)
    return columns, by_challenge


def _answer_cells(entry, names, by_challenge, regions):
    """The answers of the version the jury judges (of the draft before a submit), as text."""
    if entry.current_version_id:
        frozen = entry.current_version.data.get("answers", [])
    else:
        frozen = answers.freeze(
            by_challenge.get(entry.challenge_id, []), entry.answers or {}, regions=regions
        )
    texts = {a["key"]: a["text"] for a in answers.shown(frozen, audience="staff")}
    return [texts.get(name, "") for name in names]


def _export_rows(queryset, names, by_challenge):
    regions = {r.code: r for r in Region.objects.all()}
    for entry in queryset.iterator(chunk_size=500):
        person = _profile_row(entry)
        yield [
            entry.pk,
            entry.challenge.slug,
            entry.team.name if entry.team_id else "",
            entry.title,
            entry.track.slug if entry.track_id else "",
            entry.status,
            entry.status_reason,
            entry.submitted_at,
            entry.current_version.number if entry.current_version_id else None,
            person["name"],
            entry.owner.email,
            person["region"],
            person["gender"],
            person["age"] if person["age"] != "" else None,
            entry.member_count or 1,
            entry.file_count,
            *_answer_cells(entry, names, by_challenge, regions),
        ]


def _export(fmt, queryset):
    """The filtered entry list as CSV or XLSX, through the one tabular writer."""
    columns, by_challenge = _questions_of(queryset)
    return exports.response(
        fmt,
        stem="entries",
        columns=[*ENTRY_COLUMNS, *columns.values()],
        rows=_export_rows(queryset, list(columns), by_challenge),
        sheet="entries",
    )


def _staff_answers(entry):
    """Staff read the version the jury judges; before a submit, the draft."""
    if entry.current_version_id:
        frozen = entry.current_version.data.get("answers")
    else:
        frozen = snapshot(entry)[0]["answers"]
    return answers.shown(frozen, audience="staff")


def entry_detail(request, pk):
    entry = obtain(request.user, staff_entries(request.user), see="submissions.manage_entry", pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change_status(
                submission=entry,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except StatusError as exc:
            show(request, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("submissions_admin:detail", pk=entry.pk)
    if request.method == "GET":
        record(action="submissions.entry.viewed", obj=entry, by=request.user)
    return TemplateResponse(
        request,
        "submissions/admin/entry_detail.html",
        {
            "entry": entry,
            "person": _profile_row(entry),
            "form": form,
            "files": entry.files.filter(status=FileStatus.VERIFIED),
            "members": entry.team.memberships.select_related("user__profile")
            if entry.team_id
            else [],
            "changes": entry.status_changes.select_related("by"),
            "answers": _staff_answers(entry),
        },
    )


# --- eligibility exceptions ---------------------------------------------------------------
def exception_index(request):
    """The challenges the person manages, each with its count of active exceptions."""
    challenges = (
        managed_by(request.user)
        .annotate(
            active_exceptions=Count(
                "eligibility_exceptions",
                filter=Q(eligibility_exceptions__revoked_at__isnull=True),
            )
        )
        .order_by("-created_at")
    )
    return TemplateResponse(
        request, "submissions/admin/exception_index.html", {"challenges": challenges}
    )


def exceptions(request, challenge_id):
    """A challenge's exceptions (active and revoked) and the form that grants one."""
    challenge = obtain(
        request.user,
        Challenge,
        see="challenges.manage_challenge",
        do="submissions.grant_exception",
        pk=challenge_id,
    )
    form = ExceptionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            person = (
                get_user_model()
                .objects.filter(email__iexact=form.cleaned_data["email"], is_active=True)
                .first()
            )
            if person is None:
                form.add_error("email", _("Nobody has signed up with this e-mail address."))
            else:
                try:
                    grant_exception(
                        challenge=challenge,
                        user=person,
                        reason=form.cleaned_data["reason"],
                        by=request.user,
                    )
                except Refused as exc:
                    field = "reason" if exc.field == "reason" else "email"
                    show(request, exc, form=form, field=field)
                else:
                    messages.success(
                        request,
                        _("%(person)s may now take part in this challenge.")
                        % {"person": person.email},
                    )
                    return redirect("submissions_admin:exceptions", challenge_id=challenge.pk)
    rows = EligibilityException.objects.filter(challenge=challenge).select_related(
        "user__profile", "granted_by", "revoked_by"
    )
    return TemplateResponse(
        request,
        "submissions/admin/exceptions.html",
        {"challenge": challenge, "form": form, "rows": rows},
        status=status,
    )


@require_POST
def exception_revoke(request, pk):
    exception = obtain(
        request.user,
        EligibilityException.objects.select_related("challenge", "user"),
        see="submissions.revoke_exception",
        pk=pk,
    )
    try:
        revoke_exception(exception=exception, by=request.user)
    except Refused as exc:
        show(request, exc)
    else:
        messages.success(
            request,
            _("The exception for %(person)s is revoked.") % {"person": exception.user.email},
        )
    return redirect("submissions_admin:exceptions", challenge_id=exception.challenge_id)


# --- districts typed before the list ------------------------------------------------------
class SettleDistrictForm(forms.Form):
    district = forms.ModelChoiceField(
        label=gettext_lazy("District"),
        queryset=District.objects.all(),
        error_messages={"required": gettext_lazy("Choose the district the person meant.")},
    )


def district_list(request):
    """The participants of the person's challenges whose typed district matched none of
    their region's: name, region and what they typed, each with the region's districts to
    choose from. A page of names by region, so each viewing is audited."""
    require(request.user, "challenges.open_staff_area")
    listing = paginate(request, unmatched_districts(request.user), label=_("Pages of the people"))
    profiles = list(listing)
    record(
        action="submissions.unmatched_districts.viewed",
        obj=request.user,
        by=request.user,
        profiles=[p.pk for p in profiles],
    )
    # The districts of each person's region; a person without a region may have any.
    regions = {p.region_id for p in profiles}
    found = District.objects.select_related("region")
    if None not in regions:
        found = found.filter(region_id__in=regions)
    districts, everywhere = {}, []
    for district in sorted(found, key=str):
        districts.setdefault(district.region_id, []).append((district.pk, str(district)))
        everywhere.append((district.pk, f"{district} ({district.region})"))
    rows = [
        (profile, districts.get(profile.region_id, []) if profile.region_id else everywhere)
        for profile in profiles
    ]
    return TemplateResponse(
        request, "submissions/admin/district_list.html", {"listing": listing, "rows": rows}
    )


@require_POST
def district_settle(request, pk):
    profile = obtain(
        request.user, unmatched_districts(request.user), see="submissions.settle_district", pk=pk
    )
    form = SettleDistrictForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["district"][0])
        return redirect("submissions_admin:districts")
    try:
        settle_district(profile=profile, district=form.cleaned_data["district"], by=request.user)
    except Refused as exc:
        show(request, exc)
    else:
        messages.success(
            request,
            _("The district of %(person)s is saved: %(district)s.")
            % {"person": profile.full_name, "district": form.cleaned_data["district"]},
        )
    return redirect("submissions_admin:districts")
