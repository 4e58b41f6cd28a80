from django import forms
from django.utils.translation import gettext_lazy as _

#: The languages a report is written in, named in their own language.
REPORT_LANGUAGES = (("uz", "Oʻzbekcha"), ("ru", "Русский"), ("en", "English"))


class ReportForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the report"), choices=REPORT_LANGUAGES)
