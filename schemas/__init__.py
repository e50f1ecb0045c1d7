"""marshmallow schemas: what goes in and out of the API, mirroring models/."""
