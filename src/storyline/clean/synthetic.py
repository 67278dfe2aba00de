"""Flattened news pages we write ourselves, with the label of every line known by construction:
training lines for the line model in languages and page shapes the benchmark half lacks.

A page is a story composed from our own sentence templates (English, German, Spanish, French,
Italian; invented places and people) set in the chrome real pages carry around a story, flattened
one block per line as a naive scraper delivers it: menus, consent banners, bylines, captions and
video titles, "read also" teasers between paragraphs, newsletter and app promos, author boxes,
related-article lists with their teaser sentences, tags, share widgets and footers. Much of that
chrome is written as prose on purpose (a consent banner, an author box, a teaser's standfirst are
sentences): what tells it from the story is where it stands and what surrounds it, which is what
the model should learn, not that chrome is short.

Everything is drawn from a seeded generator: the same seed gives the same pages.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

BODY, CHROME, UNSURE = 1, 0, -1


@dataclass(frozen=True)
class Language:
    code: str
    sites: tuple[str, ...]
    sections: tuple[str, ...]
    utility: tuple[str, ...]
    consent: tuple[str, ...]
    consent_buttons: tuple[str, ...]
    newsletter: tuple[str, ...]
    app: tuple[str, ...]
    author_box: tuple[str, ...]
    related_heads: tuple[str, ...]
    read_also: tuple[str, ...]
    captions: tuple[str, ...]
    video: tuple[str, ...]
    share: tuple[str, ...]
    tags: str
    comments: tuple[str, ...]
    footer: tuple[str, ...]
    bylines: tuple[str, ...]
    dates: tuple[str, ...]
    headlines: tuple[str, ...]
    teasers: tuple[str, ...]
    story: tuple[str, ...]
    quotes: tuple[str, ...]
    short_quotes: tuple[str, ...]
    standfirst: tuple[str, ...]
    months: tuple[str, ...]
    weekdays: tuple[str, ...]
    roles: tuple[str, ...]
    things: tuple[str, ...]


PLACES = ("Varnholm", "Calvera", "Beaumarais", "Ostrania", "Quillon", "Sarvik", "Tolmena",
          "Lindquay", "Aravel", "Montesca", "Brekka", "Vallorne", "Keswitz", "Porto Salvo")
PEOPLE = ("Ida Marrow", "Tomas Ekdal", "Lucia Ferrante", "Jonas Keller", "Amélie Rousseau",
          "Carmen Olivera", "Piet Haverland", "Nora Lindqvist", "Matteo Ricci", "Elena Duarte",
          "Frieda Sommer", "Marc Delorme", "Sofia Brandt", "Aksel Varg", "Rosa Minguez")
AGENCIES = ("Northern Wire", "NWA", "Continental Press", "CPA", "Agencia Sur", "AFN")
ORGANISATIONS = ("Varnholm Transit", "the Calvera electoral board", "Quillon Systems",
                 "the Ostrania central bank", "the Lisse river authority", "Montesca Air")

LANGUAGES: tuple[Language, ...] = (
    Language(
        code="en",
        sites=("The Morning Ledger", "Harbour Gazette", "Valley Courier", "Northern Review"),
        sections=("Home", "News", "World", "Politics", "Business", "Markets", "Opinion", "Sport",
                  "Culture", "Science", "Travel", "Weather", "Video", "Podcasts", "Local"),
        utility=("Subscribe", "Sign in", "Search", "Menu", "Today's paper", "Newsletters"),
        consent=(("We and our partners use cookies to store and access information on your "
                 "device, to personalise content and ads and to analyse our traffic."),
                 ("By clicking accept, you agree to the use of cookies as described in our "
                 "privacy policy. You can change your choices at any time."),
                 "Your privacy matters to us: manage your preferences below."),
        consent_buttons=("Accept all", "Manage settings", "Reject all", "Accept and close"),
        newsletter=(("Get the day's top stories in your inbox every morning with our free "
                    "newsletter."), ("Sign up for our briefing: the news you need, before your "
                    "first coffee."), "Enter your email address", "Sign up", ("You can "
                    "unsubscribe at any time.")),
        app=("Download our app to get breaking news alerts on your phone.",
             "Read the Morning Ledger anywhere: get the app for iPhone and Android."),
        author_box=(("{person} is a senior reporter covering {thing} and regional politics. "
                    "Before joining the paper she worked for {agency} in {place}."),
                    "{person} has written about {thing} for more than ten years.",
                    "Follow {person} on social media", "More stories by {person}"),
        related_heads=("Related stories", "More on this story", "You may also like",
                       "Most read", "Recommended for you", "Latest news"),
        read_also=("Read more: {headline}", "Also read: {headline}", "Related: {headline}"),
        captions=("{person} speaks to reporters in {place} on {weekday}. Photo: {agency}",
                  "Workers at the site in {place} earlier this week. (Photo by {person}/{agency})",
                  "A view of {place} from the harbour. Image: {agency}",
                  "Photo: {agency} / {person}"),
        video=("Video: {headline}", "Watch: {headline}", "{minutes}:{seconds}"),
        share=("Share", "Facebook", "Twitter", "WhatsApp", "Email", "Copy link", "Print"),
        tags="Topics: {place}, {thing}, Politics",
        comments=("{count} comments", "Join the conversation", "Show comments"),
        footer=("© 2026 {site}. All rights reserved.", "About us", "Contact", "Privacy policy",
                "Terms of use", "Cookie settings", "Advertise with us", "Careers"),
        bylines=("By {person}", "By {person} and {person2}", "{person}, {agency}"),
        dates=("{weekday} {day} {month} 2026 {hour}:{minute} BST", ("Updated {hour}:{minute} "
               "GMT, {month} {day}, 2026"), "Published {day} {month} 2026"),
        headlines=("{place} approves new budget after long night of talks",
                   "Floods cut off villages near {place}", "{person} wins runoff in {place}",
                   "Talks on {thing} collapse as deadline passes",
                   "What the new {thing} rules mean for you", ("Police close road in {place} "
                   "after crash"), "{place} council delays vote on {thing}"),
        teasers=("The decision follows months of protests over {thing} in the region.",
                 "Officials say the work could take until the end of the year.",
                 "Here is everything we know so far."),
        story=(("Officials in {place} said on {weekday} that the {thing} plan would go ahead "
               "despite objections from residents and local businesses."),
               ("The council voted {number} to {number2} in favour of the proposal after a "
               "debate that lasted most of the afternoon."),
               ("According to figures published by {organisation}, the cost of the project has "
               "risen by {percent} per cent since it was first announced."),
               ("{role} {person} told reporters that the government had underestimated how "
               "long the repairs would take."),
               ("Residents of the old town have complained for years about noise and traffic, "
               "and many of them attended the meeting."),
               ("The work is expected to begin in {month} and to last at least two years, "
               "the city's engineers said in a statement."),
               "It was not immediately clear how the plan would be paid for.",
               ("In {place}, where the river rose by almost {number} metres overnight, "
               "emergency crews evacuated more than {number2} homes."),
               ("Opposition leaders called the vote a mistake and said they would challenge "
               "it in court."), "{organisation} did not respond to a request for comment.",
               ("The last time the region faced a crisis of this size was in the winter of "
               "{year}, when {number} people lost their homes.")),
        quotes=(("\"We did everything we could, but the water came too fast,\" said {person}, "
                "a shop owner in {place}."),
                "\"This is a good day for the city,\" {role} {person} said after the vote."),
        short_quotes=("\"Never again,\" said one resident.", "\"We are ready,\" {person} said.",
                      "\"It is a start,\" she said."),
        standfirst=("Residents fear higher costs as the council pushes ahead with the plan.",),
        months=("January", "March", "April", "June", "September", "October", "November"),
        weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"),
        roles=("Mayor", "Minister", "Spokeswoman", "Fire chief", "Senator", "Professor"),
        things=("housing", "tram line", "water supply", "bridge repair", "energy price",
                "school reform"),
    ),
    Language(
        code="de",
        sites=("Nordkurier Rundschau", "Rheintal Bote", "Der Morgenanzeiger", "Alpen-Zeitung"),
        sections=("Startseite", "Politik", "Wirtschaft", "Panorama", "Sport", "Kultur",
                  "Wissen", "Reise", "Meinung", "Regional", "Video", "Podcast", "Wetter"),
        utility=("Abo", "Anmelden", "Suche", "Menü", "E-Paper", "Newsletter"),
        consent=(("Wir und unsere Partner verwenden Cookies und ähnliche Technologien, um "
                 "Inhalte und Anzeigen zu personalisieren und die Zugriffe zu analysieren."),
                 ("Mit einem Klick auf „Alle akzeptieren“ stimmen Sie der Verarbeitung Ihrer "
                 "Daten zu. Ihre Einwilligung können Sie jederzeit widerrufen."),
                 "Datenschutzeinstellungen"),
        consent_buttons=("Alle akzeptieren", "Einstellungen", "Ablehnen", "Zustimmen"),
        newsletter=(("Die wichtigsten Nachrichten des Tages jeden Morgen kostenlos in Ihrem "
                    "Postfach."), "Jetzt den Newsletter abonnieren und nichts mehr verpassen.",
                    "Ihre E-Mail-Adresse", "Abonnieren", "Die Abmeldung ist jederzeit möglich."),
        app=(("Laden Sie unsere App herunter und erhalten Sie Eilmeldungen direkt auf Ihr "
             "Handy."), "Die Nachrichten-App für iPhone und Android: jetzt kostenlos testen."),
        author_box=(("{person} ist Redakteurin im Ressort Politik und schreibt vor allem über "
                    "{thing}. Zuvor arbeitete sie für {agency} in {place}."),
                    "{person} berichtet seit zehn Jahren aus {place}.",
                    "Mehr Artikel von {person}", "{person} folgen"),
        related_heads=("Das könnte Sie auch interessieren", "Mehr zum Thema", "Meistgelesen",
                       "Weitere Artikel", "Top-Themen"),
        read_also=("Lesen Sie auch: {headline}", "Auch interessant: {headline}",
                   "Mehr zum Thema: {headline}"),
        captions=("{person} spricht am {weekday} in {place} mit Journalisten. Foto: {agency}",
                  "Arbeiter auf der Baustelle in {place}. Bild: {agency}/{person}",
                  "Blick auf den Hafen von {place}. © {agency}", "Foto: {agency}"),
        video=("Video: {headline}", "Im Video: {headline}", "{minutes}:{seconds} Min."),
        share=("Teilen", "Facebook", "Twitter", "WhatsApp", "E-Mail", "Link kopieren", "Drucken"),
        tags="Themen: {place}, {thing}, Politik",
        comments=("{count} Kommentare", "Kommentare anzeigen", "Jetzt mitdiskutieren"),
        footer=("© 2026 {site}. Alle Rechte vorbehalten.", "Impressum", "Datenschutz", "Kontakt",
                "AGB", "Cookie-Einstellungen", "Mediadaten", "Karriere"),
        bylines=("Von {person}", "Von {person} und {person2}", "{person}, {agency}"),
        dates=("{day}.{month_number}.2026, {hour}:{minute} Uhr", ("Aktualisiert am "
               "{day}.{month_number}.2026"), "{weekday}, {day}. {month} 2026"),
        headlines=("{place} beschließt neuen Haushalt nach langer Nacht",
                   "Hochwasser schneidet Dörfer bei {place} ab", ("{person} gewinnt Stichwahl "
                   "in {place}"), "Verhandlungen über {thing} gescheitert", ("Was die neuen "
                   "Regeln für {thing} bedeuten"), "Stadtrat in {place} vertagt Abstimmung"),
        teasers=("Die Entscheidung folgt auf monatelange Proteste in der Region.",
                 "Die Arbeiten könnten bis zum Jahresende dauern.",
                 "Alles, was wir bisher wissen."),
        story=(("Die Stadtverwaltung von {place} teilte am {weekday} mit, dass das Projekt "
               "trotz der Einwände von Anwohnern und Geschäftsleuten fortgesetzt werde."),
               ("Der Stadtrat stimmte mit {number} zu {number2} Stimmen für den Vorschlag, "
               "nachdem die Debatte fast den ganzen Nachmittag gedauert hatte."),
               ("Nach Angaben von {organisation} sind die Kosten seit der ersten Ankündigung um "
               "{percent} Prozent gestiegen."),
               ("{role} {person} sagte, die Regierung habe unterschätzt, wie lange die "
               "Reparaturen dauern würden."),
               ("Die Bewohner der Altstadt klagen seit Jahren über Lärm und Verkehr, viele von "
               "ihnen waren bei der Sitzung anwesend."),
               ("Die Arbeiten sollen im {month} beginnen und mindestens zwei Jahre dauern, "
               "erklärten die Ingenieure der Stadt."),
               "Wie das Vorhaben finanziert werden soll, blieb zunächst unklar.",
               ("In {place}, wo der Fluss über Nacht um fast {number} Meter stieg, "
               "brachten Rettungskräfte mehr als {number2} Menschen in Sicherheit."),
               "Die Opposition nannte die Abstimmung einen Fehler und kündigte eine Klage an.",
               "{organisation} wollte sich auf Anfrage nicht äußern.",
               "Zuletzt hatte die Region im Winter {year} eine Krise dieses Ausmaßes erlebt."),
        quotes=(("„Wir haben alles getan, was wir konnten, aber das Wasser kam zu schnell“, "
                "sagte {person}, die in {place} ein Geschäft betreibt."),
                ("„Das ist ein guter Tag für die Stadt“, sagte {role} {person} nach der "
                "Abstimmung.")),
        short_quotes=("„Nie wieder“, sagte eine Anwohnerin.", "„Wir sind bereit“, sagte {person}.",
                      "„Das ist ein Anfang“, sagte sie."),
        standfirst=("Anwohner fürchten höhere Kosten, doch der Stadtrat hält an dem Plan fest.",),
        months=("Januar", "März", "April", "Juni", "September", "Oktober", "November"),
        weekdays=("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"),
        roles=("Bürgermeisterin", "Minister", "Sprecherin", "Feuerwehrchef", "Professorin"),
        things=("Wohnungsbau", "Straßenbahn", "Wasserversorgung", "Brückensanierung",
                "Energiepreise", "Schulreform"),
    ),
    Language(
        code="es",
        sites=("Diario del Norte", "El Observador Económico", "La Voz de Calvera",
               "Heraldo del Sur"),
        sections=("Portada", "Nacional", "Internacional", "Política", "Economía", "Deportes",
                  "Cultura", "Sociedad", "Opinión", "Tecnología", "Vídeos", "Tiempo"),
        utility=("Suscríbete", "Iniciar sesión", "Buscar", "Menú", "Hemeroteca", "Boletines"),
        consent=(("Utilizamos cookies propias y de terceros para mejorar nuestros servicios, "
                 "personalizar la publicidad y analizar sus hábitos de navegación."),
                 ("Si continúa navegando, consideramos que acepta su uso. Puede cambiar la "
                 "configuración u obtener más información en nuestra política de cookies."),
                 "Configuración de privacidad"),
        consent_buttons=("Aceptar todo", "Configurar", "Rechazar", "Aceptar y cerrar"),
        newsletter=("Recibe cada mañana en tu correo las noticias más importantes del día.",
                    "Suscríbete gratis a nuestro boletín y no te pierdas nada.",
                    "Tu correo electrónico", "Suscribirme", ("Puedes darte de baja cuando "
                    "quieras.")),
        app=("Descarga nuestra aplicación y recibe las últimas noticias en tu móvil.",
             "Lee el periódico donde quieras con la app para iPhone y Android."),
        author_box=(("{person} es periodista de la sección de Política y escribe sobre "
                    "{thing}. Antes trabajó para {agency} en {place}."),
                    "{person} cubre la actualidad de {place} desde hace diez años.",
                    "Más artículos de {person}", "Seguir a {person}"),
        related_heads=("Noticias relacionadas", "Te puede interesar", "Lo más leído",
                       "Más sobre este tema", "Últimas noticias"),
        read_also=("Lee también: {headline}", "Más información: {headline}",
                   "Relacionado: {headline}"),
        captions=("{person} atiende a la prensa en {place} el {weekday}. Foto: {agency}",
                  "Operarios trabajan en la obra de {place}. (Foto: {person} / {agency})",
                  "Vista del puerto de {place}. EFE/{agency}", "Foto: {agency}"),
        video=("Vídeo: {headline}", "VÍDEO | {headline}", "{minutes}:{seconds}"),
        share=("Compartir", "Facebook", "Twitter", "WhatsApp", "Correo", "Copiar enlace"),
        tags="Temas: {place}, {thing}, Política",
        comments=("{count} comentarios", "Ver comentarios", "Comenta esta noticia"),
        footer=("© 2026 {site}. Todos los derechos reservados.", "Aviso legal", "Privacidad",
                "Contacto", "Política de cookies", "Publicidad", "Quiénes somos"),
        bylines=("Por {person}", "{person} | {place}", "{person} y {person2}"),
        dates=("{day}/{month_number}/2026 - {hour}:{minute}", ("Actualizado el {day} de "
               "{month} de 2026"), "{weekday}, {day} de {month} de 2026"),
        headlines=("{place} aprueba el nuevo presupuesto tras una larga noche de debate",
                   "Las inundaciones dejan aislados varios pueblos cerca de {place}",
                   "{person} gana la segunda vuelta en {place}", ("Fracasan las negociaciones "
                   "sobre {thing}"), "Qué cambia con las nuevas normas de {thing}"),
        teasers=("La decisión llega tras meses de protestas en la región.",
                 "Las obras podrían durar hasta final de año.",
                 "Esto es todo lo que sabemos hasta ahora."),
        story=(("El ayuntamiento de {place} anunció el {weekday} que el proyecto seguirá "
               "adelante pese a las quejas de vecinos y comerciantes."),
               ("El pleno aprobó la propuesta por {number} votos a favor y {number2} en contra "
               "tras un debate que se prolongó durante toda la tarde."),
               ("Según los datos publicados por {organisation}, el coste de la obra ha subido un "
               "{percent} por ciento desde que se anunció."),
               ("{role} {person} declaró a los periodistas que el Gobierno había subestimado "
               "la duración de las reparaciones."),
               ("Los vecinos del casco antiguo llevan años quejándose del ruido y del tráfico, "
               "y muchos de ellos acudieron a la reunión."),
               ("Las obras comenzarán en {month} y durarán al menos dos años, según explicaron "
               "los ingenieros municipales en un comunicado."),
               "No está claro cómo se financiará el plan.",
               ("En {place}, donde el río subió casi {number} metros durante la noche, los "
               "servicios de emergencia desalojaron más de {number2} viviendas."),
               ("La oposición calificó la votación de error y anunció que la recurrirá ante "
               "los tribunales."), "{organisation} no respondió a las preguntas de este diario.",
               ("La última vez que la región vivió una crisis de esta magnitud fue en el invierno "
               "de {year}.")),
        quotes=(("«Hicimos todo lo que pudimos, pero el agua llegó demasiado rápido», dijo "
                "{person}, dueña de una tienda en {place}."),
                "«Es un buen día para la ciudad», afirmó {role} {person} tras la votación."),
        short_quotes=("«Nunca más», dijo una vecina.", "«Estamos listos», afirmó {person}.",
                      "«Es un comienzo», dijo."),
        standfirst=("Los vecinos temen una subida de costes mientras el pleno mantiene el plan.",),
        months=("enero", "marzo", "abril", "junio", "septiembre", "octubre", "noviembre"),
        weekdays=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado"),
        roles=("La alcaldesa", "El ministro", "La portavoz", "El jefe de bomberos"),
        things=("vivienda", "tranvía", "agua potable", "reparación del puente",
                "precio de la energía", "reforma educativa"),
    ),
    Language(
        code="fr",
        sites=("Courrier Continental", "La Voix de Beaumarais", "Le Matin du Nord",
               "L'Écho des Vallées"),
        sections=("Accueil", "France", "International", "Politique", "Économie", "Sport",
                  "Culture", "Société", "Sciences", "Opinions", "Vidéos", "Météo"),
        utility=("S'abonner", "Se connecter", "Rechercher", "Menu", "Le journal", "Newsletters"),
        consent=(("Nous et nos partenaires utilisons des cookies pour stocker et accéder à des "
                 "informations sur votre appareil, personnaliser les contenus et mesurer "
                 "l'audience."), ("En cliquant sur « Tout accepter », vous consentez à ces "
                 "traitements. Vous pouvez modifier vos choix à tout moment."),
                 "Vos choix en matière de confidentialité"),
        consent_buttons=("Tout accepter", "Paramétrer", "Continuer sans accepter", "J'accepte"),
        newsletter=("Recevez chaque matin l'essentiel de l'actualité dans votre boîte mail.",
                    "Inscrivez-vous gratuitement à notre newsletter.", "Votre adresse e-mail",
                    "Je m'inscris", "Vous pouvez vous désinscrire à tout moment."),
        app=(("Téléchargez notre application pour recevoir les alertes en direct sur votre "
             "téléphone."), "Lisez le journal partout avec l'application pour iPhone et Android."),
        author_box=(("{person} est journaliste au service politique et suit les questions de "
                    "{thing}. Auparavant, elle a travaillé pour {agency} à {place}."),
                    "{person} couvre l'actualité de {place} depuis dix ans.",
                    "Tous les articles de {person}", "Suivre {person}"),
        related_heads=("À lire aussi", "Sur le même sujet", "Les plus lus", ("Nos articles "
                       "recommandés"), "Dernières actualités"),
        read_also=("Lire aussi : {headline}", "À lire aussi : {headline}",
                   "Sur le même sujet : {headline}"),
        captions=("{person} s'adresse à la presse à {place}, {weekday}. Photo {agency}",
                  "Des ouvriers sur le chantier de {place}. (Photo {person} / {agency})",
                  "Vue du port de {place}. © {agency}", "Photo : {agency}"),
        video=("Vidéo : {headline}", "VIDÉO. {headline}", "{minutes}:{seconds}"),
        share=("Partager", "Facebook", "Twitter", "WhatsApp", "E-mail", "Copier le lien"),
        tags="Sujets : {place}, {thing}, Politique",
        comments=("{count} commentaires", "Voir les commentaires", "Réagir"),
        footer=("© 2026 {site}. Tous droits réservés.", "Mentions légales", "Confidentialité",
                "Contact", "Gestion des cookies", "Publicité", "Qui sommes-nous"),
        bylines=("Par {person}", "{person}, avec {agency}", "Par {person} et {person2}"),
        dates=("Publié le {day}/{month_number}/2026 à {hour}h{minute}", ("Mis à jour le {day} "
               "{month} 2026"), "{weekday} {day} {month} 2026"),
        headlines=("{place} adopte son nouveau budget après une longue nuit de débats",
                   "Les inondations isolent plusieurs villages près de {place}",
                   "{person} remporte le second tour à {place}", ("Échec des négociations sur "
                   "{thing}"), "Ce que changent les nouvelles règles sur {thing}"),
        teasers=("La décision intervient après des mois de manifestations dans la région.",
                 "Les travaux pourraient durer jusqu'à la fin de l'année.",
                 "Voici ce que l'on sait à ce stade."),
        story=(("La mairie de {place} a annoncé {weekday} que le projet serait maintenu malgré "
               "les objections des riverains et des commerçants."),
               ("Le conseil municipal a adopté la proposition par {number} voix contre {number2} "
               "après un débat qui a duré presque tout l'après-midi."),
               ("Selon les chiffres publiés par {organisation}, le coût du chantier a augmenté de "
               "{percent} % depuis son annonce."),
               ("{role} {person} a déclaré à la presse que le gouvernement avait sous-estimé la "
               "durée des réparations."),
               ("Les habitants de la vieille ville se plaignent depuis des années du bruit et de "
               "la circulation, et beaucoup d'entre eux assistaient à la réunion."),
               ("Les travaux doivent commencer en {month} et durer au moins deux ans, ont précisé "
               "les ingénieurs de la ville dans un communiqué."),
               "On ignorait encore comment le projet serait financé.",
               ("À {place}, où la rivière est montée de près de {number} mètres dans la nuit, les "
               "secours ont évacué plus de {number2} logements."),
               "L'opposition a qualifié le vote d'erreur et annoncé un recours en justice.",
               "{organisation} n'a pas répondu à nos sollicitations.",
               "La région n'avait pas connu une crise de cette ampleur depuis l'hiver {year}."),
        quotes=(("« Nous avons fait tout ce que nous pouvions, mais l'eau est montée trop vite », "
                "raconte {person}, commerçante à {place}."),
                ("« C'est une bonne journée pour la ville », a déclaré {role} {person} après le "
                "vote.")),
        short_quotes=("« Plus jamais », confie une habitante.", "« Nous sommes prêts », dit {person}.",
                      "« C'est un début », a-t-elle dit."),
        standfirst=(("Les riverains craignent une hausse des coûts, mais le conseil maintient "
                    "son projet."),),
        months=("janvier", "mars", "avril", "juin", "septembre", "octobre", "novembre"),
        weekdays=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"),
        roles=("La maire", "Le ministre", "La porte-parole", "Le chef des pompiers"),
        things=("logement", "tramway", "eau potable", "réparation du pont",
                "prix de l'énergie", "réforme scolaire"),
    ),
    Language(
        code="it",
        sites=("Corriere di Montesca", "La Gazzetta del Lago", "Il Mattino di Vallorne",
               "Eco del Porto"),
        sections=("Home", "Cronaca", "Politica", "Esteri", "Economia", "Sport", "Cultura",
                  "Spettacoli", "Tecnologia", "Opinioni", "Video", "Meteo"),
        utility=("Abbonati", "Accedi", "Cerca", "Menu", "Edicola digitale", "Newsletter"),
        consent=(("Noi e i nostri partner utilizziamo cookie e tecnologie simili per "
                 "personalizzare contenuti e annunci e per analizzare il nostro traffico."),
                 ("Cliccando su «Accetta tutto» acconsenti all'uso dei cookie. Puoi modificare "
                 "le tue scelte in qualsiasi momento."), "Impostazioni sulla privacy"),
        consent_buttons=("Accetta tutto", "Personalizza", "Rifiuta", "Accetta e chiudi"),
        newsletter=(("Ricevi ogni mattina le notizie più importanti della giornata nella tua "
                    "casella di posta."), "Iscriviti gratis alla nostra newsletter.",
                    "Il tuo indirizzo email", "Iscriviti", ("Puoi annullare l'iscrizione in "
                    "qualsiasi momento.")),
        app=("Scarica la nostra app per ricevere le ultime notizie sul tuo telefono.",
             "Leggi il giornale ovunque con l'app per iPhone e Android."),
        author_box=(("{person} è giornalista della redazione politica e si occupa di {thing}. "
                    "In precedenza ha lavorato per {agency} a {place}."),
                    "{person} segue la cronaca di {place} da dieci anni.",
                    "Tutti gli articoli di {person}", "Segui {person}"),
        related_heads=("Leggi anche", "Potrebbe interessarti", "I più letti",
                       "Articoli correlati", "Ultime notizie"),
        read_also=("Leggi anche: {headline}", "Approfondisci: {headline}",
                   "Correlato: {headline}"),
        captions=("{person} parla con i giornalisti a {place} {weekday}. Foto {agency}",
                  "Operai al lavoro nel cantiere di {place}. (Foto {person} / {agency})",
                  "Una veduta del porto di {place}. © {agency}", "Foto: {agency}"),
        video=("Video: {headline}", "VIDEO | {headline}", "{minutes}:{seconds}"),
        share=("Condividi", "Facebook", "Twitter", "WhatsApp", "Email", "Copia link"),
        tags="Argomenti: {place}, {thing}, Politica",
        comments=("{count} commenti", "Mostra commenti", "Commenta"),
        footer=("© 2026 {site}. Tutti i diritti riservati.", "Note legali", "Privacy",
                "Contatti", "Cookie policy", "Pubblicità", "Chi siamo"),
        bylines=("di {person}", "{person} - {place}", "di {person} e {person2}"),
        dates=("{day}/{month_number}/2026 {hour}:{minute}", "Aggiornato il {day} {month} 2026",
               "{weekday} {day} {month} 2026"),
        headlines=("{place} approva il nuovo bilancio dopo una lunga notte di trattative",
                   "L'alluvione isola diversi paesi vicino a {place}",
                   "{person} vince il ballottaggio a {place}", ("Fallisce la trattativa su "
                   "{thing}"), "Cosa cambia con le nuove regole su {thing}"),
        teasers=("La decisione arriva dopo mesi di proteste nella regione.",
                 "I lavori potrebbero durare fino alla fine dell'anno.",
                 "Ecco tutto quello che sappiamo finora."),
        story=(("Il comune di {place} ha annunciato {weekday} che il progetto andrà avanti "
               "nonostante le proteste dei residenti e dei commercianti."),
               ("Il consiglio comunale ha approvato la proposta con {number} voti a favore e "
               "{number2} contrari dopo un dibattito durato quasi tutto il pomeriggio."),
               ("Secondo i dati diffusi da {organisation}, il costo dell'opera è aumentato del "
               "{percent} per cento da quando è stata annunciata."),
               ("{role} {person} ha detto ai giornalisti che il governo aveva sottovalutato i "
               "tempi delle riparazioni."),
               ("Gli abitanti del centro storico si lamentano da anni del rumore e del traffico, "
               "e molti di loro erano presenti alla riunione."),
               ("I lavori dovrebbero iniziare a {month} e durare almeno due anni, hanno spiegato "
               "gli ingegneri del comune in una nota."),
               "Non è ancora chiaro come verrà finanziato il piano.",
               ("A {place}, dove il fiume è salito di quasi {number} metri durante la notte, i "
               "soccorritori hanno evacuato più di {number2} abitazioni."),
               "L'opposizione ha definito il voto un errore e ha annunciato un ricorso.",
               "{organisation} non ha risposto alle nostre domande.",
               ("L'ultima volta che la regione ha vissuto una crisi simile è stato nell'inverno "
               "del {year}.")),
        quotes=(("«Abbiamo fatto tutto il possibile, ma l'acqua è arrivata troppo in fretta», "
                "racconta {person}, che gestisce un negozio a {place}."),
                "«È una buona giornata per la città», ha detto {role} {person} dopo il voto."),
        short_quotes=("«Mai più», dice una residente.", "«Siamo pronti», ha detto {person}.",
                      "«È un inizio», ha detto."),
        standfirst=("I residenti temono un aumento dei costi, ma il consiglio non cambia idea.",),
        months=("gennaio", "marzo", "aprile", "giugno", "settembre", "ottobre", "novembre"),
        weekdays=("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"),
        roles=("La sindaca", "Il ministro", "La portavoce", "Il comandante dei vigili del fuoco"),
        things=("casa", "tram", "acqua potabile", "riparazione del ponte", "prezzi dell'energia",
                "riforma della scuola"),
    ),
)


@dataclass
class SyntheticPage:
    name: str
    lines: list[str]
    labels: list[int]  # BODY, CHROME or UNSURE per line


class _Writer:
    """Fills one page's templates: one place, people and topic per page, so a story reads as one."""

    def __init__(self, language: Language, rng: random.Random) -> None:
        self.language, self.rng = language, rng
        people = rng.sample(PEOPLE, 3)
        self.slots = {
            "place": rng.choice(PLACES), "person": people[0], "person2": people[1],
            "site": rng.choice(language.sites), "agency": rng.choice(AGENCIES),
            "organisation": rng.choice(ORGANISATIONS), "thing": rng.choice(language.things),
            "role": rng.choice(language.roles), "weekday": rng.choice(language.weekdays),
            "month": rng.choice(language.months),
        }

    def fill(self, template: str) -> str:
        rng = self.rng
        values = {
            **self.slots, "number": str(rng.randint(2, 40)), "number2": str(rng.randint(2, 900)),
            "percent": str(rng.randint(3, 60)), "year": str(rng.randint(1950, 2019)),
            "day": str(rng.randint(1, 28)), "month_number": f"{rng.randint(1, 12):02d}",
            "hour": str(rng.randint(6, 23)), "minute": f"{rng.randint(0, 59):02d}",
            "minutes": str(rng.randint(0, 12)), "seconds": f"{rng.randint(0, 59):02d}",
            "count": str(rng.randint(0, 480)),
        }
        if "{headline}" in template:
            values["headline"] = self.headline()
        return template.format(**values)

    def headline(self) -> str:
        """A headline about another place and person than the page's story (a teaser's)."""
        saved = dict(self.slots)
        self.slots.update(place=self.rng.choice(PLACES), person=self.rng.choice(PEOPLE),
                          thing=self.rng.choice(self.language.things))
        text = self.fill(self.rng.choice(self.language.headlines))
        self.slots = saved
        return text


