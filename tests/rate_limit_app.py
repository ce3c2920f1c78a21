"""Entry for the cross-worker rate-limit test: the real app, tagged per worker."""

import os

from meetup import create_app

app = create_app(
    "development",
    {
        "RATELIMIT_KEY_PREFIX": os.environ["TEST_RATELIMIT_PREFIX"],
        "RATELIMIT_LOGIN": "5 per minute",
    },
)


@app.after_request
def tag_worker(response):
    response.headers["X-Worker-Pid"] = str(os.getpid())
    return response
