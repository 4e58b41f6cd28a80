from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from challenges.models import Track

from .enums import Skill
from .models import Event


class RegisterForm(forms.Form):
    track = forms.ModelChoiceField(label=_("Track"), queryset=Track.objects.none(), required=False)
    answer = forms.CharField(
        label=_("Answer"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        tracks = Track.objects.filter(challenge=event.challenge_id)
        if tracks.exists():
            self.fields["track"].queryset = tracks
        else:
            del self.fields["track"]
        if event.question:
            self.fields["answer"].label = event.question
            self.fields["answer"].required = True
        else:
            del self.fields["answer"]


class ListingForm(forms.Form):
    looking = forms.BooleanField(label=_("I am looking for a team"), required=False)
    skills = forms.MultipleChoiceField(
        label=_("Skills"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Other skills (separated by commas)"), max_length=200, required=False
    )
    idea = forms.CharField(
        label=_("An idea you would like to build"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RoleForm(forms.Form):
    title = forms.CharField(label=_("Role the team looks for"), max_length=120)
    skills = forms.MultipleChoiceField(
        label=_("Skills"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Check-in code"), max_length=200)


LOCAL = "%Y-%m-%dT%H:%M"


class EventForm(forms.ModelForm):
    volunteer_emails = forms.CharField(
        label=_("Check-in volunteers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The e-mail addresses of their accounts, one a line: they may check people in "
            "at the door, and do nothing else."
        ),
    )

    class Meta:
        model = Event
        fields = [
            "venue",
            "online",
            "registration_opens",
            "registration_closes",
            "capacity",
            "admission",
            "hours_to_confirm",
            "question",
            "certificates_need_checkin",
        ]
        widgets = {
            "registration_opens": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=LOCAL
            ),
            "registration_closes": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=LOCAL
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["volunteer_emails"] = "\n".join(
                self.instance.volunteers.order_by("email").values_list("email", flat=True)
            )

    def clean_volunteer_emails(self):
        from django.contrib.auth import get_user_model

        emails = {e.strip().lower() for e in self.cleaned_data["volunteer_emails"].split() if e}
        lookup = Q(pk__in=[])
        for email in emails:
            lookup |= Q(email__iexact=email)
        users = list(get_user_model().objects.filter(lookup))
        unknown = emails - {u.email.lower() for u in users}
        if unknown:
            raise forms.ValidationError(
                _("No account has this address: %(emails)s")
                % {"emails": ", ".join(sorted(unknown))}
            )
        return users

    def save(self, commit=True):
        event = super().save(commit=commit)
        if commit:
            event.volunteers.set(self.cleaned_data.get("volunteer_emails") or [])
        return event

    def clean(self):
        data = super().clean()
        opens, closes = data.get("registration_opens"), data.get("registration_closes")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes", _("Registration must close after it opens."))
        if not data.get("online") and not (data.get("venue") or "").strip():
            self.add_error("venue", _("Give the venue, or tick “online”."))
        return data
