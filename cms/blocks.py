"""StreamField blocks shared by the site's pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    size = blocks.ChoiceBlock(
        label=_("Size"),
        choices=[("h2", "H2"), ("h3", "H3"), ("h4", "H4")],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "cms/blocks/heading.html"
        preview_value = {"text": "Heading", "size": "h2"}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)
    alt_text = blocks.CharBlock(label=_("Alternative text"), max_length=250)

    class Meta:
        icon = "image"
        template = "cms/blocks/image.html"


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        icon="pilcrow",
        features=["bold", "italic", "link", "ol", "ul", "h3", "h4"],
        template="cms/blocks/paragraph.html",
    )
    image = ImageBlock()


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=250)
    answer = blocks.RichTextBlock(label=_("Answer"), features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "help"


class FAQBlock(blocks.StructBlock):
    """Questions and answers as an accordion built on <details>: works without JavaScript."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=150, required=False)
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"))

    class Meta:
        icon = "help"
        label = _("FAQ")
        template = "cms/blocks/faq.html"
        preview_value = {
            "heading": "FAQ",
            "questions": [{"question": "Who can take part?", "answer": "<p>Anyone.</p>"}],
        }


class PartnerBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=150)
    url = blocks.URLBlock(label=_("Website"), required=False)
    logo = ImageChooserBlock(label=_("Logo"), required=False)


class PartnersBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=150, required=False)
    partners = blocks.ListBlock(PartnerBlock(), label=_("Partners"))

    class Meta:
        icon = "group"
        label = _("Partners")
        template = "cms/blocks/partners.html"


def _challenge_block(name, label, admin_text):
    """A block whose content comes from the page's Challenge (phases, prizes, rules)."""
    return blocks.StaticBlock(
        label=label,
        admin_text=admin_text,
        icon="date" if name == "timeline" else "list-ul",
        template=f"cms/blocks/challenge_{name}.html",
    )


class ChallengeStreamBlock(BaseStreamBlock):
    """What a challenge page is made of. Timeline, prizes and eligibility are drawn from
    the Challenge itself, so a date changed once shows up in every language."""

    timeline = _challenge_block(
        "timeline", _("Timeline"), _("The timeline, built from the challenge's phases.")
    )
    prizes = _challenge_block("prizes", _("Prizes"), _("The prizes set on the challenge."))
    eligibility = _challenge_block(
        "eligibility", _("Who may take part"), _("The eligibility rules, in plain words.")
    )
    call_to_action = _challenge_block(
        "cta", _("Call to action"), _("The button that follows the phase (register, submit …).")
    )
    faq = FAQBlock()
    partners = PartnersBlock()


class ResultsStreamBlock(BaseStreamBlock):
    """Announcements; the ``rankings`` block shows the published ranking of the page's
    challenge (rendered by the judging app's ``judging/includes/public_results.html``)."""

    rankings = blocks.StaticBlock(
        label=_("Published rankings"),
        admin_text=_("The ranking the jury published for this page's challenge."),
        icon="list-ol",
        template="cms/blocks/rankings.html",
    )
    partners = PartnersBlock()
