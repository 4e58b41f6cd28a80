from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from challenges.enums import EntryFieldType, FormStage
from core.forms import IdField, IdsField, limit
from submissions.enums import SubmissionStatus
from submissions.models import Submission

from .enums import ConflictKind, CutRule, IneligibleReason, Method, RoundMode, Verdict
from .models import (
    Appeal,
    Conflict,
    Criterion,
    FeedbackComment,
    Review,
    Round,
    Score,
    ScreeningDecision,
)
from .services.reviews import Answer, check_value


def _plain(number):
    """``Decimal("0.50")`` → ``"0.5"`` for HTML attributes."""
    return f"{Decimal(number).normalize():f}"


class ReviewForm(forms.Form):
    """One score and one comment per criterion, an overall comment, and the version seen."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    overall_comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=limit(Review, "overall_comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    share_overall = forms.BooleanField(label=_("Share this comment with the team"), required=False)

    def __init__(self, *args, criteria, scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        scores = scores or {}
        for c in criteria:
            existing = scores.get(c.id)
            self.fields[f"score_{c.id}"] = forms.DecimalField(
                label=c.display_name,
                required=False,
                max_digits=5,
                decimal_places=2,
                initial=_plain(existing.value) if existing and existing.value is not None else None,
                widget=forms.NumberInput(
                    attrs={
                        "min": _plain(c.scale_min),
                        "max": _plain(c.scale_max),
                        "step": _plain(c.step),
                        "inputmode": "decimal",
                        "aria-describedby": f"guidance-{c.id}",
                    }
                ),
                error_messages={"invalid": _("Enter a number.")},
            )
            self.fields[f"comment_{c.id}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": c.display_name},
                required=False,
                max_length=limit(Score, "comment"),
                initial=existing.comment if existing else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            # Default off: a comment reaches the team only if the juror ticks this, and
            # then only after staff approved it (docs/judging.md, "Feedback and appeals").
            self.fields[f"share_{c.id}"] = forms.BooleanField(
                label=_("Share this comment with the team"),
                required=False,
                initial=bool(existing and existing.share_comment),
            )

    def clean(self):
        data = super().clean()
        for c in self.criteria:
            value = data.get(f"score_{c.id}")
            problem = check_value(c, value) if value is not None else None
            if problem:
                self.add_error(f"score_{c.id}", problem)
        return data

    def rows(self):
        """(criterion, score field, comment field, share field) for the template."""
        return [
            (c, self[f"score_{c.id}"], self[f"comment_{c.id}"], self[f"share_{c.id}"])
            for c in self.criteria
        ]

    def answers(self):
        return {
            c.id: Answer(
                value=self.cleaned_data.get(f"score_{c.id}"),
                comment=self.cleaned_data.get(f"comment_{c.id}", "").strip(),
                share=bool(self.cleaned_data.get(f"share_{c.id}")),
            )
            for c in self.criteria
        }


class AcceptForm(forms.Form):
    confidentiality = forms.BooleanField(
        label=_(
            "I will keep the entries, the scores and the jury's discussions confidential, and I "
            "will declare any conflict of interest."
        ),
        required=True,
        error_messages={"required": _("Please sign the confidentiality statement.")},
    )


class ConflictForm(forms.ModelForm):
    class Meta:
        model = Conflict
        fields = ["kind", "team", "organisation", "region", "person", "note"]

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = challenge.teams.order_by("name")
        self.fields["team"].required = False
        self.fields["kind"].choices = ConflictKind.choices


class ConflictJurorForm(forms.Form):
    """Which juror a conflict entered by staff is about (the page's select)."""

    juror = IdField(message=_("Choose a juror."))


class AssignJurorForm(forms.Form):
    """The juror staff add to an entry's reviews."""

    juror = IdField()


class ReviewPickForm(forms.Form):
    """The review staff remove or reopen on an entry's page."""

    review = IdField()


class RemindForm(forms.Form):
    """The jurors ticked on the dashboard to be reminded."""

    juror = IdsField()


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "name",
            "name_ru",
            "name_en",
            "position",
            "mode",
            "opens_at",
            "closes_at",
            "scope",
            "previous",
            "reviews_per_entry",
            "blind",
            "method",
            "juror_can_reopen",
            "fast_review_minutes",
            "disagreement_threshold",
            "calibration_entries",
            "followup_questions",
            "followup_deadline",
            "followup_intro",
            "followup_intro_ru",
            "followup_intro_en",
            "appeal_days",
        ]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "followup_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "followup_questions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.challenge = challenge
        self.fields["previous"].queryset = Round.objects.filter(challenge=challenge).exclude(
            pk=self.instance.pk
        )
        self.fields["calibration_entries"].queryset = challenge.submissions.exclude(
            status=SubmissionStatus.DRAFT
        )
        self.fields["calibration_entries"].required = False
        # The follow-up form: this challenge's questions marked "follow-up".
        # (not file questions: follow-ups offer no upload slot yet, docs/forms.md).
        self.fields["followup_questions"].queryset = (
            challenge.entry_fields.filter(stage=FormStage.FOLLOWUP, archived=False)
            .exclude(field_type=EntryFieldType.FILE)
            .order_by("sort_order", "id")
        )
        self.fields["followup_questions"].required = False
        # Left empty: the default window (a form posted without the field keeps it).
        self.fields["appeal_days"].required = False
        self.fields["followup_deadline"].help_text = _(
            "In the challenge's time zone (%(zone)s); no answers are accepted from then on."
        ) % {"zone": challenge.time_zone}
        if self.instance.followup_deadline and not self.is_bound:
            local = timezone.localtime(self.instance.followup_deadline, challenge.tz)
            self.initial["followup_deadline"] = local.replace(tzinfo=None)
        self.fields["method"].choices = Method.choices
        self.fields["mode"].choices = RoundMode.choices
        if self.is_bound and not self.data.get("mode"):
            # Posted without a mode (an older page, a script): the round keeps its mode, and
            # a new one is scored; not a change, so the audit entry does not list it.
            self.data = self.data.copy()
            self.data["mode"] = self.instance.mode or RoundMode.SCORED

    @cached_property
    def changed_data(self):
        # A form posted without the appeal window keeps it: not a change.
        data = super().changed_data
        kept = getattr(self, "cleaned_data", {}).get("appeal_days") == self.get_initial_for_field(
            self.fields["appeal_days"], "appeal_days"
        )
        return [name for name in data if not (name == "appeal_days" and kept)]

    def clean_appeal_days(self):
        value = self.cleaned_data.get("appeal_days")
        if value is None:
            return self.instance.appeal_days if self.instance.pk else 7
        return value

    def clean_followup_deadline(self):
        """The wall-clock time typed is read in the challenge's zone, not the server's."""
        value = self.cleaned_data.get("followup_deadline")
        if value is None:
            return None
        return timezone.make_aware(value.replace(tzinfo=None), self.instance.challenge.tz)


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = [
            "name",
            "name_ru",
            "name_en",
            "guidance",
            "guidance_ru",
            "guidance_en",
            "weight",
            "scale_min",
            "scale_max",
            "step",
            "must_pass",
            "position",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 2}) for f in ("guidance", "guidance_ru", "guidance_en")
        }

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight is not None and weight <= Decimal(0):
            raise forms.ValidationError(_("A weight must be above zero."))
        return weight


