"""Texts as sent: trimmed, never blank nor NUL, documented as the server reads them."""

import re

from marshmallow import ValidationError, fields, validate

BLANK = "can't be blank"
# The spaces a text is trimmed of: Python's and ECMA-262's alike (`str.isspace`, and U+FEFF),
# said in a class that means them in both engines, so the document and the server agree.
SPACES = "\t\n\v\f\r \x1c\x1d\x1e\x1f\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
SPACES += "\u2028\u2029\u202f\u205f\u3000\ufeff"
SPACE = r"[\s\x1c-\x1f\x85\ufeff]"
# What every text must be, as the document says it: free of NUL (PostgreSQL cannot store it)
# and, unless it may be blank, holding a character that is no space. Said as a pattern and a
# `not`, rather than one anchored pattern, which generators draw character by character.
NO_NUL = {"not": {"pattern": r"\x00"}}
NON_BLANK = {"pattern": r"[^\s\x1c-\x1f\x85\ufeff\x00]", **NO_NUL}
NUL = "may not contain NUL characters"


def trimmed(pattern: str, *, blank: bool = False) -> str:
    """`pattern` for a value the server trims before matching it: spaces around it are allowed,
    and with `blank`, nothing but spaces (which the server reads as null).

    Written in the syntax ECMA-262 and Python share, so the document and the server agree.
    """
    return rf"^{SPACE}*(?:{pattern}){'?' if blank else ''}{SPACE}*$"


def refuse_nul(field: fields.Field, text: str) -> str:
    if "\x00" in text:
        raise field.make_error("nul")
    return text


class Text(fields.String):
    """A required string that may not be blank; trimmed unless `strip=False`.

    Its rules (lengths, patterns) judge the text as sent, as the document's do; it is trimmed
    after. Documented with a pattern saying it is not blank, unless a `Regexp` says more.
    """

    default_error_messages = {"required": BLANK, "null": BLANK, "blank": BLANK, "nul": NUL}

    def __init__(self, *, strip: bool = True, **kwargs):
        self.strip = strip
        super().__init__(**kwargs)
        if not any(isinstance(rule, validate.Regexp) for rule in self.validators):
            self.metadata = {**NON_BLANK, **self.metadata}

    def _deserialize(self, value, attr, data, **kwargs):
        text = refuse_nul(self, super()._deserialize(value, attr, data, **kwargs))
        if not text.strip(SPACES):
            raise self.make_error("blank")
        return text

    def deserialize(self, *args, **kwargs):
        text = super().deserialize(*args, **kwargs)
        return text.strip(SPACES) if self.strip and isinstance(text, str) else text


class OptionalText(fields.String):
    """A trimmed string where blank or null both mean null; its rules judge the text as sent."""

    default_error_messages = {"nul": NUL}

    def __init__(self, **kwargs):
        kwargs["allow_none"] = True
        super().__init__(**kwargs)
        if not any(isinstance(rule, validate.Regexp) for rule in self.validators):
            self.metadata = {**NO_NUL, **self.metadata}

    def _deserialize(self, value, attr, data, **kwargs):
        return refuse_nul(self, super()._deserialize(value, attr, data, **kwargs))

    def deserialize(self, *args, **kwargs):
        text = super().deserialize(*args, **kwargs)
        return (text.strip(SPACES) or None) if isinstance(text, str) else text


# An address as RFC 5321 writes most of them, in ASCII: a dot-atom of at most 64 characters, `@`,
# and a domain of two labels or more (`jake@localhost`, quoted or IP-literal forms are refused).
# The local part's length is a pattern of its own, not a lookahead in the first: generators
# of test data (hypothesis) draw from a pattern and cannot honour a lookahead but by rejection.
ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL = rf"{ATEXT}(?:\.{ATEXT})*@(?:{LABEL}\.)+{LABEL}"
LOCAL_PART = rf"^{SPACE}*[^@]{{1,64}}@"
LOCAL_PART_FITS = re.compile(LOCAL_PART).match


class Address(validate.Regexp):
    """The address's shape (its `pattern` in the document), then its local part's length."""

    def __init__(self, error: str):
        super().__init__(trimmed(EMAIL), error=error)

    def __call__(self, value: str) -> str:
        value = super().__call__(value)
        if LOCAL_PART_FITS(value) is None:
            raise ValidationError(self._format_error(value))
        return value


class Email(Text):
    """A trimmed, lower-cased email address."""

    default_error_messages = {"invalid": "is invalid"}

    def __init__(self, **kwargs):
        rules = kwargs.pop("validate", None) or []
        address = Address(error=self.default_error_messages["invalid"])
        kwargs["validate"] = [address, *(rules if isinstance(rules, list) else [rules])]
        # The document shows one pattern a field: the local part's is a schema of its own. No
        # `format: email`: spaces around the address are accepted as sent, and trimmed.
        kwargs["metadata"] = {"allOf": [{"pattern": LOCAL_PART}], **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).lower()


def at_most_characters(length: int) -> validate.Length:
    """A maximum length, as a validator with a readable message (documented as `maxLength`)."""
    return validate.Length(max=length, error=f"is too long (at most {length} characters)")


def fits(column) -> validate.Length:
    """The column's maximum length."""
    return at_most_characters(column.type.length)
