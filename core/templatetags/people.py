"""``{{ user|person }}``: how a page names someone — "anonymised" once they were erased."""

from django import template

from core.personal_data import display_name

register = template.Library()


@register.filter
def person(user):
    return display_name(user)
