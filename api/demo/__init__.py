"""Reproducible demo data for `flask seed`: users, follows, articles, favorites and comments."""

from api.demo.seed import DEMO_PASSWORD, HISTORY, Sizes, Summary, seed_demo_data, user_count

__all__ = ["DEMO_PASSWORD", "HISTORY", "Sizes", "Summary", "seed_demo_data", "user_count"]
