"""Floor (b): the project's app plus one constant operation through its own stack, no database."""

from marshmallow import Schema, fields

from api import create_app as create_project_app
from api.extensions import rest_api
from api.rest import Blueprint, Resource

PATH = "/api/bench/ping"

blp = Blueprint("Bench", __name__, url_prefix="/api/bench", description="The benchmark's floor.")


class PingSchema(Schema):
    status = fields.String()


@blp.route("/ping")
class Ping(Resource):
    @blp.operation("benchPing")
    @blp.public
    @blp.response(200, PingSchema)
    def get(self):
        """A constant: what routing, CORS, logging and serialization cost without SQL."""
        return {"status": "ok"}


def create_app():
    """The app `make serve` runs, with the floor's Blueprint registered on it here only."""
    app = create_project_app()
    rest_api.register_blueprint(blp)
    return app
