"""``parse_plan(text)``: the plan's text → ``PlanTree``. The steps, in order:

1. Lines: normalise the text (full-width digits, spaces), keep each non-blank line with the
   number of blank lines before it.
2. Artefacts out: page numbers, figure captions, running heads, "（此件主动公开）".
3. Attachments out: the "附件：" list and the text after each "附件N" line (when the body
   is a letter without a plan and an attachment holds one, that attachment is read as the
   plan in the same steps; see ``parse_plan``).
4. Closing lines: issue date, signatures before it, 抄送 and the 印发 line.
5. Headings: every remaining line that starts with a heading marker (see ``headings``).
6. Head of the document: red header, 文号 and title — only before the first heading.
7. Paragraphs and tree: lines cut by a line or page break are joined back (see
   ``_continues``); each paragraph goes to the deepest open heading, or to the preamble before
   the first one; text after a closing line (signatures, 抄送) is dropped until a new heading.
8. Each node: its units, then its lead sentence (title) and the rest (body), its deadlines and
   targets (see ``units``, ``deadlines``, ``targets``). Under a heading over past results
   ("2024年工作回顾", "发展基础") figures are facts, not targets; a heading's year ("2025 年主要
   工作安排") is the year of the targets below it. A unit note on a line of its own after
   sub-items that carry none is the note of their parent.
9. Conflicts: the same deliverable with two deadlines or two figures (see ``conflicts``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from planparser import metadata as meta
from planparser.conflicts import find_conflicts
from planparser.deadlines import find_deadlines
from planparser.headings import Heading, detect_heading
from planparser.nodes import Attachment, DocumentInfo, Node, PlanTree
from planparser.targets import find_targets
from planparser.text import join_fragments, normalise
from planparser.units import units_and_roles

TERMINAL = "。！？；：!?;:"
_CLOSING_QUOTES = "”’」』\"'"
_ENDS_WITH_NOTE = re.compile(r"(单位|部门)\s*[：:][^（(]*[）)]$")
_NO_PUNCT = re.compile(r"^[^。，、；：！？,;:!?（）()“”]*$")
SKIPPED = {
    "artefact",
    "figure",
    "note",
    "attach_list",
    "attach_body",
    "attach_start",
    "docnum",
    "header",
    "title",
}
CLOSERS = {"date", "printed", "signature", "cc"}


@dataclass
class _Line:
    no: int
    text: str
    blanks_before: int
    kind: str = "text"
    heading: Heading | None = None


@dataclass
class _Builder:
    heading: Heading
    level: int
    paras: list[str] = field(default_factory=list)
    children: list[_Builder] = field(default_factory=list)


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    blanks = 0
    for no, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped:
            blanks += 1
            continue
        kind = "table" if len([c for c in stripped.split("\t") if c.strip()]) >= 2 else "text"
        lines.append(
            _Line(
                no=no,
                text=stripped if kind == "table" else re.sub(r"\t+", " ", stripped),
                blanks_before=blanks,
                kind=kind,
            )
        )
        blanks = 0
    return lines


def _mark_artefacts(lines: list[_Line]) -> None:
    """Page numbers, figure captions, public-notice lines and repeated running heads."""
    counts = Counter(ln.text for ln in lines if len(ln.text) <= 30 and _NO_PUNCT.match(ln.text))
    seen: set[str] = set()
    for ln in lines:
        if meta.PAGE_NUMBER.match(ln.text):
            ln.kind = "artefact"
        elif meta.FIGURE.match(ln.text) and len(ln.text) <= 50 and "。" not in ln.text:
            ln.kind = "figure"
        elif meta.PUBLIC_NOTE.match(ln.text):
            ln.kind = "note"
        elif counts.get(ln.text, 0) >= 3 and not detect_heading(ln.text):
            if ln.text in seen:
                ln.kind = "artefact"
            seen.add(ln.text)


def _mark_attachments(lines: list[_Line], info: DocumentInfo) -> dict[str, list[_Line]]:
    """The "附件：" list (titles) and each "附件N" block (text), kept out of the tree.

    Returns each attachment's lines (its heading line included), for reading a plan that lives
    in an attachment."""
    blocks: dict[str, list[_Line]] = {}
    titles: dict[str, str] = {}
    i = 0
    while i < len(lines):
        ln = lines[i]
        m = meta.ATTACH_LIST.match(ln.text) if ln.kind == "text" else None
        if m:
            ln.kind = "attach_list"
            rest = m.group("rest").strip()
            item = meta.LIST_ITEM.match(rest)
            if item:
                titles[item.group("n")] = item.group("title").strip()
            elif rest:
                titles["1"] = rest
            j = i + 1
            last = item.group("n") if item else ("1" if rest else None)
            while j < len(lines) and lines[j].kind == "text" and lines[j].blanks_before <= 1:
                item = meta.LIST_ITEM.match(lines[j].text)
                if (
                    not item
                    and last
                    and lines[j].blanks_before == 0
                    and (
                        re.fullmatch(r"[（(][^）)]{1,12}[）)]", lines[j].text)
                        or re.fullmatch(r"[\u4e00-\u9fff]{1,4}", lines[j].text)
                    )
                    and not meta.ATTACH_START.match(lines[j].text)
                ):
                    # "(征求意见稿)" or "名单" on the next line: the rest of the title
                    titles[last] = f"{titles[last]}{lines[j].text}"
                    lines[j].kind = "attach_list"
                    j += 1
                    continue
                if not item or "。" in item.group("title") or len(item.group("title")) > 60:
                    break
                last = item.group("n")
                titles[item.group("n")] = item.group("title").strip()
                lines[j].kind = "attach_list"
                j += 1
            i = j
            continue
        i += 1

    current: Attachment | None = None
    for ln in lines:
        if ln.kind in ("artefact", "figure"):
            continue
        m = meta.ATTACH_START.match(ln.text) if ln.kind == "text" else None
        if m:
            ln.kind = "attach_start"
            number = str(meta.cn_to_int(m.group("n")) if m.group("n") else len(info.attachments) + 1)
            current = Attachment(number=number, title=titles.get(number))
            info.attachments.append(current)
            blocks[number] = []
            continue
        if current is None:
            continue
        if meta.CC_LINE.match(ln.text) or (meta.parse_date_line(ln.text) or (None, False))[1]:
            current = None  # 抄送 / 印发 close the last attachment
            continue
        ln.kind = "attach_body"
        blocks[current.number].append(ln)
        if (
            not current.text
            and ln.kind != "table"
            and "\t" not in ln.text
            and len(ln.text) <= 60
            and "。" not in ln.text
        ):
            # The attachment's own heading line: its title (the "附件：" list may have named it already).
            current.title = current.title or ln.text
            current.text = "\u0000"  # heading consumed; the real text starts with the next line
            continue
        current.text = ln.text if current.text in ("", "\u0000") else f"{current.text}\n{ln.text}"
    for attachment in info.attachments:
        attachment.text = attachment.text.replace("\u0000", "")
    for number, title in titles.items():
        if not any(a.number == number for a in info.attachments):
            info.attachments.append(Attachment(number=number, title=title))
    info.attachments.sort(key=lambda a: int(a.number) if a.number.isdigit() else 0)
    return blocks


def _mark_closings(lines: list[_Line], info: DocumentInfo) -> list[str]:
    """Dates, signatures, 抄送; sets the issue date. Returns the first signature block's names."""
    issued: date | None = None
    printed: date | None = None
    signatures: list[str] = []
    for i, ln in enumerate(lines):
        if ln.kind not in ("text",):
            continue
        if meta.CC_LINE.match(ln.text):
            ln.kind = "cc"
            continue
        parsed = meta.parse_date_line(ln.text)
        if not parsed:
            continue
        when, is_printed = parsed
        ln.kind = "printed" if is_printed else "date"
        if is_printed:
            printed = printed or when
        else:
            issued = issued or when
        block: list[str] = []
        j = i - 1
        while j >= 0 and len(block) < 6 and lines[j].kind == "text" and meta.is_org_line(lines[j].text):
            if detect_heading(lines[j].text):
                break
            lines[j].kind = "signature"
            block.insert(0, lines[j].text)
            j -= 1
        if block and not signatures and not is_printed:
            signatures = [name for text in block for name in meta.split_issuers(text)]
    info.issued = issued or printed
    return signatures


