"""Made-up names and prose for the demo data, drawn from a seeded `random.Random`."""

from random import Random

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
FIRST_NAMES = (
    "ada",
    "alan",
    "amara",
    "anna",
    "ben",
    "carlos",
    "chen",
    "dana",
    "diego",
    "elena",
    "emeka",
    "eva",
    "farah",
    "felix",
    "grace",
    "hana",
    "hugo",
    "ines",
    "ivan",
    "jake",
    "jane",
    "kai",
    "kenji",
    "lara",
    "leo",
    "lina",
    "luca",
    "maya",
    "mei",
    "mila",
    "nadia",
    "noah",
    "omar",
    "priya",
    "rafael",
    "rosa",
    "sam",
    "sara",
    "sofia",
    "tariq",
    "theo",
    "uma",
    "victor",
    "wei",
    "yara",
    "yusuf",
    "zoe",
)
LAST_NAMES = (
    "abbott",
    "adeyemi",
    "alvarez",
    "bauer",
    "costa",
    "dubois",
    "eriksen",
    "fischer",
    "garcia",
    "hoffman",
    "ivanova",
    "jensen",
    "kim",
    "kowalski",
    "larsen",
    "lopez",
    "martin",
    "meyer",
    "moreau",
    "nakamura",
    "novak",
    "okafor",
    "park",
    "patel",
    "petrov",
    "quinn",
    "rossi",
    "santos",
    "schmidt",
    "silva",
    "singh",
    "suzuki",
    "tanaka",
    "torres",
    "wagner",
    "walsh",
    "wong",
    "yilmaz",
)
TOPICS = (
    "database migrations",
    "code review",
    "type hints",
    "async Python",
    "CSS grid",
    "feature flags",
    "on-call rotations",
    "technical debt",
    "REST APIs",
    "unit tests",
    "Docker images",
    "SQL indexes",
    "pair programming",
    "open source maintenance",
    "caching",
    "error handling",
    "structured logging",
    "monorepos",
    "remote work",
    "accessibility",
    "state management",
    "regular expressions",
    "time zones",
    "Unicode",
    "dependency upgrades",
    "incident reviews",
    "password hashing",
    "JWT authentication",
    "pagination",
    "rate limiting",
    "load testing",
    "the command line",
    "Git rebase",
    "naming things",
    "flaky tests",
    "database transactions",
)
ADJECTIVES = (
    "practical",
    "boring",
    "honest",
    "gentle",
    "opinionated",
    "surprising",
    "painless",
    "quiet",
    "stubborn",
    "underrated",
    "hidden",
    "simple",
    "careful",
    "pragmatic",
    "humble",
)
TITLES = (
    "How I learned to love {topic}",
    "{count} things I wish I knew about {topic}",
    "Why {topic} is {adjective} on purpose",
    "A {adjective} guide to {topic}",
    "The {adjective} side of {topic}",
    "What nobody tells you about {topic}",
    "{topic}: {count} {adjective} lessons",
    "Stop fearing {topic}",
    "Notes from a year of {topic}",
    "{topic} without the hype",
)
SUBJECTS = (
    "The team",
    "Our service",
    "Every new hire",
    "The old code",
    "A good test",
    "This approach",
    "The first version",
    "My manager",
    "The on-call engineer",
    "Nobody on the team",
    "The documentation",
)
VERBS = (
    "needed",
    "quietly broke",
    "finally got right",
    "spent a week on",
    "kept ignoring",
    "underestimated",
    "learned a lot from",
    "rewrote",
    "argued about",
    "made peace with",
)
ENDINGS = (
    ".",
    " in production.",
    " after the migration.",
    " before the release.",
    " on a Friday afternoon.",
    " and it showed.",
    " for the third time.",
    " without telling anyone.",
)
HEADINGS = ("What went wrong", "What we changed", "What I would do again", "Takeaways")
COMMENTS = (
    "Great read!",
    "Thanks for sharing this.",
    "Bookmarked for later.",
    "This matches my experience exactly.",
    "I disagree with the second point, but nice write-up.",
    "Could you write a follow-up on {topic}?",
    "We had the same problem with {topic} last year.",
    "Sending this to my whole team.",
    "Clear and to the point, thank you.",
    "How would this work with {topic}?",
)
ROLES = (
    "Backend developer",
    "Frontend engineer",
    "Site reliability engineer",
    "Student",
    "Tech lead",
    "Freelance web developer",
    "Data engineer",
    "Open source maintainer",
)


def username(rng: Random) -> str:
    """A handle such as `ada.lovelace`: only characters the API accepts in usernames."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    style = rng.randrange(5)
    if style == 0:
        return f"{first}.{last}"
    if style == 1:
        return f"{first}_{last}"
    if style == 2:
        return f"{first[0]}{last}"
    if style == 3:
        return f"{first}-{last}"
    return f"{first}{rng.randint(1, 99)}"


def bio(rng: Random) -> str:
    return f"{rng.choice(ROLES)}. Writes about {rng.choice(TOPICS)} and {rng.choice(TOPICS)}."


def title(rng: Random) -> str:
    text = rng.choice(TITLES).format(
        topic=rng.choice(TOPICS), adjective=rng.choice(ADJECTIVES), count=rng.randint(3, 12)
    )
    return text[0].upper() + text[1:]


def sentence(rng: Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(TOPICS)}{rng.choice(ENDINGS)}"


def paragraph(rng: Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def body(rng: Random) -> str:
    """A few Markdown paragraphs, sometimes under a heading, as the frontends render it."""
    parts = []
    for _ in range(rng.randint(2, 5)):
        if rng.random() < 0.3:
            parts.append(f"## {rng.choice(HEADINGS)}")
        parts.append(paragraph(rng))
    return "\n\n".join(parts)


def comment(rng: Random) -> str:
    text = rng.choice(COMMENTS).format(topic=rng.choice(TOPICS))
    return f"{text} {sentence(rng)}" if rng.random() < 0.4 else text
