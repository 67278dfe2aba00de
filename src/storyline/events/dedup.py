"""Near-duplicates: copy groups, shared passages and originality.

Copies of one wire story are one source, not independent confirmation. Candidates come from
datasketch MinHash LSH over word shingles (so thousands of articles are compared without all
pairs), and every candidate pair is then verified on its exact shingle sets: a pair is a copy when
the Jaccard is high, or when most of the shorter text sits inside the longer one (a trimmed wire
story, or one with an added paragraph). Copies group transitively; the earliest publisher of a
group is its origin.
"""

from __future__ import annotations

import base64
import functools
import re
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from datasketch import MinHash, MinHashLSH

from storyline.events.config import DedupConfig
from storyline.model import Article, Event
from storyline.store import Store

_WORD = re.compile(r"\w+")
# Splits a text into separator, word, separator, ..., separator.
_WORD_SPLIT = re.compile(r"(\w+)")
# datasketch hashes with sha1 by default; a fixed seed keeps signatures identical across runs.
_MINHASH_SEED = 1
# Shingle sets and articles read from the store that an update holds at once beyond those it
# was given (a set of a long article is ~100 KB): bounds on memory, not on what is compared.
SHINGLE_SETS_HELD = 512
ARTICLES_HELD = 512


@dataclass
class DuplicateGroup:
    """Articles that copy one another; `origin` published first, `copies` in publication order."""

    origin: str
    copies: list[str]
    # Exact shingle Jaccard of each copy with the origin (the reason it is called a copy).
    similarity: dict[str, float] = field(default_factory=dict)

    @property
    def members(self) -> list[str]:
        return [self.origin, *self.copies]


def _normal(word: str) -> str:
    # NFKC only where it can matter: it is the slow part of tokenising long ASCII texts.
    return word.casefold() if word.isascii() else unicodedata.normalize("NFKC", word).casefold()


class _PassageText:
    """A text as passages compare it: its normalised words, their runs of `size` words, and
    (built on first use) where each run starts and where each word sits in the text. Kept for
    the texts seen last: a brief compares each pair of up to BRIEF_PASSAGE_MAX_MEMBERS members,
    so each text was tokenised, and its runs indexed, once per pair."""

    def __init__(self, text: str, size: int) -> None:
        self.text = text
        self.words = normalized_words(text)
        self.runs = list(_runs(self.words, size))
        self._starts: dict[int, dict[tuple[str, ...], Sequence[int]]] = {}
        self._spans: list[tuple[int, int]] | None = None

    def starts(self, max_candidates: int) -> dict[tuple[str, ...], Sequence[int]]:
        """Each run -> its first `max_candidates` positions. Built in C where it can be: a
        run found once (nearly all of them) maps to its one position, and only the repeated
        runs are looked for position by position."""
        if max_candidates not in self._starts:
            runs = self.runs
            # Positions from the last down to the first: each run keeps its first position.
            starts: dict[tuple[str, ...], Sequence[int]] = dict(
                zip(reversed(runs), zip(range(len(runs) - 1, -1, -1)), strict=True))
            if len(starts) < len(runs):
                repeated = {run for run, count in Counter(runs).items() if count > 1}
                positions: dict[tuple[str, ...], list[int]] = {run: [] for run in repeated}
                for position, run in enumerate(runs):
                    if run in repeated and len(positions[run]) < max_candidates:
                        positions[run].append(position)
                starts.update(positions.items())
            self._starts[max_candidates] = starts
        return self._starts[max_candidates]

    def spans(self) -> list[tuple[int, int]]:
        """(start, end) of each word in the text: the text split into separators and words
        (`\\w` finds the same words in the text as in its casefolded ASCII form, and NFKC and
        casefolding happen per word), their lengths summed up."""
        if self._spans is None:
            ends = list(accumulate(map(len, _WORD_SPLIT.split(self.text))))
            self._spans = list(zip(ends[0::2], ends[1::2], strict=False))
        return self._spans


@functools.lru_cache(maxsize=64)
def _passage_text(text: str, size: int) -> _PassageText:
    return _PassageText(text, size)


def normalized_words(text: str) -> list[str]:
    """The word sequence shingles and passages are computed on ("Geneva-2" = "GENEVA 2")."""
    if text.isascii():  # one casefold of the whole text gives the same words, faster
        return _WORD.findall(text.casefold())
    return [_normal(word) for word in _WORD.findall(text)]


def shingles(text: str, size: int = DedupConfig.shingle_words) -> set[str]:
    """Word `size`-grams of the normalised text (a short text is one shingle of all its words)."""
    words = normalized_words(text)
    if not words:
        return set()
    if len(words) < size:
        return {" ".join(words)}
    return set(map(" ".join, _runs(words, size)))


