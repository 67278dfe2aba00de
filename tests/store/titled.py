"""A small stored article made from a title alone, for tests that need rows, not content."""
from storyline.model import Article, content_id


def titled_article(title: str) -> Article:
    text = f"{title}. A second sentence about it."
    return Article(id=content_id(text, title), source=f"{title}.txt", title=title, text=text)
