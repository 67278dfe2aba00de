"""Language identification: py3langid with normalised probabilities, and a second opinion.

py3langid is unreliable on a headline or a two-line brief, so short texts also get a vote from
the writing system (Cyrillic, Arabic, Greek, …) and from counts of very common function words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from storyline import settings
from storyline.config import check_fields
from storyline.enrich.lexicon import word_lists


@dataclass(frozen=True)
class LanguageConfig:
    """Section `[enrich.language]`: py3langid reads `sample_chars` characters; below
    `short_text_chars` the script/function-word vote may overrule it when it is less sure than
    `min_confidence` (settings.py says why each default)."""

    sample_chars: int = settings.ENRICH_LANGID_CHARS
    short_text_chars: int = settings.ENRICH_SHORT_TEXT_CHARS
    min_confidence: float = settings.ENRICH_LANGID_MIN_CONFIDENCE

    def __post_init__(self) -> None:
        check_fields(self, shares=("min_confidence",))


def word_set(words: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string (long lists stay readable)."""
    return frozenset(words.split())


# Very common function words per language (data: enrich/lexicon/stop_words.toml).
STOP_WORDS: dict[str, frozenset[str]] = word_lists("stop_words.toml")

# Scripts used by one language among those we expect (a Cyrillic text is read as Russian only
# when py3langid does not name another Cyrillic language).
_SCRIPT_LANGUAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\u0600-\u06ff]"), "ar"),
    (re.compile(r"[\u0400-\u04ff]"), "ru"),
    (re.compile(r"[\u0370-\u03ff]"), "el"),
    (re.compile(r"[\u0590-\u05ff]"), "he"),
    (re.compile(r"[\u3040-\u30ff]"), "ja"),
    (re.compile(r"[\uac00-\ud7af]"), "ko"),
    (re.compile(r"[\u4e00-\u9fff]"), "zh"),
)
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify_language(text: str, config: LanguageConfig | None = None
                      ) -> tuple[str | None, float]:
    """ISO 639-1 code and a confidence in [0, 1]; (None, 0.0) when there is nothing to read."""
    config = config or LanguageConfig()
    sample = text[: config.sample_chars]
    letters = sum(map(str.isalpha, sample))
    if letters < 3:
        return None, 0.0
    code, probability = _identifier().classify(sample)
    confidence = float(probability)
    if len(sample) < config.short_text_chars and confidence < config.min_confidence:
        second, second_confidence = second_opinion(sample)
        if second is not None and second != code:
            return second, second_confidence
        if second == code:
            confidence = max(confidence, second_confidence)
    return code, round(confidence, 4)


def second_opinion(text: str) -> tuple[str | None, float]:
    """Writing system first, then function-word counts; (None, 0.0) when neither is decisive."""
    letters = sum(map(str.isalpha, text))
    for pattern, code in _SCRIPT_LANGUAGES:
        if len(pattern.findall(text)) > letters / 2:
            return code, 0.8
    words = [w.casefold() for w in _WORD.findall(text)]
    if not words:
        return None, 0.0
    counts = {code: sum(w in stop for w in words) for code, stop in STOP_WORDS.items()}
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    (best, best_count), (_, runner_up) = ranked[0], ranked[1]
    if best_count >= 2 and best_count >= 2 * runner_up:
        return best, round(min(0.85, 0.5 + best_count / len(words)), 4)
    return None, 0.0
