from django import forms
from django.utils.translation import gettext_lazy as _

from . import events
from .enums import Channel


def field_name(event, channel):
    return f"{event}:{channel}"


class PreferencesForm(forms.Form):
    """One checkbox per event and channel, and optional quiet hours."""

    quiet_from = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("No SMS or Telegram messages between these times (Tashkent time)."),
    )
    quiet_until = forms.TimeField(
        label=_("Quiet hours until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args, table, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        for event, (label, _defaults) in events.EVENTS.items():
            names = []
            for channel in Channel:
                name = field_name(event, channel)
                self.fields[name] = forms.BooleanField(
                    label=channel.label, required=False, initial=table[event][channel]
                )
                names.append(name)
            self.groups.append((label, names))

    def clean(self):
        data = super().clean()
        if bool(data.get("quiet_from")) != bool(data.get("quiet_until")):
            raise forms.ValidationError(
                _("Give both the start and the end of your quiet hours, or neither.")
            )
        return data

    def table(self):
        return {
            event: {
                channel: self.cleaned_data[field_name(event, channel)] for channel in Channel.values
            }
            for event in events.EVENTS
        }

    def bound_groups(self):
        return [(label, [self[name] for name in names]) for label, names in self.groups]
