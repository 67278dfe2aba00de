"""Word lists of the entity rules: titles, organisation and place words, words that are never
names, in the languages storyline reads (data; `storyline.enrich.rule_mentions` reads them)."""

from __future__ import annotations

from storyline.enrich.language import word_set

# Words that introduce a person's name; the name is the capitalised run that follows.
TITLE_WORDS = word_set(
    """president presidente président präsident президент premier prime minister ministre
    ministro министр премьер chancellor kanzler kanzlerin канцлер canciller chancelier king queen
    rey reina roi reine könig königin король pope papa senator senador sénateur gouverneur
    governor gobernador генерал mr mrs ms dr sr sra srta mme mlle herr
    frau spokesman spokeswoman spokesperson secretary secretario secrétaire sekretär envoy
    ambassador embajador ambassadeur botschafter посол leader líder chef chief sheikh emir prince
    príncipe prinz принц colonel coronel commander judge juez juge richter mayor alcalde maire
    bürgermeister мэр dictator dictador dictateur diktator диктатор опозиционер opposition
    pastor rabbi imam cardinal bishop obispo évêque adviser advisor director chairman chairwoman
    ceo negotiator asesor conseiller berater советник ministra ministerin präsidentin
    sprecher sprecherin direktor direktorin bürgermeisterin herausforderer herausforderin
    ingenieur ingenieurin challenger consejera consejero portavoz porte-parole councillor
    coach trainer trainerin entrenador entrenadora allenatore entraîneur ärztin arzt
    глава губернатор депутат тренер пресс-секретарь striker midfielder defender goalkeeper
    captain lieutenant admiral sergeant brigadier marshal"""
)
# German compound titles: "Stadtingenieur", "Notenbankchefin", "Gesundheitsministerin",
# "Ministerpräsidenten" (the weak nouns inflected).
TITLE_SUFFIXES = tuple(word_set(
    """ingenieur ingenieurin chef chefin minister ministerin präsident präsidentin präsidenten
    sprecher sprecherin direktor direktorin bürgermeister bürgermeisterin kanzler kanzlerin"""
))
# Ranks that follow another title ("Lieutenant General", "Major General"): still no name.
RANK_WORDS = word_set("general major")
ARABIC_TITLE_WORDS = word_set(
    """الرئيس رئيس الملك الأمير الوزير وزير الشيخ السيد السيدة المتحدث المتحدثة العقيد اللواء
    العميد الجنرال المدير الدكتور الدكتورة الطبيب الطبيبة السفير سفير النائب الأمين أمين القائد قائد
    المبعوث مبعوث"""
)
# Titles in the construct state ("وزير الخارجية", "رئيس الوزراء", "المتحدث باسم الجيش"): the
# definite word after them is what they head, not a name.
ARABIC_CONSTRUCT_TITLES = word_set("رئيس وزير سفير أمين قائد مبعوث")
# Words that never start or continue a name after a title (prepositions, conjunctions, "قوله").
ARABIC_NON_NAME_WORDS = word_set(
    """في من إلى على عن أن إن أنه أنها بأن قوله قولها مع بعد قبل خلال الذي التي هذا هذه ذلك تلك
    باسم لدى عند منذ حتى إنه"""
)
# "عبد الله", "أبو بكر": one given name written as two words.
ARABIC_NAME_PREFIXES = word_set("عبد أبو")
# Words that make a capitalised run an organisation rather than a person.
ORGANIZATION_WORDS = word_set(
    """ministry ministerio ministère ministerium министерство party partido parti partei партия
    council consejo conseil rat совет union unión bank banco banque army ejército armée armee
    армия agency agencia agence agentur агентство committee comité komitee комитет university
    universidad université universität университет company corporation corp inc ltd group grupo
    groupe gruppe front frente brigade brigada brigades court tribunal gericht суд parliament
    parlamento parlement parlament парламент assembly asamblea assemblée government gobierno
    gouvernement regierung правительство organization organisation organización league liga
    ligue forces fuerzas police policía polizei полиция news times post press agency service
    journal herald tribune gazette daily telegraph office plc llc gmbh ag sa foundation
    diario periódico wire courier courrier zeitung rundschau kurier nachrichten observador
    gazzetta corriere noticias fund fondo fonds
    institute instituto institut movement movimiento mouvement bewegung commission comisión
    unione partito commissione banca agenzia ministero governo
    alliance alianza allianz systems technologies labs holdings fc cf ac sc sv club atlético
    atletico deportivo sporting rights fleet navy"""
)
# Last words that make a capitalised run a place ("Golan Heights", "Tahrir Square").
PLACE_WORDS = word_set(
    """heights mountains mountain river sea gulf bay island islands strait valley lake airport
    square street avenue province region district county state coast desert peninsula canal
    port bridge city stadium arena brücke"""
)
# First words that make a capitalised run a place or venue ("Estadio Mirador", "Port Selwyn").
PLACE_PREFIX_WORDS = word_set(
    """estadio stade stadion puente pont port puerto porto lake lago lac mount monte mont río
    rio plaza calle avenida rue fort cape cabo isla île"""
)
# "San Telmo", "Saint-Malo": a place unless a title names a person ("Saint Francis" rarely
# outnumbers the towns in news).
SAINT_WORDS = word_set("san santa santo são sankt saint sainte st")
# German nouns for a place, before its name: "die Stadt Hamburg", "der Fluss Lisse".
GERMAN_PLACE_NOUNS = word_set(
    """stadt kleinstadt großstadt hauptstadt hafenstadt fluss dorf gemeinde stadtteil ortsteil
    insel provinz region"""
)
# German nouns for a company or body, before its name ("die Reederei Hapag-Lloyd") or joined to
# it ("der Volkswagen-Konzern").
GERMAN_ORGANIZATION_NOUNS = word_set(
    """reederei konzern firma unternehmen gewerkschaft partei zeitung fluggesellschaft
    autobauer verlag sender"""
)
# Languages that capitalise every noun: capitals alone do not mark a name.
NOUN_CAPITALISING_LANGUAGES = frozenset({"de", "lb"})
# Endings of German common nouns (singular and plural): never a name on their own.
GERMAN_NOUN_SUFFIXES = tuple(word_set(
    """ung ungen heit heiten keit keiten schaft schaften tion tionen tät täten ismus chen lein
    ment ments nis nisse tum tümer ei eien"""
))
# First words that make a capitalised run a region ("Middle East", "North Africa").
COMPASS_WORDS = word_set(
    """north south east west middle central northern southern eastern western upper lower"""
)
MONTHS_AND_DAYS = word_set(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday enero febrero marzo abril mayo junio julio agosto septiembre octubre
    noviembre diciembre lunes martes miércoles jueves viernes sábado domingo janvier février mars
    avril mai juin juillet août septembre octobre novembre décembre lundi mardi mercredi jeudi
    vendredi samedi dimanche januar februar märz juni juli oktober dezember montag dienstag
    mittwoch donnerstag freitag samstag sonntag январь февраль март апрель май июнь июль август
    сентябрь октябрь ноябрь декабрь января февраля марта апреля мая июня июля августа сентября
    октября ноября декабря понедельник вторник среда четверг пятница суббота воскресенье"""
)
PRONOUNS_AND_OPENERS = word_set(
    """i he she it we they you his her its their our my this that these those there here
    when while after before if but and or so yet also however meanwhile according then
    please thank thanks yes no today yesterday tomorrow según selon laut secondo
    él ella ellos nosotros este esta estos il elle ils nous vous ce cette er sie wir ihr es
    он она они мы это"""
)
# Function words and sentence adverbs that can open a capitalised run but never a name
# ("Unlike Hosni Mubarak", "Once Gaddafi", "Mostly Orthodox Christian Russia").
LEADING_NON_NAME_WORDS = word_set(
    """unlike once despite although though unless like since until whether amid among against
    without within during following including except besides beyond toward towards upon via
    mostly mainly largely nearly only even still just perhaps maybe instead unlike
    malgré selon pendant depuis sans contre parmi durante desde sin contra entre hasta
    trotz während seit ohne gegen"""
)
# Faiths: a run ending in one ("Sunni Muslim", "Orthodox Christian") describes people.
FAITH_WORDS = word_set(
    """muslim muslims christian christians jewish jews sunni sunnis shiite shiites shia catholic
    catholics orthodox protestant protestants alawite alawites druze hindu buddhist"""
)
# Time-zone abbreviations: debris of timestamps ("12:36 am GMT Help"), never part of a name.
TIME_ZONES = word_set(
    "gmt bst utc edt est cdt cst mdt mst pdt pst cet cest eet eest wet west msk ist jst aest"
)
# Words before a name that say what kind of body it is: "the daily Al-Watan", "the broadcaster
# Al Jazeera", "the base of Hmeimim", "the town of Deraa".
ORGANIZATION_DESCRIPTORS = word_set(
    """daily newspaper paper weekly magazine broadcaster channel television agency website
    journal tabloid periódico diario quotidien journal hebdomadaire zeitung tageszeitung
    sender cadena chaîne агентство газета телеканал"""
)
GENERATION_SUFFIXES = word_set("jr sr ii iii iv")
# Second halves of Arabic compound given names ("Saif al-Islam", "Nur ad-Din", "Izz el-Deen"):
# the name ends the given name, it is no surname ("Saif al-Islam" and "Saif al-Islam Gaddafi"
# are one man, and not Muammar Gaddafi).
COMPOUND_NAME_ENDS = word_set("islam din deen dine dawla haq haqq")
# Particles inside names ("Bashar al-Assad", "Ursula von der Leyen") and prefixes folded away.
NAME_CONNECTORS = word_set(
"al el ad ash as de del della di da du la le van von der den bin ibn y"
)
