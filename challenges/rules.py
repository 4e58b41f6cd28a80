"""Permission predicates about challenges (the `rules` package).

``is_challenge_manager`` is the shared predicate every app composes ("is staff of this
object's challenge"); it asks the same scope the staff lists use
(:func:`challenges.selectors.managed_by`), so a list and an object page always agree.
"""

import rules

from .selectors import managed_by


@rules.predicate
def is_challenge_manager(user, challenge):
    if challenge is None or not user.is_authenticated:
        return False
    return managed_by(user).filter(pk=challenge.pk).exists()


@rules.predicate
def manages_some_challenge(user):
    """Staff of at least one challenge (the judging and results pages of the admin)."""
    return user.is_authenticated and managed_by(user).exists()


rules.add_perm("challenges.manage_challenge", is_challenge_manager)
rules.add_perm("challenges.open_staff_area", manages_some_challenge)
