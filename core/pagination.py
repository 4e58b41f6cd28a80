"""One way to cut a staff list into pages: ``paginate(request, items)`` and the include
``includes/pagination.html``.

The page and its size come from the query string (``page``, ``size``); every other
parameter (filters, sort, the list shown) is kept in the links, so moving between pages or
changing the size never loses them. A page past the end shows the last page (Django's
``Paginator.get_page``); a size that is not one of ``SIZES`` falls back to the default.
The largest size is the cap of a page: the full set is what "export" is for.

Only the page's rows are fetched: ``items`` may be a queryset (``COUNT`` + one ``LIMIT``
query) or a list already in memory (the ranking, which needs every review to be computed).
"""

from dataclasses import dataclass

import django_filters
from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy as _

#: The page sizes staff may choose; the last is the most one page shows.
SIZES = (50, 100, 250, 1000)
DEFAULT_SIZE = 100
PAGE = "page"
SIZE = "size"


@dataclass(frozen=True)
class SizeChoice:
    size: int
    url: str
    current: bool


@dataclass(frozen=True)
class Listing:
    """A page of a list and the links around it (for the include)."""

    page: Page
    size: int
    default: int
    sizes: tuple
    first_url: str
    previous_url: str
    next_url: str
    last_url: str
    label: str

    @property
    def rows(self):
        return self.page.object_list

    @property
    def count(self):
        return self.page.paginator.count

    def __iter__(self):
        return iter(self.page.object_list)


def chosen_size(request, *, sizes=SIZES, default=DEFAULT_SIZE):
    """The page size asked for in the query string, if it is one of ``sizes``."""
    raw = request.GET.get(SIZE, "")
    return int(raw) if raw.isdigit() and int(raw) in sizes else default


def paginate(request, items, *, sizes=SIZES, default=DEFAULT_SIZE, label=None, fragment=""):
    """The page of ``items`` the request asks for, as a :class:`Listing`.

    ``label`` names the list for assistive technology ("Pages of the ranking");
    ``fragment`` (an element id) ends every link, for a list low on its page.
    """

    def _url(query, **changes):
        query = query.copy()
        for key, value in changes.items():
            query[key] = str(value)
        return "?" + query.urlencode() + (f"#{fragment}" if fragment else "")

    size = chosen_size(request, sizes=sizes, default=default)
    page = Paginator(items, size).get_page(request.GET.get(PAGE))
    query = request.GET.copy()
    query.pop(PAGE, None)
    if size == default:
        query.pop(SIZE, None)
    else:
        query[SIZE] = str(size)
    last = page.paginator.num_pages
    unsized = query.copy()
    unsized.pop(SIZE, None)
    return Listing(
        page=page,
        size=size,
        default=default,
        sizes=tuple(
            SizeChoice(
                size=s,
                # A new size starts again at the first page: the old page number would
                # point at other rows.
                url=_url(unsized, **({SIZE: s} if s != default else {})),
                current=s == size,
            )
            for s in sizes
        ),
        first_url=_url(query, **{PAGE: 1}),
        previous_url=_url(query, **{PAGE: page.previous_page_number()})
        if page.has_previous()
        else "",
        next_url=_url(query, **{PAGE: page.next_page_number()}) if page.has_next() else "",
        last_url=_url(query, **{PAGE: last}),
        label=str(label or _("Pages")),
    )


class StableOrderingFilter(django_filters.OrderingFilter):
    """django-filter's sort, ended by the primary key: rows that tie on the chosen column
    keep one order, so no row shows on two pages or on none."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            descending = any(str(v).startswith("-") for v in value)
            qs = qs.order_by(*qs.query.order_by, "-pk" if descending else "pk")
        return qs
