from django.db import migrations

from core.search import trigram_index_operation


def create_categories(apps, schema_editor):
    # The same list services.ensure_default_categories() keeps, written against the historical model.
    from community.services import REGION_NAMES_KA

    Category = apps.get_model("community", "Category")
    Category.objects.get_or_create(
        slug="general",
        defaults={"kind": "general", "name_ka": "ზოგადი განხილვა", "name_en": "General discussion",
                  "description": "კითხვები და გამოცდილება მონაწილეობის შესახებ", "position": 1},
    )
    Category.objects.get_or_create(
        slug="cases",
        defaults={"kind": "cases", "name_ka": "შემთხვევების განხილვა", "name_en": "Case discussions",
                  "description": "ბიბლიოთეკის შემთხვევების განხილვა", "position": 2},
    )
    english = {
        "tbilisi": "Tbilisi", "adjara": "Adjara", "abkhazia": "Abkhazia", "guria": "Guria", "imereti": "Imereti",
        "kakheti": "Kakheti", "kvemo_kartli": "Kvemo Kartli", "mtskheta_mtianeti": "Mtskheta-Mtianeti",
        "racha_lechkhumi": "Racha-Lechkhumi and Kvemo Svaneti", "samegrelo": "Samegrelo-Zemo Svaneti",
        "samtskhe_javakheti": "Samtskhe-Javakheti", "shida_kartli": "Shida Kartli",
    }
    for position, (code, name_en) in enumerate(english.items(), start=10):
        Category.objects.get_or_create(
            kind="region", region=code,
            defaults={"slug": "region-" + code.replace("_", "-"), "name_ka": REGION_NAMES_KA.get(code, name_en),
                      "name_en": name_en, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [
        migrations.RunPython(create_categories, migrations.RunPython.noop),
        trigram_index_operation("community_post", "search_text"),
        trigram_index_operation("community_case", "search_text"),
        trigram_index_operation("community_question", "search_text"),
    ]
