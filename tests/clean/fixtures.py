"""Hand-written fictional articles with page furniture, in several languages.

Every sentence here is invented for these tests. Each fixture lists the story paragraphs that must
survive, the boilerplate lines that must go, and the header fields the cleaner should find.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Fixture:
    name: str
    text: str
    title: str
    story: list[str]
    boilerplate: list[str]
    fields: dict[str, str | None] = field(default_factory=dict)


ENGLISH = Fixture(
    name="en-harbour",
    text="""Skip to content
Home | World | Business | Sport
Share on Facebook

Harbour town votes to rebuild its flooded sea wall
By Martha Quillon
March 3, 2021, 9:12 AM

KESTREL BAY (Wirepost) - Residents of Kestrel Bay voted on Tuesday to spend four million pounds rebuilding the sea wall that gave way during last winter's storms.

The vote passed by a wide margin after a meeting in the old chapel that lasted well into the night.

"Never again," said the harbour master.

Engineers say the new wall will stand two metres taller than the old one and curve outwards to throw waves back.

Advertisement

Work is due to start in the spring and should take about eighteen months, the council said.

A fisherman watches waves break over the damaged wall, February 2, 2021. WIREPOST/Jon Deerhurst

Reporting by Martha Quillon; Editing by Sam Oduya

Related articles
Storm damage bill rises again
Ferry service suspended for a week
Tags: floods, coast, council

12 Comments
Pete_the_gull 3 March 2021, 10:45
About time they did something about that wall.
Lorna K. 3 March 2021, 11:02
My gran's house flooded twice, so this is welcome news!
Leave a comment
Your email address will not be published. Required fields are marked *
""",
    title="Harbour town votes to rebuild its flooded sea wall",
    story=[
        "KESTREL BAY (Wirepost) - Residents of Kestrel Bay voted on Tuesday to spend four",
        "The vote passed by a wide margin",
        '"Never again," said the harbour master.',
        "Engineers say the new wall",
        "Work is due to start in the spring",
    ],
    boilerplate=[
        "Skip to content",
        "Home | World",
        "Share on Facebook",
        "Advertisement",
        "WIREPOST/Jon Deerhurst",
        "Editing by Sam Oduya",
        "Related articles",
        "Storm damage bill rises again",
        "Ferry service suspended",
        "Tags:",
        "12 Comments",
        "Pete_the_gull",
        "About time they did something",
        "welcome news",
        "Leave a comment",
        "Required fields",
        "March 3, 2021, 9:12 AM",
    ],
    fields={
        "byline": "Martha Quillon",
        "published": "2021-03-03",
        "dateline": "KESTREL BAY",
        "outlet": "Wirepost",
    },
)

SPANISH = Fixture(
    name="es-bibliotecas",
    text="""Síguenos en Twitter
Inicio > Nacional > Sociedad

El ayuntamiento de Villaverde del Río aprueba un nuevo plan de bibliotecas
Por Lucía Marín Ortega
14 de noviembre de 2019

VILLAVERDE DEL RÍO (Agencia Sur) — El pleno municipal aprobó este martes un plan para abrir tres bibliotecas de barrio antes de que termine el próximo año.

La alcaldesa explicó que las nuevas salas tendrán horario de tarde para que los estudiantes puedan usarlas después de clase.

"Es una deuda con los vecinos", dijo.

El presupuesto del plan asciende a dos millones de euros, que se pagarán en parte con fondos regionales.

Te puede interesar
Las obras del puente terminarán en mayo
Un concierto solidario reúne a mil personas

Fuente: Agencia Sur

