"""The body-map drawings' generator: ``resources/anatomy/bodymap/*.svg`` from control points.

A developer tool, not part of the running app: nothing in ``clinic_app`` imports this package,
and it imports only the standard library and :mod:`clinic_app.domain` (import-linter holds both).

Usage::

    python -m clinic_app.bodymap_builder            # write the three SVGs, then verify them
    python -m clinic_app.bodymap_builder --check    # only verify the files already on disk
    make bodymap                                    # the same as the first line

(``python scripts/build_bodymap.py`` still works.) Every shape is a list of control points;
smooth outlines come from centripetal Catmull-Rom splines converted to cubic Béziers
(:mod:`.curves`), and the patient's other side is the mirror image across x = 250. The
conventions the app relies on (ids, layers, path commands, laterality) are written down in
``resources/anatomy/bodymap/README.md``; :mod:`.checks` enforces them, reading the files with
the app's own path parser (:mod:`clinic_app.domain.svgpath`). Proportions follow
``anatomy-landmarks.md``: on the full-body views a stature fraction ``f`` is ``y = 20 + 960 f``
and a half-width ``f`` is ``960 f`` px from the midline.

Modules: :mod:`.muscles` (the muscle table, view sizes), :mod:`.curves` and :mod:`.polygons`
(the geometry library), :mod:`.views` (a view being built, preview styles, fibre hatching),
:mod:`.body` (the full-body outline), :mod:`.posterior`, :mod:`.anterior`, :mod:`.lateral`
and :mod:`.details` (the control points), :mod:`.svg` (the writer), :mod:`.checks`,
:mod:`.cli`.
"""

from pathlib import Path

#: The checkout's ``resources/`` folder. The builder is a developer tool that rewrites the
#: committed figures, so it works on the checkout's files, never on an installed copy (the
#: wheel leaves this package out).
CHECKOUT_RESOURCES = Path(__file__).resolve().parents[2] / "resources"
BODYMAP_DIR = CHECKOUT_RESOURCES / "anatomy" / "bodymap"
CATALOG_PATH = CHECKOUT_RESOURCES / "anatomy" / "muscles.toml"
REFERRED_AREAS_PATH = BODYMAP_DIR / "referred_areas.toml"
