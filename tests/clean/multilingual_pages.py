"""Flattened news pages in German, Spanish, French and Italian, written for these tests.

Each page is what a naive scraper delivers (one block per line): consent banner, menus, app and
newsletter promos, captions and credits, "related" lists, a comment thread, the footer. `story`
lists the body paragraphs a cleaner must keep, `chrome` lines it must drop. The model never saw
these pages (it is trained on English benchmark pages and the demo corpus).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    language: str
    title: str
    text: str
    story: tuple[str, ...]
    chrome: tuple[str, ...]


DE = Page(
    language="de",
    title="Neue Fähre verbindet Lindau und Bregenz ab dem Frühjahr",
    story=(
        ("Ab dem kommenden Frühjahr soll eine elektrisch betriebene Fähre die Städte Lindau und "
        "Bregenz im Stundentakt verbinden, wie die Bodensee-Schifffahrtsbetriebe am Montag "
        "mitteilten."),
        ("Das Schiff bietet Platz für 300 Fahrgäste und 40 Fahrräder. Die Überfahrt dauert nach "
        "Angaben des Betreibers knapp 25 Minuten und damit etwa so lange wie die Fahrt mit dem Zug."),
        ("Die Kosten von rund zwölf Millionen Euro teilen sich die beiden Länder. Kritiker halten "
        "die Verbindung für überflüssig, weil die Bahnstrecke erst vor zwei Jahren ausgebaut wurde."),
        ("„Wir wollen den Menschen eine Alternative zum Auto bieten, die auch Spaß macht“, sagte "
        "die Geschäftsführerin bei der Vorstellung des Projekts in Lindau."),
    ),
    chrome=(
        ("Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis bieten zu können. Wenn Sie die "
        "Seite weiter nutzen, stimmen Sie der Verwendung von Cookies zu."),
        "Alle akzeptieren",
        "Startseite",
        "Jetzt unsere App herunterladen und keine Nachricht mehr verpassen!",
        "Die neue Fähre bei einer Probefahrt im Hafen von Lindau. Foto: Seebote/Karl Huber",
        "Das könnte Sie auch interessieren",
        "Hafenfest lockt Tausende Besucher an die Promenade",
        "Bürgermeister kündigt neue Radwege an",
        "Kommentare (2)",
        "seefahrer88 vor 3 Stunden",
        "Endlich! Darauf warten wir seit Jahren.",
        "Impressum",
        "© 2026 Seebote Medien GmbH",
    ),
    text="""Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis bieten zu können. Wenn Sie die Seite weiter nutzen, stimmen Sie der Verwendung von Cookies zu.
Alle akzeptieren
Einstellungen
Seebote
Startseite
Region
Politik
Wirtschaft
Sport
Kultur
Jetzt unsere App herunterladen und keine Nachricht mehr verpassen!
Region › Lindau
Neue Fähre verbindet Lindau und Bregenz ab dem Frühjahr
Von Martina Keller
12. März 2026, 09:41 Uhr
Ab dem kommenden Frühjahr soll eine elektrisch betriebene Fähre die Städte Lindau und Bregenz im Stundentakt verbinden, wie die Bodensee-Schifffahrtsbetriebe am Montag mitteilten.
Die neue Fähre bei einer Probefahrt im Hafen von Lindau. Foto: Seebote/Karl Huber
Das Schiff bietet Platz für 300 Fahrgäste und 40 Fahrräder. Die Überfahrt dauert nach Angaben des Betreibers knapp 25 Minuten und damit etwa so lange wie die Fahrt mit dem Zug.
Die Kosten von rund zwölf Millionen Euro teilen sich die beiden Länder. Kritiker halten die Verbindung für überflüssig, weil die Bahnstrecke erst vor zwei Jahren ausgebaut wurde.
„Wir wollen den Menschen eine Alternative zum Auto bieten, die auch Spaß macht“, sagte die Geschäftsführerin bei der Vorstellung des Projekts in Lindau.
Artikel teilen
Facebook
WhatsApp
E-Mail
Das könnte Sie auch interessieren
Hafenfest lockt Tausende Besucher an die Promenade
Bürgermeister kündigt neue Radwege an
Winterdienst: Stadt stellt zusätzliche Fahrzeuge bereit
Newsletter: Die wichtigsten Nachrichten aus der Region jeden Morgen in Ihrem Postfach
Kommentare (2)
seefahrer88 vor 3 Stunden
Endlich! Darauf warten wir seit Jahren.
Antworten
Inge W. vor 2 Stunden
Und wer bezahlt das am Ende? Wieder der Steuerzahler.
Antworten
Impressum
Datenschutz
Kontakt
© 2026 Seebote Medien GmbH
""",
)

ES = Page(
    language="es",
    title="El Ayuntamiento de Cádiz plantará 2.000 árboles en los barrios más calurosos",
    story=(
        ("El Ayuntamiento de Cádiz plantará 2.000 árboles antes del verano en los barrios donde "
        "las temperaturas nocturnas superan con más frecuencia los 25 grados, según anunció este "
        "martes la concejala de Medio Ambiente."),
        ("El plan, que costará 1,4 millones de euros, prioriza especies autóctonas que necesitan "
        "poco riego, como el algarrobo y el acebuche, y se completará con sombras de lona en "
        "las plazas sin espacio para raíces."),
        ("Los vecinos de La Viña llevaban años reclamando más sombra. «En agosto no se puede salir "
        "a la calle hasta las nueve de la noche», explicó la presidenta de la asociación vecinal."),
        ("Los primeros ejemplares se plantarán en marzo y el Ayuntamiento publicará un mapa con "
        "la ubicación de cada árbol para que los vecinos puedan seguir su cuidado."),
    ),
    chrome=(
        ("Utilizamos cookies propias y de terceros para mejorar nuestros servicios. Si continúa "
        "navegando, consideramos que acepta su uso."),
        "Aceptar",
        "Portada",
        "Suscríbete a nuestro boletín y recibe las noticias más importantes cada mañana",
        "Descarga la app de Diario de la Bahía",
        "Vecinos pasean por la plaza de la Merced. (Foto: Diario de la Bahía / Ana Ruiz)",
        "Noticias relacionadas",
        "El Carnaval de Cádiz ya tiene fechas para 2027",
        "Comentarios",
        "Todos los derechos reservados",
    ),
    text="""Utilizamos cookies propias y de terceros para mejorar nuestros servicios. Si continúa navegando, consideramos que acepta su uso.
