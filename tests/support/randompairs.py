"""Random documents in the line form, and random edits of them, for the diff's laws.

Everything is drawn from a `random.Random` (Hypothesis passes one from `st.randoms()`, the
cross-language test a seeded one), so a seed names a pair exactly. Documents hold every
kind of block (paragraphs, headings, lists of both types with nesting and start numbers,
quotes, pre, rules, tables with header rows, header cells and spans), text with inline
formatting, links, authors, classes, images and line breaks. Edits are what editors do:
type and delete text, format a range, change a link or an image, change a block, insert,
delete, split and join lines, add and remove table rows, columns and cells. After an edit
the table ids are sometimes renumbered as a parse would (t1, r1, c1, ...).
"""

from __future__ import annotations

import random

from policypad.document.lines import Attributes, Line, Run, merge_runs
from policypad.document.schema import EMBED_CHAR

WORDS = [
    "a",
    "bb",
    "ccc",
    "word",
    "x&y",
    "<tag>",
    '"q"',
    "é",
    "😀",
    "a\u00a0b",
    "1",
    "Ωμέγα",
    "cats",
]
FLAGS = ["bold", "italic", "underline", "strike", "code", "sub", "sup"]
LINKS = ["https://e.org/a?b=1&c=2", "/rel", "mailto:x@e.org", "https://e.org/other"]
SOURCES = ["https://e.org/i.png", "i.png", "/img/x.gif"]
CLASSES = ["note", "lead", "lead note"]
EDIT_KINDS = [
    "type", "delete", "replace word", "format", "link", "author", "image", "block",
    "insert line", "delete line", "split line", "join lines", "move line",
    "add row", "delete row", "add column", "delete column", "add cell", "delete cell",
]  # fmt: skip


def inline_attributes(rng: random.Random) -> Attributes:
    """Random inline attributes: a few flags, sometimes a link, an author, a class."""
    attributes = {flag: "true" for flag in rng.sample(FLAGS, rng.choice([0, 0, 1, 2]))}
    if rng.random() < 0.2:
        attributes["link"] = rng.choice(LINKS)
    if rng.random() < 0.3:
        attributes["author"] = rng.choice(["a.1", "a.2"])
    if rng.random() < 0.1:
        attributes["class"] = rng.choice(CLASSES)
    return attributes


def image(rng: random.Random) -> Run:
    """One image embed."""
    attributes = {"embed": "image", "src": rng.choice(SOURCES)}
    if rng.random() < 0.5:
        attributes["alt"] = rng.choice(["pic", "a & b"])
    return (EMBED_CHAR, attributes)


def words(rng: random.Random, count: int) -> str:
    """`count` random words joined by single spaces."""
    return " ".join(rng.choice(WORDS) for _ in range(count))


def runs(rng: random.Random, pre: bool = False) -> list[Run]:
    """A line's random runs (normalized: no space at the ends, none doubled outside pre)."""
    out: list[Run] = []
    for index in range(rng.randint(0, 4)):
        kind = rng.choice(["text", "text", "text", "image", "br"])
        if kind == "image" and not pre:
            out.append(image(rng))
        elif kind == "br" and index and not pre:
            out.append((EMBED_CHAR, {"embed": "br"}))
        else:
            text = words(rng, rng.randint(1, 4))
            if out and out[-1][0] != EMBED_CHAR:
                text = " " + text
            out.append((text, inline_attributes(rng)))
    while out and out[-1][1].get("embed") == "br":
        out.pop()
    return merge_runs(out)


def block(rng: random.Random, first_in_list: bool) -> Attributes:
    """Random block attributes of a line outside tables."""
    kind = rng.choice(["p", "p", "heading", "list", "list", "quote", "pre"])
    attributes: Attributes = {}
    if kind == "heading":
        attributes["heading"] = str(rng.randint(1, 6))
    elif kind == "list":
        attributes["list"] = rng.choice(["bullet", "number"])
        level = rng.choice([1, 1, 2, 3])
        if level > 1:
            attributes["indent"] = str(level)
        if first_in_list and level == 1 and attributes["list"] == "number" and rng.random() < 0.3:
            attributes["start"] = str(rng.randint(2, 9))
    elif kind == "quote":
        attributes["quote"] = "true"
    elif kind == "pre":
        attributes["pre"] = "true"
    if kind != "pre" and rng.random() < 0.15:
        attributes["align"] = rng.choice(["center", "right", "justify"])
    return attributes