def _mark_head(lines: list[_Line], info: DocumentInfo, signatures: list[str]) -> None:
    """Red header, 文号 and title, looked for only before the first heading."""
    first_heading = next((i for i, ln in enumerate(lines) if ln.kind == "heading"), len(lines))
    head = [ln for ln in lines[:first_heading] if ln.kind == "text"]
    header = None
    for ln in head[:4]:
        org = meta.header_org(ln.text)
        if org:
            ln.kind, header = "header", org
            break
    start = 0
    for k, ln in enumerate(head[:12]):
        number = meta.match_doc_number_line(ln.text)
        if number:
            ln.kind, info.doc_number, start = "docnum", number, k + 1
            break
    title_lines: list[_Line] = []
    candidates = [ln for ln in head[start : start + 6] if ln.kind == "text"]
    for k, ln in enumerate(candidates):
        text = ln.text
        if text.endswith(("：", ":", "。")) or len(text) > 80:
            break
        if "关于" in text or meta.DOC_TYPE_END.search(text):
            title_lines = [ln]
            for nxt in candidates[k + 1 : k + 3]:
                joined = "".join(t.text for t in title_lines)
                if meta.DOC_TYPE_END.search(joined) or nxt.blanks_before > 1:
                    break
                if (
                    nxt.text.endswith(("：", ":", "。"))
                    or len(nxt.text) > 40
                    or re.search(r"[，。；：]", nxt.text)
                ):
                    break
                title_lines.append(nxt)
            break
    issuers: list[str] = []
    if title_lines:
        for ln in title_lines:
            ln.kind = "title"
        info.title, issuers = meta.tidy_title(" ".join(ln.text for ln in title_lines))
        info.plan_title = meta.plan_title_of(info.title)
    info.issuers = issuers or signatures or ([header] if header else [])


