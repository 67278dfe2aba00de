"""A small two-language corpus written for these tests, plus one file no reader accepts."""

from __future__ import annotations

from pathlib import Path

STORIES = {
    "en/ferry.txt": (
        "Ferry strike halts crossings to Varnholm\n\n"
        "VARNHOLM, April 2, 2026 - Ferry crews walked out on Thursday, halting every crossing "
        "between Varnholm and the mainland, the union said. Union leader Petra Lindqvist asked "
        "the Varnholm Shipping Company to reopen talks on pay."
    ),
    "en/library.txt": (
        "New library opens in Ostbridge\n\n"
        "OSTBRIDGE, May 14, 2026 - The city of Ostbridge opened its new public library on "
        "Wednesday. Mayor Daniel Okafor said the building would stay open until midnight on "
        "weekdays so that students can work there."
    ),
    "en/flood.txt": (
        "River Aln breaks its banks after storm\n\n"
        "Heavy rain on Sunday pushed the River Aln over its banks near the town of Kelburn, "
        "and about two hundred homes were cleared. The regional water board said the level "
        "would fall by Tuesday."
    ),
    "en/market.json": (
        '{"title": "Grain prices climb at the Halden exchange", "published": "2026-06-01", '
        '"text": "Wheat futures rose for a third day at the Halden Commodity Exchange as traders '
        'worried about a dry spring. Analyst Sofia Brandt said prices could ease in July."}'
    ),
    "fr/greve.txt": (
        "Grève des cheminots à Valmont\n\n"
        "VALMONT, 3 mars 2026 - Les cheminots de Valmont ont cessé le travail mardi matin, a "
        "annoncé le syndicat. Le maire Julien Moreau a appelé la direction de la Compagnie des "
        "Rails du Nord à reprendre le dialogue."
    ),
    "fr/musee.txt": (
        "Le musée de Brissac rouvre ses portes\n\n"
        "Après deux ans de travaux, le musée municipal de Brissac a rouvert samedi. La "
        "conservatrice Hélène Dubois a présenté une collection de cartes anciennes de la région."
    ),
    "fr/vendanges.txt": (
        "Vendanges précoces dans la vallée de la Sorne\n\n"
        "Les vignerons de la vallée de la Sorne ont commencé les vendanges avec dix jours "
        "d'avance cette année, en raison de la chaleur de l'été, selon la chambre d'agriculture."
    ),
}
BAD_FILE = "en/broken.bin"


def write_corpus(folder: Path) -> Path:
    for name, text in STORIES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    (folder / BAD_FILE).write_bytes(b"\x00\x01\x02 not a document \x00")
    return folder
