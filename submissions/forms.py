from django import forms
from django.utils.translation import gettext_lazy as _

from challenges.enums import FileKind
from challenges.models import District, Region
from core.forms import IdField, limit, show_limits

from .enums import Disability, MemberRole
from .models import EligibilityException, Profile, Submission
from .services.profiles import is_minor


class DistrictSelect(forms.Select):
    """The districts grouped by region (so the list works without scripts), each option
    saying its region, so ``profile.js`` can offer only the chosen region's districts."""

    region_of = {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        region = self.region_of.get(str(value))
        if region is not None:
            option["attrs"]["data-region"] = region
        return option


class ProfileForm(forms.ModelForm):
    #: The fields of each fieldset of the profile page, in order.
    ABOUT = (
        "full_name",
        "birth_date",
        "gender",
        "region",
        "district",
        "organisation",
        "phone",
        "telegram",
        "preferred_language",
    )
    INCLUSION = ("disability",)
    CONSENTS = ("consent_terms", "consent_privacy", "consent_publicity")
    GUARDIAN = ("guardian_name", "guardian_contact", "guardian_consent")

    class Meta:
        model = Profile
        fields = [
            "full_name",
            "birth_date",
            "gender",
            "region",
            "district",
            "organisation",
            "phone",
            "telegram",
            "preferred_language",
            "disability",
            "consent_terms",
            "consent_privacy",
            "consent_publicity",
            "guardian_name",
            "guardian_contact",
            "guardian_consent",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "district": DistrictSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].required = True
        self.fields["consent_terms"].required = True
        self.fields["consent_privacy"].required = True
        self.fields["gender"].help_text = _(
            "Optional. Used for girls-only tracks and anonymous statistics."
        )
        self.fields["guardian_name"].help_text = _("Needed when you are under 18.")
        self._offer_districts()
        self.fields["disability"].help_text = _(
            "Optional, and you may change your answer at any time. It is used only in "
            "anonymous statistics and to plan accessibility support; it is never shown with "
            "your name, to anyone."
        )
        self.fields["disability"].choices = [("", _("Not answered")), *Disability.choices]

    def _offer_districts(self):
        """Every district, grouped by region; a district typed before the list existed
        is shown so the person can pick the one they meant."""
        field = self.fields["district"]
        regions = {r.pk: r for r in Region.objects.all()}
        groups, region_of = {}, {}
        for district in District.objects.all():
            groups.setdefault(district.region_id, []).append(district)
            region_of[str(district.pk)] = str(district.region_id)
        choices = [("", _("Choose your district"))]
        for region in sorted(regions.values(), key=str):
            options = sorted(groups.get(region.pk, []), key=str)
            if options:
                choices.append((str(region), [(d.pk, str(d)) for d in options]))
        field.choices = choices
        field.widget.region_of = region_of
        field.help_text = _("The district or district-level city you live in, in your region.")
        typed = self.instance.district_typed if self.instance.pk else ""
        if typed and not self.instance.district_id:
            field.help_text = _(
                "You wrote “%(typed)s” earlier: choose the district you meant from the list."
            ) % {"typed": typed}

    def clean(self):
        data = super().clean()
        region, district = data.get("region"), data.get("district")
        if district is not None:
            if region is None and "region" not in self.errors:
                # Chosen from the grouped list without a region: the district says it.
                data["region"] = district.region
            elif region is not None and district.region_id != region.pk:
                self.add_error(
                    "district",
                    _("%(district)s is not in %(region)s: choose a district of your region.")
                    % {"district": district, "region": region},
                )
        probe = Profile(birth_date=data.get("birth_date"))
        if is_minor(probe):
            for name in ("guardian_name", "guardian_contact", "guardian_consent"):
                if not data.get(name):
                    self.add_error(
                        name,
                        _("Participants under 18 need a guardian's name, contact and consent."),
                    )
        return data


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=120)


class JoinForm(forms.Form):
    code = forms.CharField(label=_("Join code"), max_length=24)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail of the person to invite"))
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)


class MemberForm(forms.Form):
    """Whom a team action (make lead, remove, leave) is about."""

    user = IdField(message=_("Choose a member of the team."))


class InvitationChoiceForm(forms.Form):
    """Which of the team's invitations the lead withdraws."""

    invitation = IdField(message=_("Choose one of the team's invitations."))


class EntryForm(forms.ModelForm):
    """The entry's own inputs (title, track); the answers are the challenge's form
    (:func:`submissions.services.answers.build_form`), posted in the same ``<form>``."""

    class Meta:
        model = Submission
        fields = ["track", "title"]

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        tracks = challenge.tracks.all()
        if tracks:
            self.fields["track"].queryset = tracks
        else:
            del self.fields["track"]
        self.fields["title"].required = False
        show_limits(self)


NOT_UNDERSTOOD = _("The upload request was not understood.")


class UploadSlotForm(forms.Form):
    """The size the page's script announces before an upload straight to S3 (JSON).

    The kind, name, type and checksum are the service's to judge (it names what is wrong
    with them); the size must be a whole number before anything can be checked.
    """

    size = forms.IntegerField(
        error_messages={"required": NOT_UNDERSTOOD, "invalid": NOT_UNDERSTOOD}
    )


class UploadPartForm(forms.Form):
    """Which part of a multipart upload the script asks a presigned URL for."""

    part = forms.IntegerField(
        error_messages={"required": NOT_UNDERSTOOD, "invalid": NOT_UNDERSTOOD}
    )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of file"), choices=FileKind.choices)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, requirements=(), **kwargs):
        super().__init__(*args, **kwargs)
        if requirements:
            self.fields["kind"].choices = [(r.kind, r.get_kind_display()) for r in requirements]


class ExceptionForm(forms.Form):
    """Staff let one person in: the person's e-mail and the reason, kept in the audit."""

    email = forms.EmailField(
        label=_("Participant's e-mail address"),
        help_text=_("The address the person signed up with."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limit(EligibilityException, "reason"),
        help_text=_("Why this person may take part although the rules say otherwise."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(self)
