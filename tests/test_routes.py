"""Routes and slugs: no article's slug can ever stand where a fixed path segment does."""

from models.slug import ROUTE_SEGMENTS

PREFIX = "/api/articles/"


def test_every_fixed_segment_beside_slugs_is_one_no_slug_may_take(app):
    fixed = {
        rule.rule.removeprefix(PREFIX).split("/")[0]
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(PREFIX) and not rule.rule.removeprefix(PREFIX).startswith("<")
    }

    assert fixed == set(ROUTE_SEGMENTS) == {"feed"}


def test_the_document_says_which_slugs_are_refused(app):
    with app.app_context():
        from api.extensions import rest_api

        spec = rest_api.spec.to_dict()
    parameter = next(
        p for p in spec["paths"]["/api/articles/{slug}"]["parameters"] if p["name"] == "slug"
    )

    assert all(f"`{segment}`" in parameter["description"] for segment in ROUTE_SEGMENTS)
