"""Reading a plan from a .txt or .docx file, without python-docx (not a dependency).

A .docx is a zip holding ``word/document.xml``; paragraphs are ``w:p``, their text the ``w:t``
runs, ``w:tab`` a tab, ``w:br``/``w:cr`` a line break. Tables (``w:tbl``) become one line per
row with cells separated by tabs — the same shape the .txt seeds have, so the table rules apply
to both. Word's automatic list numbering (``w:numPr``) is not rendered: plans of this genre type
their 一、/（一）/1. numbers as text.

The archive is checked before anything is read, by the checks every importer shares
(core/officefiles.py: entries, sizes, compression ratio, unsafe names, encrypted files,
``word/document.xml`` present). The XML is parsed with defusedxml (no entity expansion). Every
refusal is a ``PlanFileError`` with a Chinese message.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class PlanFileError(ValueError):
    """A plan file that cannot be read; the message is for the user, in Chinese."""


def _check_archive(fileobj) -> None:
    """The shared Office-file checks (core/officefiles.py), as a PlanFileError."""
    from core.officefiles import DOCX, UnsafeFile, check_ooxml

    try:
        check_ooxml(fileobj, DOCX)
    except UnsafeFile as error:
        raise PlanFileError(str(error)) from error


def _paragraph_text(p) -> str:
    parts: list[str] = []
    for el in p.iter():
        if el.tag == f"{W}t" and el.text:
            parts.append(el.text)
        elif el.tag == f"{W}tab":
            parts.append("\t")
        elif el.tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
    return "".join(parts)


def _block_lines(container) -> list[str]:
    lines: list[str] = []
    for child in container:
        if child.tag == f"{W}p":
            lines.append(_paragraph_text(child))
        elif child.tag == f"{W}tbl":
            for row in child.iter(f"{W}tr"):
                cells = []
                for cell in row.findall(f"{W}tc"):
                    text = " ".join(_paragraph_text(p) for p in cell.iter(f"{W}p")).strip()
                    cells.append(text.replace("\t", " ").replace("\n", " "))
                lines.append("\t".join(cells))
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                lines.extend(_block_lines(content))
    return lines


def read_docx_text(data: bytes | str | Path) -> str:
    """The text of a .docx (bytes or a path): one line per paragraph or table row.

    Raises PlanFileError for anything that is not a safe, readable .docx.
    """
    import io

    source = io.BytesIO(data) if isinstance(data, bytes) else open(data, "rb")  # noqa: SIM115
    with source:
        _check_archive(source)
        with zipfile.ZipFile(source) as archive:
            xml = archive.read("word/document.xml")
    try:
        root = SafeET.fromstring(xml)
    except (SafeET.ParseError, DefusedXmlException, ValueError) as exc:
        raise PlanFileError("Word 文档内容无法解析（XML 损坏或含有不安全的实体）。") from exc
    body = root.find(f"{W}body")
    if body is None:
        raise PlanFileError("Word 文档中没有正文。")
    return "\n".join(_block_lines(body))


def read_plan_file(path: str | Path) -> str:
    """The text of a plan file: .docx through ``read_docx_text``, anything else as UTF-8 text
    (GB18030, the usual encoding of Chinese Windows files, as a fallback)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanFileError(f"无法读取文件：{path}（{exc.strerror or exc}）") from exc
    if path.suffix.lower() == ".docx" or data[:4] == b"PK\x03\x04":
        return read_docx_text(data)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanFileError("无法识别文件编码：请另存为 UTF-8 文本或 .docx。")
