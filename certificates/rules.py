"""Who may do what with certificates (the `rules` package).

A certificate belongs to its recipient and to the staff who manage its challenge; a batch
(one issuing run) to those staff only. The staff area of the Wagtail admin is open to
staff accounts; what it lists is scoped by ``certificates.selectors`` (the same
``managed_by`` scope the predicates below ask).
"""

import rules

from challenges.rules import is_challenge_manager


@rules.predicate
def is_recipient(user, certificate):
    return (
        certificate is not None
        and user.is_authenticated
        and certificate.recipient_id is not None
        and certificate.recipient_id == user.pk
    )


@rules.predicate
def manages_certificate_challenge(user, certificate):
    """For a certificate or an issuing batch: staff of its challenge."""
    return certificate is not None and is_challenge_manager(user, certificate.challenge)


@rules.predicate
def may_add_templates(user):
    """Wagtail opens the certificate-template snippets to whoever may add one (a Django
    model permission; superusers have every one)."""
    return user.has_perm("certificates.add_certificatetemplate")


rules.add_perm("certificates.open_staff_area", rules.is_active & rules.is_staff)
rules.add_perm("certificates.edit_templates", rules.is_active & may_add_templates)
rules.add_perm("certificates.download_certificate", is_recipient | manages_certificate_challenge)
rules.add_perm("certificates.manage_certificate", manages_certificate_challenge)
rules.add_perm("certificates.manage_batch", manages_certificate_challenge)
