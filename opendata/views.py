"""The public open-data pages and files (docs/opendata.md): an index of the challenges
with open data, a page per challenge, and per challenge its JSON, its CSV files and its
``datapackage.json``. Open to everyone; rate-limited per client address with the site's one
limiter (the files share the read-only API's budget); the files carry an ETag and may be
cached for a while by anyone."""

import hashlib
import json

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control

from api.limits import api_limited, api_rate
from certificates.ratelimit import limited
from core import exports

from .services import datasets

page_limited = limited("opendata", app="opendata", rate=api_rate)
#: How long a client or a proxy may keep a file before asking again (it asks with the ETag).
MAX_AGE = 15 * 60


def _urls(request, slug):
    def absolute(name, **kwargs):
        return request.build_absolute_uri(reverse(name, kwargs={"slug": slug, **kwargs}))

    return {
        "page": absolute("opendata:challenge"),
        "datapackage": absolute("opendata:datapackage"),
        "json": absolute("opendata:json"),
        "csv": lambda table: absolute("opendata:csv", table=table),
    }


def _file(request, body, content_type, *, filename=None):
    """``body`` (bytes) with an ETag of its content; 304 when the client has it already."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(body, content_type=content_type)
        if filename:
            response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _json(request, document, filename):
    body = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    return _file(request, body, "application/json; charset=utf-8", filename=filename)


@page_limited
def index(request):
    return render(request, "opendata/index.html", {"challenges": datasets.challenges()})


@page_limited
def challenge(request, slug):
    found = datasets.public_challenge(slug)
    data = datasets.dataset(found)
    urls = _urls(request, slug)
    return render(
        request,
        "opendata/challenge.html",
        {
            "challenge": found,
            "data": data,
            "counts": data.tables[:-1],
            "winners": data.tables[-1],
            "urls": urls,
            "files": [(t, urls["csv"](t.name)) for t in data.tables],
            "attribution": datasets.attribution(found),
            "licence": datasets.LICENCE,
        },
    )


@api_limited
def data_json(request, slug):
    found = datasets.public_challenge(slug)
    document = datasets.as_json(datasets.dataset(found), urls=_urls(request, slug))
    return _json(request, document, f"{slug}.json")


@api_limited
def datapackage(request, slug):
    found = datasets.public_challenge(slug)
    document = datasets.datapackage(datasets.dataset(found), urls=_urls(request, slug))
    return _json(request, document, "datapackage.json")


@api_limited
def table_csv(request, slug, table):
    found = datasets.public_challenge(slug)
    chosen = datasets.dataset(found).table(table)
    body = exports.render(exports.CSV, chosen.columns, chosen.values())
    return _file(request, body, exports.CONTENT_TYPES[exports.CSV], filename=f"{table}.csv")