Comentarios
vecino_del_rio 14 de noviembre de 2019, 12:30
Ya era hora, la biblioteca vieja se cae a trozos.
Marta G. 14 de noviembre de 2019, 13:05
Ojalá abran también los sábados.
Deja un comentario
Tu dirección de correo electrónico no será publicada. Los campos obligatorios están marcados con *
""",
    title="El ayuntamiento de Villaverde del Río aprueba un nuevo plan de bibliotecas",
    story=[
        "El pleno municipal aprobó este martes un plan",
        "La alcaldesa explicó que las nuevas salas",
        '"Es una deuda con los vecinos", dijo.',
        "El presupuesto del plan asciende",
    ],
    boilerplate=[
        "Síguenos",
        "Inicio >",
        "Te puede interesar",
        "Las obras del puente",
        "concierto solidario",
        "Fuente: Agencia Sur",
        "Comentarios",
        "vecino_del_rio",
        "la biblioteca vieja se cae",
        "sábados",
        "Deja un comentario",
        "campos obligatorios",
    ],
    fields={
        "byline": "Lucía Marín Ortega",
        "published": "2019-11-14",
        "dateline": "VILLAVERDE DEL RÍO",
    },
)

FRENCH = Fixture(
    name="fr-ecole",
    text="""Partager sur Facebook
Accueil › Société › Éducation

Une école de montagne rouvre après deux ans de travaux
Par Jeanne Dufresne
Publié le 5 février 2020 à 08h15

SAINT-ALBAN (Agence Alpine) - Les quarante élèves de l'école du hameau ont retrouvé lundi leurs salles de classe, rénovées et isolées contre le froid.

Lire aussi : Les stations de ski face au manque de neige

Les travaux ont coûté plus que prévu, a reconnu le maire, mais le village tenait à garder son école.

Publicité

« Sans école, le village meurt », a-t-il résumé.

Les parents saluent aussi la nouvelle cantine, qui servira des produits des fermes voisines.

Une élève dans la nouvelle salle de classe (Photo Agence Alpine/Paul Roux)

Avec AFP

Commentaires (2)
Marcel74 5 février 2020 à 10:12
Bravo à toute l'équipe, c'est une belle réussite.
Sophie 5 février 2020 à 11:40
Enfin une bonne nouvelle pour nos montagnes !
Laisser un commentaire
""",
    title="Une école de montagne rouvre après deux ans de travaux",
    story=[
        "Les quarante élèves de l'école du hameau",
        "Les travaux ont coûté plus que prévu",
        "« Sans école, le village meurt », a-t-il résumé.",
        "Les parents saluent aussi la nouvelle cantine",
    ],
    boilerplate=[
        "Partager",
        "Accueil ›",
        "Lire aussi",
        "manque de neige",
        "Publicité",
        "Paul Roux",
        "Avec AFP",
        "Commentaires",
        "Marcel74",
        "belle réussite",
        "bonne nouvelle pour nos montagnes",
        "Laisser un commentaire",
    ],
    fields={"byline": "Jeanne Dufresne", "published": "2020-02-05", "dateline": "SAINT-ALBAN"},
)

GERMAN = Fixture(
    name="de-strassenbahn",
    text="""Folgen Sie uns
Startseite

Neue Straßenbahnlinie für Lindenfeld beschlossen
Von Thomas Brenner
12.06.2018, 14:30 Uhr

LINDENFELD (dpa) - Der Stadtrat von Lindenfeld hat am Dienstag den Bau einer neuen Straßenbahnlinie zum Hauptbahnhof beschlossen.

Die Strecke soll sieben Kilometer lang werden und zwölf Haltestellen bekommen.

„Das ist ein guter Tag für die Stadt“, sagte der Bürgermeister.

Kritiker hatten vor den Kosten gewarnt, die inzwischen auf über hundert Millionen Euro geschätzt werden.

Mehr zum Thema
Stadtrat streitet über Parkgebühren
Radweg am Fluss wird verbreitert

Quelle: dpa

Kommentare
Horst_B 12.06.2018, 15:02
Das hätte man vor zwanzig Jahren machen sollen.
Anwohnerin 12.06.2018, 16:40
Hoffentlich wird es diesmal nicht teurer als geplant.
Schreibe einen Kommentar
Ihre E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert
""",
    title="Neue Straßenbahnlinie für Lindenfeld beschlossen",
    story=[
        "Der Stadtrat von Lindenfeld hat am Dienstag",
        "Die Strecke soll sieben Kilometer lang werden",
        "„Das ist ein guter Tag für die Stadt“, sagte der Bürgermeister.",
        "Kritiker hatten vor den Kosten gewarnt",
    ],
    boilerplate=[
        "Folgen Sie uns",
        "Startseite",
        "Mehr zum Thema",
        "Parkgebühren",
        "Radweg am Fluss",
        "Quelle: dpa",
        "Kommentare",
        "Horst_B",
        "vor zwanzig Jahren",
        "teurer als geplant",
        "Schreibe einen Kommentar",
        "E-Mail-Adresse",
    ],
    fields={"byline": "Thomas Brenner", "published": "2018-06-12", "dateline": "LINDENFELD"},
)

RUSSIAN = Fixture(
    name="ru-most",
    text="""Поделиться
