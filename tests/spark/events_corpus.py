"""Four invented events, four reports each in different words, and two stories of their own:
written for the clustering tests (a partition split must not split an event)."""

from __future__ import annotations

from pathlib import Path

EVENTS = {
    "dam": [
        ("Dam gates opened at Korvala\n\nKORVALA, March 3, 2026 - Engineers opened the gates of "
        "the Korvala dam on Tuesday after the reservoir rose to a record 412 metres, and 3,000 "
        "residents of the Tessin valley were told to leave, the Korvala water authority said."),
        ("Thousands leave Tessin valley as Korvala reservoir peaks\n\nKORVALA, March 3, 2026 - "
        "About 3,000 people left the Tessin valley on Tuesday when the Korvala dam released "
        "water; the reservoir stood at 412 metres, authority chief Mirela Sandor said."),
        ("Korvala dam release: Tessin valley evacuated\n\nMarch 4, 2026 - Mirela Sandor of the "
        "Korvala water authority defended the decision to open the dam, saying 412 metres left "
        "no choice. Evacuees from the Tessin valley slept in school halls."),
        ("Tessin valley residents return after Korvala dam scare\n\nKORVALA, March 6, 2026 - "
        "Residents of the Tessin valley began returning home as the Korvala reservoir fell "
        "below 405 metres, the water authority and Mirela Sandor said."),
    ],
    "chess": [
        ("Oduya wins Brennport chess open\n\nBRENNPORT, April 12, 2026 - Grandmaster Tobi Oduya "
        "won the Brennport Open on Sunday with 7.5 points from nine rounds, a half point ahead "
        "of Lena Varga."),
        ("Tobi Oduya takes Brennport title\n\nBRENNPORT, April 12, 2026 - Tobi Oduya drew his "
        "final game against Lena Varga to finish first at the Brennport Open chess tournament "
        "with 7.5 points."),
        ("Varga second as Oduya claims Brennport Open\n\nApril 13, 2026 - Lena Varga said she "
        "was proud of second place at the Brennport Open, where Tobi Oduya scored 7.5 of nine."),
        ("Brennport Open: Oduya unbeaten in nine rounds\n\nBRENNPORT, April 13, 2026 - The "
        "organisers of the Brennport Open praised winner Tobi Oduya, unbeaten in nine rounds "
        "of chess, and runner-up Lena Varga."),
    ],
    "rail": [
        ("Ostrava-Lindby rail link approved\n\nLINDBY, May 20, 2026 - The Lindby regional "
        "council approved a 2.4 billion crown rail link to Ostrava on Wednesday, council leader "
        "Anders Holm said."),
        ("Lindby council backs 2.4 billion rail line\n\nLINDBY, May 20, 2026 - Anders Holm's "
        "council voted 31 to 14 for the rail link between Lindby and Ostrava, costed at 2.4 "
        "billion crowns."),
        ("Rail link to Ostrava wins Lindby vote\n\nMay 21, 2026 - Critics of the 2.4 billion "
        "crown Lindby-Ostrava rail link said the council under Anders Holm ignored farmers."),
        ("Work on Lindby-Ostrava line to start in 2027\n\nLINDBY, May 22, 2026 - Construction "
        "of the approved Lindby-Ostrava rail link will begin next year, Anders Holm said."),
    ],
    "fire": [
        ("Warehouse fire in Port Saldo\n\nPORT SALDO, June 8, 2026 - A fire destroyed a "
        "textile warehouse in Port Saldo overnight; 60 firefighters fought the blaze, fire "
        "chief Rosa Quintero said."),
        ("Port Saldo textile warehouse burns down\n\nPORT SALDO, June 8, 2026 - Sixty "
        "firefighters under chief Rosa Quintero needed six hours to put out the fire at the "
        "textile warehouse in Port Saldo."),
        ("Cause of Port Saldo warehouse fire unknown\n\nJune 9, 2026 - Investigators do not "
        "yet know what started the textile warehouse fire in Port Saldo, Rosa Quintero said."),
        ("Port Saldo warehouse owner vows to rebuild\n\nPORT SALDO, June 10, 2026 - The owner "
        "of the textile warehouse destroyed by fire in Port Saldo will rebuild, he told chief "
        "Rosa Quintero."),
    ],
}
SINGLES = [
    ("Bakery in Elmstead turns 100\n\nELMSTEAD, July 1, 2026 - The Hartley family bakery in "
    "Elmstead celebrated its hundredth year with free bread for every customer."),
    ("Orchestra of Mirovo tours the coast\n\nMIROVO, July 15, 2026 - The Mirovo chamber "
    "orchestra set off on a ten-concert tour of the coast under conductor Ilse Brandt."),
]


def write_events_corpus(folder: Path) -> dict[str, str]:
    """Write every report as a file; returns file path -> gold event (singles are their own)."""
    gold = {}
    folder.mkdir(parents=True, exist_ok=True)
    for event, reports in EVENTS.items():
        for number, text in enumerate(reports):
            path = folder / f"{event}-{number}.txt"
            path.write_text(text + "\n", encoding="utf-8")
            gold[str(path)] = event
    for number, text in enumerate(SINGLES):
        path = folder / f"single-{number}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        gold[str(path)] = f"single-{number}"
    return gold
