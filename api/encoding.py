"""JSON responses with orjson: the same compact text as Flask's encoder, several times faster.

Only responses: request bodies are still read, and templates still written, by Flask's own.
"""

import orjson
from flask.json.provider import DefaultJSONProvider

# Validation errors of list items are keyed by index: `{"tagList": {"0": [...]}}`.
OPTIONS = orjson.OPT_NON_STR_KEYS


class OrjsonProvider(DefaultJSONProvider):
    sort_keys = False  # keep the documented field order
    mimetype = "application/json; charset=utf-8"

    def response(self, *args, **kwargs):
        """A JSON response, as `flask.jsonify` makes it (a trailing newline included)."""
        body = answer_body(self._prepare_response_obj(args, kwargs))
        return self._app.response_class(body, mimetype=self.mimetype)


def encode(obj) -> bytes:
    # Flask's encoder's fallback knows dates, UUIDs, decimals and dataclasses.
    return orjson.dumps(obj, default=DefaultJSONProvider.default, option=OPTIONS)


def answer_body(obj) -> bytes:
    """The bytes a JSON answer carries: what a tag of the answer is the hash of."""
    return encode(obj) + b"\n"


def decode(body: bytes):
    return orjson.loads(body)
