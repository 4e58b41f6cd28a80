"""Who may write broadcasts (the `rules` package): the staff of the broadcast's challenge.

The staff area opens to staff and lists only the challenges they manage; a broadcast of
another challenge answers 404 (``core.access.obtain``).
"""

import rules

from challenges.rules import is_challenge_manager


@rules.predicate
def manages_broadcast_challenge(user, broadcast):
    return broadcast is not None and is_challenge_manager(user, broadcast.challenge)


rules.add_perm("broadcasts.open_staff_area", rules.is_active & rules.is_staff)
rules.add_perm("broadcasts.manage_broadcast", manages_broadcast_challenge)