def table(rng: random.Random, name: str) -> list[Line]:
    """A random table: 1-3 rows of 1-3 cells of 1-2 lines; maybe a header row, a span."""
    lines: list[Line] = []
    head = rng.random() < 0.3
    columns = rng.randint(1, 3)
    for row in range(rng.randint(1, 3)):
        for column in range(columns):
            cell: Attributes = {
                "table": name,
                "row": f"{name}r{row}",
                "cell": f"{name}r{row}c{column}",
            }
            if head and row == 0:
                cell.update(head="true", th="true")
            if rng.random() < 0.1:
                cell["colspan"] = "2"
            for _ in range(rng.choice([1, 1, 2])):
                lines.append((runs(rng), dict(cell)))
    return lines


def document(rng: random.Random) -> list[Line]:
    """A random document of 1-8 blocks."""
    lines: list[Line] = []
    for number in range(rng.randint(1, 8)):
        roll = rng.random()
        if roll < 0.15:
            lines.extend(table(rng, f"t{number}"))
        elif roll < 0.22:
            lines.append(([(EMBED_CHAR, {"embed": "hr"})], {}))
        else:
            previous = lines[-1][1] if lines else {}
            attributes = block(rng, "list" not in previous)
            lines.append((runs(rng, pre="pre" in attributes), attributes))
    return renumber(lines) if rng.random() < 0.7 else lines


def renumber(lines: list[Line]) -> list[Line]:
    """Number tables, rows and cells as parse does: t1, r1, c1, ... in order."""
    counters = {"table": 0, "row": 0, "cell": 0}
    previous: dict[str, str | None] = {"table": None, "row": None, "cell": None}
    current: dict[str, str] = {}
    out: list[Line] = []
    for line_runs, attributes in lines:
        attributes = dict(attributes)
        for key, prefix in (("table", "t"), ("row", "r"), ("cell", "c")):
            if key not in attributes:
                previous[key] = None
                continue
            if previous[key] != attributes[key]:
                counters[key] += 1
                current[key] = f"{prefix}{counters[key]}"
            previous[key] = attributes[key]
            attributes[key] = current[key]
        out.append((line_runs, attributes))
    return out


# -- edits ------------------------------------------------------------------------------


def _text(line: Line) -> str:
    return "".join(text for text, _ in line[0])


def cut(line_runs: list[Run], position: int) -> tuple[list[Run], list[Run]]:
    """Runs before and after character `position`."""
    before: list[Run] = []
    after: list[Run] = []
    at = 0
    for text, attributes in line_runs:
        if at + len(text) <= position:
            before.append((text, attributes))
        elif at >= position:
            after.append((text, attributes))
        else:
            before.append((text[: position - at], attributes))
            after.append((text[position - at :], attributes))
        at += len(text)
    return before, after


def insert_text(line: Line, position: int, text: str, attributes: Attributes) -> Line:
    """`line` with `text` inserted at character `position`."""
    before, after = cut(line[0], position)
    return (merge_runs([*before, (text, attributes), *after]), line[1])


def delete_text(line: Line, start: int, end: int) -> Line:
    """`line` without characters start..end."""
    before, rest = cut(line[0], start)
    _, after = cut(rest, end - start)
    return (merge_runs(before + after), line[1])


def set_flag(line: Line, start: int, end: int, flag: str, on: bool) -> Line:
    """`line` with `flag` set (or cleared) on characters start..end (embeds too)."""

    def change(attributes: Attributes) -> Attributes:
        changed = {k: v for k, v in attributes.items() if k != flag}
        if on:
            changed[flag] = "true"
        return changed

    before, rest = cut(line[0], start)
    middle, after = cut(rest, end - start)
    return (merge_runs(before + [(t, change(a)) for t, a in middle] + after), line[1])


def _table_positions(lines: list[Line]) -> list[int]:
    return [index for index, (_, attributes) in enumerate(lines) if "table" in attributes]


def _rows(lines: list[Line], table_id: str) -> list[list[int]]:
    rows: list[list[int]] = []
    previous = None
    for index, (_, attributes) in enumerate(lines):
        if attributes.get("table") != table_id:
            continue
        if attributes["row"] != previous:
            rows.append([])
            previous = attributes["row"]
        rows[-1].append(index)
    return rows


def _cells(lines: list[Line], row: list[int]) -> list[list[int]]:
    cells: list[list[int]] = []
    previous = None
    for index in row:
        if lines[index][1]["cell"] != previous:
            cells.append([])
            previous = lines[index][1]["cell"]
        cells[-1].append(index)
    return cells


def _fresh(rng: random.Random) -> str:
    return f"n{rng.randrange(10**6)}"


