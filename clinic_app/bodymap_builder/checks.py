"""The checks every written drawing must pass (the conventions the app relies on)."""

from __future__ import annotations

import math
import re
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from clinic_app.bodymap_builder import CATALOG_PATH, REFERRED_AREAS_PATH
from clinic_app.bodymap_builder.curves import Pt
from clinic_app.bodymap_builder.lateral import LAT
from clinic_app.bodymap_builder.muscles import MUSCLES, VIEWBOX
from clinic_app.bodymap_builder.svg import LAYER_ORDER, SVG_NS
from clinic_app.domain.svgpath import PathSyntaxError, flatten, parse_path, point_in_polygon

#: A path command letter (numbers may have an exponent "e", which is no command).
COMMAND_LETTER = re.compile(r"[A-DF-Za-df-z]")
ALLOWED_COMMANDS = set("MLCQZ")
MIN_CLICK = 8  # px of solid interior, in viewBox units (about 7 screen px at 900 px tall)
# The head-and-neck view has few, larger regions (it is the place to chart them): keep them roomy.
MIN_CLICK_VIEW = {"lateral": 15}

# Lateral view placement: a point each region must cover (where that muscle really lies) and the
# landmarks no region may cover (the face and ear stay visible, the neck's outline clear).
LATERAL_PROBES: dict[str, Pt] = {
    "temporalis": (215.0, 90.0),  # temporal fossa, above the ear
    "masseter": (236.0, 190.0),  # cheekbone -> angle of the jaw
    "sternocleidomastoid": (  # half-way from the mastoid to the SC joint
        (LAT["mastoid"][0] + LAT["sc_joint"][0]) / 2,
        (LAT["mastoid"][1] + LAT["sc_joint"][1]) / 2,
    ),
    "splenius_capitis": (163.0, 212.0),  # apex of the posterior triangle, under the skull
    "levator_scapulae": (180.0, 258.0),  # mid-neck, behind the SCM
    "scalenes": (207.0, 300.0),  # behind the SCM, above the clavicle
}
LATERAL_CLEAR = (
    "eye",
    "ear",
    "tragus",
    "nose_tip",
    "stomion",
    "throat",
    "notch",
    "nape",
    "occiput",
    "acromion",
)


def parse_d(d: str) -> tuple[list[list[Pt]], list[str]]:
    """Flatten path data into subpaths; returns (subpaths, problems).

    Parsing and flattening are the app's own (:mod:`clinic_app.domain.svgpath`), so the checks
    see the drawing as the app reads it; the conventions on top (absolute M, L, C, Q and Z only,
    one closed subpath) are checked here.
    """
    problems = []
    letters = set(COMMAND_LETTER.findall(d))
    if letters - ALLOWED_COMMANDS:
        bad = sorted(letters - ALLOWED_COMMANDS)
        problems.append(f"command {bad[0]!r} not allowed (only M L C Q Z)")
        return [], problems
    try:
        commands = parse_path(d)
    except PathSyntaxError as error:
        return [], [f"malformed path data: {error}"]
    subpaths = flatten(commands)
    if commands[-1].op != "Z":
        problems.append("not closed (must end with Z)")
    ops = [c.op for c in commands]
    if ops.count("M") != 1 or ops.count("Z") != 1:
        problems.append("must be exactly one closed subpath")
    return subpaths, problems


def raster(poly: Sequence[Pt]) -> set[tuple[int, int]]:
    """Pixels (1 viewBox unit) whose centres lie inside the polygon (even-odd rule)."""
    cells: set[tuple[int, int]] = set()
    ys = [p[1] for p in poly]
    n = len(poly)
    for iy in range(math.floor(min(ys)), math.ceil(max(ys)) + 1):
        y = iy + 0.5
        xs = []
        for k in range(n):
            (x1, y1), (x2, y2) = poly[k - 1], poly[k]
            if (y1 > y) != (y2 > y):
                xs.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
        xs.sort()
        for a, b in zip(xs[::2], xs[1::2], strict=False):
            for ix in range(math.ceil(a - 0.5), math.floor(b - 0.5) + 1):
                cells.add((ix, iy))
    return cells


def largest_square(cells: set[tuple[int, int]]) -> int:
    """Side of the largest axis-aligned square made only of the given pixels."""
    if not cells:
        return 0
    best = 0
    size: dict[tuple[int, int], int] = {}
    for ix, iy in sorted(cells, key=lambda c: (c[1], c[0])):
        s = 1 + min(
            size.get((ix - 1, iy), 0), size.get((ix, iy - 1), 0), size.get((ix - 1, iy - 1), 0)
        )
        size[(ix, iy)] = s
        best = max(best, s)
    return best


def centroid(poly: Sequence[Pt]) -> Pt:
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(poly, [*poly[1:], poly[0]], strict=True):
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(a) < 1e-9:
        return poly[0]
    return (cx / (3 * a), cy / (3 * a))


def expected_regions() -> set[tuple[str, str, str]]:
    out = set()
    for code, (views, _depth) in MUSCLES.items():
        for view in views:
            for side in ("right",) if view == "lateral" else ("left", "right"):
                out.add((view, code, side))
    return out


