"""Recording notifications. (The notifications issue replaces this with the outbox.)"""


def notify(*, event, recipients, context=None, obj=None, by=None, email=None):
    """Record ``event`` for each user in ``recipients`` inside the caller's transaction.

    ``context`` holds JSON-serialisable values for the message templates; ``obj`` is the
    domain object the event is about (for links and de-duplication); ``email`` addresses a
    person who has no account yet (team invitations). Delivery happens after commit.
    Returns the recorded events.
    """
    return []
