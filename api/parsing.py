"""Request bodies and query strings, parsed by webargs: bad ones get the envelope's 422."""

from webargs.flaskparser import FlaskParser

from api.errors import abort


class Parser(FlaskParser):
    """webargs, answering a body that is not JSON with the envelope's 422."""

    DEFAULT_VALIDATION_STATUS = 422

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(422, "body", "is not valid JSON")

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError:  # thousands of nested arrays or objects
            abort(422, "body", "is nested too deeply")
