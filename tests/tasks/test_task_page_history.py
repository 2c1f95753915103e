"""The task page's history stays short (the newest rows, the rest folded away) and its labels take
the reader's colon."""

from __future__ import annotations

import re

import pytest

from tasks.models import ProgressReport


@pytest.fixture
def returned(demo):
    """The demo's 2025 education report, returned with "请补充跟岗学习的时间、人数和现场照片。"."""
    return ProgressReport.objects.get(status="returned", unit__name="尤溪县教育局")


def test_a_long_history_shows_its_newest_rows_and_folds_the_rest(returned, client_for):
    from core.history import as_actor

    task = returned.period.task
    for n in range(8):
        task.deadline_text = f"第{n}次补充说明"
        as_actor(task, None)
        task.save()
    page = client_for("yx_liaison").get(task.get_absolute_url()).content.decode()
    history = page[page.index('id="history"') :]
    history = history[: history.index("</section>")]
    shown, _sep, folded = history.partition('<details class="history-older">')
    assert folded, "the older rows fold into a details element"
    assert len(re.findall(r"<tr><td class=\"nowrap\">", shown)) == 5
    assert "第7次补充说明" in shown and "第0次补充说明" not in shown  # newest first
    assert re.search(r"<summary>更早的 \d+ 条记录</summary>", folded) and "第0次补充说明" in folded


def test_labels_take_a_full_width_colon_in_chinese_and_an_ascii_one_in_english(returned, client_for):
    client = client_for("yx_reporter")
    url = returned.period.task.get_absolute_url()
    chinese = client.get(url).content.decode()
    assert "退回原因：" in chinese
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english
    assert "Reason for return: " in english and "Due date: " in english
    assert "Reason for return：" not in english and "Due date：" not in english
