"""Logos and signatures for the demo certificates, drawn here with Pillow (nothing borrowed).

The programme "Tanlov" (a spark in a ring), two invented partners — "Kodlab" (a hexagon
with brackets) and "Yashil Vodiy" (a leaf over hills) — and a handwritten-looking stroke
per signatory, derived from the name so that every signature differs. Stored as Wagtail
images (the default storage: S3 in production), found again by title, so loading the demo
twice draws nothing twice. Small JPEGs on white: a few kilobytes each.
"""

import io
import math
import random

from django.contrib.staticfiles import finders
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection

BLUE = (11, 92, 171, 255)
GOLD = (201, 162, 39, 255)
GREEN = (30, 122, 70, 255)
TEAL = (0, 118, 128, 255)
INK = (29, 47, 111, 255)
SCALE = 3  # drawn three times larger, then reduced: smooth edges without a vector format


def _font(size, *, bold=True):
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(finders.find(f"certificates/fonts/{name}"), size * SCALE)


def _canvas(width, height):
    from PIL import Image, ImageDraw

    canvas = Image.new("RGBA", (width * SCALE, height * SCALE), (0, 0, 0, 0))
    return canvas, ImageDraw.Draw(canvas)


def _finish(canvas):
    """The drawing reduced to size, on white, as JPEG.

    The certificate prints these on white, and WeasyPrint embeds a JPEG as it is, while it
    re-encodes a PNG (and its alpha channel) for every document: JPEG keeps issuing fast.
    """
    from PIL import Image

    width, height = canvas.size
    small = canvas.resize((width // SCALE, height // SCALE), Image.Resampling.LANCZOS)
    flat = Image.new("RGB", small.size, (255, 255, 255))
    flat.paste(small, mask=small.getchannel("A"))
    buffer = io.BytesIO()
    flat.save(buffer, format="JPEG", quality=85, subsampling=0, optimize=True)
    return buffer.getvalue()


def _star(cx, cy, outer, inner, points=8, turn=0.0):
    return [
        (
            cx + (outer if i % 2 == 0 else inner) * math.cos(turn + math.pi * i / points),
            cy + (outer if i % 2 == 0 else inner) * math.sin(turn + math.pi * i / points),
        )
        for i in range(points * 2)
    ]


def tanlov_logo():
    canvas, draw = _canvas(420, 140)
    s = SCALE
    draw.ellipse([8 * s, 8 * s, 132 * s, 132 * s], outline=BLUE, width=9 * s)
    draw.polygon(_star(70 * s, 70 * s, 44 * s, 16 * s, turn=-math.pi / 2), fill=GOLD)
    draw.text((150 * s, 30 * s), "TANLOV", font=_font(58), fill=BLUE)
    draw.rectangle([152 * s, 104 * s, 404 * s, 110 * s], fill=GOLD)
    return _finish(canvas)


def kodlab_logo():
    canvas, draw = _canvas(360, 120)
    s = SCALE
    hexagon = [
        (60 * s + 50 * s * math.cos(math.pi / 3 * i), 60 * s + 50 * s * math.sin(math.pi / 3 * i))
        for i in range(6)
    ]
    draw.polygon(hexagon, fill=TEAL)
    white = (255, 255, 255, 255)
    draw.line([(50 * s, 40 * s), (32 * s, 60 * s), (50 * s, 80 * s)], fill=white, width=7 * s)
    draw.line([(70 * s, 40 * s), (88 * s, 60 * s), (70 * s, 80 * s)], fill=white, width=7 * s)
    draw.text((124 * s, 30 * s), "KODLAB", font=_font(48), fill=TEAL)
    return _finish(canvas)


def yashil_vodiy_logo():
    canvas, draw = _canvas(420, 120)
    s = SCALE
    draw.pieslice([0, 64 * s, 110 * s, 150 * s], 180, 360, fill=(120, 170, 60, 255))
    draw.pieslice([44 * s, 74 * s, 152 * s, 150 * s], 180, 360, fill=GREEN)
    # A leaf: two arcs meeting at the tips, tilted.
    leaf = []
    for i in range(21):
        t = i / 20
        leaf.append((t, 0.28 * math.sin(math.pi * t)))
    leaf += [(t, -w) for t, w in reversed(leaf)]
    tilt = -math.pi / 4
    leaf = [
        (
            74 * s + 56 * s * (t * math.cos(tilt) - w * math.sin(tilt)) - 20 * s,
            62 * s + 56 * s * (t * math.sin(tilt) + w * math.cos(tilt)) - 6 * s,
        )
        for t, w in leaf
    ]
    draw.polygon(leaf, fill=GREEN)
    draw.text((162 * s, 22 * s), "YASHIL", font=_font(34), fill=GREEN)
    draw.text((162 * s, 62 * s), "VODIY", font=_font(34, bold=False), fill=GREEN)
    return _finish(canvas)


def signature(name):
    """A looping pen stroke, the same for the same name, different for another."""
    rng = random.Random(name)  # noqa: S311 -- artwork, not security
    canvas, draw = _canvas(360, 120)
    s = SCALE
    loops = rng.randint(4, 7)
    phase = rng.uniform(0, math.pi)
    height = rng.uniform(22, 34)
    steps = 400
    points = []
    for i in range(steps + 1):
        t = i / steps
        swell = 0.55 + 0.45 * math.sin(3 * math.pi * t + phase)
        x = 20 + 300 * t + 20 * math.sin(2 * math.pi * loops * t + phase)
        y = 64 - height * swell * math.sin(2 * math.pi * loops * t) * (1.4 - t) - 16 * t
        points.append((x * s, y * s))
    draw.line(points, fill=INK, width=3 * s, joint="curve")
    # The underline flourish.
    draw.line(
        [(40 * s, 98 * s), (180 * s, 92 * s), (330 * s, 86 * s)],
        fill=INK,
        width=2 * s,
        joint="curve",
    )
    return _finish(canvas)


LOGOS = [
    # title, drawing, file name, alternative text per language
    (
        "Demo certificate logo: Tanlov",
        tanlov_logo,
        "demo-logo-tanlov.jpg",
        {
            "uz": "Tanlov dasturi logotipi",
            "ru": "Логотип программы Tanlov",
            "en": "Tanlov programme logo",
        },
    ),
    (
        "Demo certificate logo: Kodlab",
        kodlab_logo,
        "demo-logo-kodlab.jpg",
        {
            "uz": "Kodlab hamkor logotipi",
            "ru": "Логотип партнёра Kodlab",
            "en": "Partner logo: Kodlab",
        },
    ),
    (
        "Demo certificate logo: Yashil Vodiy",
        yashil_vodiy_logo,
        "demo-logo-yashil-vodiy.jpg",
        {
            "uz": "Yashil Vodiy hamkor logotipi",
            "ru": "Логотип партнёра Yashil Vodiy",
            "en": "Partner logo: Yashil Vodiy",
        },
    ),
]


def stored_image(title, draw, filename):
    """The Wagtail image called ``title``, drawn and saved the first time."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    if Collection.get_first_root_node() is None:  # a flushed database (transactional tests)
        Collection.add_root(name="Root")
    image = Image(title=title)
    image.file = ImageFile(io.BytesIO(draw()), name=filename)
    image.save()
    return image


def logos():
    """``[(image, {language: alt})]``: the programme's logo first, then the partners'."""
    return [(stored_image(title, draw, name), alt) for title, draw, name, alt in LOGOS]


def signature_image(name):
    slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    return stored_image(
        f"Demo signature: {name}", lambda: signature(name), f"demo-signature-{slug}.jpg"
    )
