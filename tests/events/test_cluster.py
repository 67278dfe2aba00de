"""Online event clustering on articles written for these tests (no shared data)."""

from __future__ import annotations

import json

import pytest

from storyline import forked
from storyline.events.cluster import EventClusterer
from storyline.events.dating import EVENT_REASON_PREFIX
from storyline.model import Article
from storyline.pipeline import recluster, update_events
from storyline.store import Store


def make(article_id: str, title: str, text: str, language: str = "en",
         published: str | None = "2024-03-12") -> Article:
    return Article(id=article_id, source=f"test:{article_id}", title=title, text=text,
                   language=language, published=published, outlet=f"outlet-{language}")


QUAKE = [
    make("quake-en", "Earthquake of magnitude 6.8 strikes southern Peru, killing 12",
         "A strong earthquake of magnitude 6.8 struck southern Peru on Tuesday, killing at least "
         "12 people and damaging hundreds of homes in the Arequipa region, officials said. Rescue "
         "teams were searching collapsed buildings through the night."),
    make("quake-es", "Un sismo de magnitud 6,8 sacude el sur de Perú y deja 12 muertos",
         "Un fuerte terremoto de magnitud 6,8 sacudió el martes el sur de Perú, causando al menos "
         "12 muertos y daños en cientos de viviendas en la región de Arequipa, informaron las "
         "autoridades. Los equipos de rescate buscan entre los edificios derrumbados.", "es"),
    make("quake-ru", "Землетрясение магнитудой 6,8 произошло на юге Перу, погибли 12 человек",
         "Сильное землетрясение магнитудой 6,8 произошло во вторник на юге Перу. По данным "
         "властей, погибли не менее 12 человек, сотни домов в регионе Арекипа повреждены. "
         "Спасатели всю ночь искали людей под завалами.", "ru", published=None),
    make("quake-ar", "زلزال بقوة 6.8 درجات يضرب جنوب بيرو ويقتل 12 شخصا",
         "ضرب زلزال قوي بقوة 6.8 درجات جنوب بيرو يوم الثلاثاء، مما أسفر عن مقتل 12 شخصا على "
         "الأقل وتضرر مئات المنازل في منطقة أريكيبا، بحسب السلطات. وتبحث فرق الإنقاذ بين "
         "المباني المنهارة.", "ar"),
]
BANK = [
    make("bank-1", "Central bank raises its key interest rate to 5 percent",
         "The central bank raised its benchmark interest rate by half a point to 5 percent on "
         "Tuesday, citing stubborn inflation in food and energy prices. Economists had expected "
         "a smaller increase."),
    make("bank-2", "Rate rise: central bank lifts borrowing costs to 5%",
         "Borrowing costs went up on Tuesday after the central bank lifted its key rate to 5 "
         "percent, its largest move in a decade, to fight inflation in food and energy prices."),
]
SUMMITS = [
    make("summit-2015-a", "Alvarez and Brandt meet in Vienna to discuss the gas pipeline",
         "President Marta Alvarez and Chancellor Otto Brandt met in Vienna on Tuesday to discuss "
         "the planned gas pipeline, agreeing to set up a joint working group.",
         published="2015-06-02"),
    make("summit-2015-b", "Vienna talks: Alvarez, Brandt agree on pipeline working group",
         "Meeting in Vienna, Alvarez and Brandt agreed on Tuesday to form a working group on the "
         "gas pipeline project, officials from both governments said.", published="2015-06-02"),
    make("summit-2021-a", "Alvarez and Brandt meet again in Vienna, this time on trade",
         "President Marta Alvarez and Chancellor Otto Brandt met in Vienna on Wednesday to "
         "discuss trade tariffs, six years after their first talks there.",
         published="2021-09-15"),
    make("summit-2021-b", "Brandt hosts Alvarez in Vienna for talks on trade tariffs",
         "Chancellor Otto Brandt hosted President Marta Alvarez in Vienna on Wednesday for talks "
         "on trade tariffs between their two countries.", published="2021-09-15"),
]


