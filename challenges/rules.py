"""Permission predicates about challenges (the `rules` package)."""

import rules


@rules.predicate
def is_challenge_manager(user, challenge):
    if challenge is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return challenge.managers.filter(pk=user.pk).exists()


rules.add_perm("challenges.manage_challenge", is_challenge_manager)
