"""Who may do what with reports (the `rules` package): a partners' report belongs to the
staff who manage its challenge, like the challenge's dashboard."""

import rules

from challenges.rules import is_challenge_manager


@rules.predicate
def manages_report_challenge(user, job):
    return job is not None and is_challenge_manager(user, job.challenge)


rules.add_perm("reporting.manage_report", manages_report_challenge)
