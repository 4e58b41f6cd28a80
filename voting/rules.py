"""Who may do what in a people's choice vote (the `rules` package).

Anyone may see an open gallery; voting needs a verified account (checked by the service,
which says why). The team's lead decides whether its entry is in the gallery; the
challenge's staff configure the vote, review held-back votes and publish the results (the
staff area opens to staff and lists only the challenges they manage).
"""

import rules

from challenges.rules import is_challenge_manager
from submissions.rules import is_entry_member


@rules.predicate
def manages_vote_challenge(user, peoples_choice):
    return peoples_choice is not None and is_challenge_manager(user, peoples_choice.challenge)


@rules.predicate
def leads_entry(user, submission):
    """The lead of the entry's team, or the owner of an individual entry."""
    from .services.votes import may_consent

    return submission is not None and may_consent(user, submission)


rules.add_perm("voting.open_staff_area", rules.is_active & rules.is_staff)
rules.add_perm("voting.manage_vote", manages_vote_challenge)
rules.add_perm("voting.see_consent", is_entry_member)
rules.add_perm("voting.give_consent", leads_entry)
