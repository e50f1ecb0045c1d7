"""Where an answer leads: OpenAPI links from one operation's response to the next operations."""


def to(operation_id: str, **parameters: str) -> dict:
    return {"operationId": operation_id, "parameters": parameters}


def from_article(key: str = "article") -> dict:
    """Links from a response carrying an article: what can be done with it next."""
    slug = f"$response.body#/{key}/slug"
    return {
        "GetArticle": to("getArticle", slug=slug),
        "UpdateArticle": to("updateArticle", slug=slug),
        "DeleteArticle": to("deleteArticle", slug=slug),
        "FavoriteArticle": to("favoriteArticle", slug=slug),
        "UnfavoriteArticle": to("unfavoriteArticle", slug=slug),
        "CommentOnArticle": to("createComment", slug=slug),
        "ListComments": to("listComments", slug=slug),
    }


def from_user(key: str) -> dict:
    """Links from a response carrying a user or profile: their profile, and following them."""
    username = f"$response.body#/{key}/username"
    return {
        "GetProfile": to("getProfile", username=username),
        "FollowUser": to("followUser", username=username),
        "UnfollowUser": to("unfollowUser", username=username),
    }


FROM_COMMENT = {
    "DeleteComment": to(
        "deleteComment", slug="$request.path.slug", comment_id="$response.body#/comment/id"
    ),
}
