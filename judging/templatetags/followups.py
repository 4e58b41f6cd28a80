"""``{% load followups %}{% open_followups submission as rounds %}`` for the entry page.

A template tag, not an import: the entry page (submissions) must not import judging, and
this keeps the dependency pointing from judging to submissions.
"""

from django import template

from ..selectors import open_followups as _open_followups
from ..selectors import released_feedback as _released_feedback

register = template.Library()


@register.simple_tag
def open_followups(submission):
    """The rounds that ask ``submission`` for a follow-up (asked, deadline set, in scope)."""
    return _open_followups(submission)


@register.simple_tag
def released_feedback(submission):
    """The rounds whose jury feedback on ``submission`` is released (the feedback page)."""
    return _released_feedback(submission)
