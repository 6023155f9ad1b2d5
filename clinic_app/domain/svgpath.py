"""A small SVG path-data parser: enough for drawings made by our generator or Inkscape.

Parses ``d`` attributes into absolute commands (M, L, C, Q, Z) and flattens them into
polygons for hit-testing. Arcs (A) are refused with a clear message: an illustrator can
convert them to curves with "Object to Path" in Inkscape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Point = tuple[float, float]

_TOKEN = re.compile(r"[MmLlHhVvCcSsQqTtZzAa]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARITY = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "Z": 0}


class PathSyntaxError(ValueError):
    """Path data the parser cannot read."""


@dataclass(frozen=True, slots=True)
class Command:
    """One absolute drawing command: ``op`` in M, L, C, Q, Z and its coordinates."""

    op: str
    args: tuple[float, ...] = ()


def _numbers(tokens: list[str], i: int, count: int, op: str) -> tuple[list[float], int]:
    values = []
    for _ in range(count):
        if i >= len(tokens) or tokens[i].isalpha():
            raise PathSyntaxError(f"command {op!r} needs {count} numbers")
        values.append(float(tokens[i]))
        i += 1
    return values, i


def parse_path(d: str) -> tuple[Command, ...]:
    """Parse SVG path data into absolute M/L/C/Q/Z commands.

    Raises:
        PathSyntaxError: unknown or malformed data, or an arc.
    """
    tokens = _TOKEN.findall(d)
    leftovers = _TOKEN.sub("", d).replace(",", "").split()
    if leftovers:
        raise PathSyntaxError(f"unexpected text {leftovers[0]!r} in path data")
    out: list[Command] = []
    i, op = 0, ""
    cx = cy = sx = sy = 0.0
    last_ctrl: Point | None = None
    last_op = ""
    while i < len(tokens):
        if tokens[i].isalpha():
            op = tokens[i]
            i += 1
            if op in "Aa":
                raise PathSyntaxError("arcs (A) are not supported; convert them to curves")
        elif not op:
            raise PathSyntaxError("path data must start with a command")
        upper, rel = op.upper(), op.islower()
        if upper == "Z":
            out.append(Command("Z"))
            cx, cy = sx, sy
            last_op, last_ctrl = "Z", None
            continue
        v, i = _numbers(tokens, i, _ARITY[upper], op)
        ox, oy = (cx, cy) if rel else (0.0, 0.0)
        if upper == "M":
            cx, cy = v[0] + ox, v[1] + oy
            sx, sy = cx, cy
            out.append(Command("M", (cx, cy)))
            op = "l" if rel else "L"  # further pairs are implicit line-tos
            last_ctrl = None
        elif upper in "LHV":
            if upper == "L":
                cx, cy = v[0] + ox, v[1] + oy
            elif upper == "H":
                cx = v[0] + ox
            else:
                cy = v[0] + oy
            out.append(Command("L", (cx, cy)))
            last_ctrl = None
        elif upper in "CS":
            if upper == "C":
                x1, y1 = v[0] + ox, v[1] + oy
                rest = v[2:]
            else:
                x1, y1 = (
                    (2 * cx - last_ctrl[0], 2 * cy - last_ctrl[1])
                    if (last_ctrl and last_op in "CS")
                    else (cx, cy)
                )
                rest = v
            x2, y2, x, y = rest[0] + ox, rest[1] + oy, rest[2] + ox, rest[3] + oy
            out.append(Command("C", (x1, y1, x2, y2, x, y)))
            last_ctrl, (cx, cy) = (x2, y2), (x, y)
        else:  # Q or T
            if upper == "Q":
                qx, qy, x, y = v[0] + ox, v[1] + oy, v[2] + ox, v[3] + oy
            else:
                qx, qy = (
                    (2 * cx - last_ctrl[0], 2 * cy - last_ctrl[1])
                    if (last_ctrl and last_op in "QT")
                    else (cx, cy)
                )
                x, y = v[0] + ox, v[1] + oy
            out.append(Command("Q", (qx, qy, x, y)))
            last_ctrl, (cx, cy) = (qx, qy), (x, y)
        last_op = upper
    if not out or out[0].op != "M":
        raise PathSyntaxError("path data must start with a move-to")
    return tuple(out)


def flatten(commands: tuple[Command, ...], steps: int = 12) -> list[list[Point]]:
    """The path as polygons (one per subpath), curves approximated by ``steps`` segments."""
    polys: list[list[Point]] = []
    current: list[Point] = []
    x = y = 0.0
    for c in commands:
        a = c.args
        if c.op == "M":
            if len(current) > 2:
                polys.append(current)
            current = [(a[0], a[1])]
            x, y = a[0], a[1]
        elif c.op == "L":
            x, y = a[0], a[1]
            current.append((x, y))
        elif c.op == "C":
            for k in range(1, steps + 1):
                t = k / steps
                u = 1 - t
                current.append(
                    (
                        u**3 * x + 3 * u * u * t * a[0] + 3 * u * t * t * a[2] + t**3 * a[4],
                        u**3 * y + 3 * u * u * t * a[1] + 3 * u * t * t * a[3] + t**3 * a[5],
                    )
                )
            x, y = a[4], a[5]
        elif c.op == "Q":
            for k in range(1, steps + 1):
                t = k / steps
                u = 1 - t
                current.append(
                    (
                        u * u * x + 2 * u * t * a[0] + t * t * a[2],
                        u * u * y + 2 * u * t * a[1] + t * t * a[3],
                    )
                )
            x, y = a[2], a[3]
        elif current:  # Z
            x, y = current[0]
    if len(current) > 2:
        polys.append(current)
    return polys


def mirror_commands(commands: tuple[Command, ...], width: float) -> tuple[Command, ...]:
    """The same drawing flipped left-right inside a box ``width`` wide."""
    out = []
    for c in commands:
        args = tuple(width - v if k % 2 == 0 else v for k, v in enumerate(c.args))
        out.append(Command(c.op, args))
    return tuple(out)


def point_in_polygon(x: float, y: float, poly: list[Point] | tuple[Point, ...]) -> bool:
    """Even-odd rule ray casting."""
    inside = False
    n = len(poly)
    j = n - 1
    for i in range(n):
        xi, yi = poly[i]
        xj, yj = poly[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def distance_to_edges(x: float, y: float, poly: list[Point] | tuple[Point, ...]) -> float:
    """Shortest distance from a point to the polygon's outline."""
    best = float("inf")
    n = len(poly)
    for i in range(n):
        ax, ay = poly[i]
        bx, by = poly[(i + 1) % n]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2))
        px, py = ax + t * dx, ay + t * dy
        best = min(best, ((x - px) ** 2 + (y - py) ** 2) ** 0.5)
    return best


def polygon_area(poly: list[Point] | tuple[Point, ...]) -> float:
    """Unsigned area (shoelace formula)."""
    total = 0.0
    n = len(poly)
    for i in range(n):
        x1, y1 = poly[i]
        x2, y2 = poly[(i + 1) % n]
        total += x1 * y2 - x2 * y1
    return abs(total) / 2