def page(language: Language, index: int, rng: random.Random) -> SyntheticPage:
    """One flattened page: chrome above, the story with chrome between its paragraphs, chrome
    below; each part present or not, long or short, as pages differ."""
    writer = _Writer(language, rng)
    out: list[tuple[str, int]] = []

    def chrome(*lines: str) -> None:
        out.extend((_capitalized(line), CHROME) for line in lines)

    _header(writer, out, chrome)
    _story(writer, out, chrome)
    _tail(writer, chrome)
    return SyntheticPage(f"synthetic-{language.code}-{index:03d}", [t for t, _ in out],
                         [label for _, label in out])


def _header(writer: _Writer, out: list[tuple[str, int]], chrome) -> None:  # type: ignore[no-untyped-def]
    """The title, consent banner, menus, headline, standfirst, byline, date, share widgets and
    a lead picture's caption."""
    language, rng = writer.language, writer.rng
    headline = writer.fill(rng.choice(language.headlines))
    out.append((f"{headline} {rng.choice(('-', '|', '–'))} {writer.slots['site']}", UNSURE))
    if rng.random() < 0.4:
        chrome(*(writer.fill(line) for line in language.consent), *rng.sample(
            language.consent_buttons, 2))
    chrome(writer.slots["site"], *rng.sample(language.utility, rng.randint(1, 4)))
    sections = rng.sample(language.sections, rng.randint(4, len(language.sections)))
    for section in sections:
        chrome(section)
        if rng.random() < 0.15:  # a mega menu: teaser headlines under a section
            chrome(*(writer.headline() for _ in range(rng.randint(2, 4))))
    if rng.random() < 0.5:
        chrome(rng.choice(sections))  # the breadcrumb or section kicker
    out.append((headline, UNSURE))
    if rng.random() < 0.5:
        out.append((writer.fill(rng.choice(language.standfirst)), UNSURE))
    chrome(writer.fill(rng.choice(language.bylines)), writer.fill(rng.choice(language.dates)))
    if rng.random() < 0.4:
        chrome(*rng.sample(language.share, rng.randint(2, 5)))
    if rng.random() < 0.6:
        chrome(writer.fill(rng.choice(language.captions)))


