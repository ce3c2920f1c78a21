"""A small local server that speaks Nominatim's API, for tests of the real client.

It answers /search and /reverse with recorded Nominatim JSON (lat/lon as strings,
boundingbox, address details), records what it was asked, and can be told to
answer slowly, with 429 or 503, or with garbage.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LICENCE = "Data © OpenStreetMap contributors, ODbL 1.0. https://osm.org/copyright"

RAEBURN = {
    "place_id": 104455530,
    "licence": LICENCE,
    "osm_type": "way",
    "osm_id": 118764235,
    "lat": "55.9580213",
    "lon": "-3.2093134",
    "class": "building",
    "type": "residential",
    "place_rank": 30,
    "importance": 0.31,
    "addresstype": "building",
    "name": "",
    "display_name": "12, Raeburn Place, Stockbridge, City of Edinburgh, Scotland, "
    "EH4 1HN, United Kingdom",
    "address": {
        "house_number": "12",
        "road": "Raeburn Place",
        "suburb": "Stockbridge",
        "city": "City of Edinburgh",
        "state": "Scotland",
        "ISO3166-2-lvl4": "GB-SCT",
        "postcode": "EH4 1HN",
        "country": "United Kingdom",
        "country_code": "gb",
    },
    "boundingbox": ["55.9579713", "55.9580713", "-3.2093634", "-3.2092634"],
}

CHURCH = {
    **RAEBURN,
    "place_id": 104455531,
    "osm_id": 27148543,
    "lat": "55.9489446",
    "lon": "-3.1950381",
    "class": "amenity",
    "type": "place_of_worship",
    "display_name": "St Columba's Free Church, 14, Johnston Terrace, Old Town, "
    "City of Edinburgh, Scotland, EH1 2PW, United Kingdom",
    "address": {
        "amenity": "St Columba's Free Church",
        "house_number": "14",
        "road": "Johnston Terrace",
        "neighbourhood": "Old Town",
        "city": "City of Edinburgh",
        "postcode": "EH1 2PW",
        "country": "United Kingdom",
        "country_code": "gb",
    },
    "boundingbox": ["55.9487", "55.9491", "-3.1954", "-3.1946"],
}

STREET = {
    **RAEBURN,
    "place_id": 2,
    "lat": "55.958",
    "lon": "-3.2101",
    "display_name": "Raeburn Place, Stockbridge, Edinburgh",
}

#: A home in another town than a London group's area.
YORK = {
    **RAEBURN,
    "place_id": 123456789,
    "osm_id": 45880231,
    "lat": "53.9663497",
    "lon": "-1.0907281",
    "type": "house",
    "display_name": "3, Bootham Terrace, Bootham, York, North Yorkshire, England, "
    "YO30 7DH, United Kingdom",
    "address": {
        "house_number": "3",
        "road": "Bootham Terrace",
        "suburb": "Bootham",
        "city": "York",
        "county": "North Yorkshire",
        "state": "England",
        "postcode": "YO30 7DH",
        "country": "United Kingdom",
        "country_code": "gb",
    },
    "boundingbox": ["53.9662997", "53.9663997", "-1.0907781", "-1.0906781"],
}

#: A neighbourhood, as an organiser types it into the area.
BRUNTSFIELD = {
    **RAEBURN,
    "place_id": 2906543,
    "osm_type": "node",
    "osm_id": 25826143,
    "lat": "55.9378541",
    "lon": "-3.2079869",
    "class": "place",
    "type": "suburb",
    "place_rank": 19,
    "addresstype": "suburb",
    "name": "Bruntsfield",
    "display_name": "Bruntsfield, City of Edinburgh, Scotland, United Kingdom",
    "address": {
        "suburb": "Bruntsfield",
        "city": "City of Edinburgh",
        "state": "Scotland",
        "country": "United Kingdom",
        "country_code": "gb",
    },
    "boundingbox": ["55.9178541", "55.9578541", "-3.2279869", "-3.1879869"],
}

PLACES = {
    "12 raeburn place, edinburgh": [RAEBURN],
    "14 johnston terrace, edinburgh": [CHURCH],
    "raeburn place": [RAEBURN, STREET],
    "3 bootham terrace, york": [YORK],
    "bruntsfield, edinburgh": [BRUNTSFIELD],
}


class FakeNominatim:
    def __init__(self):
        self.mode = "ok"  # ok, slow, 429, 503, garbage
        self.requests: list[dict] = []
        self.places = dict(PLACES)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server._answer(self)

            def log_message(self, *args):
                pass  # quiet: and typed addresses never reach any log

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _answer(self, handler):
        parts = urlsplit(handler.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.requests.append(
            {"path": parts.path, "query": query, "at": time.monotonic(),
             "user_agent": handler.headers.get("User-Agent")}
        )  # fmt: skip
        if self.mode == "slow":
            time.sleep(3)
        if self.mode in ("429", "503"):
            handler.send_response(int(self.mode))
            handler.end_headers()
            return
        if self.mode == "garbage":
            body = b"<html>not json at all"
        elif parts.path.endswith("/search"):
            found = self.places.get(" ".join(query.get("q", "").lower().split()), [])
            body = json.dumps(found[: int(query.get("limit", 10))]).encode()
        else:
            body = json.dumps(RAEBURN).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()
        handler.wfile.write(body)
