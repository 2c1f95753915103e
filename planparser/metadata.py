"""Document metadata: 文号, title, issuing bodies, issue date, attachments — and the lines around
the plan that are not tasks (header, signatures, dates, 抄送/印发, page artefacts).

Rules, each with an example:

* 文号: a line that starts with a short agency abbreviation, a year in 〔〕 (also written [],
  ［］, （）, ()), a number and 号, optionally followed by 签发人：… — "晋政文〔2024〕102号",
  "温政发[2018]26号" → normalised to "温政发〔2018〕26号". Only the first such line before the
  first heading counts: a 文号 quoted in the text ("（浙委发〔2018〕3号）") is not the document's.
* Title: the first line after the 文号 (or, without one, among the first lines) that contains
  关于 or ends with a document type (通知, 意见, 方案, 规划, 计划, 办法, 决定 …); a title wrapped
  over several short lines is joined. Spaces from the layout are removed, except between the
  issuing bodies before 关于: "晋江市人民政府 尤溪县人民政府关于印发 晋江市…的通知" →
  "晋江市人民政府 尤溪县人民政府关于印发晋江市…的通知". "关于印发《X》的通知" gives plan_title X.
* Issuers: the bodies before 关于 in the title, split on spaces/、; else the signature lines;
  else the red header "温州市人民政府文件" without 文件.
* Issue date: the first date standing on its own line ("2024年6月12日", "二〇一八年十二月七日");
  "…印发" dates (the printing office's line) are used only when there is no other.
* Signatures: the organisation names on the lines right before a date line.
* Not tasks: "抄送：…", "主送：…", the printing line "…办公室 2024年6月12日印发", "（此件主动公开）",
  page numbers ("— 3 —", "- 3 -", "第 3 页", "3"), figure captions ("图1 …"), and short lines
  without punctuation repeated three times or more (running heads; the first is kept).
* Attachments: "附件：1.xxx表" and the following "2.yyy表" lines list them; a line "附件1" /
  "附件 2" / "附件" starts an attachment's text, which runs to the next one or to 抄送. They are kept
  out of the task tree, in ``DocumentInfo.attachments`` (tables stay tab-separated).
"""

from __future__ import annotations

import re
from datetime import date

from planparser.text import cn_to_int, squeeze_cjk_spaces

DOC_NUMBER = re.compile(
    r"^(?P<agency>[\u4e00-\u9fff]{1,12})\s*[〔\[［（(【]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］）)】]\s*"
    r"(?P<serial>\d{1,5})\s*号"
)
_DATE_CN = "〇零○一二三四五六七八九十"
DATE_LINE = re.compile(
    rf"^(?P<y>\d{{4}}|[{_DATE_CN}]{{4}})\s*年\s*(?P<m>\d{{1,2}}|[{_DATE_CN}]{{1,2}})\s*月\s*"
    rf"(?P<d>\d{{1,2}}|[{_DATE_CN}]{{1,3}})\s*日\s*(?P<what>印发|发布|签发|发)?$"
)
_ORG_SUFFIX = re.compile(
    r"(人民政府|政府|委员会|办公室|办公厅|党委|党组|管委会|管理委员会|领导小组|小组|"
    r"局|委|厅|部|院|中心|公司|协会|商会|联合会|会|办|处|署|所)$"
)
_PUNCT = re.compile(r"[。，；：、！？,;:!?“”\"]")
DOC_TYPE_END = re.compile(
    r"(通知|意见|实施意见|方案|实施方案|规划|计划|办法|决定|纲要|要点|细则|规定|报告|批复|函|措施|行动)"
    r"([（(][^）)]*[）)])*$"
)
PAGE_NUMBER = re.compile(
    r"^(?:[-—–－_~·\s]*\d{1,3}[-—–－_~·\s]*|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})$"
)
FIGURE = re.compile(r"^图\s*\d{1,2}\b|^图\s*\d{1,2}[\s　]")
PUBLIC_NOTE = re.compile(r"^[（(]\s*此件[^）)]{0,12}[）)]$")
CC_LINE = re.compile(r"^(抄送|抄报|主送|分送|发送)\s*[：:]")
ATTACH_LIST = re.compile(r"^附\s*件\s*[：:]\s*(?P<rest>.*)$")
ATTACH_START = re.compile(r"^附\s*件\s*(?P<n>\d{1,2}|[一二三四五六七八九十]{1,3})?\s*[：:]?$")
LIST_ITEM = re.compile(r"^(?P<n>\d{1,2})\s*[.．、]\s*(?P<title>.+)$")
HEADER = re.compile(r"^(?P<org>.{2,40}?)\s*文件$")


