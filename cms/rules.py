"""Who may do what with the website's pages (the `rules` package).

Wagtail keeps its own page permissions (the Editors and Moderators groups, granted on the
page tree); the rules here ask Wagtail rather than copying its tree logic, so a page
permission changed in Wagtail's group settings changes these answers too.
"""

import rules
from django.utils.translation import gettext_lazy as _

from core.access import explain


@rules.predicate
def may_edit_page(user, page):
    return page is not None and page.permissions_for_user(user).can_edit()


# Anyone who may edit a translated page may send it to the moderators; publishing stays
# with Wagtail's publish permission and the workflow's approval.
rules.add_perm("cms.submit_translation", rules.is_active & may_edit_page)
explain(
    "cms.submit_translation",
    _("Only editors of this page may submit its translation for moderation."),
)
