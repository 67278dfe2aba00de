"""The keyed patterns skip lines without their words: each branch must still match."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.clean import patterns

# One phrase per branch of each keyed pattern (casefolded, as the cleaner searches).
BRANCHES = {
    "COMMENT_POLICY_RE": [
        "we welcome comments that advance the story", "read our comments policy",
        "community guidelines", "comments are moderated", "charte de modération",
        "netiquette", "kommentarrichtlinien", "normas de participación", "policy dei commenti",
        "правила комментирования", "views expressed in comments are the readers' own",
        "by posting you accept that anything you post can be used in print",
    ],
    "COMMENT_FORM_RE": [
        "enter your comment here", "your email address will not be published",
        "required fields are marked *", "protected by akismet",
        "save my name, email, and website", "notify me of new posts", "cancel reply",
        "you must be logged in to post a comment", "log in to reply", "comments are closed",
        "captcha", "comments are moderated before they appear", "post comment", "votre commentaire",
        "ihr kommentar", "tu comentario", "ваш комментарий", "introduce tu comentario aquí",
        "tu dirección de correo no será publicada", "los campos obligatorios están marcados",
        "votre adresse e-mail ne sera pas publiée", "les champs obligatoires sont indiqués",
        "ihre e-mail-adresse wird nicht veröffentlicht", "pflichtfelder sind markiert",
        "il tuo indirizzo email non sarà pubblicato", "i campi obbligatori sono contrassegnati",
        "o seu endereço de e-mail não será publicado", "campos obrigatórios são marcados",
        "ваш e-mail не будет опубликован", "обязательные поля помечены",
        "لن يتم نشر عنوان بريدك الإلكتروني", "الحقول الإلزامية مشار إليها",
    ],
    "FORM_FIELD_RE": [
        "(required, but will not be displayed)", "-lrb- required , but will not be displayed -rrb-",
        "lrb- required , but will not be displayed", "mail (will not be published) (required)",
        "(never be shared)", "(obligatoire, ne sera pas publiée)", "(wird nicht veröffentlicht)",
        "(obligatorio, no se publicará)", "(obbligatorio, non verrà pubblicato)",
    ],
    "NOTICE_RE": [
        "© 2024 the river gazette", "(c) river gazette", "copyright river gazette",
        "2024 the gazette. all rights reserved.", "todos los derechos reservados",
        "tous droits réservés", "alle rechte vorbehalten", "tutti i diritti riservati",
        "todos os direitos reservados", "все права защищены", "جميع الحقوق محفوظة",
        "this website uses cookies to help", "utilizamos cookies propias",
        "ce site utilise des cookies", "diese seite verwendet cookies",
        "мы используем файлы cookie", "sign up for our morning newsletter",
        "subscribe to breaking news alerts", "abonnez-vous à notre lettre",
        "suscríbete a nuestro boletín", "подпишитесь на нашу рассылку",
        "click here to read more", "haz clic aquí", "cliquez ici pour lire",
        "klicken sie hier", "нажмите здесь",
    ],
    "PROMO_RE": [
        "download our free app today", "descarga la aplicación", "télécharger l'application",
        "scarica l'applicazione", "baixe o aplicativo", "скачайте наше приложение",
        "the app: download now", "newsletter: the day's news", "boletín: noticias",
        "lettre d'information : les titres", "infolettera: notizie",
        "get the day's news in your inbox", "recevez notre bulletin",
        "recibe las noticias en tu correo",
    ],
}


@pytest.mark.parametrize("name", sorted(BRANCHES))
def test_every_branch_still_matches_through_its_words(name: str) -> None:
    keyed = getattr(patterns, name)
    for phrase in BRANCHES[name]:
        assert keyed.pattern.search(phrase), phrase
        assert keyed.search(phrase), f"{name}: no word of {keyed.words} in {phrase!r}"


@given(st.text(alphabet=st.sampled_from("abcdeghilnoprstuw ©()'.:"), max_size=80))
def test_keyed_search_agrees_with_the_pattern(text: str) -> None:
    for name in BRANCHES:
        keyed = getattr(patterns, name)
        assert bool(keyed.search(text)) == bool(keyed.pattern.search(text))


FORM_SIZED = ["COMMENT_FORM_RE", "COMMENT_POLICY_RE", "NOTICE_RE", "PROMO_RE"]


@pytest.mark.parametrize("name", FORM_SIZED)
def test_the_shared_word_search_finds_every_branch(name: str) -> None:
    # _line_rule skips the four patterns on a line where FORM_SIZED_WORDS finds nothing.
    for phrase in BRANCHES[name]:
        assert patterns.FORM_SIZED_WORDS(phrase), f"{name}: {phrase!r}"


@given(st.text(alphabet=st.sampled_from("abcdeghilnoprstuw ©()'.:"), max_size=80))
def test_a_line_the_shared_search_passes_over_matches_none_of_the_four(text: str) -> None:
    if not patterns.FORM_SIZED_WORDS(text):
        for name in FORM_SIZED:
            assert not getattr(patterns, name).pattern.search(text), name
