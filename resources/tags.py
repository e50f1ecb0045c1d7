"""Tags in use."""

from api.rest import Blueprint, Resource
from models import Tag
from schemas.tag import TagListSchema

blp = Blueprint("tags", __name__, url_prefix="/api/tags", description="Tags of articles.")


@blp.route("")
class TagList(Resource):
    @blp.response(200, TagListSchema)
    def get(self):
        """Every tag in use, the most used first."""
        return {"tags": Tag.popular()}