def _runs(words: Sequence[str], size: int) -> Iterable[tuple[str, ...]]:
    """Every run of `size` consecutive words, as tuples: built by `zip` over shifted copies, in
    C, instead of a slice per position (shingles and passage seeds of every article of every
    update and brief)."""
    if size < 1:
        return (tuple(words[i : i + size]) for i in range(len(words) - size + 1))
    return zip(*(words[i:] for i in range(size)), strict=False)


def publication_order_key(article: Article, position: int = 0) -> tuple:
    """Earliest published first; undated last; ties by ingest time, input position, then id."""
    return (
        article.published is None,
        article.published or "",
        article.ingested_at or "",
        position,
        article.id,
    )


@functools.cache
def _lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) for a threshold: datasketch integrates for these on every index, ~60 ms."""
    index = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return index.b, index.r


def _is_copy(first: set[str], second: set[str], config: DedupConfig) -> bool:
    """The exact check behind an LSH candidate: high Jaccard, or one text inside the other."""
    if not first or not second:
        return False
    common = len(first & second)
    jaccard = common / len(first | second)
    containment = common / min(len(first), len(second))
    return jaccard >= config.jaccard or containment >= config.containment


def find_duplicate_groups(articles: Iterable[Article], config: DedupConfig | None = None
                          ) -> list[DuplicateGroup]:
    """Groups of exact and near copies (singletons are not reported), in origin order.

    Deterministic, and the groups as sets do not depend on input order: candidates come from
    one LSH index holding every article, and each candidate pair is verified symmetrically.
    """
    config = config or DedupConfig()
    ordered = _in_publication_order(articles)
    return _duplicate_groups(
        list(ordered), {aid: shingles(a.text, config.shingle_words) for aid, a in ordered.items()},
        config)


def _in_publication_order(articles: Iterable[Article]) -> dict[str, Article]:
    """Articles by id in publication order (the first of repeated ids wins)."""
    ordered: dict[str, Article] = {}
    for _, article in sorted(
        enumerate(articles), key=lambda pair: publication_order_key(pair[1], pair[0])
    ):
        ordered.setdefault(article.id, article)
    return ordered


def _duplicate_groups(  # noqa: C901 - LSH query, verify and group in one loop
    ids: list[str], shingle_sets: dict[str, set[str]], config: DedupConfig
) -> list[DuplicateGroup]:
    """Copy groups among `ids` (given in publication order) from their shingle sets."""
    rank = {aid: position for position, aid in enumerate(ids)}
    lsh = MinHashLSH(
        num_perm=config.num_perm,
        params=_lsh_bands(config.lsh_threshold, config.num_perm),
    )
    hashed = [aid for aid in ids if shingle_sets[aid]]
    # bulk() shares one set of permutations instead of drawing them per article.
    signatures = dict(
        zip(
            hashed,
            MinHash.bulk(_encoded(shingle_sets, hashed), num_perm=config.num_perm,
                         seed=_MINHASH_SEED),
            strict=True,
        )
    )
    with lsh.insertion_session() as session:
        for aid, signature in signatures.items():
            session.insert(aid, signature)

    parent = {aid: aid for aid in ids}

    def root(aid: str) -> str:
        while parent[aid] != aid:
            parent[aid] = parent[parent[aid]]
            aid = parent[aid]
        return aid

    for aid, signature in signatures.items():
        for other in lsh.query(signature):
            if other <= aid:  # each unordered pair once
                continue
            if _is_copy(shingle_sets[aid], shingle_sets[other], config):
                first, second = sorted((root(aid), root(other)), key=rank.__getitem__)
                parent[second] = first

    members: dict[str, list[str]] = {}
    for aid in ids:
        members.setdefault(root(aid), []).append(aid)
    groups = []
    for group_ids in members.values():
        if len(group_ids) < 2:
            continue
        origin, copies = group_ids[0], group_ids[1:]
        similarity = {cid: _jaccard(shingle_sets[origin], shingle_sets[cid]) for cid in copies}
        groups.append(DuplicateGroup(origin=origin, copies=copies, similarity=similarity))
    return groups


def _encoded(shingle_sets: Mapping[str, set[str]], ids: list[str]) -> Iterator[list[bytes]]:
    """The shingles of each of `ids` as MinHash hashes them, one article's at a time: made for
    all at once, an update's 500 new articles held ~80 MB of them beside their sets."""
    for aid in ids:
        yield [shingle.encode("utf-8") for shingle in sorted(shingle_sets[aid])]


def _jaccard(first: set[str], second: set[str]) -> float:
    union = first | second
    return round(len(first & second) / len(union), 4) if union else 0.0


def passage_seeds(article: Article, min_words: int) -> set[tuple[str, ...]]:
    """The runs of `min_words` words of the article: two articles share a passage of at least
    that many words only when these sets meet (a set test instead of `shared_passages`)."""
    return set(_passage_text(article.text, min_words).runs)


