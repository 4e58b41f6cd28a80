"""Editorial pages. Operational data (deadlines, weights …) lives in the domain apps.

Translation is done with wagtail-localize: each page exists once per locale (uz is the
source), and non-text fields such as the Challenge a page presents or its hero image are
synchronised from the source, so operational facts are never typed in three times.
"""

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from core.i18n import localized

from .blocks import BaseStreamBlock, ChallengeStreamBlock, ResultsStreamBlock

CHALLENGES_PER_PAGE = 12


def image_field(verbose_name):
    """An optional image a page shows on top and in link previews."""
    return models.ForeignKey(
        get_image_model_string(),
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def body_field(block):
    """A page's free content, made of ``block``'s stream blocks."""
    return StreamField(block(), blank=True, use_json_field=True, verbose_name=_("body"))


class SeoMixin:
    """What <head> needs for search engines and link previews (see base.html)."""

    def meta_description(self):
        return self.search_description or getattr(self, "intro", "") or ""

    def og_image(self):
        return getattr(self, "hero_image", None)

    def alternates(self):
        """This page in every language it is published in (for hreflang links)."""
        return self.get_translations(inclusive=True).live().select_related("locale")

    def get_sitemap_urls(self, request=None):
        # sitemap.xml walks the tree of one language; list every translation from there so
        # that search engines find the ru and en pages too.
        urls = []
        for translation in self.alternates().public():
            urls.extend(Page.get_sitemap_urls(translation, request))
        return urls


class HomePage(SeoMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = body_field(BaseStreamBlock)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from .selectors import challenge_cards, latest_results  # selectors import these models

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        cards = challenge_cards(locale=self.locale, when=now)
        context["featured"] = [c for c in cards if c.status == "open"][:3]
        context["deadlines"] = sorted(
            (c for c in cards if c.next_deadline is not None),
            key=lambda c: c.next_deadline,
        )[:5]
        context["results"] = latest_results(locale=self.locale, limit=3)
        context["challenge_index"] = (
            ChallengeIndexPage.objects.live().filter(locale=self.locale).first()
        )
        return context


class StandardPage(SeoMixin, Page):
    """About, rules, privacy and other plain pages."""

    intro = models.TextField(_("introduction"), blank=True)
    body = body_field(BaseStreamBlock)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["cms.HomePage", "cms.StandardPage", "cms.ChallengePage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class ChallengeIndexPage(SeoMixin, Page):
    """Every challenge, filterable by status, kind, track, region and words (no JS)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ChallengePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("challenge index page")

    def get_context(self, request, *args, **kwargs):
        from .filters import ChallengePageFilter
        from .selectors import cards_for

        context = super().get_context(request, *args, **kwargs)
        pages = ChallengePage.objects.live().public().filter(locale=self.locale)
        filterset = ChallengePageFilter(request.GET or None, queryset=pages, request=request)
        cards = cards_for(filterset.qs, when=timezone.now())
        page_obj = Paginator(cards, CHALLENGES_PER_PAGE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=filterset,
            page_obj=page_obj,
            cards=page_obj.object_list,
            querystring=query.urlencode(),
        )
        return context


class ChallengePage(SeoMixin, Page):
    """Presents one Challenge: the words per language, the facts from the Challenge."""

    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("challenge"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    intro = models.TextField(
        _("summary"), help_text=_("One or two sentences shown in listings and link previews.")
    )
    hero_image = image_field(_("hero image"))
    body = body_field(ChallengeStreamBlock)

    content_panels = [
        *Page.content_panels,
        FieldPanel("challenge"),
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("challenge"),
    ]
    parent_page_types = ["cms.ChallengeIndexPage"]
    subpage_types = ["cms.ResultsPage", "cms.StandardPage"]
    # Every language presents the same Challenge: copied from the source page, and not
    # offered in the translation editor, which could only show it as a bare id
    # ("Challenge: 4") and would let a translation point to another challenge.
    override_translatable_fields = [SynchronizedField("challenge", overridable=False)]
    # Wagtail's page API (cms/api.py): the summary, and the slug that names the challenge
    # in the JSON API (/api/v1/challenges/<slug>, docs/api.md).
    api_fields = [APIField("intro"), APIField("challenge_slug")]

    class Meta:
        verbose_name = _("challenge page")

    @property
    def challenge_slug(self):
        return self.challenge.slug

    @cached_property
    def loaded_challenge(self):
        from .selectors import challenge_for_page

        return challenge_for_page(self.challenge_id)

    def get_context(self, request, *args, **kwargs):
        from .selectors import challenge_facts, personal_standing

        context = super().get_context(request, *args, **kwargs)
        context.update(challenge_facts(self, self.loaded_challenge, when=timezone.now()))
        context.update(personal_standing(request.user, context["challenge"], context["cta"]))
        return context


class NewsIndexPage(SeoMixin, Page):
    """Results and announcements, newest first."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ResultsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = (
            ResultsPage.objects.live().public().filter(locale=self.locale).order_by("-date", "-pk")
        )
        context["page_obj"] = Paginator(items, 10).get_page(request.GET.get("page"))
        return context


class ResultsPage(SeoMixin, Page):
    """An announcement, usually the results of a challenge. When ``challenge`` is set and
    rankings are published by the jury, the ``rankings`` block shows them."""

    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.TextField(_("summary"), blank=True)
    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("challenge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The challenge these results belong to, if any."),
    )
    hero_image = image_field(_("image"))
    body = body_field(ResultsStreamBlock)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("challenge")]),
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms.NewsIndexPage", "cms.ChallengePage"]
    subpage_types = []
    # The same Challenge in every language, not offered in the editor (see ChallengePage).
    override_translatable_fields = [SynchronizedField("challenge", overridable=False)]

    class Meta:
        verbose_name = _("results / news page")