def _terminal(text: str) -> bool:
    stripped = text.rstrip(_CLOSING_QUOTES)
    if stripped and stripped[-1] in TERMINAL:
        return True
    return bool(_ENDS_WITH_NOTE.search(text))


def _continues(previous: str, *, heading: bool) -> bool:
    """Whether the next text line continues ``previous`` (a line or page break cut it).

    A paragraph that does not end with 。！？；： (or a closed unit note) is cut and goes on
    in the next line: "…对两地的补充耕" + "地、工业用地…". Two exceptions keep short lines
    apart: a short label without any punctuation ("泉州湾区", ≤ 16 characters) and a heading
    that is only a title ("二、重点任务", "（一）产业协作共兴共融"). A heading line continues
    only when it already holds a sentence end ("（三）强化工作保障。各受援县要加强…建"), is
    longer than 40 characters, or ends with ，、 — the marks of a cut sentence.
    """
    if not previous or _terminal(previous):
        return False
    if heading:
        return "。" in previous or len(previous) > 40 or previous[-1] in "，、,（(“"
    return not (len(previous) <= 16 and _NO_PUNCT.match(previous))


_NOTE_LINE = re.compile(
    r"^[（(〔【]?\s*(?:责任单位|牵头单位|配合单位|责任部门|牵头部门)\s*[：:].*[）)〕】]?$"
)
_HAS_NOTE = re.compile(r"(?:责任单位|牵头单位|配合单位|责任部门|牵头部门)\s*[：:]|牵头[）)〕]")


def _note_of_parent(stack: list[_Builder]) -> bool:
    """A unit note on a line of its own belongs to the parent of the open item when that item
    has siblings before it and none of them (nor the item) carries a note of its own:
    "一、X" / "1. …。" / "2. …。" / "（责任单位：…）" is the note of 一、."""
    if len(stack) < 2:
        return False
    node, parent = stack[-1], stack[-2]
    siblings = parent.children
    if len(siblings) < 2 or siblings[-1] is not node:
        return False
    return not any(_HAS_NOTE.search("\n".join(s.paras)) for s in siblings)


