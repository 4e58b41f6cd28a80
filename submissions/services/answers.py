"""Answers to a challenge's entry form: one builder, one form, one frozen shape.

The questions are ``challenges.EntryField`` rows (Wagtail's form-field model with our own
types). :class:`AnswerFormBuilder` — a subclass of Wagtail's ``FormBuilder`` — turns the
questions that apply to an entry (not archived, for its track) into one Django form in the
active language. The same form validates both ways an entry is saved:

* a **draft** checks types and limits only: an incomplete draft is fine;
* a **submit** also checks required questions, consents and conditions
  (:func:`submit_problems` runs the form over the stored answers).

A question whose condition is not met is not asked: a value posted for it anyway is
dropped, never stored. Answers are stored on ``Submission.answers`` keyed by the question's
``clean_name``, only when given. A submitted version freezes :func:`freeze` — each answer
with the labels it was asked with — and every reader (version page, juror, export) goes
through :func:`shown`, never the live questions.
"""

import datetime
import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

from challenges.enums import AnswerVisibility, ChoiceWidget, EntryFieldType, FormStage
from challenges.models import EntryField, Region, clean_key

#: Long text is limited by words; this cap only keeps a hostile post from filling the row.
LONG_TEXT_CAP = 20000
SHORT_TEXT_DEFAULT = 255
URL_MAX = 500
PHONE_SHAPE = re.compile(r"\+?[0-9 ()\-]{7,24}")


def valid_phone(value):
    """Digits with optional +, spaces, dashes and brackets; 7 to 15 digits (E.164)."""
    digits = sum(c.isdigit() for c in value)
    if not PHONE_SHAPE.fullmatch(value) or not 7 <= digits <= 15:
        raise forms.ValidationError(
            _("Enter a phone number with its country code, e.g. +998 90 123 45 67."),
            code="phone",
        )


YES, NO = "yes", "no"

# Who reads an answer: each audience sees these visibilities.
AUDIENCES = {
    "staff": {AnswerVisibility.STAFF, AnswerVisibility.JURORS, AnswerVisibility.PUBLIC},
    "jurors": {AnswerVisibility.JURORS, AnswerVisibility.PUBLIC},
    "team": {AnswerVisibility.STAFF, AnswerVisibility.JURORS, AnswerVisibility.PUBLIC},
    "public": {AnswerVisibility.PUBLIC},
}


def language():
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _marked(text, used, code):
    """``text`` as is, or wrapped in its own ``lang`` when it falls back to another language
    (screen readers then pronounce it right, and the fallback is visible in the markup)."""
    if used == code:
        return text
    return format_html('<span lang="{}">{}</span>', used, text)


def _pick(labels, code):
    """``(text, language)`` from a ``{uz, ru, en}`` dict: ``code`` first, then the others."""
    for candidate in [code, settings.LANGUAGE_CODE, *(c for c, _n in settings.LANGUAGES)]:
        if labels.get(candidate):
            return labels[candidate], candidate
    return "", code


def _plain_number(value):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else value.normalize()


def is_empty(value):
    """No answer: ``0`` is an answer (``0 in (False, …)`` would say otherwise)."""
    return value is None or value is False or value == "" or value == []


def count_words(text):
    return len((text or "").split())


def questions_for(challenge, *, track=None, include_archived=False):
    """The questions an entry of ``challenge`` in ``track`` is asked, in order.

    Two queries whatever the number of questions (the questions, their tracks).
    """
    rows = EntryField.objects.filter(challenge=challenge, stage=FormStage.ENTRY).prefetch_related(
        "tracks"
    )
    if not include_archived:
        rows = rows.filter(archived=False)
    track_id = getattr(track, "pk", track)
    found = []
    for question in rows.order_by("sort_order", "id"):
        limited = {t.pk for t in question.tracks.all()}
        if limited and track_id not in limited:
            continue
        found.append(question)
    return found


def _expected(question, condition_value):
    if question.field_type in (EntryFieldType.SINGLE_CHOICE, EntryFieldType.MULTIPLE_CHOICE):
        return clean_key(condition_value)
    return condition_value.strip().casefold()


