"""Judging services: one function per verb (see rounds, jurors, assignments, reviews, exports).

Each service begins by asking the one access layer (``core.access.require``) whether the
person may do it: ``challenges.manage_challenge`` for staff work on a round, its jurors and
assignments; ``judging.score_review`` for a juror's own review.
"""

from core.errors import Refused


class JudgingError(Refused):
    """A rule of judging was broken; the message is translated and meant for the user."""

    default_code = "judging_refused"