Aceptar
Más información
Diario de la Bahía
Portada
Cádiz
Provincia
Andalucía
Deportes
Opinión
Suscríbete a nuestro boletín y recibe las noticias más importantes cada mañana
Cádiz
El Ayuntamiento de Cádiz plantará 2.000 árboles en los barrios más calurosos
Por Lucía Marín
Actualizado el 4 de febrero de 2026 a las 13:05
El Ayuntamiento de Cádiz plantará 2.000 árboles antes del verano en los barrios donde las temperaturas nocturnas superan con más frecuencia los 25 grados, según anunció este martes la concejala de Medio Ambiente.
Vecinos pasean por la plaza de la Merced. (Foto: Diario de la Bahía / Ana Ruiz)
El plan, que costará 1,4 millones de euros, prioriza especies autóctonas que necesitan poco riego, como el algarrobo y el acebuche, y se completará con sombras de lona en las plazas sin espacio para raíces.
Los vecinos de La Viña llevaban años reclamando más sombra. «En agosto no se puede salir a la calle hasta las nueve de la noche», explicó la presidenta de la asociación vecinal.
Publicidad
Los primeros ejemplares se plantarán en marzo y el Ayuntamiento publicará un mapa con la ubicación de cada árbol para que los vecinos puedan seguir su cuidado.
Descarga la app de Diario de la Bahía
Compartir en Facebook
Compartir en Twitter
Noticias relacionadas
El Carnaval de Cádiz ya tiene fechas para 2027
Nuevo carril bici entre Puerta Tierra y Cortadura
La playa de la Caleta recupera arena tras los temporales
Comentarios
Deja tu comentario
Tu dirección de correo electrónico no será publicada.
Aviso legal
Política de privacidad
Todos los derechos reservados
""",
)

FR = Page(
    language="fr",
    title="À Nantes, la ligne de tramway 5 prolongée jusqu'à l'île de Versailles",
    story=(
        ("La ligne 5 du tramway nantais sera prolongée de trois kilomètres jusqu'à l'île de "
        "Versailles d'ici 2029, a annoncé jeudi la présidente de la métropole lors du conseil "
        "communautaire."),
        ("Le chantier, estimé à 180 millions d'euros, prévoit quatre nouvelles stations et un "
        "pont réservé aux piétons, aux vélos et au tramway au-dessus de l'Erdre."),
        ("Les commerçants du quartier redoutent des années de travaux. « Nous avons déjà perdu un "
        "tiers de notre clientèle pendant la rénovation de la place », rappelle un fleuriste."),
        ("La métropole promet une aide financière aux boutiques touchées et des travaux menés par "
        "tronçons pour que la circulation ne soit jamais coupée plus de deux semaines."),
    ),
    chrome=(
        ("Nous utilisons des cookies pour améliorer votre expérience et mesurer l'audience. En "
        "poursuivant votre navigation, vous acceptez leur utilisation."),
        "Tout accepter",
        "Accueil",
        "Téléchargez notre application pour recevoir nos alertes",
        "Le futur pont au-dessus de l'Erdre, vu par les architectes. (Photo Nantes Métropole)",
        "Lire aussi : Le périphérique nantais fermé la nuit pendant un mois",
        "Sur le même sujet",
        "Vélo : les pistes cyclables de la métropole en chiffres",
        "Réagissez",
        "Tous droits réservés",
    ),
    text="""Nous utilisons des cookies pour améliorer votre expérience et mesurer l'audience. En poursuivant votre navigation, vous acceptez leur utilisation.
