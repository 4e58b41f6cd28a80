"""core/pagination: the one way staff lists are cut into pages."""

from urllib.parse import parse_qs, urlsplit

from django.test import RequestFactory

from core.pagination import DEFAULT_SIZE, SIZES, paginate

ROWS = list(range(1, 1001))  # 1,000 rows


def _listing(**query):
    return paginate(RequestFactory().get("/list/", query), ROWS)


def _params(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_the_first_page_has_the_default_size():
    listing = _listing()
    assert listing.size == DEFAULT_SIZE
    assert list(listing) == ROWS[:DEFAULT_SIZE]
    assert (listing.count, listing.page.paginator.num_pages) == (1000, 1000 // DEFAULT_SIZE)


def test_staff_choose_the_page_size():
    listing = _listing(size="250", page="2")
    assert list(listing) == ROWS[250:500]
    assert [c.size for c in listing.sizes if c.current] == [250]


def test_a_size_not_offered_falls_back_to_the_default():
    for wrong in ("7", "100000", "abc", "-50", ""):
        listing = _listing(size=wrong)
        assert listing.size == DEFAULT_SIZE
        assert len(listing.rows) == DEFAULT_SIZE


def test_the_largest_size_is_the_cap_of_a_page():
    listing = paginate(RequestFactory().get("/", {"size": str(max(SIZES))}), list(range(5000)))
    assert len(listing.rows) == max(SIZES)


def test_the_last_page_holds_the_rest_and_a_page_past_the_end_shows_it():
    rows = list(range(1, 231))  # 230 rows: pages of 100, 100, 30
    last = paginate(RequestFactory().get("/", {"page": "3"}), rows)
    assert list(last) == rows[200:]
    assert last.next_url == ""
    assert (last.page.start_index(), last.page.end_index()) == (201, 230)
    for beyond in ("4", "999"):
        assert paginate(RequestFactory().get("/", {"page": beyond}), rows).page.number == 3
    # Not a page number at all: the first page.
    for wrong in ("x", "last", ""):
        assert paginate(RequestFactory().get("/", {"page": wrong}), rows).page.number == 1


def test_links_keep_the_filters_and_the_sort_and_the_size():
    listing = _listing(status="eligible", sort="-title", size="50", page="3")
    for url in (listing.next_url, listing.previous_url, listing.first_url, listing.last_url):
        params = _params(url)
        assert (params["status"], params["sort"], params["size"]) == ("eligible", "-title", "50")
    assert _params(listing.next_url)["page"] == "4"
    assert _params(listing.previous_url)["page"] == "2"
    assert _params(listing.last_url)["page"] == "20"


def test_choosing_a_size_keeps_the_filters_and_starts_at_the_first_page():
    listing = _listing(status="eligible", sort="title", page="3")
    by_size = {c.size: _params(c.url) for c in listing.sizes}
    assert by_size[250] == {"status": "eligible", "sort": "title", "size": "250"}
    # The default size needs no parameter.
    assert by_size[DEFAULT_SIZE] == {"status": "eligible", "sort": "title"}


def test_an_empty_list_is_one_empty_page():
    listing = paginate(RequestFactory().get("/", {"page": "5"}), [])
    assert (listing.count, list(listing), listing.next_url, listing.previous_url) == (0, [], "", "")


def test_a_fragment_ends_every_link():
    listing = paginate(RequestFactory().get("/", {"page": "2"}), ROWS, fragment="ranking")
    assert listing.next_url.endswith("#ranking")
    assert all(c.url.endswith("#ranking") for c in listing.sizes)