def shared_passages(a: Article, b: Article, min_words: int, max_candidates: int) -> list[str]:
    """Maximal runs of at least `min_words` identical (normalised) words found in both articles.

    Passages are returned as they are written in `a`, in `a`'s order, each once. Words are
    compared after NFKC + casefold with punctuation ignored, so quoting the same statement with
    other quote marks or hyphens still counts. `max_candidates` bounds the occurrences of one
    run of words looked at in `b` (repetitive input).
    """
    min_words = max(1, min_words)
    first, second = _passage_text(a.text, min_words), _passage_text(b.text, min_words)
    words_a, words_b = first.words, second.words
    if len(words_a) < min_words or len(words_b) < min_words:
        return []
    seeds = second.starts(max_candidates)
    runs_a = first.runs
    passages: list[str] = []
    i = 0
    while i < len(runs_a):
        candidates = seeds.get(runs_a[i])
        if not candidates:
            i += 1
            continue
        longest = 0
        for j in candidates:
            length = min_words
            while (
                i + length < len(words_a)
                and j + length < len(words_b)
                and words_a[i + length] == words_b[j + length]
            ):
                length += 1
            longest = max(longest, length)
        spans = first.spans()
        passage = a.text[spans[i][0] : spans[i + longest - 1][1]]
        if passage not in passages:
            passages.append(passage)
        i += longest
    return passages


def originality(article: Article, others: Iterable[Article]) -> float:
    """Share of the article's shingles not seen in any of `others` published before it.

    1.0 = nothing reused from earlier articles; 0.0 = a verbatim copy. Publication order is
    `publication_order_key`, so an undated article counts as later than dated ones.
    """
    key = publication_order_key(article)
    earlier = [
        shingles(other.text)
        for other in others
        if other.id != article.id and publication_order_key(other) < key
    ]
    return _originality(shingles(article.text), earlier)


def _originality(own: set[str], earlier: Iterable[set[str]]) -> float:
    if not own:
        return 1.0
    seen: set[str] = set()
    for other in earlier:
        seen |= other & own
    return round(1.0 - len(seen) / len(own), 4)


def bucket_key(band: int, values: bytes) -> str:
    """An LSH bucket's row key: the band, then its hash values in base64 (16 characters for
    the 12 bytes of a band; hex took 24, in 35 bucket rows an article)."""
    return f"{band}.{base64.b64encode(values).decode('ascii')}"


class CopyIndex:
    """Copy links found through MinHash LSH, kept per article and per LSH bucket, so adding an
    article costs its own bands and the candidates in them, not the articles already indexed.

    `buckets` maps `bucket_key`s to the ids whose signature fell in it, `copies` maps each indexed
    article to the ids verified as its copies (both ways). Dicts for a one-off run, or the
    store's row mappings (`storyline.events.rows`) to keep the index between runs. The groups
    are those of `find_duplicate_groups`: the same candidates, verified the same way, linked
    transitively."""

    def __init__(self, buckets: MutableMapping[str, list[str]],
                 copies: MutableMapping[str, list[str]], config: DedupConfig | None = None
                 ) -> None:
        self.buckets = buckets
        self.copies = copies
        self.config = config or DedupConfig()

    def add(self, articles: Iterable[Article], load: Callable[[list[str]], list[Article]]
            ) -> set[str]:
        """Index the articles not indexed yet (`load` fetches candidates' texts); returns the
        ids whose copy links changed."""
        ordered = _in_publication_order(articles)
        _prefetch(self.copies, ordered)
        todo = [aid for aid in ordered if aid not in self.copies]
        config = self.config
        shingle_sets = {aid: shingles(ordered[aid].text, config.shingle_words) for aid in todo}
        hashed = [aid for aid in todo if shingle_sets[aid]]
        bands, rows = _lsh_bands(config.lsh_threshold, config.num_perm)
        signatures = MinHash.bulk(_encoded(shingle_sets, hashed), num_perm=config.num_perm,
                                  seed=_MINHASH_SEED)
        keys = {aid: [bucket_key(band, signature.hashvalues[band * rows:(band + 1) * rows]
                                 .tobytes()) for band in range(bands)]
                for aid, signature in zip(hashed, signatures, strict=True)}
        _prefetch(self.buckets, (key for band_keys in keys.values() for key in band_keys))
        changed: set[str] = set()
        # Shingles of indexed articles found as candidates, the latest SHINGLE_SETS_HELD: a
        # story retold in many stored articles makes each of them a candidate of the next,
        # and all their sets, kept, grew with the store.
        held: OrderedDict[str, set[str]] = OrderedDict()
        for aid in todo:
            self.copies[aid] = []
            candidates = list(dict.fromkeys(
                other for key in keys.get(aid, ()) for other in self.buckets.get(key, ())))
            _held_last(held, candidates)
            missing = [c for c in candidates if c not in shingle_sets and c not in held]
            held.update((a.id, shingles(a.text, config.shingle_words)) for a in load(missing))
            _prefetch(self.copies, candidates)
            for other in candidates:
                other_set = shingle_sets[other] if other in shingle_sets else held.get(other, set())
                if _is_copy(shingle_sets[aid], other_set, config):
                    self.copies[aid] = [*self.copies[aid], other]
                    self.copies[other] = [*self.copies.get(other, []), aid]
                    changed |= {aid, other}
            for key in keys.get(aid, ()):
                self.buckets[key] = [*self.buckets.get(key, ()), aid]
            _forget_oldest(held, SHINGLE_SETS_HELD)
        return changed

    def group(self, article_id: str) -> list[str]:
        """Ids linked to `article_id` through copies, itself included (unordered)."""
        seen = {article_id: None}
        frontier = [article_id]
        while frontier:
            _prefetch(self.copies, frontier)
            frontier = [o for a in frontier for o in self.copies.get(a, ()) if o not in seen]
            seen.update(dict.fromkeys(frontier))
        return list(seen)


