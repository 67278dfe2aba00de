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


# Very common function words: the few that make up a large share of any running text.
STOP_WORDS: dict[str, frozenset[str]] = {
    "en": word_set(
"the of and to in is was that for on with said by as at from it his he"
),
    "es": word_set(
"el la de que y en los las del se por un una con para es al lo dijo"
),
    "fr": word_set(
"le la les de des et en du un une est que qui dans pour sur au pas il"
),
    "de": word_set(
"der die das und ist nicht ein eine den dem des mit sich auf für von zu"
),
    "it": word_set(
"il di che e la per un una non sono del della le gli con è"
),
    "pt": word_set(
"o os de que e do da em um uma para com não no na dos das"
),
    "nl": word_set(
"de het een en van is dat op te in niet met voor zijn"
),
    "ru": word_set(
"и в не на что с по как он это она к из у за от о также"
),
    "ar": word_set(
"في من على إلى أن عن مع التي الذي هذا هذه قال كان"
),
}

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
