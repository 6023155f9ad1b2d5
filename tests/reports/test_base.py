"""The renderer both documents share: template steps in, a numbered PDF out."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, PageBreak

from clinic_app.reports.base import REGULAR, BaseRenderer, MissingGlyphError
from clinic_app.reports.handout import HandoutRenderer
from clinic_app.reports.note import NoteRenderer


@dataclass(frozen=True)
class Letter:
    owner: str
    paragraphs: tuple[str, ...]


class LetterRenderer(BaseRenderer[Letter]):
    """The smallest document: one style, a one-line header, a page per paragraph."""

    def _get_stylesheet(self) -> StyleSheet1:
        sheet = StyleSheet1()
        sheet.add(ParagraphStyle("Body", fontName=REGULAR, fontSize=10, leading=12))
        return sheet

    def _furniture_size(self) -> float:
        return 9.0

    def _header_height(self) -> float:
        return 30.0

    def _on_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        top = self.pagesize[1] - self.margin
        self._draw_header_lines(
            canvas,
            self.margin,
            top,
            ((self._clean(self.data.owner), "Letter"), ("Dear reader", None)),
        )
        self._draw_rule(canvas, top - self._header_height())

    def _page_label(self, page: int, pages: int) -> str:
        return f"Sheet {page}/{pages}"

    def _footer_left(self) -> str:
        return self._clean(self.data.owner)

    def _get_story(self) -> list[Flowable]:
        story: list[Flowable] = []
        for text in self.data.paragraphs:
            story += [self._para(text), PageBreak()]
        return story[:-1]

    def _document_info(self) -> dict[str, str]:
        return {"title": "A letter", "author": self._clean(self.data.owner), "lang": "en"}

    def user_strings(self) -> list[str]:
        return [self.data.owner, *self.data.paragraphs]


def test_a_subclass_gets_header_footer_page_count_and_metadata() -> None:
    pdf = LetterRenderer(Letter("J&C  <b>Ltd</b>", ("one", "two & <i>three</i>"))).render()
    reader = PdfReader(io.BytesIO(pdf))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) == 2
    for number, text in enumerate(texts, 1):
        assert f"Sheet {number}/2" in text
        assert "J&C <b>Ltd</b>" in text  # cleaned to one space, printed as typed
        assert "Dear reader" in text
    assert "two & <i>three</i>" in texts[1]
    assert reader.metadata is not None
    assert reader.metadata.title == "A letter"


def test_the_glyph_check_runs_before_anything_is_drawn() -> None:
    with pytest.raises(MissingGlyphError, match="U\\+13000"):
        LetterRenderer(Letter("𓀀", ())).render()


def test_both_documents_are_base_renderers() -> None:
    assert issubclass(NoteRenderer, BaseRenderer)
    assert issubclass(HandoutRenderer, BaseRenderer)
