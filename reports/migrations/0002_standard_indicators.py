"""The indicators the source documents use, so entry and import work on a fresh database.

Superusers keep the list in the admin afterwards; running this again changes nothing that exists.
"""

from django.db import migrations

# (name, unit, nature, growth of, ordering)
STANDARD = [
    ("地区生产总值", "亿元", "amount", None, 10),
    ("地区生产总值增速", "%", "growth", "地区生产总值", 20),
    ("人均地区生产总值", "元", "amount", None, 30),
    ("一般公共预算总收入", "亿元", "amount", None, 40),
    ("一般公共预算总收入增速", "%", "growth", "一般公共预算总收入", 50),
    ("本级收入", "亿元", "amount", None, 60),
    ("本级收入增速", "%", "growth", "本级收入", 70),
    ("规上工业增加值增速", "%", "growth", None, 80),
    ("全社会固定资产投资增速", "%", "growth", None, 90),
    ("城乡居民人均可支配收入", "元", "amount", None, 100),
    ("人均可支配收入增速", "%", "growth", "城乡居民人均可支配收入", 110),
    ("常住人口", "万人", "amount", None, 120),
    ("城镇化率", "%", "rate", None, 130),
    ("R&D投入强度", "%", "rate", None, 140),
]


def add_standard(apps, schema_editor):
    Definition = apps.get_model("reports", "IndicatorDefinition")
    for name, unit, nature, growth_of, ordering in STANDARD:
        if Definition.objects.filter(name=name).exists():
            continue
        Definition.objects.create(
            name=name,
            unit=unit,
            nature=nature,
            ordering=ordering,
            growth_of=Definition.objects.filter(name=growth_of).first() if growth_of else None,
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(add_standard, migrations.RunPython.noop)]