def check_catalog(catalog: Path | None = None) -> list[str]:
    """Compare the generator's muscle table with resources/anatomy/muscles.toml."""
    catalog = catalog or CATALOG_PATH
    if not catalog.exists():
        return [f"note: {catalog} not found, catalog comparison skipped"]
    data = tomllib.loads(catalog.read_text(encoding="utf-8"))
    problems = []
    cat = {m["code"]: (tuple(m["views"]), m["depth"]) for m in data.get("muscle", [])}
    for code in sorted(set(cat) | set(MUSCLES)):
        if code not in MUSCLES:
            problems.append(f"catalog muscle {code!r} has no geometry in the generator")
        elif code not in cat:
            problems.append(f"generator muscle {code!r} is not in the catalog")
        elif (set(cat[code][0]), cat[code][1]) != (set(MUSCLES[code][0]), MUSCLES[code][1]):
            problems.append(f"{code}: catalog says {cat[code]}, generator says {MUSCLES[code]}")
    return problems


def check_lateral_placement(polys: dict[str, list[Pt]]) -> list[str]:
    """Each lateral region covers its anatomical probe point; no region hides a landmark."""
    problems = []
    for code, probe in LATERAL_PROBES.items():
        poly = polys.get(code)
        if poly is not None and not point_in_polygon(*probe, poly):
            problems.append(f"lateral: {code}-right does not cover {probe} where it belongs")
    for name in LATERAL_CLEAR:
        for code, poly in polys.items():
            if point_in_polygon(*LAT[name], poly):
                problems.append(f"lateral: {code}-right covers the {name} {LAT[name]}")
    return problems


def ellipse_points(shape: dict[str, float], n: int = 12) -> list[Pt]:
    """Sample points spread over an ellipse of referred_areas.toml (grid in its own frame)."""
    cx, cy, rx, ry = shape["cx"], shape["cy"], shape["rx"], shape["ry"]
    ca, sa = (
        math.cos(math.radians(shape.get("angle", 0.0))),
        math.sin(math.radians(shape.get("angle", 0.0))),
    )
    out = []
    for i in range(n):
        for j in range(n):
            u, w = (2 * i + 1) / n - 1, (2 * j + 1) / n - 1
            if u * u + w * w <= 1:
                x, y = u * rx, w * ry
                out.append((cx + x * ca - y * sa, cy + x * sa + y * ca))
    return out


def check_referred(
    sil_polys: dict[str, list[list[Pt]]], referred: Path | None = None
) -> tuple[list[str], str]:
    """Every referred-pain ellipse has its centre on the body (inside a silhouette path of its
    view); reports the ellipse with the least of its area on the body."""
    referred = referred or REFERRED_AREAS_PATH
    if not referred.exists():
        return [], f"referred areas: {referred.name} not found, skipped"
    data = tomllib.loads(referred.read_text(encoding="utf-8"))
    problems = []
    worst = (2.0, "")
    count = 0
    for area in data.get("area", []):
        view, tag = area.get("view", "?"), area.get("tag", "?")
        polys = sil_polys.get(view)
        if not polys:
            continue
        for k, shape in enumerate(area.get("shapes", [])):
            count += 1

            def on_body(p: Pt, polys: list[list[Pt]] = polys) -> bool:
                return any(point_in_polygon(*p, poly) for poly in polys)

            name = f"{tag} ({view}, shape {k + 1})"
            if not on_body((shape["cx"], shape["cy"])):
                problems.append(
                    f"referred area {name}: centre {shape['cx']}, {shape['cy']} is off the body"
                )
            pts = ellipse_points(shape)
            share = sum(on_body(p) for p in pts) / max(1, len(pts))
            worst = min(worst, (share, name))
    summary = (
        f"referred areas: {count} ellipses, centres on the body: {count - len(problems)}; "
        f"least on the body: {worst[1]} {worst[0]:.0%}"
    )
    return problems, summary