def _build(lines: list[_Line]) -> tuple[list[_Builder], list[str]]:
    roots: list[_Builder] = []
    stack: list[_Builder] = []
    preamble: list[str] = []
    target: list[str] | None = None  # the paragraph list the last line went to
    joinable = False
    closed = False

    def close_box() -> None:
        nonlocal target, joinable
        if stack and stack[-1].heading.style == "box":
            stack.pop()
            target, joinable = None, False

    for ln in lines:
        if ln.kind == "figure":
            close_box()
            continue
        if ln.kind in SKIPPED:
            continue  # page artefacts between two halves of a paragraph do not stop the join
        if ln.kind in CLOSERS:
            closed, target, joinable = True, None, False
            continue
        if ln.blanks_before >= 2:
            close_box()
        if ln.kind == "heading" and ln.heading:
            closed = False
            h = ln.heading
            close_box()
            if h.style != "box" and any(b.heading.style == h.style for b in stack):
                while stack[-1].heading.style != h.style:
                    stack.pop()
                stack.pop()
            node = _Builder(heading=h, level=len(stack), paras=[h.rest] if h.rest else [])
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
            target = node.paras
            joinable = _continues(h.rest, heading=True)
            continue
        if stack and _NOTE_LINE.match(ln.text) and _note_of_parent(stack):
            stack.pop()  # "（责任单位：…）" on its own line after the sub-items: the parent's note
            stack[-1].paras.append(ln.text)
            target, joinable = stack[-1].paras, False
            continue
        paras = stack[-1].paras if stack else preamble
        if closed and stack:
            continue
        if ln.kind == "table":
            paras.append(ln.text)
            target, joinable = paras, False
            continue
        if joinable and target is paras and paras:
            paras[-1] = join_fragments(paras[-1], ln.text)
        else:
            paras.append(ln.text)
        target = paras
        joinable = _continues(paras[-1], heading=False)
    return roots, preamble


_SENTENCE_END = re.compile(r"[。！？!?]")
# A heading over past results: its figures are facts, not targets ("一、2024年工作回顾", "发展基础").
_RESULTS = re.compile(r"回顾|发展基础|工作基础|基本情况|主要成效|取得成效|过去一年|现状")
_HEADING_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*年(?!\s*(?:前|底))")


def _finish(builder: _Builder, issued: date | None, *, facts: bool = False, year: int | None = None) -> Node:
    raw = "\n".join(builder.paras)
    units, roles, leads, notes, text = units_and_roles(raw)
    first, _, rest = text.partition("\n")
    m = _SENTENCE_END.search(first)
    if m and m.start() > 0:
        title, body = first[: m.start()], first[m.end() :].strip()
        body = f"{body}\n{rest}".strip() if rest else body
    else:
        title, body = first, rest
    if not title and body:
        title, _, body = body.partition("。")
    title = title.strip().rstrip("：:，,")
    facts = facts or bool(_RESULTS.search(title))
    heading_year = _HEADING_YEAR.match(title)
    year = int(heading_year.group(1)) if heading_year else year
    targets = find_targets(text, default_year=year)
    return Node(
        number=builder.heading.number,
        title=title,
        style=builder.heading.style,
        level=builder.level,
        body=body.strip(),
        units=units,
        unit_notes=notes,
        roles=roles,
        leads=leads or 1,
        deadlines=find_deadlines(text, issued),
        targets=[] if facts else targets,
        facts=targets if facts else [],
        children=[_finish(child, issued, facts=facts, year=year) for child in builder.children],
    )


def parse_item(number: str, first_line: str, paras: list[str], issued: date | None = None) -> Node:
    """One numbered item read by the same rules as a plan's nodes: title and body, responsible
    units, deadlines and targets. For sources whose structure is not text headings — a row of a
    responsibility table gives its number and its cell's paragraphs."""
    heading = Heading(style="table", number=number, value=0, rest=first_line)
    return _finish(_Builder(heading=heading, level=0, paras=paras), issued)