def _matches(question, value, condition_value):
    """Whether ``question``'s answer ``value`` is the answer a condition waits for."""
    expected = _expected(question, condition_value)
    if is_empty(value) and question.field_type != EntryFieldType.CONSENT:
        return False
    if question.field_type == EntryFieldType.MULTIPLE_CHOICE:
        return expected in value
    if question.field_type == EntryFieldType.CONSENT:
        return bool(value) == (expected in (YES, "true", "1"))
    return str(value).strip().casefold() == expected


class AnswerForm(BaseForm):
    """The entry form's answers; ``questions`` maps a field name to its question."""

    questions = {}
    submit = False

    def is_asked(self, name, values, seen=()):
        """Whether the question ``name`` is asked given the answers ``values`` (a question
        whose condition depends on one that is not asked is not asked either)."""
        question = self.questions[name]
        parent = question.condition_field
        if not parent:
            return True
        if parent not in self.questions or parent in seen:
            return False
        if not self.is_asked(parent, values, (*seen, name)):
            return False
        return _matches(self.questions[parent], values.get(parent), question.condition_value)

    def clean(self):
        data = super().clean()
        values = dict(data)
        for name in list(self.fields):
            if not self.is_asked(name, values):
                # Not asked: whatever was posted for it is dropped, errors and all.
                data.pop(name, None)
                self.errors.pop(name, None)
                continue
            if not self.submit or name in self.errors:
                continue
            question = self.questions[name]
            value = data.get(name)
            empty = is_empty(value)
            if question.field_type == EntryFieldType.CONSENT and not value:
                self.add_error(name, _("Please tick this box to submit."))
            elif question.required and empty:
                self.add_error(name, _("This answer is needed to submit."))
            elif (
                question.field_type == EntryFieldType.MULTIPLE_CHOICE
                and question.min_choices
                and len(value or []) < question.min_choices
            ):
                self.add_error(
                    name,
                    _("Choose at least %(n)s.") % {"n": question.min_choices},
                )
        return data

    def answers(self):
        """The cleaned answers as JSON values, only those given (a valid form only)."""
        found = {}
        for name, value in self.cleaned_data.items():
            if name not in self.questions or is_empty(value):
                continue
            found[name] = to_json(value)
        return found


def to_json(value):
    if isinstance(value, Decimal):
        value = _plain_number(value)
        return value if isinstance(value, int) else format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    return value


