"""HTTP resources: one flask-smorest Blueprint per family, each a set of Resource classes."""

from resources import articles, comments, favorites, moderation, profiles, tags, users

BLUEPRINTS = [
    *(users.blp, profiles.blp, articles.blp, favorites.blp, comments.blp, tags.blp),
    moderation.blp,
]
