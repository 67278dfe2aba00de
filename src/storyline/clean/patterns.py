"""Multilingual patterns for page furniture: section markers, widgets, forms, credits, trailers.

Each pattern describes a *kind* of line as pages in many languages print it (en es fr de it pt
ru ar, plus common variants), never one site's wording. They are only trusted on short lines;
the line scorer in `cleaner.py` decides the rest from features.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_I = re.IGNORECASE
# Patterns marked "casefolded" are written in lower case and searched in `str.casefold()` text:
# an IGNORECASE search of a long alternation costs 3-5 times as much, in every line of a page.

def _prefix_tree(words: tuple[str, ...]) -> str:
    """A pattern that finds any of `words`, its alternatives grouped by their first letters
    ("c(?:ancel|omment)" for "cancel" and "comment"): a search tries one branch per letter of
    the line, not one per word (a quarter faster for twenty words). A word that holds another
    at its start is left out: finding the shorter one is enough."""
    tree: dict[str, dict] = {}
    for word in sorted(words):
        node = tree
        for char in word:
            if "" in node:
                break  # a shorter word already ends here
            node = node.setdefault(char, {})
        else:
            node.clear()
            node[""] = {}

    def branches(node: dict[str, dict]) -> str:
        if "" in node:
            return ""
        options = [re.escape(char) + branches(child) for char, child in node.items()]
        return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

    return branches(tree)


class Keyed:
    """A pattern (casefolded, unless searched with `search_as_written`) and words one of which
    every match of it contains: a line holding none of them is passed over without running the
    pattern (lines are mostly story text, and a substring scan costs a fraction of a long
    alternation's search). Keep the words in step with the pattern: tests/clean/test_patterns.py
    checks a phrase of each branch."""

    def __init__(
        self, pattern: re.Pattern[str], words: tuple[str, ...], marks: tuple[str, ...] = ()
    ) -> None:
        self.pattern, self.words, self.marks = pattern, words, marks
        # One scan for all the words: a third faster than a substring test per word.
        any_word = re.compile(_prefix_tree(words)).search
        # `marks`: a few strings one of which every match holds (a bracket), looked for first:
        # a substring test costs a tenth of the words' scan.
        self._may_match: Callable[[str], object] = any_word if not marks else (
            lambda folded: any(map(folded.__contains__, marks)) and any_word(folded))

    def search(self, folded: str) -> re.Match[str] | None:
        return self.pattern.search(folded) if self._may_match(folded) else None

    def search_as_written(self, text: str) -> re.Match[str] | None:
        """For a pattern that reads the text as written (IGNORECASE, groups taken from the
        original): the words are looked for in the casefolded text, the pattern in `text`."""
        return self.pattern.search(text) if self._may_match(text.casefold()) else None


# A marker line that opens the reader-comment section (optionally with a count: "Comments 6").
COMMENT_MARKER_RE = re.compile(
    r"^\W*(?:\d+\s+)?(?:"
    r"(?:reader\s+|user\s+)?comments?|comment\s+section|discussion|responses?|replies"
    r"|leave\s+a\s+(?:reply|comment)|add\s+(?:a\s+|your\s+)?comment|post\s+a\s+comment"
    r"|(?:show|view|see|load|ver|mostrar|voir|afficher|показать|смотреть)\s+(?:all\s+|los\s+|les\s+"
    r"|todos\s+os\s+|все\s+)?(?:\d+\s+)?(?:comments?|comentarios|comentários|commentaires"
    r"|комментари\w*)|kommentare\s+(?:anzeigen|lesen)"
    r"|join\s+the\s+(?:discussion|conversation)|what\s+do\s+you\s+think\W*"
    r"|comentarios?|deja\s+(?:un|tu)\s+comentario|deixe\s+(?:um|seu)\s+comentário|comentários?"
    r"|commentaires?|laisser\s+un\s+commentaire|réagissez|réactions?"
    r"|kommentare?|schreibe\s+einen\s+kommentar|kommentieren|leserkommentare"
    r"|commenti|lascia\s+un\s+commento"
    r"|комментари[йяи]|оставить\s+комментарий|обсуждение"
    r"|التعليقات|تعليقات|أضف\s+تعليق|اترك\s+تعليقا"
    r")\s*[:(\[]?\s*\d*\s*[)\]]?\W*$",
    _I,
)
# The markers above that ask the reader to comment (they always open the comment section);
# casefolded.
COMMENT_CALL_RE = re.compile(
    r"leave|add\b|post\b|join|deja|deixe|laisser|réagissez|schreibe|kommentieren|lascia"
    r"|show|view|load|ver\b|mostrar|voir|afficher|anzeigen|lesen|показать|смотреть"
    r"|оставить|أضف|اترك",
)
# Markers after which the page lists other stories, not this one.
RELATED_MARKER_RE = re.compile(
    r"^\W*(?:"
    r"related(?:\s+(?:articles?|stories|news|content|coverage|posts?|topics?))?"
    r"|read\s+(?:more|also|next)|see\s+also|more\s+(?:on\s+this|from|stories|news)\b.*"
    r"|recommended(?:\s+for\s+you)?|you\s+(?:may|might)\s+also\s+like|most\s+(?:read|popular|viewed)"
    r"|trending(?:\s+now)?|latest\s+news|top\s+stories|editor'?s\s+picks?"
    r"|(?:à\s+)?lire\s+aussi|voir\s+aussi|sur\s+le\s+même\s+sujet|à\s+lire\s+également"
    r"|les\s+plus\s+lus"
    r"|te\s+puede\s+interesar|lea\s+también|leer\s+más|lee\s+también|noticias\s+relacionadas"
    r"|más\s+leídas|también\s+te\s+puede\s+interesar|relacionad[ao]s"
    r"|mehr\s+zum\s+thema|lesen\s+sie\s+auch|auch\s+interessant|meistgelesen"
    r"|das\s+könnte\s+sie\s+auch\s+interessieren|weitere\s+artikel"
    r"|leggi\s+anche|potrebbe\s+interessarti|articoli\s+correlati"
    r"|leia\s+(?:também|mais)|veja\s+também|saiba\s+mais|mais\s+lidas|más\s+información"
    r"|plus\s+d'info(?:s|rmations)?|mehr\s+dazu|подробнее"
    r"|читайте\s+также|смотрите\s+также|по\s+теме|похожие\s+новости|читать\s+далее"
    r"|اقرأ\s+أيضا[ًً]?|مواضيع\s+ذات\s+صلة|أخبار\s+ذات\s+صلة|الأكثر\s+قراءة"
    r")\s*[:»>.…]*\s*(?P<rest>.*)$",
    _I,
)
# Reader comment and reply forms, spam-filter notices; casefolded.
COMMENT_FORM_RE = Keyed(re.compile(
    r"enter\s+your\s+(?:comment|name|e-?mail)|your\s+e-?mail\s+(?:address\s+)?will\s+not\s+be"
    r"|required\s+fields\s+are\s+marked|akismet|save\s+my\s+name|notify\s+me\s+of"
    r"|cancel\s+reply|you\s+must\s+be\s+logged\s+in\s+to"
    r"|log\s+in\s+to\s+(?:comment|reply)|comments?\s+(?:are|is)\s+closed"
    r"|captcha|moderat(?:ed|ion)\s+(?:before|policy)"
    r"|^\W*(?:post|submit|your)\s+comment\W*$|^\W*(?:votre|ihr|tu|ваш)\s+(?:commentaire|kommentar"
    r"|comentario|комментарий)\W*$"
    r"|introduce\s+tu\s+comentario|tu\s+dirección\s+de\s+correo|campos\s+obligatorios"
    r"|votre\s+adresse\s+(?:e-?mail|de\s+messagerie)|champs\s+obligatoires"
    r"|ihre\s+e-?mail-?adresse\s+wird\s+nicht|pflichtfelder"
    r"|il\s+tuo\s+indirizzo\s+email|campi\s+obbligatori"
    r"|o\s+seu\s+endereço\s+de\s+e-?mail|campos\s+obrigatórios"
    r"|ваш\s+(?:e-?mail|адрес|комментарий)|обязательные\s+поля"
    r"|لن\s+يتم\s+نشر\s+عنوان\s+بريدك|الحقول\s+الإلزامية",
), (
    "enter", "mail", "required", "akismet", "save", "notify", "cancel", "log", "closed", "captcha",
    "moderat", "comment", "kommentar", "comentario", "комментарий", "correo", "obligatori",
    "obligatoire", "adresse", "pflichtfelder", "obbligatori", "obrigatórios", "ваш", "обязательные",
    "بريدك", "الإلزامية",
))
# A comment form's label of its e-mail field, in brackets: "(required, but will not be
# displayed)", "Mail (will not be published)" and their translations; casefolded. Never story
# text, however long its line: a flattening glues it between the thread's last line and the
# form's rules ("… last comment -LRB- required , but will not be displayed -RRB- <conduct notice> …").
FORM_FIELD_RE = Keyed(re.compile(
    # A line's leading "-" reads as a bullet: the tokenised bracket may come as "lrb-".
    r"(?:\(|-?lrb-)\s*(?:"
    r"(?:required\s*,?\s*(?:but\s+)?)?(?:will\s+not|won't|never)\s+be\s+"
    r"(?:displayed|published|shown|shared)"
    r"|(?:obligatoire\s*,?\s*)?ne\s+sera\s+(?:pas|jamais)\s+(?:publiée?|affichée?)"
    r"|(?:erforderlich\s*,?\s*)?wird\s+nicht\s+(?:veröffentlicht|angezeigt)"
    r"|(?:obligatorio\s*,?\s*)?no\s+se\s+(?:publicará|mostrará)"
    r"|(?:obbligatori[ao]\s*,?\s*)?non\s+(?:verrà|sarà)\s+(?:pubblicat|mostrat)[ao])"
), ("displayed", "published", "shown", "shared", "publié", "affiché", "veröffentlicht", "angezeigt",
    "publicará", "mostrará", "pubblicat", "mostrat"), marks=("(", "lrb-"))
# A site's comment policy, often glued to the last line of the story ("(Editing by …) We welcome
# comments that advance the story …"); casefolded.
COMMENT_POLICY_RE = Keyed(re.compile(
    r"we\s+welcome\s+(?:your\s+)?comments\s+(?:that|on\s+(?:our|this|these)|below|which)"
    r"|comments?\s+(?:policy|guidelines)|community\s+(?:guidelines|standards|rules)"
    r"|comments\s+are\s+(?:moderated|not\s+pre-?screened|reviewed\s+before)"
    r"|(?:views|opinions)\s+expressed\s+in\s+(?:the\s+)?comments"
    r"|charte\s+de\s+(?:modération|(?:des\s+)?commentaires)|netiquette|kommentarrichtlinien"
    r"|normas\s+de\s+(?:participación|(?:los\s+)?comentarios)|policy\s+(?:dei\s+)?commenti"
    r"|правила\s+(?:комментирования|сообщества)"
    # The form's terms: a licence over anything you post, under your name.
    r"|anything\s+you\s+post\s+(?:may|can|will)\s+be\s+used"
), ("comment", "community", "charte", "netiquette", "kommentarrichtlinien", "normas", "правила",
    "anything"))
# Tokenised corpora write brackets as -LRB- / -RRB- (Penn Treebank tokens).
_TOKENISED_BRACKETS = (("-LRB-", "("), ("-RRB-", ")"), ("-LSB-", "["), ("-RSB-", "]"))


def untokenise_brackets(text: str) -> str:
    """"-LRB- Reuters -RRB-" → "( Reuters )", so the patterns here read tokenised text too."""
    if "-" not in text:
        return text
    for token, bracket in _TOKENISED_BRACKETS:
        text = text.replace(token, bracket)
    return text


# Share / follow / subscribe widgets and social-network labels; casefolded (as are the line
# patterns down to LANGUAGE_LINK_RE that carry no IGNORECASE: 2-3 times faster per line).
SHARE_RE = re.compile(
    r"^\W*(?:follow\s+us|share(?:\s+(?:this|on|via|article|story))?|tweet|email\s+this"
    r"|subscribe|sign\s+up|newsletter|like\s+us\s+on|join\s+us\s+on|connect\s+with\s+us"
    r"|síguenos|compartir|comparte|suscríbete|suivez[-\s]nous|partager|abonnez[-\s]vous"
    r"|folgen\s+sie\s+uns|teilen|abonnieren|seguici|condividi|iscriviti|siga[-\s]nos|compartilhe"
    r"|подписывайтесь|поделиться|подписаться|мы\s+в\s+соцсетях|تابعونا|شارك|اشترك"
    r"|facebook|twitter|whatsapp|telegram|linkedin|pinterest|reddit|vk|instagram|youtube"
    r"|print|e-?mail|copy\s+link)\b",
)
SOCIAL_ONLY_RE = re.compile(
    r"^(?:[\W\d]*(?:facebook|twitter|x|whatsapp|telegram|linkedin|pinterest|reddit|vk|instagram"
    r"|youtube|tiktok|e-?mail|print|messenger|copy\s+link|share)[\W\d]*)+$",
)
ADVERT_RE = re.compile(
    r"^\W*(?:advertisement|sponsored(?:\s+content)?|story\s+continues\s+below(?:\s+advertisement)?"
    r"|publicidad|publicité|anzeige|werbung|pubblicità|publicidade|реклама|إعلان)\W*$",
)
NAVIGATION_RE = re.compile(
    r"^\W*(?:skip\s+to\s+(?:main\s+)?content|back\s+to\s+top|menu|home|search|sign\s+in|log\s*in"
    r"|register|close|open|next|previous|more|toggle\s+navigation|accept(?:\s+cookies)?"
    r"|ir\s+al\s+contenido|inicio|buscar|aller\s+au\s+contenu|accueil|rechercher"
    r"|zum\s+inhalt|startseite|suche|anmelden|главная|поиск|войти|الرئيسية|بحث"
    r"|reply|report|like|responder|répondre|antworten|ответить|رد)\W*$",
)
# Copyright and cookie notices, newsletter and click-here promotions; casefolded.
NOTICE_RE = Keyed(re.compile(
    r"^\W*(?:©|\(c\)|copyright\b)|all\s+rights\s+reserved|todos\s+los\s+derechos\s+reservados"
    r"|tous\s+droits\s+réservés|alle\s+rechte\s+vorbehalten|tutti\s+i\s+diritti\s+riservati"
    r"|todos\s+os\s+direitos\s+reservados|все\s+права\s+защищены|جميع\s+الحقوق\s+محفوظة"
    r"|\b(?:we|this\s+site|this\s+website)\s+uses?\s+cookies|utilizamos\s+cookies"
    r"|utilise\s+des\s+cookies|verwendet\s+cookies|используем\s+(?:файлы\s+)?cookie"
    r"|(?:sign\s+up|subscribe|inscrivez-vous|abonnez-vous|suscríbete|regístrate|abonnieren"
    r"|подпишитесь|اشترك).{0,80}(?:newsletter|bulletin|boletín|lettre|рассылк|النشرة|briefing"
    r"|alerts|updates|digest)"
    r"|^\W*(?:click|tap)\s+here\b|^\W*(?:haga|haz)\s+clic|^\W*cliquez\s+ici|klicken\s+sie\s+hier"
    r"|^\W*нажмите\s+(?:здесь|сюда)",
), (
    "©", "(c)", "copyright", "reserv", "réserv", "vorbehalten", "riservati", "защищены", "محفوظة",
    "cookie", "newsletter", "bulletin", "boletín", "lettre", "рассылк", "النشرة", "briefing",
    "alerts", "updates", "digest", "here", "clic", "cliquez", "klicken", "нажмите",
))
# Consent banners: cookies named next to accepting, consenting, browsing on or the experience;
# casefolded.
CONSENT_RE = re.compile(
    r"\bcookies?\b(?=.{0,200}?(?:accept|akzept|acept|accett|consent|zustimm|agree|d'accord"
    r"|navigat|browsing|continu|weiter\s+nutz|experien|erlebnis|expérience|esperienza|experiencia"
    r"|utilisation|utilizzo|uso\b|nutzung|verwendung|privacy|datenschutz|confidentialité"
    r"|privacidad|согла|الموافقة))"
    r"|(?:accept|akzept|acept|accett|consent|zustimm).{0,200}?\bcookies?\b",
)
# App, newsletter and shop promotions: a call to download or subscribe, in a short line;
# casefolded.
PROMO_RE = Keyed(re.compile(
    r"(?:download|install|descarga|descargue|baja|télécharge[zr]?|herunterladen|lade|scarica"
    r"|baixe|скачайте|حمّل|حمل)\b.{0,60}\b(?:app|apps|application|aplicación|applicazione"
    r"|aplicativo|приложение|تطبيق)\b"
    r"|\b(?:app|application|aplicación|applicazione)\b.{0,40}\b(?:herunterladen|download|descarga"
    r"|télécharge|scarica)"
    r"|^\W*(?:newsletter|bolet[ií]n|lettre d'information|infolettera)\b\s*:"
    r"|(?:recibe|receive|get|erhalten|recevez|ricevi).{0,60}\b(?:newsletter|boletín|bulletin"
    r"|inbox|postfach|correo|boîte|casella)",
), (
    "app", "aplic", "приложение", "تطبيق", "newsletter", "bolet", "lettre", "infolettera",
    "bulletin", "inbox", "postfach", "correo", "boîte", "casella",
))
# One search for the words of the keyed patterns a line of form size is tried against in turn:
# a line holding none passes all four (the search costs little more than one pattern's words).
FORM_SIZED_WORDS = re.compile(_prefix_tree(tuple(
    word for keyed in (COMMENT_FORM_RE, COMMENT_POLICY_RE, NOTICE_RE, PROMO_RE)
    for word in keyed.words
))).search
# "Tags: Syria, Russia" and its siblings; casefolded.
TAGS_RE = re.compile(
    r"^\W*(?:tags?|topics?|keywords?|filed\s+under|categories|category|etiquetas|temas|mots[-\s]clés"
    r"|thèmes|schlagwörter|themen|argomenti|теги|метки|темы|الوسوم|كلمات\s+مفتاحية)\s*:",
)
# Agency and editor trailers: "Editing by …", "Source: Agencies", "(Reporting by …)".
TRAILER_RE = re.compile(
    r"^\W*(?:(?:additional\s+)?(?:reporting|editing|writing|compiled|edited|written|translated"
    r"|produced|research)\s+by\b|(?:source|sources|fuente|fuentes|source\s*s?|quelle|fonte|источник"
    r"|المصدر)\s*:|with\s+(?:agencies|wires|afp|reuters|ap)\b|avec\s+(?:afp|agences|reuters)"
    # "Avec Northern Press" alone on a line: French pages credit the agency so.
    r"|(?-i:[Aa]vec\s+[A-ZÀ-Þ][\w'’\-]*(?:\s+[A-ZÀ-Þ][\w'’\-]*){0,3}\s*$)"
    r"|con\s+información\s+de|mit\s+material\s+von|redacción\s*:?|по\s+материалам"
    r"|\(?(?:ap|afp|reuters|dpa|efe|ansa|tass|ria|xinhua|ians|pti|upi|bloomberg|agencies"
    r"|agencias|agências|agences|agenturen|агентства)\)?\s*$"
    r"|(?:the\s+)?(?:associated\s+press|reuters|afp)\s+contributed\s+to\s+this)",
    _I,
)
# A photo credit at the end of a caption: "REUTERS/Jane Doe", "[AP]", "(AFP Photo/…)", "Photo: X".
CAPTION_CREDIT_RE = re.compile(
    r"(?:\b(?:[A-Z]{2,}[A-Za-z]*|[A-Z]\w+\s+(?:Photo|Images|Pictures))\s*/\s*[A-Z][a-z][\w.'\-]*"
    r"(?:\s+[A-Z][\w.'\-]*){0,3}\s*\)?|\[\s*[A-Z][A-Za-z .'/\-]{0,30}\]"
    r"|(?i:\((?:[\w.'\-]+\s+){0,3}(?:photo|foto|фото|image|picture|file)[\w .:'/\-]{0,40}\))"
    # "… Foto: Seebote/Karl Huber", "… Photo : AFP": a credit closing the caption.
    r"|(?i:\b(?:photo|foto|фото|bild|image|crédit|credit)\s*:\s*[\w .'/\-]{2,50}))\W*$",
)


def may_hold_caption_credit(tail: str) -> bool:
    """Whether CAPTION_CREDIT_RE can match: each of its forms prints a "/", "[", "(" or ":"
    (four substring scans spare most lines the pattern's scan)."""
    return "/" in tail or ":" in tail or "(" in tail or "[" in tail


# "Photo: …", "Credit: …" opening a line; casefolded.
CREDIT_RE = re.compile(
    r"^\W*(?:photo|photos|foto|fotos|фото|image|images|picture|pictures|bild|bildquelle"
    r"|crédit(?:\s+photo)?|credit|credits|imagen|immagine|صورة|illustration|video|vídeo"
    r"|getty\s+images|photo\s+credit|image\s+credit)\s*(?:[:©/]|by\b)"
    r"|^\W*(?:image|photo|picture)\s+(?:source|copyright)\b",
)
# "Read this in Arabic", "Lire en anglais", "Leer en inglés", "Читать на английском"…; casefolded.
LANGUAGE_LINK_RE = re.compile(
    r"^\W*(?:(?:read|view|see)\s+(?:this|it|the\s+\w+)?\s*in\s+[a-z]\w+"
    r"|(?:english|spanish|español|french|français|german|deutsche?|russian|русская|arabic"
    r"|italiano|italian|português|portuguese|chinese|中文)\s+version"
    r"|version\s+(?:en|in)\s+\w+|versión\s+en\s+\w+"
    r"|(?:lire|leer|ler|leggi|lesen)\s+(?:en|in|auf)\s+\w+|auf\s+\w+\s+lesen"
    r"|читать\s+на\s+\w+|اقرأ\s+.{0,40}بال\w+)",
)
BYLINE_RE = re.compile(
    r"^\W*(?:by|por|par|von|di|door|av|de|автор|от|بقلم|written\s+by|author|autor|auteur|autore)"
    r"\s*:?\s+(?P<name>[^\W\d_][\w.'’\-]*(?:\s+(?:[^\W\d_][\w.'’\-]*|and|y|et|und|e|и|&|,)){0,7})"
    r"\s*(?P<rest>[,|/–—-].*)?$",
    _I,
)
# Repetitions are bounded so that a 100 000-character token cannot make a search quadratic.
URL_RE = re.compile(
    r"https?://\S+|www\.\S+|(?<![\w-])[\w-]{1,63}\.(?:com|org|net|co\.uk|ru|de|fr|es)/\S*", _I
)
HANDLE_RE = re.compile(r"(?<![\w@])@\w{2,}")
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}\.[\w.]{1,63}")


def strip_links(text: str) -> str:
    """The text without its URLs, e-mail addresses and @handles."""
    for pattern in (URL_RE, EMAIL_RE, HANDLE_RE):
        text = pattern.sub(" ", text)
    return text


# A capitalised name (any cased script's capitals from Latin-1; "&" and "." inside: "AT&T").
_NAME = r"[A-ZÀ-ÖØ-ÞА-ЯЁ][\w.'’&\-]*"
# Capitalised names joined by slashes and nothing else: a photo credit under a picture ("Jane
# Roe/Harbour Times/Wirepix"), a menu item ("Login/Register", "About Me/Contact"). A story's
# sentences and subheadings do not read so.
SLASHED_NAMES_RE = re.compile(
    rf"^(?:{_NAME}\s+){{0,3}}{_NAME}\s*/\s*{_NAME}(?:(?:\s+|\s*/\s*){_NAME}){{0,5}}$"
)
# Markup printed as text: a line opening with an HTML tag and an attribute, raw or escaped
# ('<img height="1" …', '&lt;span data-type="…"'); prose quoting a link does not open with one.
MARKUP_RE = re.compile(r"^\W{0,3}(?:<|&lt;|&amp;lt;)[a-zA-Z][a-zA-Z0-9]*\s+[a-zA-Z][\w\-]*=[\"']")
# One CSS/breakpoint class name: "narrow-browser-and-phone", "col-md-6", "is_sticky".
CSS_CLASS_RE = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+$")
# Breadcrumbs / menus: several short items separated by › > | / » ·.
SEPARATOR_RE = re.compile(r"\s[›>|»·•/]\s|\s+\|\s+")
# Its separators alone, searched first: a pattern that opens with \s tries every space.
SEPARATOR_CHAR_RE = re.compile(r"[›>|»·•/]")
BULLET_RE = re.compile(r"^[\s•·\-–—*▪●◦►▶»>]+")
# The characters of BULLET_RE besides whitespace.
BULLET_STARTS = frozenset("•·-–—*▪●◦►▶»>")
# An agency dateline, the one definition the cleaner's titles, the outlet reader and summaries
# share: the place in capitals ("MOSCOW", "NEW YORK", "HOUSTON\\/LONDON" as tokenised copy writes
# a slash), a region ("VENICE , La.", "LONDON , Feb. 10", "ANTAKYA , Turkey\\/ISTANBUL"), a day
# with no comma ("BEIRUT May 3"), the agency in brackets, plain or tokenised ("(Reuters)",
# "-LRB- AP -RRB-"), then a dash ("BERLIN —" has no agency). Wire copy also prints a day alone
# ("March 26 (Reuters) -", "14 nov (AFP) -") or no place at all ("(Reuters) - …"): those two need
# the agency, the first no prose word before it ("on March 26 (Reuters) -") and the second a line
# of its own, or any aside in brackets followed by a dash would be a dateline.
# It starts the text or follows a space: a headline or a caption can run into it in tokenised
# copy ("… <headline> <CITY> -LRB- Reuters -RRB- - <lead sentence> …").
_MONTH = (
    r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|janv|févr?|avr|mai|juin|juil|août"
    r"|déc|ene|abr|ago|dic|mär|okt|dez|gen|mag|giu|lug|ott)[a-zéû]{0,7}\.?"
)
_DAY = rf"(?:(?:{_MONTH})\s+\d{{1,2}}|\d{{1,2}}\.?\s+(?:{_MONTH}))"
# A capitalised agency, or a short one written in lower case ("(dpa)").
_AGENCY_AHEAD = r"(?=(?:\(|-LRB-)\s*(?:[A-ZÀ-Þ][^()\n]{1,39}?|[a-z]{2,4})\s*(?:\)|-RRB-))"
_AGENCY_DATELINE = (
    r"(?:^|(?<=\s))"
    r"(?:(?P<place>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\-\\/]+(?:\s+[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\-\\/]+){0,5})"
    rf"(?:\s*,\s*[\w .'’\-\\/]{{2,30}}?)?(?:\s+{_DAY})?"
    rf"|(?<![a-z0-9,;:] ){_DAY}\s*{_AGENCY_AHEAD}|(?<![^\n]){_AGENCY_AHEAD})"
    r"\s*(?:(?:\(|-LRB-)\s*(?P<agency>[^()\n]{2,40}?)\s*(?:\)|-RRB-)\s*)?"
    # "BEIRUT -LRB- Reuters -RRB- '' -": a stray quote the tokeniser left before the dash.
    r"(?:''\s*)?(?:--?|—|–)\s+"
)
AGENCY_DATELINE_RE = re.compile(_AGENCY_DATELINE)
# What opens a lead before its first sentence: the page's own dateline ("CAIRO , Egypt | Tue Feb
# 1 , 2011 <h:mm> pm EDT "), an agency dateline, or both; matches the empty string when neither.
LEAD_DATELINE_RE = re.compile(
    r"^(?:[^|\n]{2,60}\|[^|\n]{4,60}(?:\d{4}|[ap]\.?m\.?)(?:\s+[A-Z]{2,4})?\s+)?"
    rf"(?:{_AGENCY_DATELINE}){{0,2}}"  # "WASHINGTON -- WASHINGTON -LRB- AP -RRB- --"
)
# Dateline at the start of a story: "MOSCOW (Reuters) -", "PARIS, 14 nov (AFP) —", "BERLIN —".
# Tokenised corpora write the brackets as -LRB- / -RRB- ("TRIPOLI -LRB- Reuters -RRB- - …").
DATELINE_RE = re.compile(
    r"^(?P<place>[A-ZÀ-ÖØ-ÞА-ЯЁ][A-ZÀ-ÖØ-ÞА-ЯЁ .'’\-]{2,40}?"
    r"|[A-ZА-ЯЁ][\w.'’\-]+(?:\s[A-ZА-ЯЁ][\w.'’\-]+){0,2})"
    r"(?:\s*,\s*(?P<when>[^()\n—–]{2,40}?))?"
    r"\s*(?:\((?P<agency>[^()\n]{2,40})\)|-LRB-\s*(?P<tokenised_agency>[^()\n]{2,40}?)\s*-RRB-)?"
    r"\s*[-–—]+\s+(?=\S)"
)