def _prefetch(mapping: MutableMapping[str, list[str]], keys: Iterable[str]) -> None:
    prefetch = getattr(mapping, "prefetch", None)
    if prefetch is not None:
        prefetch(list(keys))


def assign_roles(
    events: list[Event],
    articles: Mapping[str, Article] | Iterable[Article],
    store: Store | None = None,
    index: CopyIndex | None = None,
) -> set[str]:
    """Set each member's role (origin / copy with `copy_of` / independent) and originality.

    The members are added to `index` (a fresh one when None), so a copy is found whatever event
    its origin was clustered into, as long as the origin was indexed before. Articles missing
    from `articles` are loaded from `store`. Each member also gets `scores["originality"]`,
    measured against the earlier members of its own event and copy group. Returns the ids whose
    copy links changed: the events holding them need their roles set again.
    """
    pool: dict[str, Article] = dict(
        articles.items() if isinstance(articles, Mapping) else ((a.id, a) for a in articles)
    )
    index = index if index is not None else CopyIndex({}, {})
    # Articles read from the store (copies in other events, candidates), and shingle sets,
    # the latest ARTICLES_HELD and SHINGLE_SETS_HELD: a story retold in many stored articles
    # links them all in one copy group, which every member's group brings in.
    loaded: OrderedDict[str, Article | None] = OrderedDict()
    shingle_sets: OrderedDict[str, set[str]] = OrderedDict()

    def load(ids: Iterable[str]) -> list[Article]:
        ids = list(ids)
        wanted = [i for i in ids if i not in pool and i not in loaded]
        _held_last(loaded, ids)
        if wanted:
            found = {a.id: a for a in store.get_articles(wanted)} if store is not None else {}
            loaded.update((i, found.get(i)) for i in wanted)
        chosen = [pool[i] if i in pool else loaded[i] for i in ids]
        _forget_oldest(loaded, ARTICLES_HELD)
        return [a for a in chosen if a is not None]

    def shingles_of(article: Article) -> set[str]:
        found = shingle_sets.get(article.id)
        if found is None:
            found = shingle_sets[article.id] = shingles(article.text, index.config.shingle_words)
        shingle_sets.move_to_end(article.id)
        _forget_oldest(shingle_sets, SHINGLE_SETS_HELD)
        return found

    members = [m.article_id for e in events for m in e.members]
    changed = index.add(load(members), load)

    for event in events:
        for member in event.members:
            aid = member.article_id
            linked = load(index.group(aid))
            group = list(_in_publication_order(linked)) if len(linked) > 1 else []
            if not group:
                member.role, member.copy_of = "independent", None
            elif aid == group[0]:
                member.role, member.copy_of = "origin", None
            else:
                member.role, member.copy_of = "copy", group[0]
            own = load([aid])
            if not own:
                continue
            neighbours = load({m.article_id for m in event.members} | set(group))
            key = publication_order_key(own[0])
            member.scores["originality"] = _originality(
                shingles_of(own[0]),
                (shingles_of(n) for n in neighbours
                 if n.id != aid and publication_order_key(n) < key),
            )
    return changed


def _held_last(held: OrderedDict[str, Any], keys: Iterable[str]) -> None:
    """Move those of `keys` that are held to the end of `held`: the last to be forgotten."""
    for key in keys:
        if key in held:
            held.move_to_end(key)


def _forget_oldest(held: OrderedDict[str, Any], capacity: int) -> None:
    while len(held) > capacity:
        held.popitem(last=False)
