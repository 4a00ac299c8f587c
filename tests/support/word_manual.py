"""A policy manual written with python-docx's own API, the way a program writing Word
files does (built-in list styles, merged cells, a header row, a picture), with the
document model it must import as. Used as a "real document" that our writer did not make."""

from __future__ import annotations

import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Emu

from policypad.formats.manual import png

IMAGE = png(48, 24, (200, 40, 40))


def word_manual() -> bytes:
    """The manual as a DOCX file."""
    document = docx.Document()
    document.add_heading("Leave policy", level=1)
    paragraph = document.add_paragraph("Staff take ")
    paragraph.add_run("annual").bold = True
    paragraph.add_run(" and ")
    paragraph.add_run("sick").italic = True
    paragraph.add_run(" leave; ")
    paragraph.add_run("always").underline = True
    paragraph.add_run(" ask, ")
    paragraph.add_run("never").font.strike = True
    paragraph.add_run(" assume. CO")
    paragraph.add_run("2").font.subscript = True
    paragraph.add_run(" and x")
    paragraph.add_run("2").font.superscript = True
    paragraph.add_run(". See ")
    relation = document.part.relate_to(
        "https://example.com/leave", RELATIONSHIP_TYPE.HYPERLINK, is_external=True
    )
    link = parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{relation}"><w:r><w:t>the rules</w:t></w:r>'
        "</w:hyperlink>"
    )
    paragraph._p.append(link)
    document.add_paragraph("Signed by the board").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_heading("Steps", level=2)
    document.add_paragraph("Ask your manager", style="List Number")
    document.add_paragraph("Record it", style="List Number")
    # The template's "List Bullet" is a one-level list; a nested list is a multi-level
    # numbering definition of the program's own, as Word makes for one.
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        f'<w:lvlText w:val="o"/><w:lvlJc w:val="left"/></w:lvl>'
        for level in range(2)
    )
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="50">'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{levels}</w:abstractNum>'
    ))  # fmt: skip
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="50"><w:abstractNumId w:val="50"/></w:num>'
    ))  # fmt: skip
    for level, text in enumerate(("Keep a copy", "for a year")):
        item = document.add_paragraph(text, style="List Paragraph")
        item._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="50"/></w:numPr>'
        ))  # fmt: skip
    table = document.add_table(rows=3, cols=3)
    table.style = document.styles["Table Grid"]
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    for column, title in enumerate(("Kind", "Days", "Notes")):
        table.cell(0, column).text = title
    table.cell(1, 0).merge(table.cell(2, 0)).text = "Annual"
    table.cell(1, 1).merge(table.cell(1, 2)).text = "25, pro rata"
    table.cell(2, 1).text = "30"
    table.cell(2, 2).text = "after 5 years"
    picture = document.add_paragraph().add_run()
    picture.add_picture(io.BytesIO(IMAGE), width=Emu(48 * 9525), height=Emu(24 * 9525))
    document.inline_shapes[0]._inline.docPr.set("descr", "Leave chart")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


WORD_MANUAL_HTML = (
    "<h1>Leave policy</h1>"
    "<p>Staff take <b>annual</b> and <i>sick</i> leave; <u>always</u> ask, <s>never</s> "
    "assume. CO<sub>2</sub> and x<sup>2</sup>. See "
    '<a href="https://example.com/leave">the rules</a></p>'
    '<p style="text-align: center">Signed by the board</p>'
    "<h2>Steps</h2><ol><li>Ask your manager</li><li>Record it</li></ol>"
    "<ul><li>Keep a copy<ul><li>for a year</li></ul></li></ul>"
    "<table><thead><tr><th>Kind</th><th>Days</th><th>Notes</th></tr></thead><tbody>"
    '<tr><td rowspan="2">Annual</td><td colspan="2">25, pro rata</td></tr>'
    "<tr><td>30</td><td>after 5 years</td></tr></tbody></table>"
    '<p><img src="{image}" alt="Leave chart" width="48" height="24"></p>'
)
"""What the manual is, in the model's terms ({image}: the picture's data URL)."""
