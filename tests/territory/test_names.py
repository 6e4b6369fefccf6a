import pytest

from maillage.territory.search import normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saint-Séverin", "saint severin"),
        ("st severin", "saint severin"),
        ("St-Séverin", "saint severin"),
        ("ST. SEVERIN", "saint severin"),
        ("Ste-Sévère", "sainte severe"),
        ("Sainte-Sévère", "sainte severe"),
        ("Angoulême", "angouleme"),
        ("ANGOULEME", "angouleme"),
        ("L'Isle-d'Espagnac", "l isle d espagnac"),
        ("L’Isle-d’Espagnac", "l isle d espagnac"),  # typographic apostrophes
        ("Bors (Canton de Tude-et-Lavalette)", "bors canton de tude et lavalette"),
        ("Montembœuf", "montemboeuf"),
        ("Vœuil-et-Giget", "voeuil et giget"),
        ("  La   Rochefoucauld--en-Angoumois ", "la rochefoucauld en angoumois"),
        ("16190", "16190"),
        ("Stella", "stella"),  # "st" only as a whole word
        ("Rue de l'Est", "rue de l est"),
        ("", ""),
        ("---", ""),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_normalise_is_idempotent():
    for text in ["Saint-Séverin", "St Sévère", "L'Isle-d'Espagnac", "Œuilly"]:
        assert normalise(normalise(text)) == normalise(text)