def partition(model: EventClusterer) -> set[frozenset[str]]:
    return {frozenset(event.members) for event in model.events_.values()}


QUAKE_IDS = frozenset(a.id for a in QUAKE)
BANK_IDS = frozenset(a.id for a in BANK)


@pytest.fixture(scope="module")
def vectors() -> dict:
    from storyline.embed import embed_articles, get_encoder

    return embed_articles(None, QUAKE + BANK + SUMMITS, get_encoder("use"))


def test_one_event_told_in_four_languages_is_one_event(vectors) -> None:
    model = EventClusterer().fit(QUAKE + BANK, vectors)
    assert partition(model) == {QUAKE_IDS, BANK_IDS}
    # The Arabic report joined across languages: its recorded scores say so.
    joined = model.events_[model.assignment_["quake-ar"]].scores["quake-ar"]
    assert joined["crosslingual"] > 0 and joined["total"] >= model.threshold


def test_what_the_records_and_features_keep_is_a_parameter_saved_with_the_state(vectors
                                                                                  ) -> None:
    model = EventClusterer(top_entities=1, sparse_chars=40).fit(QUAKE + BANK, vectors)
    by_id = {a.id: a for a in QUAKE + BANK}
    assert all(len(event.entities) <= 1 for event in model.to_events(by_id))
    assert all(len(model.features_[a.id].terms) < 20 for a in QUAKE + BANK)
    again = EventClusterer.from_header(json.loads(json.dumps(model.header())))
    assert again.get_params() == model.get_params()
    assert again.feature_config.sparse_chars == 40


def test_same_actors_years_apart_are_two_events(vectors) -> None:
    model = EventClusterer().fit(SUMMITS, vectors)
    assert partition(model) == {
        frozenset({"summit-2015-a", "summit-2015-b"}),
        frozenset({"summit-2021-a", "summit-2021-b"}),
    }


def test_an_event_out_of_every_new_articles_time_window_is_not_scored(vectors, monkeypatch
                                                                      ) -> None:
    model = EventClusterer().partial_fit(SUMMITS[:2], vectors)
    scored: set[str] = set()
    pair_scores = model._pair_scores

    def recording(rows, columns):  # type: ignore[no-untyped-def]
        scored.update(column.id for column in columns)
        return pair_scores(rows, columns)

    monkeypatch.setattr(model, "_pair_scores", recording)
    # The 2021 talks name the same people and place: the 2015 event is among their candidates,
    # six years out of their window, so its members never become a column.
    model.partial_fit(SUMMITS[2:], vectors)
    assert scored and not scored & {"summit-2015-a", "summit-2015-b"}
    assert partition(model) == {frozenset({"summit-2015-a", "summit-2015-b"}),
                                frozenset({"summit-2021-a", "summit-2021-b"})}
    # An undated article is within every window: the old event is scored again.
    undated = make("summit-undated", SUMMITS[0].title, SUMMITS[0].text, published=None)
    model.partial_fit([undated], vectors | {undated.id: vectors[SUMMITS[0].id]})
    assert scored & {"summit-2015-a", "summit-2015-b"}


def test_every_assignment_records_its_scores(vectors) -> None:
    model = EventClusterer().fit(BANK, vectors)
    event = model.events_[model.assignment_["bank-1"]]
    assert event.id == "ev-bank-1"  # the founding article names the event
    assert event.scores["bank-1"]["founder"] == 1.0
    second = event.scores["bank-2"]
    assert set(second) >= {"dense", "sparse", "time", "total"}
    assert second["time"] == 1.0  # same day


def test_fit_is_deterministic_for_a_given_order(vectors) -> None:
    stream = SUMMITS + BANK + QUAKE
    first = EventClusterer().fit(stream, vectors)
    second = EventClusterer().fit(stream, vectors)
    assert first.assignment_ == second.assignment_
    assert first.to_bytes() == second.to_bytes()