def check(out_dir: Path, *, catalog: Path | None = None, referred: Path | None = None) -> bool:
    """Verify the written SVGs against the conventions; print a summary. True when all pass.

    Args:
        catalog: the muscle catalog to compare with (the app's by default).
        referred: the referred-pain areas to place on the drawings (the app's by default).
    """
    errors: list[str] = []
    warnings = check_catalog(catalog)
    found: set[tuple[str, str, str]] = set()
    sil_polys: dict[str, list[list[Pt]]] = {}
    print("\nbody-map check")
    for view in ("anterior", "posterior", "lateral"):
        path = out_dir / f"{view}.svg"
        root = ET.parse(path).getroot()
        w, h = VIEWBOX[view]
        if root.get("viewBox") != f"0 0 {w} {h}":
            errors.append(f"{view}: viewBox is {root.get('viewBox')!r}, expected '0 0 {w} {h}'")
        groups = [el.get("id") for el in root if el.tag == f"{{{SVG_NS}}}g"]
        if groups != list(LAYER_ORDER):
            errors.append(f"{view}: top-level groups {groups}, expected {list(LAYER_ORDER)}")
        ids = [el.get("id", "") for el in root.iter() if el.get("id")]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            errors.append(f"{view}: duplicate ids {sorted(dupes)}")
        sil: set[tuple[int, int]] = set()
        sil_polys[view] = []
        lateral_polys: dict[str, list[Pt]] = {}
        sil_group = root.find(f"{{{SVG_NS}}}g[@id='silhouette']")
        for el in sil_group if sil_group is not None else []:
            subs, probs = parse_d(el.get("d", ""))
            errors += [f"{view} silhouette: {p}" for p in probs]
            for sp in subs:
                sil |= raster(sp)
                sil_polys[view].append(sp)
        det_group = root.find(f"{{{SVG_NS}}}g[@id='details']")
        for el in det_group if det_group is not None else []:
            bad = set(COMMAND_LETTER.findall(el.get("d", ""))) - ALLOWED_COMMANDS
            if bad:
                errors.append(f"{view} details: commands {sorted(bad)} not allowed")
        layers: dict[str, list[tuple[str, set[tuple[int, int]]]]] = {}
        n_regions = 0
        min_click = (999, "")
        max_overlap = 0
        for layer in ("superficial", "deep"):
            group = root.find(f"{{{SVG_NS}}}g[@id='muscles-{layer}']")
            for el in group if group is not None else []:
                rid, code, side = el.get("id"), el.get("data-muscle"), el.get("data-side")
                n_regions += 1
                if rid != f"{code}-{side}" or side not in ("left", "right"):
                    errors.append(
                        f"{view}: region id {rid!r} / data-muscle {code!r} / "
                        f"data-side {side!r} do not agree"
                    )
                if code not in MUSCLES:
                    errors.append(f"{view}: {rid}: unknown muscle")
                    continue
                if MUSCLES[code][1] != layer:
                    errors.append(f"{view}: {rid} is {MUSCLES[code][1]} but sits in {layer}")
                found.add((view, code, side or "?"))
                subs, probs = parse_d(el.get("d", ""))
                errors += [f"{view}: {rid}: {p}" for p in probs]
                if not subs:
                    continue
                poly = subs[0]
                if any(not (0 <= x <= w and 0 <= y <= h) for x, y in poly):
                    errors.append(f"{view}: {rid} leaves the viewBox")
                cx, _cy = centroid(poly)
                if view != "lateral":
                    want_right = (side == "right") == (view == "posterior")
                    if (cx > 250) != want_right:
                        errors.append(
                            f"{view}: {rid} centroid x={cx:.1f} is on the wrong side of the midline"
                        )
                if view == "lateral" and code:
                    lateral_polys[code] = poly
                cells = raster(poly)
                outside = len(cells - sil)
                if outside:
                    errors.append(f"{view}: {rid}: {outside} px outside the silhouette")
                layers.setdefault(layer, []).append((rid or "?", cells))
        for layer, regs in layers.items():
            for i, (rid, cells) in enumerate(regs):
                others: set[tuple[int, int]] = set()
                for j, (rid2, cells2) in enumerate(regs):
                    if j == i:
                        continue
                    common = len(cells & cells2)
                    if j > i:
                        max_overlap = max(max_overlap, common)
                    if j > i and common > 2:
                        errors.append(
                            f"{view}: {rid} and {rid2} overlap by {common} px in the {layer} layer"
                        )
                    if j > i:
                        others |= cells2
                visible = cells - others
                sq = largest_square(visible)
                if sq < min_click[0]:
                    min_click = (sq, rid)
                if sq < MIN_CLICK_VIEW.get(view, MIN_CLICK):
                    errors.append(f"{view}: {rid}: clickable interior only {sq}x{sq} px")
        details = root.find(f"{{{SVG_NS}}}g[@id='details']")
        n_details = len(details) if details is not None else 0
        print(
            f"  {view:9s} {n_regions:2d} regions, {n_details:4d} detail paths; smallest "
            f"clickable square {min_click[0]} px ({min_click[1]}); largest overlap within a "
            f"layer {max_overlap} px"
        )
        if view == "lateral":
            errors += check_lateral_placement(lateral_polys)
    expected = expected_regions()
    for view, code, side in sorted(expected - found):
        errors.append(f"missing region {code}-{side} in {view}")
    for view, code, side in sorted(found - expected):
        errors.append(f"unexpected region {code}-{side} in {view}")
    print(
        f"  expected (muscle, side, view) triples: {len(expected)}, found: {len(found & expected)}"
    )
    for wmsg in warnings:
        print(f"  catalog: {wmsg}")
    referred_errors, referred_summary = check_referred(sil_polys, referred)
    errors += referred_errors
    print(f"  {referred_summary}")
    if errors:
        print(f"  FAILED: {len(errors)} problem(s)")
        for e in errors:
            print(f"   - {e}")
        return False
    print(
        "  OK: ids unique; every expected region present; only M/L/C/Q/Z; every region one "
        "closed subpath inside the viewBox and the silhouette, on the right side of the "
        "midline; no overlaps within a layer"
    )
    return True
