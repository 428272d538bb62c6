"""Words and thresholds for showing scores: light enough for the UI to import at start-up."""

from __future__ import annotations

# Sentiment at or below NEGATIVE is called negative; at or above POSITIVE, positive.
NEGATIVE = -0.05
POSITIVE = 0.05
# The user's sentiment verdicts, as stored (`sentiment_override`) and as corrections teach them.
SENTIMENT_VALUES = {"negative": -1.0, "neutral": 0.0, "positive": 1.0}


def sentiment_label(sentiment: float) -> str:
    if sentiment <= NEGATIVE:
        return "negative"
    if sentiment >= POSITIVE:
        return "positive"
    return "neutral"


def signed_sentiment(sentiment: float) -> str:
    """"+0.72", "−0.72" (a true minus sign), and "+0.00", not "−0.00", for a hair below zero."""
    return f"{round(sentiment, 2) + 0.0:+.2f}".replace("-", "−")


def format_reach(reach: int) -> str:
    if reach >= 1_000_000:
        return f"{reach / 1_000_000:.1f}M"
    if reach >= 1_000:
        return f"{reach / 1_000:.1f}k"
    return str(reach)


def followers(reach: int) -> str:
    """"1 follower", "12.0k followers"."""
    return f"{format_reach(reach)} follower{'' if reach == 1 else 's'}"