class AnswerFormBuilder(FormBuilder):
    """Wagtail's form builder, with the field types of an entry form.

    ``fields`` are ``EntryField`` rows (file questions are upload slots, not form inputs);
    ``language`` picks the labels; region choices are read once, whatever the questions.
    """

    def __init__(self, fields, *, language_code=None):
        super().__init__([f for f in fields if f.field_type != EntryFieldType.FILE])
        self.language = language_code or language()
        self._regions = None

    # Options every type shares.
    def get_field_options(self, field):
        label, used = field.text("label", self.language)
        help_text, help_used = field.text("help_text", self.language)
        return {
            "label": _marked(label, used, self.language),
            "help_text": _marked(help_text, help_used, self.language) if help_text else "",
            # "Required" is a submit rule (AnswerForm.clean): a draft may be incomplete.
            "required": False,
        }

    def choice_labels(self, field, *, marked=True):
        """``[(key, label)]`` in the form's language; a fallback label carries its ``lang``
        (not in a drop-down: an ``<option>`` holds text only)."""
        found = []
        for key, labels in field.choice_list():
            text, used = _pick(labels, self.language)
            found.append((key, _marked(text, used, self.language) if marked else text))
        return found

    # One method per type (Wagtail looks up create_<type>_field).
    def create_short_text_field(self, field, options):
        options["max_length"] = field.max_length or SHORT_TEXT_DEFAULT
        return forms.CharField(**options)

    def create_long_text_field(self, field, options):
        attrs = {"rows": 6}
        validators = []
        if field.max_words:
            attrs["data-max-words"] = field.max_words
            limit = field.max_words

            def within_words(value):
                if count_words(value) > limit:
                    raise forms.ValidationError(
                        _("Up to %(limit)s words, please (this has %(count)s).")
                        % {"limit": limit, "count": count_words(value)},
                        code="max_words",
                    )

            validators.append(within_words)
        return forms.CharField(
            widget=forms.Textarea(attrs=attrs),
            max_length=field.max_length or LONG_TEXT_CAP,
            validators=validators,
            **options,
        )

    def create_number_field(self, field, options):
        limits = {
            "min_value": _plain_number(field.min_value),
            "max_value": _plain_number(field.max_value),
        }
        if field.integer_only:
            return forms.IntegerField(**limits, **options)
        return forms.DecimalField(max_digits=18, decimal_places=4, **limits, **options)

    def create_single_choice_field(self, field, options):
        if field.widget == ChoiceWidget.DROPDOWN:
            choices = self.choice_labels(field, marked=False)
            return forms.ChoiceField(choices=[("", "—"), *choices], **options)
        choices = self.choice_labels(field)
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **options)

    def create_multiple_choice_field(self, field, options):
        most = field.max_choices

        def within_choices(value):
            if most and len(value) > most:
                raise forms.ValidationError(
                    _("Choose at most %(n)s.") % {"n": most}, code="max_choices"
                )

        return forms.MultipleChoiceField(
            choices=self.choice_labels(field),
            widget=forms.CheckboxSelectMultiple,
            validators=[within_choices],
            **options,
        )

    def create_yes_no_field(self, field, options):
        return forms.ChoiceField(
            choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect, **options
        )

    def create_date_field(self, field, options):
        return forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **options
        )

    def create_url_field(self, field, options):
        return forms.URLField(
            assume_scheme="https",
            max_length=URL_MAX,
            validators=[
                URLValidator(
                    schemes=["http", "https"],
                    message=_("Enter a link that starts with http:// or https://."),
                )
            ],
            widget=forms.URLInput(attrs={"placeholder": "https://"}),
            **options,
        )

    def create_email_field(self, field, options):
        return forms.EmailField(**options)

    def create_phone_field(self, field, options):
        return forms.CharField(
            max_length=32,
            validators=[valid_phone],
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            **options,
        )

    def create_region_field(self, field, options):
        if self._regions is None:
            self._regions = [(r.code, str(r)) for r in Region.objects.order_by("name")]
        return forms.ChoiceField(choices=[("", "—"), *self._regions], **options)

    def create_consent_field(self, field, options):
        return forms.BooleanField(**options)

    @property
    def formfields(self):
        built = super().formfields
        for field in self.fields:
            built[field.clean_name].question = field
        return built

    def get_form_class(self, *, submit=False):
        questions = {f.clean_name: f for f in self.fields}
        return type(
            "EntryAnswerForm",
            (AnswerForm,),
            {**self.formfields, "questions": questions, "submit": submit},
        )


def condition_text(question, questions, code):
    """ "Only if 'Do you have a mentor?' is 'Yes'", in language ``code`` (no-JS forms)."""
    parent = questions.get(question.condition_field)
    if parent is None:
        return ""
    label = parent.text("label", code)[0]
    value = question.condition_value
    if parent.field_type == EntryFieldType.YES_NO:
        value = _("Yes") if _expected(parent, value) == YES else _("No")
    elif parent.field_type in (EntryFieldType.SINGLE_CHOICE, EntryFieldType.MULTIPLE_CHOICE):
        key = _expected(parent, value)
        value = next(
            (_pick(labels, code)[0] for k, labels in parent.choice_list() if k == key), value
        )
    return _("Only if “%(question)s” is “%(answer)s”") % {"question": label, "answer": value}


def build_form(questions, *, data=None, answers=None, submit=False, prefix=None):
    """The one form for ``questions``: bound to ``data`` (a POST) or showing ``answers``."""
    code = language()
    builder = AnswerFormBuilder(questions, language_code=code)
    form_class = builder.get_form_class(submit=submit)
    initial = dict(answers or {})
    form = form_class(data=data, initial=initial, prefix=prefix)
    by_name = form.questions
    for name, field in form.fields.items():
        question = by_name[name]
        field.condition_text = condition_text(question, by_name, code)
        if question.condition_field in by_name:
            field.show_when = {
                "name": form.add_prefix(question.condition_field),
                "value": _expected(by_name[question.condition_field], question.condition_value),
            }
        field.max_words = question.max_words if question.field_type == "long_text" else None
        if question.field_type == EntryFieldType.LONG_TEXT and question.max_length:
            # As core.forms.show_limits says it, keeping a fallback's lang mark-up.
            said = _("Up to %(count)s characters.") % {"count": question.max_length}
            field.help_text = (
                format_html("{} {}", field.help_text, said) if field.help_text else said
            )
        field.required_to_submit = question.required or question.field_type == "consent"
    return form