def edit(rng: random.Random, lines: list[Line], kind: str | None = None) -> list[Line]:
    """Return `lines` after one random edit (of `kind`, or a random kind that applies)."""
    lines = list(lines)
    kind = kind or rng.choice(EDIT_KINDS)
    index = rng.randrange(len(lines))
    line = lines[index]
    length = len(_text(line))
    tables = _table_positions(lines)
    if kind == "type":
        lines[index] = insert_text(
            line, rng.randint(0, length), words(rng, rng.randint(1, 3)), inline_attributes(rng)
        )
    elif kind == "delete" and length:
        start = rng.randrange(length)
        lines[index] = delete_text(line, start, rng.randint(start + 1, length))
    elif kind == "replace word" and length:
        start = rng.randrange(length)
        end = min(length, start + rng.randint(1, 5))
        attributes = cut(line[0], start)[1][0][1]
        if "embed" not in attributes:
            lines[index] = insert_text(
                delete_text(line, start, end), start, rng.choice(WORDS), attributes
            )
    elif kind == "format" and length:
        start = rng.randrange(length)
        lines[index] = set_flag(
            line, start, rng.randint(start + 1, length), rng.choice(FLAGS), rng.random() < 0.6
        )
    elif kind in ("link", "author") and length:
        start = rng.randrange(length)
        end = rng.randint(start + 1, length)
        key = kind
        value = rng.choice(LINKS if kind == "link" else ["a.1", "a.2", "a.3"])
        before, rest = cut(line[0], start)
        middle, after = cut(rest, end - start)
        if rng.random() < 0.3:
            middle = [(t, {k: v for k, v in a.items() if k != key}) for t, a in middle]
        else:
            middle = [(t, {**a, key: value}) for t, a in middle]
        lines[index] = (merge_runs(before + middle + after), line[1])
    elif kind == "image":
        images = [
            (i, k)
            for i, (line_runs, _) in enumerate(lines)
            for k, run in enumerate(line_runs)
            if run[1].get("embed") == "image"
        ]
        if images:
            i, k = rng.choice(images)
            line_runs = list(lines[i][0])
            attributes = dict(line_runs[k][1])
            if rng.random() < 0.5:
                attributes["src"] = rng.choice([s for s in SOURCES if s != attributes["src"]])
            else:
                attributes["alt"] = rng.choice(["other", "pic 2"])
            line_runs[k] = (line_runs[k][0], attributes)
            lines[i] = (merge_runs(line_runs), lines[i][1])
    elif (
        kind == "block"
        and "table" not in line[1]
        and line[0][:1] != [(EMBED_CHAR, {"embed": "hr"})]
    ):
        lines[index] = (line[0], changed_block(rng, line[1]))
    elif kind == "insert line":
        at = rng.randint(0, len(lines))
        neighbour = lines[min(at, len(lines) - 1)][1]
        attributes = (
            dict(neighbour) if "table" in neighbour or rng.random() < 0.5 else block(rng, False)
        )
        lines.insert(at, (runs(rng, pre="pre" in attributes), attributes))
    elif kind == "delete line" and len(lines) > 1:
        del lines[index]
    elif kind == "split line":
        position = rng.randint(0, length)
        before, after = cut(line[0], position)
        lines[index : index + 1] = [
            (merge_runs(before), line[1]),
            (merge_runs(after), dict(line[1])),
        ]
    elif kind == "join lines" and index + 1 < len(lines):
        lines[index : index + 2] = [
            (merge_runs(line[0] + lines[index + 1][0]), lines[index + 1][1])
        ]
    elif kind == "move line" and len(lines) > 1 and "table" not in line[1]:
        moved = lines.pop(index)
        lines.insert(rng.randint(0, len(lines)), moved)
    elif kind.endswith(("row", "column", "cell")) and tables:
        table_id = lines[rng.choice(tables)][1]["table"]
        lines = _table_edit(rng, lines, table_id, kind)
    lines = normalize(lines)
    return renumber(lines) if rng.random() < 0.5 else lines


def normalize(lines: list[Line]) -> list[Line]:
    """Return `lines` as a parse would leave them (docs/document-model.md, "normalized"):
    outside pre no space at a line's ends or doubled, no line ending in a br; embeds only
    outside pre, a rule alone on its line; a start number only on a numbered item."""
    out: list[Line] = []
    for line_runs, attributes in lines:
        rule = [(EMBED_CHAR, {"embed": "hr"})]
        if line_runs != rule:
            line_runs = [(t, a) for t, a in line_runs if a.get("embed") != "hr"]
        else:  # a rule shows no block of its own but its cell
            attributes = {
                k: v
                for k, v in attributes.items()
                if k in ("table", "row", "cell", "head", "th", "colspan")
            }
        if "pre" in attributes:
            line_runs = (
                [(t, a) for t, a in line_runs if "embed" not in a]
                if line_runs != rule
                else line_runs
            )
        else:
            line_runs = _collapsed(line_runs)
        if attributes.get("list") != "number" and "start" in attributes:
            attributes = {k: v for k, v in attributes.items() if k != "start"}
        if out and "row" in attributes:
            # a row's lines share its header status, a cell's lines the cell's attributes
            previous = out[-1][1]
            same_row = (previous.get("table"), previous.get("row")) == (
                attributes.get("table"),
                attributes["row"],
            )
            shared = (
                ("head", "th", "colspan")
                if previous.get("cell") == attributes.get("cell")
                else ("head",)
            )
            if same_row:
                attributes = {k: v for k, v in attributes.items() if k not in shared}
                attributes.update({k: previous[k] for k in shared if k in previous})
        out.append((merge_runs(line_runs), attributes))
    return out


