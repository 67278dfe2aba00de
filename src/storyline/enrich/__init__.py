"""Enrichment: language, sentences, entities, dates, quotes (placeholder)."""

from __future__ import annotations

from storyline.model import Article


def enrich_articles(articles: list[Article]) -> list[Article]:
    return articles
