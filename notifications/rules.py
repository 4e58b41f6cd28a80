"""Who may do what with notifications (the `rules` package).

A person's own notifications are theirs alone (their list is scoped by recipient); the
dead-letter queue of failed deliveries is for superusers and for staff given Django's
"change delivery" permission in the admin.
"""

import rules

from .events import PRIVATE


@rules.predicate
def may_change_deliveries(user):
    return user.has_perm("notifications.change_delivery")


@rules.predicate
def is_recipient(user, notification):
    # A private event (a one-time code) is no inbox item, not even its recipient's.
    return (
        notification is not None
        and notification.recipient_id == user.pk
        and notification.event not in PRIVATE
    )


rules.add_perm("notifications.read_notification", rules.is_authenticated & is_recipient)
rules.add_perm(
    "notifications.resend_delivery",
    rules.is_active & (rules.is_superuser | may_change_deliveries),
)