@pytest.mark.parametrize("batch_size", [1, 2, 5])
def test_micro_batches_find_the_same_events(vectors, batch_size: int) -> None:
    stream = QUAKE + BANK
    model = EventClusterer()
    for start in range(0, len(stream), batch_size):
        model.partial_fit(stream[start : start + batch_size], vectors)
    assert partition(model) == {QUAKE_IDS, BANK_IDS}
    assert set(model.events_) == {"ev-quake-en", "ev-bank-1"}


def without_index(model: EventClusterer) -> dict:
    state = json.loads(model.to_bytes())
    del state["index"]
    return state


def test_state_round_trips_through_the_store_mid_stream(store, vectors) -> None:
    stream = SUMMITS + BANK + QUAKE
    uninterrupted = EventClusterer(consolidate_every=3)
    uninterrupted.partial_fit(stream[:5], vectors).partial_fit(stream[5:], vectors)

    first_half = EventClusterer(consolidate_every=3).partial_fit(stream[:5], vectors)
    store.put_state("clusterer", first_half.to_bytes())
    resumed = EventClusterer.from_bytes(store.get_state("clusterer"))
    assert resumed.get_params() == first_half.get_params()
    assert resumed.assignment_ == first_half.assignment_
    resumed.partial_fit(stream[5:], vectors)
    assert resumed.assignment_ == uninterrupted.assignment_
    # The neighbour index's graph may be laid out otherwise after a restore (HNSW levels are
    # drawn as vectors arrive); it indexes the same articles, and all else is identical.
    assert resumed.index_.ids == uninterrupted.index_.ids
    assert without_index(resumed) == without_index(uninterrupted)


def test_update_events_is_incremental_and_recluster_rebuilds(store) -> None:
    for article in BANK[:1] + QUAKE:
        store.add_article(article)
    events = update_events(store)
    assert {frozenset(e.article_ids) for e in events} == {QUAKE_IDS, frozenset({"bank-1"})}
    quake = next(e for e in events if "quake-en" in e.article_ids)
    assert quake.date == "2024-03-12"  # the undated Russian report inherits it
    assert quake.languages == ["ar", "en", "es", "ru"]
    assert quake.title in {a.title for a in QUAKE}
    assert all("total" in m.scores for m in quake.members)

    store.add_article(BANK[1])
    update_events(store)
    saved = {e.id: set(e.article_ids) for e in store.list_events()}
    assert saved == {quake.id: set(QUAKE_IDS), "ev-bank-1": set(BANK_IDS)}

    rebuilt = recluster(store)
    assert {e.id: set(e.article_ids) for e in rebuilt} == saved


def test_periodic_pass_merges_converged_events_keeping_the_older_id(vectors) -> None:
    model = EventClusterer(threshold=5.0).partial_fit(BANK + QUAKE[:1], vectors)
    assert len(model.events_) == 3  # the impossible threshold opened one event per article
    model.consolidate()
    assert partition(model) == {BANK_IDS, frozenset({"quake-en"})}
    assert set(model.events_) == {"ev-bank-1", "ev-quake-en"}
    assert model.events_["ev-bank-1"].scores["bank-1"]["founder"] == 1.0


def test_a_pass_names_as_changed_only_the_events_whose_members_changed(vectors) -> None:
    model = EventClusterer(threshold=5.0).partial_fit(BANK + QUAKE[:1], vectors)
    model.changed_ = {}
    model.consolidate()  # bank-2 joins ev-bank-1; ev-quake-en comes out as it was
    assert set(model.changed_) == {"ev-bank-1", "ev-bank-2"}
    model.changed_ = {}
    model.neighbourhood_ = dict.fromkeys(model.events_)
    model.consolidate()
    assert partition(model) == {BANK_IDS, frozenset({"quake-en"})} and not model.changed_