Главная

В Северогорске открыли новый мост через реку
Автор: Ирина Белова
22 августа 2017

СЕВЕРОГОРСК (Вестник) — В субботу в Северогорске открыли движение по новому мосту через реку, который строили почти три года.

Мост соединил старый центр города с новыми жилыми кварталами на правом берегу.

«Теперь дорога до работы займёт десять минут», — сказала одна из жительниц.

По словам мэра, следующим летом рядом с мостом появится набережная для пешеходов.

Читайте также
В городе продлили маршрут автобуса

Источник: Вестник

Комментарии 2
Гость 22 августа 2017, 15:40
Наконец-то, ждали очень долго.
Сергей 22 августа 2017, 16:05
Главное, чтобы не развалился через год.
""",
    title="В Северогорске открыли новый мост через реку",
    story=[
        "В субботу в Северогорске открыли движение",
        "Мост соединил старый центр города",
        "«Теперь дорога до работы займёт десять минут», — сказала одна из жительниц.",
        "По словам мэра, следующим летом",
    ],
    boilerplate=[
        "Поделиться",
        "Главная",
        "Читайте также",
        "продлили маршрут",
        "Источник: Вестник",
        "Комментарии",
        "ждали очень долго",
        "не развалился",
    ],
    fields={"byline": "Ирина Белова", "published": "2017-08-22", "dateline": "СЕВЕРОГОРСК"},
)

ITALIAN = Fixture(
    name="it-festival",
    text="""Seguici su Facebook
Un festival di musica antica riempie le piazze di Borgomonte
di Carla Venturi
Il festival di musica antica di Borgomonte ha richiamato quest'anno oltre diecimila visitatori in tre giorni.
Gli organizzatori hanno annunciato che la prossima edizione durerà una settimana intera.
«È stato un successo oltre ogni attesa», ha detto la direttrice artistica.
Leggi anche
Il teatro comunale riapre a ottobre
Lascia un commento
Il tuo indirizzo email non sarà pubblicato. I campi obbligatori sono contrassegnati *
""",
    title="Un festival di musica antica riempie le piazze di Borgomonte",
    story=[
        "Il festival di musica antica di Borgomonte ha richiamato",
        "Gli organizzatori hanno annunciato",
        "«È stato un successo oltre ogni attesa», ha detto la direttrice artistica.",
    ],
    boilerplate=[
        "Seguici",
        "Leggi anche",
        "Il teatro comunale",
        "Lascia un commento",
        "indirizzo email",
    ],
    fields={"byline": "Carla Venturi"},
)

PORTUGUESE = Fixture(
    name="pt-ponte",
    text="""Compartilhe no WhatsApp
Início › Cidades

Nova ponte liga os dois bairros de Vila Serena
Por Ana Ribeiro Lopes
15/03/2022 às 10h40

VILA SERENA — A prefeitura inaugurou nesta terça-feira a ponte que liga os bairros do Porto e da Colina, depois de dois anos de obras.

Segundo a secretaria de obras, a travessia vai encurtar em vinte minutos o trajeto de quem trabalha no centro.

"Esperamos por isso durante décadas", disse uma moradora.

Leia também
Feira do livro volta à praça central em abril

Agências

Ver todos os comentários
joao_p 15/03/2022 às 12h05
Finalmente, já não era sem tempo.
Marcia 15/03/2022 às 13h20
Agora falta asfaltar a rua principal.
""",
    title="Nova ponte liga os dois bairros de Vila Serena",
    story=[
        "A prefeitura inaugurou nesta terça-feira a ponte",
        "Segundo a secretaria de obras",
        '"Esperamos por isso durante décadas", disse uma moradora.',
    ],
    boilerplate=["Compartilhe", "Início ›", "Leia também", "Feira do livro", "Agências",
                 "comentários", "joao_p", "já não era sem tempo", "asfaltar"],
    fields={"byline": "Ana Ribeiro Lopes", "published": "2022-03-15", "dateline": "VILA SERENA"},
)

ARABIC = Fixture(
    name="ar-maktaba",
    text="""شارك