CriterionFormSet = forms.inlineformset_factory(
    Round, Criterion, form=CriterionForm, extra=1, can_delete=True
)


class AdvanceForm(forms.Form):
    per_track = forms.BooleanField(label=_("Per track"), required=False, initial=True)
    top_n = forms.IntegerField(label=_("Top N"), required=False, min_value=1)
    threshold = forms.DecimalField(
        label=_("Or all with a score of at least"), required=False, min_value=0, max_value=100
    )
    to_round = forms.ModelChoiceField(
        label=_("Into round"), required=False, queryset=Round.objects.none()
    )
    status = forms.ChoiceField(
        label=_("Set status"),
        required=False,
        choices=[
            ("", "—"),
            ("shortlisted", _("Shortlisted")),
            ("finalist", _("Finalist")),
            ("winner", _("Winner")),
        ],
    )
    mark_others = forms.BooleanField(
        label=_("Mark the other ranked entries as not selected"), required=False
    )

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_round"].queryset = Round.objects.filter(
            challenge_id=round_.challenge_id
        ).exclude(pk=round_.pk)

    def clean(self):
        data = super().clean()
        if (data.get("top_n") is None) == (data.get("threshold") is None):
            raise forms.ValidationError(_("Give either a number of entries or a score threshold."))
        if not data.get("to_round") and not data.get("status"):
            raise forms.ValidationError(_("Choose the next round or a status to advance to."))
        return data


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("E-mail addresses (one per line)"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_emails(self):
        validator = forms.EmailField()
        result = []
        for line in self.cleaned_data["emails"].split():
            result.append(validator.clean(line.strip().strip(",;")))
        if not result:
            raise forms.ValidationError(_("Enter at least one e-mail address."))
        return result


class ScreeningForm(forms.Form):
    """A screener's verdict on one entry: eligible, or ineligible with a reason (and a note
    for staff). The team reads the reason, never the note."""

    verdict = forms.ChoiceField(
        label=_("Decision"),
        choices=Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose eligible or ineligible."),
            "invalid_choice": _("Choose eligible or ineligible."),
        },
    )
    reason = forms.ChoiceField(
        label=_("Reason (when ineligible)"),
        required=False,
        choices=[("", "—"), *IneligibleReason.choices],
        error_messages={"invalid_choice": _("Choose a reason from the list.")},
        help_text=_("The team is told this reason, in its language."),
    )
    note = forms.CharField(
        label=_("Note for staff"),
        required=False,
        max_length=limit(ScreeningDecision, "note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff and screeners see it."),
    )

    def clean(self):
        data = super().clean()
        if data.get("verdict") == Verdict.INELIGIBLE and not data.get("reason"):
            self.add_error("reason", _("Choose why the entry is ineligible."))
        if data.get("verdict") == Verdict.ELIGIBLE:
            data["reason"] = ""
        data["note"] = (data.get("note") or "").strip()
        return data


