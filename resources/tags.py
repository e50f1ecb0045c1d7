"""Tags in use."""

from api.rest import Blueprint, Resource
from models import Tag
from schemas.tag import TagListSchema

blp = Blueprint("Tags", __name__, url_prefix="/api/tags", description="The tags articles use.")


@blp.route("")
class TagList(Resource):
    @blp.operation("listTags")
    @blp.public
    @blp.etag()
    @blp.cached()
    @blp.response(200, TagListSchema)
    def get(self):
        """List the tags in use.

        The most used first, then alphabetically; tags no article uses are left out.
        """
        return {"tags": Tag.popular()}
