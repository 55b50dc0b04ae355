"""Store each post's sanitised HTML (rendered on save) and fill it for the posts already written."""

from django.db import migrations, models

BATCH = 500


def fill_body_html(apps, schema_editor):
    from core.markdown import render_markdown

    Post = apps.get_model("community", "Post")
    last = 0
    while True:  # in batches by primary key: no open cursor on the table while it is updated
        rows = list(Post.objects.filter(pk__gt=last, body_html="").only("pk", "body", "nofollow").order_by("pk")[:BATCH])
        if not rows:
            return
        for post in rows:
            post.body_html = str(render_markdown(post.body, nofollow=post.nofollow))
        Post.objects.bulk_update(rows, ["body_html"])
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0002_default_categories_and_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="body_html",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_body_html, migrations.RunPython.noop, elidable=True),
    ]
