"""Images for upload tests: real ones made with Pillow, and the hostile files built by hand."""

import io
import struct
import zipfile
import zlib

from PIL import Image

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def picture(fmt="PNG", size=(32, 24), **options):
    """A real image, encoded by Pillow."""
    image = Image.new("RGB", size, (200, 40, 90))
    for x in range(0, size[0], 4):
        image.putpixel((x, x % size[1]), (10, 200, 30))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def png():
    return picture("PNG")


def jpeg(**options):
    return picture("JPEG", **options)


def webp():
    return picture("WEBP")


def zip_archive():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", HTML)
    return buffer.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width, height):
    """A tiny, well-formed PNG whose header declares ``width`` x ``height`` pixels (8-bit grey).

    Its one IDAT holds a single compressed scanline: the file is a few dozen bytes, decoding
    it would allocate width * height bytes.
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def png_with_html():
    """A PNG followed by an HTML page: the polyglot a magic-bytes check accepts as logo.png."""
    return png() + HTML


def jpeg_with_zip():
    """A JPEG with a ZIP archive appended (both readers accept it)."""
    return jpeg() + zip_archive()


def jpeg_hiding_a_page():
    """A JPEG, then HTML, then an end-of-image marker again: ends in FFD9 all the same."""
    return jpeg() + HTML + b"\xff\xd9"


def webp_with_html():
    return webp() + HTML


def truncated_png():
    whole = png()
    return whole[: len(whole) // 2]