def test_periodic_pass_splits_a_drifted_event(vectors) -> None:
    model = EventClusterer(threshold=-5.0).partial_fit(BANK + QUAKE[:1], vectors)
    assert len(model.events_) == 1  # the permissive threshold let everything in
    model.consolidate()
    assert partition(model) == {BANK_IDS, frozenset({"quake-en"})}
    assert set(model.events_) == {"ev-bank-1", "ev-quake-en"}
    assert model.assignment_["quake-en"] == "ev-quake-en"


def test_periodic_pass_holds_a_large_events_settled_core_together(vectors) -> None:
    def with_settled_core(**params) -> EventClusterer:  # type: ignore[no-untyped-def]
        model = EventClusterer(threshold=-5.0, **params).partial_fit(BANK + QUAKE[:1], vectors)
        model.events_["ev-bank-1"].settled = 3  # as if a pass had placed the three together
        return model.partial_fit(SUMMITS[:1], vectors)  # joins since (the threshold lets it)

    model = with_settled_core(consolidation_sample=2)
    compared = []
    pass_distances = model._pass_distances

    def counting(items, represented):  # type: ignore[no-untyped-def]
        compared.append([item.id for item in items])
        return pass_distances(items, represented)

    model._pass_distances = counting  # type: ignore[method-assign]
    model.consolidate()
    # Larger than the sample: the core took part through two representatives (the latest and
    # one of the older ones) and stayed whole; the report that joined since was placed alone.
    assert compared == [["bank-1", "quake-en", "summit-2015-a"]]
    assert partition(model) == {BANK_IDS | {"quake-en"}, frozenset({"summit-2015-a"})}
    assert model.events_["ev-bank-1"].members == ["bank-1", "bank-2", "quake-en"]
    assert model.events_["ev-bank-1"].settled == 3
    # An event no larger than the sample is consolidated member by member: the core splits.
    model = with_settled_core()
    model.consolidate()
    assert partition(model) == {BANK_IDS, frozenset({"quake-en"}), frozenset({"summit-2015-a"})}
    assert all(e.settled == len(e.members) for e in model.events_.values())


