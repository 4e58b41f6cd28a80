"""Input that is not a page's own form: the ids and flags a page posts beside it.

Every POSTed parameter goes through a small Django form, so a hand-made request (``user=abc``,
an id too large for the database) is refused with a translated sentence, never a 500.
:func:`cleaned` turns an invalid form into the one error contract (:mod:`core.errors`):

    data = cleaned(MemberForm(request.POST))   # raises Refused (400)
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .errors import Refused

#: The largest id a database row can have (a signed 64-bit integer on PostgreSQL).
MAX_ID = 2**63 - 1


def limit(model, name):
    """The ``max_length`` a model gives one of its text fields, for a plain form's field."""
    return model._meta.get_field(name).max_length


def show_limits(form):
    """Say under each text box with a limit how long it may be. The box's ``maxlength``
    already stops typing there; the sentence tells why before the person hits it."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.Textarea) and getattr(field, "max_length", None):
            said = _("Up to %(count)s characters.") % {"count": field.max_length}
            field.help_text = f"{field.help_text} {said}" if field.help_text else said


def cleaned(form):
    """``form.cleaned_data``, or :class:`~core.errors.Refused` with the form's first error
    (its ``field`` set, so :func:`core.errors.show` can put it on a page's form)."""
    if form.is_valid():
        return form.cleaned_data
    field, errors = next(iter(form.errors.items()))
    raise Refused(errors[0], code="invalid", field=None if field == "__all__" else field)


class IdField(forms.IntegerField):
    """The id of a row: a whole number the database can hold, with one message for anything
    else (``abc``, ``-1``, ``1.5``, forty nines)."""

    def __init__(self, *, message=None, **kwargs):
        message = message or _("This request was not understood; reload the page and try again.")
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs["error_messages"] = dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"), message
        )
        super().__init__(**kwargs)


class IdsField(forms.Field):
    """Ids of rows posted under one name (ticked checkboxes): each one an :class:`IdField`."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, message=None, **kwargs):
        self.item = IdField(message=message)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        return [self.item.clean(item) for item in value or []]
