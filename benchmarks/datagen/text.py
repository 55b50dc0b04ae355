"""Georgian names and text from small fixed vocabularies, driven by a seeded ``random.Random``."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

# Data is dated relative to a fixed moment, never "now", so the same seed gives the same rows.
REFERENCE = datetime(2026, 1, 15, 12, 0, tzinfo=ZoneInfo("Asia/Tbilisi"))

FIRST_NAMES = [
    ("ნინო", "Nino"),
    ("გიორგი", "Giorgi"),
    ("თამარ", "Tamar"),
    ("ლევან", "Levan"),
    ("მარიამ", "Mariam"),
    ("დავით", "Davit"),
    ("ანა", "Ana"),
    ("ირაკლი", "Irakli"),
    ("ეკა", "Eka"),
    ("ნიკა", "Nika"),
    ("სალომე", "Salome"),
    ("ლაშა", "Lasha"),
    ("ქეთევან", "Ketevan"),
    ("ზურაბ", "Zurab"),
    ("ნათია", "Natia"),
    ("ბექა", "Beka"),
    ("მაკა", "Maka"),
    ("თორნიკე", "Tornike"),
    ("ხათუნა", "Khatuna"),
    ("ლუკა", "Luka"),
    ("ელენე", "Elene"),
    ("შოთა", "Shota"),
    ("თეონა", "Teona"),
    ("გურამ", "Guram"),
    ("სოფო", "Sopo"),
]
LAST_NAMES = [
    ("ბერიძე", "Beridze"),
    ("კაპანაძე", "Kapanadze"),
    ("ლომიძე", "Lomidze"),
    ("გელაშვილი", "Gelashvili"),
    ("ჯაფარიძე", "Japaridze"),
    ("მაისურაძე", "Maisuradze"),
    ("ხარაიშვილი", "Kharaishvili"),
    ("წერეთელი", "Tsereteli"),
    ("ჩხეიძე", "Chkheidze"),
    ("აბაშიძე", "Abashidze"),
    ("ნოზაძე", "Nozadze"),
    ("გოგიჩაიშვილი", "Gogichaishvili"),
    ("მამულაშვილი", "Mamulashvili"),
    ("კვარაცხელია", "Kvaratskhelia"),
    ("ტაბიძე", "Tabidze"),
    ("ქავთარაძე", "Kavtaradze"),
    ("სურმავა", "Surmava"),
    ("ფხაკაძე", "Pkhakadze"),
    ("ჭანტურია", "Chanturia"),
    ("დოლიძე", "Dolidze"),
]
MUNICIPALITIES = [
    "ქუთაისი",
    "თელავი",
    "ბათუმი",
    "ზუგდიდი",
    "გორი",
    "რუსთავი",
    "ოზურგეთი",
    "ახალციხე",
    "მცხეთა",
    "ამბროლაური",
    "სიღნაღი",
    "ფოთი",
    "ზესტაფონი",
    "ბორჯომი",
    "მარნეული",
]
PLACES = [
    ("იმერეთის", "Imereti"),
    ("კახეთის", "Kakheti"),
    ("აჭარის", "Adjara"),
    ("გურიის", "Guria"),
    ("სამეგრელოს", "Samegrelo"),
    ("შიდა ქართლის", "Shida Kartli"),
    ("ქვემო ქართლის", "Kvemo Kartli"),
    ("თბილისის", "Tbilisi"),
    ("რაჭის", "Racha"),
    ("სამცხის", "Samtskhe"),
]
ORG_KINDS = [
    ("სამოქალაქო ლაბორატორია", "Civic Lab"),
    ("ბიუჯეტის მონიტორინგი", "Budget Watch"),
    ("ახალგაზრდული ფორუმი", "Youth Forum"),
    ("პოლიტიკის ინსტიტუტი", "Policy Institute"),
    ("სათემო ქსელი", "Community Network"),
    ("ქალთა კავშირი", "Women's Union"),
    ("გარემოსდაცვითი ცენტრი", "Environmental Centre"),
    ("ადვოკატირების ჯგუფი", "Advocacy Group"),
]
WORDS = (  # noqa: SIM905 - one readable line of vocabulary
    "საჯარო მონაწილეობა ბიუჯეტი მუნიციპალიტეტი მოქალაქე ორგანიზაცია ადვოკატირება პოლიტიკა ანალიზი კვლევა "
    "მონაცემები საზოგადოება გამჭვირვალობა ანგარიშვალდებულება პეტიცია საჯარო განხილვა თემი რეგიონი "
    "ახალგაზრდობა განათლება გრანტი პროექტი შეფასება მეთოდოლოგია კითხვარი ინტერვიუ დასკვნა რეკომენდაცია "
    "საკრებულო მერია კანონი რეფორმა ინფრასტრუქტურა სოფელი ქალაქი თანამშრომლობა ქსელი გამოცდილება პრაქტიკა "
    "შედეგი მიზანი ამოცანა ინიციატივა კამპანია მედია ინფორმაცია ხელმისაწვდომობა ინკლუზია თანასწორობა"
).split()
COURSE_SUBJECTS = [
    "საჯარო პოლიტიკის ანალიზი",
    "კვლევის მეთოდები",
    "ადვოკატირება და ლობირება",
    "საჯარო ფინანსები",
    "სამოქალაქო ბიუჯეტი",
    "საჯარო განხილვები",
    "მონაცემთა ჟურნალისტიკა",
    "პეტიციები და ინიციატივები",
    "ორგანიზაციის მართვა",
    "გრანტის წერა",
]


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def sentence(rng: random.Random, low: int = 6, high: int = 14) -> str:
    text = words(rng, rng.randint(low, high))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def markdown_body(rng: random.Random, paragraphs: int = 4) -> str:
    parts = []
    for i in range(paragraphs):
        if i and i % 2 == 0:
            parts.append("## " + words(rng, 3))
        parts.append(paragraph(rng, rng.randint(3, 5)))
    parts.append("\n".join("- " + words(rng, 4) for _ in range(3)))
    return "\n\n".join(parts)


def past(rng: random.Random, max_days: int) -> datetime:
    return REFERENCE - timedelta(seconds=rng.randint(0, max_days * 86400))