def as_data(answers):
    """Stored answers as the POST a form would receive (to re-validate them on submit)."""
    data = MultiValueDict()
    for name, value in (answers or {}).items():
        if isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        elif value is True:
            data[name] = "on"
        else:
            data[name] = str(value)
    return data


def submit_problems(questions, answers):
    """What stops these answers from being submitted, each naming its question."""
    form = build_form(questions, data=as_data(answers), submit=True)
    if form.is_valid():
        return []
    code = language()
    found = []
    for name, errors in form.errors.items():
        question = form.questions.get(name)
        label = question.text("label", code)[0] if question else ""
        for error in errors:
            found.append(f"{label}: {error}" if label else str(error))
    return found


def kept_answers(questions, answers):
    """The stored answers a draft keeps: those of questions no longer asked (archived, or
    of another track) stay untouched, so nothing an entry once said is lost."""
    asked = {q.clean_name for q in questions}
    return {k: v for k, v in (answers or {}).items() if k not in asked}


def freeze(questions, answers, *, regions=None):
    """The answers of a version with the labels as asked (a list, in the form's order).

    ``questions`` includes archived ones: an answer given before a question was archived
    is still part of the entry. ``regions`` (``{code: Region}``) spares a query per call.
    """
    frozen = []
    for question in questions:
        if question.field_type == EntryFieldType.FILE or question.clean_name not in answers:
            continue
        value = answers[question.clean_name]
        item = {
            "key": question.clean_name,
            "type": question.field_type,
            "labels": question.labels(),
            "value": value,
            "visibility": question.visibility,
            "hide_in_blind": question.hide_in_blind,
        }
        if question.field_type in (EntryFieldType.SINGLE_CHOICE, EntryFieldType.MULTIPLE_CHOICE):
            chosen = set(value if isinstance(value, list) else [value])
            item["choices"] = {k: labels for k, labels in question.choice_list() if k in chosen}
        elif question.field_type == EntryFieldType.REGION:
            if regions is None:
                regions = {r.code: r for r in Region.objects.all()}
            region = regions.get(value)
            if region is not None:
                item["choices"] = {
                    value: {"uz": region.name, "ru": region.name_ru, "en": region.name_en}
                }
        frozen.append(item)
    return frozen


def _display(item, code):
    value, kind = item["value"], item["type"]
    if kind in (
        EntryFieldType.SINGLE_CHOICE,
        EntryFieldType.MULTIPLE_CHOICE,
        EntryFieldType.REGION,
    ):
        choices = item.get("choices", {})
        keys = value if isinstance(value, list) else [value]
        return ", ".join(_pick(choices.get(k, {}), code)[0] or k for k in keys)
    if kind == EntryFieldType.YES_NO:
        return _("Yes") if value == YES else _("No")
    if kind == EntryFieldType.CONSENT:
        return _("Yes") if value else _("No")
    return str(value)


def shown(frozen, *, audience, blind=False, language_code=None):
    """The frozen answers ``audience`` ("staff", "jurors", "team", "public") may read, as
    ``[{key, type, label, label_lang, text, value, is_link}]``; in a blind round the answers
    marked hidden in blind rounds are left out."""
    code = language_code or language()
    allowed = AUDIENCES[audience]
    found = []
    for item in frozen or []:
        if item.get("visibility", AnswerVisibility.JURORS) not in allowed:
            continue
        if blind and item.get("hide_in_blind"):
            continue
        label, used = _pick(item.get("labels", {}), code)
        found.append(
            {
                "key": item["key"],
                "type": item["type"],
                "label": label or item["key"],
                "label_lang": used,
                "fallback": used != code,
                "text": _display(item, code),
                "value": item["value"],
                "is_link": item["type"] == EntryFieldType.URL
                and re.match(r"^https?://", str(item["value"])) is not None,
            }
        )
    return found
