"""Components from outside the package, plugged in through the registry and a TOML configuration:
the recognizer of docs/examples/keyword_ner.py (the worked example of docs/architecture.md) and a
clusterer written here; the pipeline uses both, and the store goes on with that clusterer."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline import registry
from storyline.config import ConfigError, PipelineConfig
from storyline.events import STATE_NAME
from storyline.model import Article
from storyline.pipeline import ingest, update_events
from storyline.store import Store
from storyline.summarize.stored import brief_key
from tests.conftest import PROJECT_ROOT

CLUSTERER_PLUGIN = '''
from storyline.events.cluster import EventClusterer
from storyline.registry import register


@register("clusterer", "loners")
class LonerClusterer(EventClusterer):
    """Every article is an event of its own: no score is high enough to join or merge."""

    def __init__(self, **params):
        never = {"threshold": 2.0, "crosslingual_threshold": 2.0, "consolidation_threshold": 2.0}
        super().__init__(**{**params, **never})
'''

CLEANER_PLUGIN = '''
import dataclasses
from dataclasses import dataclass

from storyline.clean import build_article
from storyline.registry import register


@register("cleaner", "desk")
@dataclass(frozen=True)
class DeskCleaner:
    """The built-in cleaner, then the desk's mark in front of each title."""

    mark: str = "[desk]"

    def __call__(self, doc, now=None):
        article = build_article(doc, now)
        return dataclasses.replace(article, title=f"{self.mark} {article.title}")
'''

SUMMARIZER_PLUGIN = '''
from dataclasses import dataclass

from storyline.registry import register
from storyline.summarize.stored import Brief


@register("summarizer", "headlines")
@dataclass(frozen=True)
class HeadlineSummarizer:
    """A brief that is the members' headlines, at most `limit` of them."""

    limit: int = 2

    def __call__(self, event, articles, timings=None, encoding=None):
        members = sorted(articles, key=lambda a: a.id)
        return Brief(id=event.id, title=members[0].title, date=None, place=None,
                     articles=[a.id for a in members],
                     summary=[{"text": a.title, "article": a.id, "outlet": a.outlet}
                              for a in members[: self.limit]])
'''

CONFIG = '''
plugins = ["keyword_ner", "loner_clusterer"]

[ner]
name = "keywords"
names = ["Lake Varna", "Harbour Authority", "Orsk"]
entity_type = "organization"