def _collapsed(line_runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    previous_space = True  # no space at the start of a line
    for text, attributes in line_runs:
        if "embed" in attributes:
            out.append((text, attributes))
            previous_space = False
            continue
        kept = []
        for char in text:
            if char == " " and previous_space:
                continue
            kept.append(char)
            previous_space = char == " "
        out.append(("".join(kept), attributes))
    out = merge_runs(out)
    while out:
        text, attributes = out[-1]
        if attributes.get("embed") == "br":
            out.pop()
        elif "embed" not in attributes and text.endswith(" "):
            out[-1] = (text[:-1], attributes)
            out = merge_runs(out)
        else:
            break
    return out


def changed_block(rng: random.Random, old: Attributes) -> Attributes:
    choice = rng.choice(
        ["heading", "paragraph", "list type", "indent", "align", "quote", "pre", "random"]
    )
    new = dict(old)
    if choice == "heading":
        new.pop("pre", None)
        new["heading"] = str(rng.randint(1, 6))
    elif choice == "paragraph":
        for key in ("heading", "list", "indent", "start", "pre"):
            new.pop(key, None)
    elif choice == "list type":
        new.pop("pre", None)
        new["list"] = "number" if old.get("list") == "bullet" else "bullet"
    elif choice == "indent":
        new.pop("pre", None)
        new.setdefault("list", "bullet")
        new["indent"] = str(rng.randint(2, 4))
    elif choice == "align":
        new["align"] = rng.choice(["center", "right", "justify"])
    elif choice == "quote":
        if "quote" in new:
            del new["quote"]
        else:
            new["quote"] = "true"
    elif choice == "pre":
        for key in ("heading", "list", "indent", "start", "align"):
            new.pop(key, None)
        new["pre"] = "true"
    else:
        new = block(rng, False)
    return new


def _table_edit(rng: random.Random, lines: list[Line], table_id: str, kind: str) -> list[Line]:
    rows = _rows(lines, table_id)
    row = rng.randrange(len(rows))
    if kind == "add row":
        row_id = _fresh(rng)
        added = []
        for cell in _cells(lines, rows[row]):
            cell_id = _fresh(rng)
            for index in cell:
                attributes = {**lines[index][1], "row": row_id, "cell": cell_id}
                attributes.pop("head", None)
                attributes.pop("th", None)
                added.append((runs(rng), attributes))
        at = rows[row][-1] + 1 if rng.random() < 0.5 else rows[row][0]
        if at == rows[row][0] and "head" in lines[at][1]:
            at = rows[row][-1] + 1
        return lines[:at] + added + lines[at:]
    if kind == "delete row":
        gone = set(rows[row])
        if len(gone) == sum(len(r) for r in rows):
            return lines
        return [line for index, line in enumerate(lines) if index not in gone]
    if kind in ("add column", "delete column"):
        column = rng.randrange(max(len(_cells(lines, r)) for r in rows) + 1)
        out = list(lines)
        # from the last row up, so that earlier positions stay valid
        for row_indices in reversed(rows):
            cells = _cells(lines, row_indices)
            if kind == "add column":
                at = cells[column][0] if column < len(cells) else row_indices[-1] + 1
                template = dict(lines[row_indices[0]][1])
                template["cell"] = _fresh(rng)
                template.pop("colspan", None)
                out.insert(at, (runs(rng), template))
            elif column < len(cells) and len(cells) > 1:
                for index in reversed(cells[column]):
                    del out[index]
        return out
    cells = _cells(lines, rows[row])
    if kind == "add cell":
        at = rng.choice([c[0] for c in cells] + [rows[row][-1] + 1])
        template = dict(lines[rows[row][0]][1])
        template["cell"] = _fresh(rng)
        template.pop("colspan", None)
        return [*lines[:at], (runs(rng), template), *lines[at:]]
    if len(cells) > 1:
        gone = set(rng.choice(cells))
        return [line for index, line in enumerate(lines) if index not in gone]
    return lines


def pair(rng: random.Random) -> tuple[list[Line], list[Line]]:
    """A random pair (old, new): mostly a document and a few edits of it, sometimes two
    unrelated documents."""
    old = document(rng)
    if rng.random() < 0.1:
        return old, document(rng)
    new = old
    for _ in range(rng.choice([1, 1, 2, 3, 5, 8])):
        new = edit(rng, new)
    return old, new
