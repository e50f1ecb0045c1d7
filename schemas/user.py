"""The user as its owner sees it, profiles as others see them, and the bodies that change them."""

from marshmallow import fields, validate
from marshmallow_sqlalchemy import auto_field

from models import User
from schemas.common import (
    RequestSchema,
    ResponseSchema,
    envelope,
    every_field_optional,
    request_envelope,
)
from schemas.text import (
    LABEL,
    Email,
    OptionalText,
    Text,
    at_most_characters,
    fits,
    trimmed,
)

MAX_BIO = 1000
PASSWORD_RULE = validate.Length(min=8, max=128, error="must be 8 to 128 characters long")
# `\w` is any script's letters and digits to Python (and to the Rust regex engine schemathesis
# checks with); to a browser's ECMA-262 engine, ASCII ones only: a stricter reading, never a looser.
USERNAME_RULES = [
    fits(User.username),
    validate.Regexp(
        trimmed(r"[\w.-]+"), error="may only contain letters, digits, '_', '-' and '.'"
    ),
]
# An absolute http(s) URL of RFC 3986, host by name: labels of letters, digits and `-`, then
# an optional port, path, query and fragment of RFC 3986's own characters.
PCHAR = r"(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})"
HTTP_URL = (
    rf"https?://{LABEL}(?:\.{LABEL})*(?::[0-9]{{1,5}})?(?:/{PCHAR}*)*"
    rf"(?:\?(?:{PCHAR}|[/?])*)?(?:#(?:{PCHAR}|[/?])*)?"
)
IMAGE_RULES = [
    fits(User.image),
    validate.Regexp(trimmed(HTTP_URL, blank=True), error="must be an http(s) URL"),
]


class ProfileSchema(ResponseSchema):
    """A user as others see it."""

    class Meta:
        model = User

    username = auto_field(metadata={"example": "jake"})
    bio = auto_field(metadata={"example": "I work at statefarm"})
    image = auto_field(metadata={"example": "https://api.realworld.io/images/smiley-cyrus.jpg"})
    following = fields.Boolean(metadata={"description": "Whether the caller follows this user."})


class UserSchema(ResponseSchema):
    """The signed-in user, with the token to send from now on."""

    class Meta:
        model = User

    email = auto_field(metadata={"format": "email", "example": "jake@jake.jake"})
    token = fields.String(
        metadata={
            "description": "A JWT to send as `Authorization: Token <jwt>`.",
            "example": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
        }
    )
    username = auto_field(metadata={"example": "jake"})
    bio = auto_field(metadata={"example": "I work at statefarm"})
    image = auto_field(metadata={"example": None})


class RegistrationSchema(RequestSchema):
    """A new user's name, email and password."""

    username = Text(required=True, validate=USERNAME_RULES, metadata={"example": "jake"})
    email = Email(required=True, validate=fits(User.email), metadata={"example": "jake@jake.jake"})
    password = Text(
        strip=False,
        required=True,
        validate=PASSWORD_RULE,
        load_only=True,
        metadata={"example": "jakejake"},
    )


@every_field_optional
class UserUpdateSchema(RegistrationSchema):
    """Any of the user's fields; only those sent change. Blank `bio`/`image` store null."""

    bio = OptionalText(
        validate=at_most_characters(MAX_BIO), metadata={"example": "I like to skateboard"}
    )
    image = OptionalText(
        validate=IMAGE_RULES,
        metadata={
            "description": "An http(s) URL; blank or null removes the image.",
            "example": "https://i.imgur.com/x.jpg",
        },
    )


class LoginSchema(RequestSchema):
    """The credentials a user signs in with."""

    email = Text(required=True, metadata={"example": "jake@jake.jake"})
    password = Text(strip=False, required=True, load_only=True, metadata={"example": "jakejake"})


UserEnvelope = envelope("user", UserSchema, name="UserResponse")
ProfileEnvelope = envelope("profile", ProfileSchema, name="ProfileResponse")
LoginRequest = request_envelope("user", LoginSchema, name="LoginRequest")
RegistrationRequest = request_envelope("user", RegistrationSchema, name="RegistrationRequest")
UserUpdateRequest = request_envelope("user", UserUpdateSchema, name="UserUpdateRequest")