الرئيسية

افتتاح مكتبة عامة جديدة في مدينة الواحة
بقلم سلمى حداد

افتتحت بلدية مدينة الواحة يوم الثلاثاء مكتبة عامة جديدة تضم أكثر من عشرين ألف كتاب للأطفال والكبار.

وقال رئيس البلدية إن المكتبة ستفتح أبوابها حتى العاشرة مساء طوال أيام الأسبوع.

"هذا يوم مهم للمدينة"، قال أحد السكان.

اقرأ أيضا
مهرجان الربيع يعود إلى الساحة القديمة

المصدر: وكالات

التعليقات
سامي 14/11/2019 10:30
خبر جميل جدا
ليلى 14/11/2019 11:05
نتمنى مكتبة مثلها في حينا
""",
    title="افتتاح مكتبة عامة جديدة في مدينة الواحة",
    story=[
        "افتتحت بلدية مدينة الواحة يوم الثلاثاء",
        "وقال رئيس البلدية إن المكتبة",
        '"هذا يوم مهم للمدينة"، قال أحد السكان.',
    ],
    boilerplate=["شارك", "الرئيسية", "اقرأ أيضا", "مهرجان الربيع", "المصدر", "التعليقات", "سامي",
                 "خبر جميل", "نتمنى"],
    fields={"byline": "سلمى حداد"},
)

ARABIC_LINK_IN_ENGLISH = Fixture(
    name="en-foreign-link",
    text="""Rail strike called off after late-night talks
اقرأ هذا المقال بالعربية
Union leaders called off Friday's rail strike after talks with the operator ran past midnight on Wednesday.
The deal includes a pay rise of four percent and a review of weekend shifts.
Passengers had been told to expect no trains at all on the main lines.
Source: Agencies
""",
    title="Rail strike called off after late-night talks",
    story=[
        "Union leaders called off Friday's rail strike",
        "The deal includes a pay rise",
        "Passengers had been told",
    ],
    boilerplate=["اقرأ", "Source: Agencies"],
)

# A comment thread with no marker line at all: only "name + timestamp" headers give it away.
UNMARKED_COMMENTS = Fixture(
    name="en-unmarked-comments",
    text="""Library opens late on Sundays from next month
The central library will stay open until eight on Sunday evenings from the first of next month, the city said.
Officials said the change follows a survey in which most readers asked for longer weekend hours.
The extra hours will be staffed by volunteers during the first trial year.
bookworm88 2 hours ago
great news for students
J. Patel 5 hours ago
Finally! I work weekdays so this helps a lot.
quietreader 1 day ago
hope they keep the cafe open too
""",
    title="Library opens late on Sundays from next month",
    story=[
        "The central library will stay open",
        "Officials said the change follows a survey",
        "The extra hours will be staffed",
    ],
    boilerplate=["bookworm88", "great news for students", "J. Patel", "keep the cafe open"],
)

# Plain text wrapped at a fixed width, with a short one-sentence quote paragraph.
HARD_WRAPPED = Fixture(
    name="en-hard-wrapped",
    text="""Council delays vote on the new bus depot

The council postponed on Monday its vote on the new bus depot after
residents of the east district asked for more time to study the
noise report, officials said.

"We will listen first."

The depot would house ninety buses and replace two older sites that
the city plans to sell for housing.
""",
    title="Council delays vote on the new bus depot",
    story=[
        "The council postponed on Monday its vote on the new bus depot after residents",
        '"We will listen first."',
        "The depot would house ninety buses and replace two older sites that the city",
    ],
    boilerplate=[],
)

ALL = [
    ENGLISH,
    SPANISH,
    FRENCH,
    GERMAN,
    RUSSIAN,
    ITALIAN,
    PORTUGUESE,
    ARABIC,
    ARABIC_LINK_IN_ENGLISH,
    UNMARKED_COMMENTS,
    HARD_WRAPPED,
]
