"""What the contract says responses look like, shared by the tests."""

import re

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
ARTICLE_FIELDS = {
    "slug",
    "title",
    "description",
    "body",
    "tagList",
    "createdAt",
    "updatedAt",
    "favorited",
    "favoritesCount",
    "author",
}

TOKEN_MISSING = {"errors": {"token": ["is missing"]}}
TOKEN_INVALID = {"errors": {"token": ["is invalid"]}}
TOKEN_EXPIRED = {"errors": {"token": ["has expired"]}}
ARTICLE_NOT_FOUND = {"errors": {"article": ["not found"]}}
ARTICLE_FORBIDDEN = {"errors": {"article": ["forbidden"]}}
PROFILE_NOT_FOUND = {"errors": {"profile": ["not found"]}}