class StaffScreeningForm(ScreeningForm):
    """Staff's decision on the entries ticked on the screening list (one or many)."""

    entries = IdsField(message=_("The selection was not understood; reload the page."))

    field_order = ["entries", "verdict", "reason", "note"]

    def clean_entries(self):
        entries = self.cleaned_data["entries"]
        if not entries:
            raise forms.ValidationError(_("Select at least one entry."))
        return entries


class ScreeningListForm(forms.Form):
    """Which list of a screening round the staff page shows (``?show=``)."""

    show = forms.ChoiceField(
        required=False,
        choices=[
            ("all", _("All entries")),
            ("open", _("Not decided yet")),
            ("disagreements", _("Disagreements")),
            (Verdict.ELIGIBLE, _("Eligible")),
            (Verdict.INELIGIBLE, _("Ineligible")),
        ],
    )


class CutForm(forms.Form):
    """Where the round's ranking decides, for its certainty (docs/judging.md)."""

    rule = forms.ChoiceField(
        label=_("The ranking decides at"),
        required=False,
        choices=[("", _("Nowhere yet")), *CutRule.choices],
    )
    value = forms.DecimalField(
        label=_("N, or the threshold score"),
        required=False,
        min_value=0,
        max_value=1000,
        decimal_places=2,
    )
    show_margins = forms.BooleanField(
        label=_("Published results say which places were within the margin"), required=False
    )

    def clean(self):
        data = super().clean()
        rule, value = data.get("rule"), data.get("value")
        if rule and value is None:
            self.add_error("value", _("Give N, or the threshold score."))
        elif rule and rule != CutRule.THRESHOLD and (value < 1 or value != int(value)):
            self.add_error("value", _("N is a whole number of at least 1."))
        elif rule == CutRule.THRESHOLD and value > 100:
            self.add_error("value", _("Scores run from 0 to 100."))
        return data


class BoundaryForm(forms.Form):
    """How many extra reviews to spend at the cut, and at most how many per juror."""

    budget = forms.IntegerField(label=_("Extra reviews"), min_value=1, max_value=500, initial=10)
    per_juror = forms.IntegerField(
        label=_("At most per juror"), min_value=1, max_value=50, initial=3
    )


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you appeal?"),
        max_length=limit(Appeal, "reason"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Say which decision you contest and why; staff who did not judge your entry read it."
        ),
        error_messages={"required": _("Say why you appeal.")},
    )
    file = forms.FileField(
        label=_("A file that supports the appeal (optional)"),
        required=False,
        help_text=_("PDF, PNG or JPEG, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class ModerateForm(forms.Form):
    """Staff's decision on one shared comment."""

    comment = IdField()
    action = forms.ChoiceField(
        choices=[
            ("approve", _("Approve")),
            ("edit", _("Save the edit and approve")),
            ("withhold", _("Withhold")),
        ]
    )
    text = forms.CharField(
        required=False, max_length=limit(FeedbackComment, "text"), widget=forms.Textarea
    )


class RereviewForm(forms.Form):
    jurors = IdsField(label=_("Jurors for the re-review"))


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("upheld", _("Uphold the appeal")), ("dismissed", _("Dismiss the appeal"))],
        widget=forms.RadioSelect,
    )
    status = forms.ChoiceField(
        label=_("The entry's new outcome (when upheld)"),
        required=False,
        choices=[("", "—")]
        + [
            (s.value, s.label)
            for s in (
                SubmissionStatus.ELIGIBLE,
                SubmissionStatus.SHORTLISTED,
                SubmissionStatus.FINALIST,
                SubmissionStatus.WINNER,
            )
        ],
    )
    response = forms.CharField(
        label=_("Response to the team"),
        max_length=limit(Appeal, "response"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the response the team will read.")},
    )


class ExpoTableForm(forms.Form):
    """Staff give one entry of a pairwise round a table number."""

    entry = forms.ModelChoiceField(queryset=Submission.objects.none(), label=_("Project"))
    number = forms.IntegerField(label=_("Table number"), min_value=1, max_value=32767)

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import entries_in_scope

        self.fields["entry"].queryset = entries_in_scope(round_).order_by("submitted_at", "pk")
