"""HTML: every <table>, with headings, paragraphs and list items around it as lines of text."""

from __future__ import annotations

from html.parser import HTMLParser

from flashcards.importer.document import Block, Cell, Document, TextLine, padded

_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "blockquote", "pre", "title"}
_SKIP = {"script", "style", "head", "template", "noscript"}


def read_html(text: str, display: str) -> Document:
    reader = _Reader()
    reader.feed(text)
    reader.close()
    reader.flush()
    return Document(display, tuple(reader.blocks))


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.text: list[str] = []
        self.text_line = 1
        self.prefix = ""
        self.skip = 0
        self.rows: list[tuple[Cell, ...]] | None = None
        self.row: list[Cell] | None = None
        self.cell: list[str] | None = None
        self.cell_at = (1, 1)
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        if tag in _SKIP:
            self.skip += 1
        elif tag == "table":
            self.depth += 1
            if self.depth == 1:
                self.flush()
                self.rows = []
        elif self.depth > 1:
            pass
        elif tag == "tr" and self.rows is not None:
            self._end_cell()  # </td> and </tr> may be left out
            self._end_row()
            self.row = []
        elif tag in ("td", "th") and self.rows is not None:
            self._end_cell()
            if self.row is None:
                self.row = []
            self.cell = []
            self.cell_at = (line, offset + 1)
        elif tag == "br":
            self._append("\n")
        elif tag == "li" and self.cell is not None:
            self._append("\n- ")
        elif tag in _BLOCKS and self.cell is None:
            self.flush()
            self.text_line = line
            self.prefix = "#" * int(tag[1]) + " " if tag[0] == "h" and tag[1:].isdigit() else ""
            self.prefix = "- " if tag == "li" else self.prefix

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "table":
            self.depth = max(0, self.depth - 1)
            if self.depth == 0 and self.rows is not None:
                self._end_cell()
                self._end_row()
                if self.rows:
                    self.blocks.append(padded(self.rows))
                self.rows = None
        elif self.depth > 1:
            pass
        elif tag in ("td", "th"):
            self._end_cell()
        elif tag == "tr":
            self._end_cell()
            self._end_row()
        elif tag in _BLOCKS and self.cell is None:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is None and self.rows is None and not self.text and data.strip():
            self.text_line = self.getpos()[0]
        self._append(" ".join(data.split()) if data.strip() else (" " if data else ""))

    def _append(self, text: str) -> None:
        if self.cell is not None:
            self.cell.append(text)
        elif self.rows is None:
            self.text.append(text)

    def _end_cell(self) -> None:
        if self.cell is not None and self.row is not None:
            text = "\n".join(line.strip() for line in "".join(self.cell).split("\n") if line.strip())
            self.row.append(Cell(text, *self.cell_at))
        self.cell = None

    def _end_row(self) -> None:
        if self.row is not None and self.rows is not None and any(c.text for c in self.row):
            self.rows.append(tuple(self.row))
        self.row = None

    def flush(self) -> None:
        text = " ".join("".join(self.text).split())
        if text:
            self.blocks.append(TextLine(self.text_line, self.prefix + text))
        self.text = []
        self.prefix = ""
