"""Language identification on sentences written for these tests, in six languages."""

from __future__ import annotations

import pytest

from storyline.enrich.language import identify_language, second_opinion

SAMPLES = {
    "en": "The city council approved the new budget on Tuesday after a long debate about the "
          "cost of public transport and the state of the roads.",
    "es": "El ayuntamiento aprobó el martes el nuevo presupuesto después de un largo debate sobre "
          "el coste del transporte público y el estado de las carreteras.",
    "fr": "Le conseil municipal a approuvé mardi le nouveau budget après un long débat sur le coût "
          "des transports publics et l'état des routes.",
    "de": "Der Stadtrat hat am Dienstag nach einer langen Debatte über die Kosten des öffentlichen "
          "Verkehrs und den Zustand der Straßen den neuen Haushalt beschlossen.",
    "ru": "Городской совет во вторник утвердил новый бюджет после долгих споров о стоимости "
          "общественного транспорта и состоянии дорог.",
    "ar": "وافق مجلس المدينة يوم الثلاثاء على الميزانية الجديدة بعد نقاش طويل حول تكلفة النقل "
          "العام وحالة الطرق.",
}


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_identifies_each_language_with_high_confidence(code: str) -> None:
    language, confidence = identify_language(SAMPLES[code])
    assert language == code
    assert 0.8 <= confidence <= 1.0


@pytest.mark.parametrize(
    ("text", "code"),
    [("Президент заявил", "ru"), ("قال الرئيس", "ar"), ("Der Minister sagte, dass die", "de")],
)
def test_short_texts_get_the_right_language(text: str, code: str) -> None:
    assert identify_language(text)[0] == code


def test_second_opinion_reads_the_script_and_function_words() -> None:
    assert second_opinion("Москва и Петербург")[0] == "ru"
    assert second_opinion("el perro de la casa y los gatos del barrio")[0] == "es"
    assert second_opinion("xyz qqq")[0] is None


@pytest.mark.parametrize("text", ["", "   ", "12 34", "!!"])
def test_nothing_to_read_gives_no_language(text: str) -> None:
    assert identify_language(text) == (None, 0.0)