def normalise_doc_number(m: re.Match) -> str:
    """ "温政发[2018]26号" → "温政发〔2018〕26号"."""
    return f"{m.group('agency')}〔{m.group('year')}〕{m.group('serial')}号"


def match_doc_number_line(line: str) -> str | None:
    """The normalised 文号 when ``line`` is a 文号 line (optionally with 签发人), else None."""
    m = DOC_NUMBER.match(line.strip())
    if not m:
        return None
    rest = line.strip()[m.end() :].strip()
    if rest and not rest.startswith("签发人"):
        return None
    return normalise_doc_number(m)


def parse_date_line(line: str) -> tuple[date, bool] | None:
    """(date, printed) for a line that is only a date; printed=True for "…印发".

    >>> parse_date_line("二〇一八年十二月七日")
    (datetime.date(2018, 12, 7), False)
    """
    text = line.strip()
    printed = False
    # "晋江市人民政府办公室  2024年6月12日印发" — the printing line names its office first.
    m = DATE_LINE.match(text)
    if not m:
        tail = re.search(r"(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发)$", text)
        if not tail or not is_org_line(text[: tail.start()].strip()):
            return None
        m = DATE_LINE.match(tail.group(1))
        if not m:
            return None
    year, month, day = (cn_to_int(m.group(k)) for k in ("y", "m", "d"))
    if m.group("what") == "印发":
        printed = True
    try:
        return date(year or 0, month or 0, day or 0), printed
    except ValueError:
        return None


def is_org_line(line: str) -> bool:
    """A signature-like line: one or more organisation names, no sentence punctuation."""
    text = line.strip()
    if not text or len(text) > 60 or _PUNCT.search(text):
        return False
    return all(_ORG_SUFFIX.search(part) for part in re.split(r"\s+", text) if part)


def split_issuers(text: str) -> list[str]:
    """ "晋江市人民政府 尤溪县人民政府" → two issuers; fused "A人民政府B人民政府" is split too."""
    issuers: list[str] = []
    for part in re.split(r"[\s、，,]+", text.strip()):
        if not part:
            continue
        pieces = re.findall(r".+?人民政府|.+?$", part) if part.count("人民政府") > 1 else [part]
        issuers.extend(p for p in pieces if p)
    return issuers


def tidy_title(text: str) -> tuple[str, list[str]]:
    """Clean title and the issuers named before its 关于.

    >>> tidy_title("温州市人民政府关于 打造山海协作工程升级版的实施意见")
    ('温州市人民政府关于打造山海协作工程升级版的实施意见', ['温州市人民政府'])
    """
    text = text.strip()
    idx = text.find("关于")
    if idx <= 0:
        return squeeze_cjk_spaces(text), []
    issuers = split_issuers(text[:idx])
    if not issuers or not all(_ORG_SUFFIX.search(i) for i in issuers):
        return squeeze_cjk_spaces(text), []
    return " ".join(issuers) + squeeze_cjk_spaces(text[idx:]), issuers


def plan_title_of(title: str | None) -> str | None:
    """ "…关于印发《X》的通知" or "…关于印发X的通知" → X."""
    if not title:
        return None
    m = re.search(r"关于(?:印发|转发|下发)[《“]?(?P<x>.+?)[》”]?的通知$", title)
    return m.group("x") if m else None


def header_org(line: str) -> str | None:
    """ "温州市人民政府文件" → "温州市人民政府"."""
    m = HEADER.match(line.strip())
    return m.group("org").strip() if m and _ORG_SUFFIX.search(m.group("org").strip()) else None
