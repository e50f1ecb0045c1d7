"""What the demo draws at random: weighted distinct picks, zipf weights, moments in time."""

import random
from datetime import datetime, timedelta
from itertools import accumulate


def distinct_picks(
    rng: random.Random, cum_weights: list[float], count: int, exclude: int | None = None
) -> list[int]:
    """Up to `count` different indexes into the weights, heavier ones likelier; never `exclude`."""
    size = len(cum_weights)
    wanted = min(count, size - (exclude is not None))
    picked: dict = {}  # a dict keeps the order of the draws
    for _ in range(3):  # weighted draws repeat, so a few rounds almost always suffice
        for index in rng.choices(range(size), cum_weights=cum_weights, k=2 * wanted):
            if index != exclude and len(picked) < wanted:
                picked[index] = None
        if len(picked) == wanted:
            return list(picked)
    rest = [index for index in range(size) if index != exclude and index not in picked]
    return list(picked) + rng.sample(rest, wanted - len(picked))


def zipf(count: int) -> list[float]:
    """Cumulative weights where the first members are much likelier than the last."""
    return list(accumulate(1 / (rank + 1) ** 0.8 for rank in range(count)))


def popularity(rng: random.Random, count: int) -> list[float]:
    """Cumulative weights under which a few members draw far more attention than most."""
    return list(accumulate(rng.lognormvariate(0, 1) for _ in range(count)))


def fractions(rng: random.Random, count: int) -> list[float]:
    """`count` points in [0, 1), in order: drawn dates that grow with the ids."""
    return sorted(rng.random() for _ in range(count))


def moment(start: datetime, span: timedelta, fraction: float) -> datetime:
    """`fraction` of the way into `span` after `start`, to the millisecond the API shows."""
    return start + timedelta(milliseconds=int(span / timedelta(milliseconds=1) * fraction))