def _story(writer: _Writer, out: list[tuple[str, int]], chrome) -> None:  # type: ignore[no-untyped-def]
    """The story's paragraphs, now and then a teaser, caption, video or promo between two."""
    language, rng = writer.language, writer.rng
    story = rng.sample(language.story, rng.randint(4, len(language.story)))
    story.insert(rng.randrange(len(story)), rng.choice(language.quotes))
    paragraphs: list[str] = []
    while story:
        take = rng.choice((1, 1, 2, 3))
        paragraphs.append(" ".join(_capitalized(writer.fill(s)) for s in story[:take]))
        story = story[take:]
    interruptions = [
        lambda: chrome(writer.fill(rng.choice(language.read_also))),
        lambda: chrome(writer.fill(rng.choice(language.captions))),
        lambda: chrome(*(writer.fill(line) for line in language.video[:1]), writer.fill(
            language.video[-1])),
        lambda: chrome(*language.newsletter[: rng.randint(2, len(language.newsletter))]),
        lambda: chrome(rng.choice(language.app)),
    ]
    if rng.random() < 0.5:  # stories often end on a short quote, a line of its own
        paragraphs.append(writer.fill(rng.choice(language.short_quotes)))
    for number, paragraph in enumerate(paragraphs):
        out.append((paragraph, BODY))
        if 0 < number < len(paragraphs) - 1 and rng.random() < 0.3:
            rng.choice(interruptions)()


