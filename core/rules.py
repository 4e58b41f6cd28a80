"""Who may open the two administration sites (the `rules` package).

Wagtail's admin keeps Wagtail's own permission ("Can access Wagtail admin", given to the
editors', moderators' and managers' groups); Django's admin is for superusers only.
"""

import rules


@rules.predicate
def may_access_wagtail_admin(user):
    return user.has_perm("wagtailadmin.access_admin")


rules.add_perm("core.open_wagtail_admin", rules.is_active & may_access_wagtail_admin)
rules.add_perm("core.open_django_admin", rules.is_active & rules.is_superuser)

# A person's data (core.personal_data): staff exports and staff-mediated erasure (a minor's
# guardian asking, say) are for superusers — the platform's data-protection role — only.
rules.add_perm("core.manage_personal_data", rules.is_active & rules.is_superuser)
