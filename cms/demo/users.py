"""Demo accounts printed by `make run`. Local demo only: never load into production."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

DEMO_PASSWORD = "tanlov-demo-2026"  # noqa: S105 -- documented demo credential

DEMO_USERS = [
    # username, e-mail, role shown to the developer, first, last, groups, is_superuser
    ("admin", "admin@tanlov.local", "superuser", "Dilshod", "Karimov", [], True),
    ("editor", "editor@tanlov.local", "staff editor", "Malika", "Yusupova", ["Editors"], False),
    ("moderator", "moderator@tanlov.local", "moderator", "Rustam", "Aliyev", ["Moderators"], False),
    ("juror", "juror@tanlov.local", "juror", "Nodira", "Rahimova", [], False),
    ("participant", "participant@tanlov.local", "participant", "Aziz", "Tursunov", [], False),
]


def ensure_users():
    """Create the demo accounts (idempotent) and return ``[(role, username, email)]``."""
    User = get_user_model()
    printed = []
    for username, email, role, first, last, groups, superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": email, "first_name": first, "last_name": last},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_superuser = superuser
        user.is_staff = superuser or bool(groups)
        user.save()
        for name in groups:
            group = Group.objects.filter(name=name).first()
            if group is not None:
                user.groups.add(group)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        printed.append((role, username, email))
    return printed
