"""Made-up names and prose for the demo data, written by a seeded Faker."""

import re

# Most used first: the earlier a tag, the likelier an article carries it.
TAGS = (
    "webdev",
    "python",
    "javascript",
    "programming",
    "databases",
    "testing",
    "devops",
    "career",
    "css",
    "flask",
    "security",
    "performance",
    "opensource",
    "tutorial",
    "accessibility",
)
# Room for the digits that make a taken name free, within the 64 characters a username has.
USERNAME_BASE_LENGTH = 48
NOT_IN_USERNAMES = re.compile(r"[^\w.-]+")
# Faker's sentences are most of a large seed's time: past this many, prose reuses them.
SENTENCE_POOL = 5000


class Writer:
    """Made-up names and prose from one seeded Faker: the same seed writes the same text."""

    def __init__(self, seed: int):
        # Imported here: Faker weighs some 5 MiB, which no serving worker should carry.
        from faker import Faker

        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.random = self.fake.random
        self._sentences: list[str] = []

    def username(self) -> str:
        """A handle such as `johnsonmaria`: lower case, only characters the API accepts."""
        name = NOT_IN_USERNAMES.sub("", self.fake.user_name().lower())
        return name[:USERNAME_BASE_LENGTH] or "reader"

    def bio(self) -> str:
        return f"{self.fake.job()}. {self.fake.sentence()}"

    def title(self) -> str:
        return self.fake.sentence(nb_words=6).removesuffix(".")

    def description(self) -> str:
        return self._sentence()

    def body(self) -> str:
        """A few Markdown paragraphs, sometimes under a heading, as the frontends render it."""
        parts = []
        for _ in range(self.random.randint(2, 5)):
            if self.random.random() < 0.3:
                parts.append(f"## {self.fake.sentence(nb_words=3).removesuffix('.')}")
            parts.append(self._paragraph(self.random.randint(2, 6)))
        return "\n\n".join(parts)

    def comment(self) -> str:
        return self._paragraph(self.random.choice((1, 1, 2, 3)))

    def _paragraph(self, sentences: int) -> str:
        return " ".join(self._sentence() for _ in range(sentences))

    def _sentence(self) -> str:
        if len(self._sentences) < SENTENCE_POOL:
            self._sentences.append(self.fake.sentence())
            return self._sentences[-1]
        return self.random.choice(self._sentences)