def parse_plan(text: str) -> PlanTree:
    """Read an implementation plan's text and return its metadata and task tree.

    Pure function: no database, no Django. See the module docstring for the steps and the
    rule modules (``headings``, ``units``, ``deadlines``, ``targets``, ``metadata``) for each
    rule with an example.

    A letter or notice (函, 通知) whose body holds no plan but forwards one as an attachment is
    read as that plan: the document's metadata are the letter's, the tree is the attachment's,
    and the letter's own requests ("请于2024年10月18日前书面反馈") and numbered instructions
    become ``notice_items`` — not tasks of the plan, but one-off tasks the user may keep.
    """
    lines = _split_lines(normalise(text))
    info = DocumentInfo()
    _mark_artefacts(lines)
    blocks = _mark_attachments(lines, info)
    signatures = _mark_closings(lines, info)
    _mark_headings(lines)
    _mark_head(lines, info, signatures)
    roots, preamble = _build(lines)
    tree = PlanTree(
        document=info,
        nodes=[_finish(b, info.issued) for b in roots],
        preamble="\n".join(preamble),
    )
    plan = _plan_in_attachment(tree, blocks)
    if plan is not None:
        number, inner = plan
        tree.notice_items = [*_requests(tree.preamble, info.issued), *tree.nodes]
        tree.nodes, tree.preamble, tree.plan_attachment = inner.nodes, inner.preamble, number
        info.plan_title = inner.document.title or next(
            (a.title for a in info.attachments if a.number == number), None
        )
    tree.conflicts = find_conflicts(tree)
    return tree


def _mark_headings(lines: list[_Line]) -> None:
    for ln in lines:
        if ln.kind == "text":
            heading = detect_heading(ln.text)
            if heading:
                ln.kind, ln.heading = "heading", heading


def _tasks(nodes: list[Node]) -> int:
    return sum(1 for top in nodes for _ in top.walk())


def _plan_in_attachment(tree: PlanTree, blocks: dict[str, list[_Line]]) -> tuple[str, PlanTree] | None:
    """The attachment that holds the plan, read as a plan, when the body holds none.

    The body "holds none" when it has fewer than three numbered items; the attachment must
    have at least three and more than the body. The first such attachment wins."""
    if _tasks(tree.nodes) >= 3:
        return None
    for number, block in blocks.items():
        if len(block) < 3:
            continue
        inner_lines = [
            _Line(
                no=ln.no,
                text=ln.text,
                blanks_before=ln.blanks_before,
                kind="table" if "\t" in ln.text else "text",
            )
            for ln in block
        ]
        info = DocumentInfo()
        _mark_artefacts(inner_lines)
        signatures = _mark_closings(inner_lines, info)
        _mark_headings(inner_lines)
        _mark_head(inner_lines, info, signatures)
        roots, preamble = _build(inner_lines)
        issued = tree.document.issued
        inner = PlanTree(
            document=info, nodes=[_finish(b, issued) for b in roots], preamble="\n".join(preamble)
        )
        if _tasks(inner.nodes) >= 3 and _tasks(inner.nodes) > _tasks(tree.nodes):
            return number, inner
    return None


_REQUEST = re.compile(r"[^。；]*?请[^。；]{0,12}?(?:于|在)\s*[^。；]{0,20}?前[^。；]*[。；]?")


def _requests(preamble: str, issued: date | None) -> list[Node]:
    """ "请于2024年10月18日前书面反馈我办。" → a one-off item with its deadline."""
    items = []
    for m in _REQUEST.finditer(preamble):
        sentence = m.group().strip()
        clause = sentence[sentence.index("请") :].rstrip("。；")
        deadlines = find_deadlines(clause, issued)
        if not deadlines:
            continue
        items.append(
            Node(number="", title=clause, style="notice", level=0, body=sentence, deadlines=deadlines)
        )
    return items
