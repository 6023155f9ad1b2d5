"""PDF bytes on screen and on paper through Qt: load into QtPdf, paint pages onto a QPrinter.

Qt has no vector path from a PDF to a QPainter, so each page is rendered by QtPdf to an
image at the printer's resolution (capped, so a 1200 dpi driver does not ask for half a
gigabyte per page) and drawn over the whole sheet.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRectF, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

#: Highest resolution a page is rendered at for printing: sharp for text, bounded in memory.
MAX_PRINT_DPI: Final = 300


class PrintError(Exception):
    """Printing failed; the message says why in the user's words."""


def load_pdf(data: bytes, parent: QObject | None = None) -> QPdfDocument:
    """A QtPdf document over ``data`` (the buffer is kept alive as the document's child).

    Raises:
        PrintError: the bytes are not a readable PDF.
    """
    document = QPdfDocument(parent)  # type: ignore[arg-type]  # None is a valid parent
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        error = document.error()
        document.deleteLater()
        raise PrintError(f"The document could not be read ({error.name}).")
    return document


def render_page(document: QPdfDocument, page: int, dpi: int) -> QImage:
    """One page as an image at ``dpi`` dots per inch."""
    points = document.pagePointSize(page)
    size = QSize(
        max(1, round(points.width() * dpi / 72)), max(1, round(points.height() * dpi / 72))
    )
    return document.render(page, size)


def printer_named(name: str) -> QPrinter | None:
    """A high-resolution printer for the installed printer ``name``, or ``None``."""
    info = QPrinterInfo.printerInfo(name)
    if info.isNull():
        return None
    return QPrinter(info, QPrinter.PrinterMode.HighResolution)


def print_pdf(data: bytes, printer: QPrinter, doc_name: str) -> int:
    """Paint every page of the PDF ``data`` onto ``printer``; returns the page count.

    ``doc_name`` becomes the job's title (what the print queue, and cups-pdf's file name,
    show).

    Raises:
        PrintError: unreadable PDF, or the printer cannot be opened.
    """
    document = load_pdf(data)
    try:
        printer.setDocName(doc_name)
        printer.setFullPage(True)  # the PDF page is the whole sheet, margins included
        dpi = max(72, min(printer.resolution(), MAX_PRINT_DPI))
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintError(
                f"The printer “{printer.printerName() or printer.outputFileName()}” "
                "could not be opened. Check that it is switched on and installed."
            )
        try:
            scale = printer.resolution() / 72
            for page in range(document.pageCount()):
                if page and not printer.newPage():
                    raise PrintError("The printer refused a new page.")
                points = document.pagePointSize(page)
                target = QRectF(0, 0, points.width() * scale, points.height() * scale)
                painter.drawImage(target, render_page(document, page, dpi))
        finally:
            painter.end()
        return document.pageCount()
    finally:
        document.deleteLater()