class StoriesIndexPage(SeoMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.SuccessStoryPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("success stories index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = (
            SuccessStoryPage.objects.live()
            .public()
            .filter(locale=self.locale)
            .order_by("-first_published_at")
        )
        context["page_obj"] = Paginator(stories, 10).get_page(request.GET.get("page"))
        return context


class SuccessStoryPage(SeoMixin, Page):
    """What became of a winning project; the KPIs are shown as large figures."""

    intro = models.TextField(_("summary"), blank=True)
    hero_image = image_field(_("hero image"))
    body = body_field(BaseStreamBlock)
    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    jobs_created = models.PositiveIntegerField(_("jobs created"), null=True, blank=True)
    regions_covered = models.PositiveSmallIntegerField(_("regions covered"), null=True, blank=True)
    funding_usd = models.PositiveIntegerField(_("funding raised (USD)"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("people_reached"), FieldPanel("jobs_created")]),
                FieldRowPanel([FieldPanel("regions_covered"), FieldPanel("funding_usd")]),
            ],
            heading=_("Key figures"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms.StoriesIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("success story")

    def figures(self):
        """The key figures that are filled in, as ``(value, label)``."""
        pairs = [
            (self.people_reached, _("people reached")),
            (self.jobs_created, _("jobs created")),
            (self.regions_covered, _("regions covered")),
            (self.funding_usd, _("USD raised")),
        ]
        return [(value, label) for value, label in pairs if value is not None]


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Contacts, social links and the footer, edited under Settings in the admin."""

    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    address_ru = models.CharField(_("address (ru)"), max_length=250, blank=True)
    address_en = models.CharField(_("address (en)"), max_length=250, blank=True)
    footer_text = models.CharField(_("footer text"), max_length=250, blank=True)
    footer_text_ru = models.CharField(_("footer text (ru)"), max_length=250, blank=True)
    footer_text_en = models.CharField(_("footer text (en)"), max_length=250, blank=True)
    telegram_url = models.URLField(_("Telegram"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("phone"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("address_ru"), FieldPanel("address_en")]),
            ],
            heading=_("Contacts"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("footer_text"),
                FieldRowPanel([FieldPanel("footer_text_ru"), FieldPanel("footer_text_en")]),
            ],
            heading=_("Footer"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("telegram_url"),
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("youtube_url"),
                FieldPanel("linkedin_url"),
            ],
            heading=_("Social links"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")

    @property
    def display_address(self):
        return localized(self, "address")

    @property
    def display_footer_text(self):
        return localized(self, "footer_text")

    def social_links(self):
        pairs = [
            ("Telegram", self.telegram_url),
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("YouTube", self.youtube_url),
            ("LinkedIn", self.linkedin_url),
        ]
        return [(name, url) for name, url in pairs if url]
