"""storyline: raw news in, clean articles, events, storylines and cited timelines out."""

from storyline.model import Article, Event, RawDocument, Storyline

__version__ = "0.1.0"
__all__ = ["Article", "Event", "RawDocument", "Storyline", "__version__"]
