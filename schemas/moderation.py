"""What admins see: every user with their standing, and the record of admin actions."""

from marshmallow import Schema, fields
from marshmallow_sqlalchemy import auto_field

from models import User
from models.moderation import Action, AuditEntry
from schemas.common import ResponseSchema, Timestamp, envelope


class AccountSchema(ResponseSchema):
    """A user as admins see them: the profile, the email, and their standing."""

    class Meta:
        model = User
        ordered = True

    username = auto_field(metadata={"example": "jake"})
    email = auto_field(metadata={"format": "email", "example": "jake@jake.jake"})
    bio = auto_field(metadata={"example": "I work at statefarm"})
    image = auto_field(metadata={"example": None})
    admin = fields.Boolean(attribute="is_admin", metadata={"description": "May moderate."})
    suspended_at = Timestamp(
        data_key="suspendedAt",
        allow_none=True,
        metadata={
            "description": "Since when the user is suspended; null while they are not.",
            "example": None,
        },
    )
    created_at = Timestamp(data_key="createdAt", metadata={"example": "2026-02-18T03:22:56.637Z"})


class AccountListSchema(Schema):
    """A page of users, oldest account first, and how many there are."""

    users = fields.List(fields.Nested(AccountSchema), required=True)
    users_count = fields.Integer(data_key="usersCount", required=True)


class AuditEntrySchema(ResponseSchema):
    """One admin action."""

    class Meta:
        model = AuditEntry
        ordered = True

    id = auto_field(metadata={"example": 7})
    created_at = Timestamp(data_key="createdAt", metadata={"example": "2026-02-18T03:22:56.637Z"})
    admin = fields.Pluck(
        "schemas.user.ProfileSchema",
        "username",
        allow_none=True,
        metadata={"description": "Who acted (null once their account is gone).", "example": "root"},
    )
    action = fields.Enum(Action, by_value=True, metadata={"example": Action.SUSPEND_USER.value})
    target = auto_field(
        metadata={
            "description": "What it was done to: a username, an article's slug or a comment's id.",
            "example": "jake",
        }
    )


class AuditListSchema(Schema):
    """A page of the record, newest first, and its length."""

    entries = fields.List(fields.Nested(AuditEntrySchema), required=True)
    entries_count = fields.Integer(data_key="entriesCount", required=True)


AccountEnvelope = envelope("user", AccountSchema, name="AccountResponse")