@pytest.mark.parametrize("sample", [0, 1, 2, 3, 40])
def test_a_core_is_seen_through_its_latest_members_and_a_spread_of_the_older(sample: int
                                                                            ) -> None:
    core = [f"a{n}" for n in range(100)]
    shown = EventClusterer(consolidation_sample=sample)._representatives(core)
    assert 1 <= len(shown) <= max(sample, 1) and len(set(shown)) == len(shown)
    assert shown == sorted(shown, key=core.index)  # in member order
    assert shown[-(sample // 2):] == core[-(sample // 2):] if sample > 1 else shown == ["a0"]
    if sample == 40:
        assert shown[:3] == ["a0", "a4", "a8"]  # every 4th of the 80 older members


def test_forgetting_a_settled_member_shrinks_the_settled_core(vectors) -> None:
    model = EventClusterer().fit(BANK + QUAKE[:1], vectors)
    model.partial_fit(QUAKE[1:2], vectors)
    quake = model.events_[model.assignment_["quake-en"]]
    assert (quake.members, quake.settled) == (["quake-en", "quake-es"], 1)
    model.forget(["quake-en"])
    assert (quake.members, quake.settled) == (["quake-es"], 0)


def saved_state(store: Store) -> str:
    """Events, storylines and articles as stored, serialised."""
    return json.dumps({
        "events": [e.to_dict() for e in store.list_events()],
        "storylines": [s.to_dict() for s in store.list_storylines()],
        "articles": [a.to_dict() for a in store.iter_articles()],
    }, sort_keys=True)


def test_recluster_twice_gives_byte_identical_events(store) -> None:
    undated_bank = [make(a.id, a.title, a.text, published=None) for a in BANK]
    for article in SUMMITS + QUAKE + undated_bank:
        store.add_article(article)
    update_events(store)
    recluster(store)
    first = saved_state(store)
    recluster(store)
    assert saved_state(store) == first

    # What earlier events dated sets the publication order the store reads in; a rebuild must
    # not depend on it (before, the two undated bank reports swapped and the event's id with them).
    for article, day in zip(store.get_articles(["bank-1", "bank-2"]), ("2024-03-20", "2024-03-01"),
                           strict=True):
        article.published, article.published_source = day, "inferred"
        article.published_reason = f"{EVENT_REASON_PREFIX} ev-old: the date its dated reports give"
        store.update_article(article)
    recluster(store)
    assert saved_state(store) == first


def test_events_and_storylines_are_saved_in_one_transaction(store, monkeypatch) -> None:
    for article in BANK[:1] + QUAKE:
        store.add_article(article)
    update_events(store)
    events_before = [e.to_dict() for e in store.list_events()]
    store.add_article(BANK[1])

    def killed(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("killed between the event save and the storyline save")

    monkeypatch.setattr(store, "save_storylines", killed)
    # In this process, where the patched store is (a forked update opens a store of its own).
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    with pytest.raises(RuntimeError):
        update_events(store)
    monkeypatch.undo()
    # The previous consistent state: bank-2 is not half-saved into an event.
    assert [e.to_dict() for e in store.list_events()] == events_before
    update_events(store)
    assert "bank-2" in store.get_event("ev-bank-1").article_ids


def test_an_update_reads_the_new_articles_only_and_rewrites_the_events_they_change(
        store, monkeypatch) -> None:
    for article in SUMMITS + BANK[:1]:
        store.add_article(article)
    update_events(store)
    untouched = {e.id: e.to_dict() for e in store.list_events() if e.id != "ev-bank-1"}

    def whole_table(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("an incremental update read every stored article")

    monkeypatch.setattr(store, "iter_articles", whole_table)
    store.add_article(BANK[1])
    changed = update_events(store)
    assert [e.id for e in changed] == ["ev-bank-1"]
    assert set(changed[0].article_ids) == BANK_IDS
    assert {e.id: e.to_dict() for e in store.list_events() if e.id != "ev-bank-1"} == untouched
    assert update_events(store) == []  # nothing new, nothing written
    monkeypatch.undo()
    online = {frozenset(e.article_ids) for e in store.list_events()}
    recluster(store)
    assert {frozenset(e.article_ids) for e in store.list_events()} == online


def test_twelve_growing_stories_stay_twelve_events_with_the_pass_bounded() -> None:
    from storyline.bench.soak import story
    from storyline.embed import get_encoder

    articles = [make(f"a{n:04d}", story(n)[0], "\n\n".join(story(n)[1]), published="2026-11-30")
                for n in range(12 * 60)]
    encoded = get_encoder("tfidf").encode([a.title + "\n" + a.text for a in articles])
    vectors = dict(zip([a.id for a in articles], encoded, strict=True))
    model = EventClusterer(encoder="tfidf")
    compared: list[int] = []
    pass_distances = model._pass_distances

    def counting(items, represented):  # type: ignore[no-untyped-def]
        compared.append(len(items))
        return pass_distances(items, represented)

    model._pass_distances = counting  # type: ignore[method-assign]
    for start in range(0, len(articles), 16):  # as the watcher's updates feed them
        model.partial_fit(articles[start : start + 16], vectors)
        model.consolidate()
    stories = {frozenset(int(m[1:]) % 12 for m in e.members) for e in model.events_.values()}
    assert stories == {frozenset({topic}) for topic in range(12)}  # none split, none mixed
    # Once the stories pass 40 reports, a pass sees 40 of each and the new ones, not all 720.
    assert max(compared) <= 12 * 40 + 16 and compared[-1] < 720