Tout accepter
Paramétrer
L'Écho de l'Estuaire
Accueil
Actualité
Nantes
Loire-Atlantique
Sports
Loisirs
Téléchargez notre application pour recevoir nos alertes
Nantes › Transports
À Nantes, la ligne de tramway 5 prolongée jusqu'à l'île de Versailles
Par Claire Lemoine
Publié le 9 janvier 2026 à 18h20
La ligne 5 du tramway nantais sera prolongée de trois kilomètres jusqu'à l'île de Versailles d'ici 2029, a annoncé jeudi la présidente de la métropole lors du conseil communautaire.
Le futur pont au-dessus de l'Erdre, vu par les architectes. (Photo Nantes Métropole)
Le chantier, estimé à 180 millions d'euros, prévoit quatre nouvelles stations et un pont réservé aux piétons, aux vélos et au tramway au-dessus de l'Erdre.
Lire aussi : Le périphérique nantais fermé la nuit pendant un mois
Les commerçants du quartier redoutent des années de travaux. « Nous avons déjà perdu un tiers de notre clientèle pendant la rénovation de la place », rappelle un fleuriste.
La métropole promet une aide financière aux boutiques touchées et des travaux menés par tronçons pour que la circulation ne soit jamais coupée plus de deux semaines.
Partager
Facebook
Twitter
Sur le même sujet
Vélo : les pistes cyclables de la métropole en chiffres
Le marché de Talensac rouvre après travaux
Réagissez
Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *
Mentions légales
Tous droits réservés
""",
)

IT = Page(
    language="it",
    title="Bologna, la biblioteca di quartiere resterà aperta fino a mezzanotte",
    story=(
        ("La biblioteca del quartiere Navile resterà aperta fino a mezzanotte dal lunedì al "
        "venerdì a partire da aprile, ha annunciato l'assessora alla cultura durante la "
        "presentazione del nuovo calendario."),
        ("La sperimentazione durerà sei mesi e costerà circa 90 mila euro, coperti in parte da "
        "una fondazione bancaria. Nelle ore serali il servizio sarà garantito da volontari e "
        "studenti universitari."),
        ("Gli studenti avevano raccolto oltre tremila firme. «Durante la sessione d'esame non "
        "sappiamo dove studiare dopo le sette di sera», ha spiegato una delle promotrici."),
        ("Se l'esperimento funzionerà, il Comune valuterà di estendere l'orario ad altre due "
        "biblioteche di quartiere entro la fine dell'anno."),
    ),
    chrome=(
        ("Questo sito utilizza cookie tecnici e di profilazione. Continuando la navigazione "
        "accetti l'utilizzo dei cookie."),
        "Accetta",
        "Home",
        "Scarica la nostra app e resta sempre aggiornato",
        "La sala lettura della biblioteca Navile. (Foto Corriere delle Due Torri)",
        "Leggi anche",
        "Tram, i lavori in via Marconi slittano a giugno",
        "Commenti",
        "Tutti i diritti riservati",
    ),
    text="""Questo sito utilizza cookie tecnici e di profilazione. Continuando la navigazione accetti l'utilizzo dei cookie.
Accetta
Rifiuta
Corriere delle Due Torri
Home
Cronaca
Politica
Economia
Sport
Cultura
Scarica la nostra app e resta sempre aggiornato
Cronaca
Bologna, la biblioteca di quartiere resterà aperta fino a mezzanotte
di Giulia Ferrari
15 marzo 2026, 11:02
La biblioteca del quartiere Navile resterà aperta fino a mezzanotte dal lunedì al venerdì a partire da aprile, ha annunciato l'assessora alla cultura durante la presentazione del nuovo calendario.
La sala lettura della biblioteca Navile. (Foto Corriere delle Due Torri)
La sperimentazione durerà sei mesi e costerà circa 90 mila euro, coperti in parte da una fondazione bancaria. Nelle ore serali il servizio sarà garantito da volontari e studenti universitari.
Gli studenti avevano raccolto oltre tremila firme. «Durante la sessione d'esame non sappiamo dove studiare dopo le sette di sera», ha spiegato una delle promotrici.
Pubblicità
Se l'esperimento funzionerà, il Comune valuterà di estendere l'orario ad altre due biblioteche di quartiere entro la fine dell'anno.
Condividi
Facebook
WhatsApp
Leggi anche
Tram, i lavori in via Marconi slittano a giugno
Musei civici gratis la prima domenica del mese
Commenti
Lascia un commento
Il tuo indirizzo email non sarà pubblicato.
Chi siamo
Tutti i diritti riservati
""",
)

PAGES = (DE, ES, FR, IT)