[clusterer]
name = "loners"
encoder = "tfidf"
'''

STORIES = {
    "varna.txt": "Lake Varna closed to boats\n\nThe Harbour Authority closed Lake Varna to all "
                 "boats on Monday after the water level fell below the old pier.",
    "varna-copy.txt": "Lake Varna closed to all boats\n\nOn Monday the Harbour Authority closed "
                      "Lake Varna to all boats after the water level fell below the old pier.",
    "orsk.txt": "Orsk opens a night market\n\nThe town of Orsk opened its first night market "
                "on Friday, with forty stalls selling bread, honey and lamps.",
    "choir.txt": "Children's choir wins regional prize\n\nA school choir of thirty children "
                 "won the regional singing prize with a song about autumn rain.",
}


@pytest.fixture
def plugins(tmp_path: Path) -> Iterator[Path]:
    """The plugin modules in a folder of their own on sys.path, as an installed plugin is."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    shutil.copy(PROJECT_ROOT / "docs" / "examples" / "keyword_ner.py", folder)
    (folder / "loner_clusterer.py").write_text(CLUSTERER_PLUGIN, encoding="utf-8")
    (folder / "desk_cleaner.py").write_text(CLEANER_PLUGIN, encoding="utf-8")
    (folder / "headline_summarizer.py").write_text(SUMMARIZER_PLUGIN, encoding="utf-8")
    sys.path.insert(0, str(folder))
    yield folder
    sys.path.remove(str(folder))
    for module in ("keyword_ner", "loner_clusterer", "desk_cleaner", "headline_summarizer"):
        sys.modules.pop(module, None)


def write_corpus(folder: Path) -> Path:
    folder.mkdir()
    for name, text in STORIES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_pipeline_runs_the_configured_outside_components(plugins: Path, tmp_path: Path):
    config_file = tmp_path / "newsroom.toml"
    config_file.write_text(CONFIG, encoding="utf-8")
    config = PipelineConfig.from_toml(config_file)
    assert registry.get("ner", "keywords").__module__ == "keyword_ner"

    with Store(tmp_path / "news.db") as store:
        ingest([str(write_corpus(tmp_path / "corpus"))], store, parallel=False, config=config)
        articles = {a.title: a for a in store.iter_articles()}
        # Only the configured names are entities: the keyword recognizer ran, not spaCy.
        assert {e.name for e in articles["Lake Varna closed to boats"].entities} == {
            "Lake Varna", "Harbour Authority"}
        assert {e.type for a in articles.values() for e in a.entities} == {"organization"}
        assert articles["Children's choir wins regional prize"].entities == []
        # Two reports of one story stay apart: the loner clusterer ran.
        assert len(store.list_events()) == len(STORIES)
        header = json.loads(store.get_state(STATE_NAME) or b"{}")
        assert header["component"] == "loners"
        assert header["params"]["encoder"] == "tfidf"

        # Later updates go on with the stored clusterer, whatever the default.
        (tmp_path / "more").mkdir()
        (tmp_path / "more" / "bread.txt").write_text(
            "Bakers strike in the capital\n\nBakers in the capital stopped work on Tuesday "
            "over the price of flour.", encoding="utf-8")
        ingest([str(tmp_path / "more")], store, parallel=False, cluster=False)
        update_events(store)
        assert len(store.list_events()) == len(STORIES) + 1

    # The built-in clusterer puts the two Lake Varna reports in one event.
    default = PipelineConfig.from_dict({"clusterer": {"name": "online", "encoder": "tfidf"},
                                        "ner": {"name": "rules"}})
    with Store(tmp_path / "default.db") as store:
        ingest([str(tmp_path / "corpus")], store, parallel=False, config=default)
        assert len(store.list_events()) == len(STORIES) - 1


def test_the_pipeline_cleans_with_the_configured_cleaner(plugins: Path, tmp_path: Path):
    config_file = tmp_path / "desk.toml"
    config_file.write_text('plugins = ["desk_cleaner"]\n\n[cleaner]\nname = "desk"\n'
                           'mark = "[checked]"\n\n[ner]\nname = "rules"\n', encoding="utf-8")
    config = PipelineConfig.from_toml(config_file)
    with Store(tmp_path / "news.db") as store:
        ingest([str(write_corpus(tmp_path / "corpus"))], store, parallel=False, cluster=False,
               config=config)
        titles = {a.title for a in store.iter_articles()}
    assert "[checked] Orsk opens a night market" in titles
    assert all(title.startswith("[checked] ") for title in titles)


def test_events_are_summarized_by_the_configured_summarizer(plugins: Path, tmp_path: Path):
    config_file = tmp_path / "headlines.toml"
    config_file.write_text('plugins = ["headline_summarizer"]\n\n[summarizer]\n'
                           'name = "headlines"\nlimit = 1\n\n[ner]\nname = "rules"\n\n'
                           '[encoder]\nname = "tfidf"\n', encoding="utf-8")
    config = PipelineConfig.from_toml(config_file)
    with Store(tmp_path / "news.db") as store:
        ingest([str(write_corpus(tmp_path / "corpus"))], store, parallel=False, config=config)
        varna = next(e for e in store.list_events() if len(e.article_ids) == 2)
        brief = store.get_brief(varna.id, brief_key(varna))
        titles = {a.id: a.title for a in store.get_articles(varna.article_ids)}
        # The stored brief is the plug-in's: one headline, no claims matched.
        assert brief is not None
        assert [item["text"] for item in brief["summary"]] == [titles[min(titles)]]
        assert brief["corroborated"] == []
        # `storyline event` and the server build briefs through the same component.
        assert config.event_summarizer()(varna, list(store.get_articles(varna.article_ids))
                                         ).to_dict() == brief


def test_the_built_in_cleaner_takes_its_tunables_from_the_configuration(tmp_path: Path):
    """A paragraph printed again three lines after its copy is a repeat within the default
    window (3 lines), not within the configured 2."""
    story = ["Lake Varna closed to boats",
             "The Harbour Authority shut the lake to boats after the water level fell.",
             "Fishing crews said they would wait for the autumn rains to raise the lake.",
             "The authority will measure the water again at the end of the month."]
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "varna.txt").write_text("\n".join([*story, story[1]]),
                                                   encoding="utf-8")
    articles = _ingested_under(tmp_path, [
        PipelineConfig.from_dict({"cleaner": cleaner, "ner": {"name": "rules"}})
        for cleaner in ({"name": "rules+model"}, {"name": "rules+model", "repeat_window": 2})
    ])
    assert [a.paragraphs for a in articles] == [story[1:], [*story[1:], story[1]]]
    shown = PipelineConfig.from_dict({"cleaner": {"name": "rules+model", "repeat_window": 2}})
    assert "[cleaner]" in shown.resolved().to_toml()
    assert "repeat_window = 2" in shown.resolved().to_toml()


def test_enrichment_takes_its_tunables_from_the_configuration(tmp_path: Path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "port.txt").write_text(
        "Harbour Authority reopens Lake Varna\n\nThe Harbour Authority reopened Lake Varna to "
        "boats on Friday. \"The water is back where it was in spring,\" said Mara Ilic, the "
        "harbour master of Orsk.", encoding="utf-8")
    narrow = tmp_path / "narrow.toml"
    narrow.write_text("[ner]\nname = \"rules\"\n\n[enrich.entities]\nmax_entities = 1\n\n"
                      "[enrich.quotes]\nmin_words = 20\n", encoding="utf-8")
    found = [(len(article.entities), [q.speaker for q in article.quotes])
             for article in _ingested_under(tmp_path, [
                 PipelineConfig.from_dict({"ner": {"name": "rules"}}),
                 PipelineConfig.from_toml(narrow)])]
    assert found[0][0] > 1 and found[0][1] == ["Mara Ilic"]
    assert found[1] == (1, [])


def test_config_show_round_trips(plugins: Path, tmp_path: Path):
    config = PipelineConfig.from_dict({
        "plugins": ["keyword_ner"], "ner": {"name": "keywords", "names": ["Orsk"]},
    })
    again = tmp_path / "again.toml"
    again.write_text(config.resolved().to_toml(), encoding="utf-8")
    assert PipelineConfig.from_toml(again) == config.resolved()
    assert PipelineConfig.from_toml(again).recognizer().names == ["Orsk"]


def test_sections_are_read_shown_and_handed_to_their_component(tmp_path: Path):
    from storyline.service.context import ServerConfig
    from storyline.watch import WatchConfig

    config = PipelineConfig.from_dict({"watch": {"max_attempts": 2}})
    assert config.section(WatchConfig).max_attempts == 2
    assert config.section(ServerConfig) == ServerConfig()  # not given: the defaults
    shown = tmp_path / "shown.toml"
    shown.write_text(config.resolved().to_toml(), encoding="utf-8")
    assert "[server]" in shown.read_text(encoding="utf-8")
    assert PipelineConfig.from_toml(shown).section(WatchConfig) == WatchConfig(max_attempts=2)


@pytest.mark.parametrize("data, message", [
    ({"ner": {"name": "nope"}}, "no ner component named 'nope'"),
    ({"ner": {"name": "spacy", "lead_chars": 0}}, "lead_chars must be at least 1"),
    ({"clusterer": {"name": "online", "treshold": 0.3}}, "unexpected keyword argument"),
    ({"clusterer": {"threshold": 0.3}}, "needs a component name"),
    ({"encoders": {}}, "unknown configuration keys encoders"),
    ({"plugins": ["no_such_plugin_module"]}, "cannot be imported"),
    ({"watch": {"scan_seconds": -1}}, r"\[watch\] scan_seconds must be"),
    ({"server": {"floor": 0.2}}, r"\[server\] .*unexpected keyword argument 'floor'"),
    ({"watch": 3}, "must be a table"),
    ({"cleaner": {"name": "rules+model", "fallback_share": 2}},
     r"\[cleaner\] fallback_share must be a share"),
    ({"cleaner": {"name": "rules+model", "short_line_wrods": 9}}, "unexpected keyword argument"),
    ({"summarizer": {"name": "brief", "mmr_lambda": 2}}, r"\[summarizer\] mmr_lambda must be"),
    ({"claims": {"merge_similarity": -0.1}}, r"\[claims\] merge_similarity must be"),
    ({"enrich": {"quotes": {"min_words": -1}}}, r"\[enrich.quotes\] min_words must be"),
    ({"enrich": {"entities": {"salience_weights": [1, 2]}}}, "three weights"),
])
def test_a_wrong_configuration_is_refused_with_its_reason(data: dict, message: str):
    with pytest.raises(ConfigError, match=message):
        PipelineConfig.from_dict(data)


def test_language_and_dates_take_their_tunables_from_the_configuration(tmp_path: Path):
    """A year before `[enrich.dates] min_year` is no date of the story; a short French text is
    French unless py3langid may read only 3 characters."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "flood.txt").write_text(
        "River Orsk floods the old town\n\nThe River Orsk broke its banks overnight, the worst "
        "flood since 1950, and the harbour authority closed the port in March 2011.",
        encoding="utf-8")
    narrow = tmp_path / "narrow.toml"
    narrow.write_text("[ner]\nname = \"rules\"\n\n[enrich.dates]\nmin_year = 1960\n",
                      encoding="utf-8")
    years = [[d.value[:4] for d in article.dates]
             for article in _ingested_under(tmp_path, [
                 PipelineConfig.from_dict({"ner": {"name": "rules"}}),
                 PipelineConfig.from_toml(narrow)])]
    assert years == [["1950", "2011"], ["2011"]]
    from storyline.enrich.language import LanguageConfig, identify_language

    text = "Le gouvernement a annoncé des mesures pour les agriculteurs."
    assert identify_language(text)[0] == "fr"
    assert identify_language(text, LanguageConfig(sample_chars=3))[0] is None


def _ingested_under(tmp_path: Path, configs: list[PipelineConfig]) -> list[Article]:
    """The one article of tmp_path/corpus as each configuration ingests it, each into a store
    of its own."""
    articles = []
    for number, config in enumerate(configs):
        with Store(tmp_path / f"{number}.db") as store:
            ingest([str(tmp_path / "corpus")], store, parallel=False, cluster=False,
                   config=config)
            articles.append(next(store.iter_articles()))
    return articles
