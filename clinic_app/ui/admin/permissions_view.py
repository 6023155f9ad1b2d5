"""The permission matrix, read-only: what each role may do, in words, with why."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.access import Permissions, default_permissions, role_label
from clinic_app.domain.enums import Role

ALLOWED = "✓"
INTRO = (
    "Who may do what. Anything not ticked is refused by the app itself (not only hidden), "
    "with a message and an audit entry. A person holding several roles may do what any of "
    "them allows. The matrix ships with the app (resources/access/permissions.toml)."
)


def sentence(words: str) -> str:
    """``words`` with a capital first letter (and the rest as written: "NPI" stays)."""
    return words[:1].upper() + words[1:]


class PermissionsView(QWidget):
    """A table of actions (rows, in words) by roles (columns), and each role's rationale.

    Attributes:
        table: the matrix; a cell holds ✓ where the role allows the action.
        rationale: each role's reason, in a label.
    """

    def __init__(self, permissions: Permissions | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        matrix = permissions or default_permissions()
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.rationale = QLabel(
            "\n".join(
                f"{role_label(role).capitalize()}: {matrix.roles[role].rationale}" for role in Role
            )
        )
        self.rationale.setWordWrap(True)
        self.rationale.setTextFormat(Qt.TextFormat.PlainText)
        self.rationale.setAccessibleName("Why each role may do this")
        self.rationale.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        roles = list(Role)
        actions = sorted(
            (a for a in matrix.actions if any(a in matrix.roles[r].allowed for r in roles)),
            key=lambda a: (a.split(".")[0], matrix.words(a)),
        )
        self.table = QTableWidget(len(actions), len(roles))
        self.table.setAccessibleName("Permission matrix")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setVerticalHeaderLabels([sentence(matrix.words(a)) for a in actions])
        for column, role in enumerate(roles):
            heading = QTableWidgetItem(role_label(role).capitalize())
            heading.setToolTip(matrix.roles[role].rationale)
            self.table.setHorizontalHeaderItem(column, heading)
            for row, action in enumerate(actions):
                allowed = action in matrix.roles[role].allowed
                item = QTableWidgetItem(ALLOWED if allowed else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setToolTip(
                    f"{role_label(role).capitalize()} {'may' if allowed else 'may not'} "
                    f"{matrix.words(action)}"
                )
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.rationale)

    def allowed(self, words: str, role: Role) -> bool:
        """Whether the row for the action ``words`` has a tick under ``role``."""
        rows = range(self.table.rowCount())
        labels = [item.text() if (item := self.table.verticalHeaderItem(r)) else "" for r in rows]
        cell = self.table.item(labels.index(sentence(words)), list(Role).index(role))
        return cell is not None and cell.text() == ALLOWED
