"""HTTP resources: one flask-smorest Blueprint per family, each a set of Resource classes."""

from resources import articles, comments, profiles, tags, users

BLUEPRINTS = [users.blp, profiles.blp, articles.blp, comments.blp, tags.blp]