def _capitalized(sentence: str) -> str:
    """A line opening on a slot or a weekday ("the Ostrania central bank did not …", "lunes,
    20 de enero") starts upper case: a line starting lower case reads as the continuation of
    the line above, and the cleaner joins the two."""
    return sentence[:1].upper() + sentence[1:]


def _tail(writer: _Writer, chrome) -> None:  # type: ignore[no-untyped-def]
    """Some of tags, share widgets, author box, promos, related lists and comment links, in
    any order, then the footer."""
    language, rng = writer.language, writer.rng
    tail = [
        lambda: chrome(writer.fill(language.tags)),
        lambda: chrome(*rng.sample(language.share, rng.randint(2, 6))),
        lambda: chrome(*(writer.fill(line) for line in language.author_box[: rng.randint(1, 4)])),
        lambda: chrome(*language.newsletter[: rng.randint(1, len(language.newsletter))]),
        lambda: chrome(rng.choice(language.app)),
        lambda: _related(writer, chrome),
        lambda: chrome(*(writer.fill(line) for line in rng.sample(language.comments, 2))),
    ]
    for part in rng.sample(tail, rng.randint(2, len(tail))):
        part()
    if rng.random() < 0.5:
        _related(writer, chrome)
    footer = rng.sample(language.footer, rng.randint(3, len(language.footer)))
    chrome(*(writer.fill(line) for line in footer))


def _related(writer: _Writer, chrome) -> None:  # type: ignore[no-untyped-def]
    """A related-articles list: a heading, then teaser headlines, some with their standfirst
    sentence and a date, as teaser blocks flatten."""
    language, rng = writer.language, writer.rng
    chrome(rng.choice(language.related_heads))
    for _ in range(rng.randint(2, 6)):
        chrome(writer.headline())
        if rng.random() < 0.4:
            chrome(writer.fill(rng.choice(language.teasers)))
        if rng.random() < 0.3:
            chrome(writer.fill(rng.choice(language.dates)))


def pages(count_per_language: int, seed: int) -> list[SyntheticPage]:
    rng = random.Random(seed)
    return [page(language, index, rng) for language in LANGUAGES
            for index in range(count_per_language)]
