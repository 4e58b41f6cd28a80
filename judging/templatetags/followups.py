"""``{% load followups %}{% open_followups submission as rounds %}`` for the entry page.

A template tag, not an import: the entry page (submissions) must not import judging, and
this keeps the dependency pointing from judging to submissions.
"""

from django import template

from ..selectors import open_followups as _open_followups

register = template.Library()


@register.simple_tag
def open_followups(submission):
    """The rounds that ask ``submission`` for a follow-up (asked, deadline set, in scope)."""
    return _open_followups(submission)
