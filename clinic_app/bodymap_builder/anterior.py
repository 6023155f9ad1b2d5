"""The anterior (front) view: regions, fibres and details."""

from __future__ import annotations

import math
from collections.abc import Sequence

from clinic_app.bodymap_builder.body import body_outline
from clinic_app.bodymap_builder.curves import E, Pt, closed_nodes, closed_smooth, ring
from clinic_app.bodymap_builder.details import details_anterior
from clinic_app.bodymap_builder.polygons import Outline
from clinic_app.bodymap_builder.views import Fib, View, add_pair

# Geometry tables stay in their hand-aligned layout (coordinates read as rows of points).
# fmt: off


def _serratus_nodes(skin: Sequence[Pt]) -> list[tuple[float, ...]]:
    """Serratus anterior: the skin side, then the slips (digitations) pointing forward and
    down, one per rib, from the lowest back up to the armpit. Clefts are corners."""
    tips = [(310.0, 285.0), (307.5, 298.5), (307.5, 312.0), (309.5, 325.5), (314.0, 337.5)]
    dx, dy = -1.0, 0.45                      # a slip points medially and a little down
    length = math.hypot(dx, dy)
    d = (dx / length, dy / length)
    up = (-abs(d[1]), -abs(d[0]))            # across the slip, towards the armpit
    h = 4.3
    nodes: list[tuple[float, ...]] = [(*skin[0], 1), *skin[1:-1], (*skin[-1], 1)]
    tail: list[tuple[float, ...]] = []
    for k, (tx, ty) in enumerate(tips):
        def at(along: float, across: float, tx: float = tx, ty: float = ty) -> Pt:
            return (tx + d[0] * along + up[0] * across, ty + d[1] * along + up[1] * across)

        slip = [at(-9.0, h), at(-2.4, h * 0.92), at(0.0, h * 0.35), at(0.3, -h * 0.3),
                at(-2.0, -h * 0.95), at(-9.0, -h)]
        if k:
            prev = tail[-1]
            cleft = ((prev[0] + slip[0][0]) / 2 + 3.2, (prev[1] + slip[0][1]) / 2)
            tail.append((*cleft, 1))
        tail += slip
    tail.insert(0, (skin[0][0] - 12.0, skin[0][1] + 11.0))
    return nodes + list(reversed(tail))


def build_anterior() -> View:
    v = View("anterior")
    body = body_outline("anterior")
    v.silhouette.append(body)
    sk = Outline(body)
    side = "left"  # anterior view: the viewer's right is the patient's LEFT

    # --- sternocleidomastoid: mastoid (behind the ear lobe) -> manubrium and medial clavicle
    scm_tm, scm_tl = (268.5, 143.0), (282.0, 136.0)
    scm_bl, scm_bm = (278.0, 189.0), (254.0, 190.0)
    scm_mid = (281.6, 147.0)
    e_scm_lat2 = E(scm_mid, (280.6, 165.0), scm_bl, pre=scm_tl)
    scm = ring(E(scm_tm, (276.0, 140.0), scm_tl),
               E(scm_tl, scm_mid, post=(280.6, 165.0)), e_scm_lat2,
               E(scm_bl, (266.0, 191.6), scm_bm),
               E(scm_bm, (256.0, 174.0), (261.0, 158.0), scm_tm))
    # --- scalenes: posterior triangle above the clavicle, lateral to the SCM
    sca = ring(e_scm_lat2, E(scm_bl, (292.0, 188.0), (306.0, 186.4), (318.0, 184.4)),
               E((318.0, 184.4), (305.0, 176.5), (294.0, 168.0), (286.0, 157.5), scm_mid))

    # --- deltoid and pectoralis major, meeting at the deltopectoral groove
    clav_l = (326.0, 188.0)                 # lateral third of the clavicle begins
    j_a = sk.at((362.0, 189.6))
    d_end = sk.at((382.4, 266.0))
    td = (378.2, 277.0)
    dpg = (350.0, 224.0)
    e_dpg1 = E(td, (369.0, 262.0), (359.0, 243.0), dpg, post=(340.0, 205.0))
    e_dpg2 = E(dpg, (340.0, 205.0), (331.0, 193.5), clav_l, pre=(359.0, 243.0))
    delt = ring(E(clav_l, (342.0, 189.2), (354.0, 191.0), j_a), sk.edge(j_a, d_end),
                E(d_end, td), e_dpg1, e_dpg2)
    ax = (334.6, 239.0)
    pec = ring(E((256.0, 193.0), (272.0, 193.6), (292.0, 192.2), (310.0, 190.2), clav_l),
               e_dpg2.rev(), E(dpg, (349.0, 230.0), (342.0, 234.5), ax),
               E(ax, (329.0, 254.0), (318.0, 270.0), (303.0, 284.0), (286.0, 293.5),
                 (270.0, 296.8), (256.0, 295.0)),
               E((256.0, 295.0), (256.0, 193.0)))

    # --- serratus anterior: digitations on the side of the chest below the armpit
    sa_top, sa_bot = sk.at((336.0, 263.0)), sk.at((330.6, 340.0))
    serr = closed_nodes(_serratus_nodes(sk.edge(sa_top, sa_bot).pts))

    # --- hip and thigh
    tfl = closed_nodes([(322.0, 457.5, 1), (330.0, 459.0), (337.0, 470.0), (340.0, 490.0),
                        (340.2, 512.0), (338.8, 531.0), (336.0, 540.0, 1), (332.5, 530.0),
                        (327.5, 510.0), (321.5, 488.0), (318.2, 470.0)])
    va_top, va_bot = sk.at((344.5, 549.0), 2.0), sk.at((325.6, 704.0), 2.0)
    vl = ring(sk.edge(va_top, va_bot, 2.0),
              E(va_bot, (317.0, 714.5), (310.0, 716.0)),
              E((310.0, 716.0), (307.0, 695.0), (308.0, 660.0), (312.0, 620.0), (318.5, 585.0),
                (327.0, 561.0), (335.0, 550.5), va_top))
    ta = closed_nodes([(296.0, 750.0, 1), (305.0, 745.8), (314.0, 751.0), (317.4, 770.0),
                       (316.0, 800.0), (311.6, 840.0), (305.6, 875.0), (300.0, 899.0),
                       (296.6, 904.0, 1), (294.6, 895.0), (295.0, 860.0), (296.0, 820.0),
                       (296.0, 780.0)])
    # --- deep: iliopsoas in the groin, below the inguinal ligament
    ilio = closed_smooth([(314.5, 464.5), (303.0, 471.5), (293.0, 479.5), (287.5, 487.0),
                          (287.5, 498.0), (291.0, 513.0), (296.0, 527.0), (301.5, 529.0),
                          (305.5, 517.0), (310.0, 498.0), (314.0, 480.0)])

    f: dict[str, list[Fib]] = {
        "sternocleidomastoid": [([(268, 142), (284, 135)], [(253, 192), (280, 191)], 5, None)],
        "scalenes": [([(279, 143), (287, 150)], [(279, 190), (319, 186)], 6, None)],
        "deltoid": [([(325, 188), (345, 189), (362, 190), (379, 205)], [(377, 278), (379, 279)],
                     10, None)],
        "pectoralis_major": [([(327, 187), (290, 192), (255, 193), (255, 260), (262, 297),
                               (285, 295)], [(352, 220), (346, 233), (339, 240)], 16, None)],
        "serratus_anterior": [([(306, 287), (307, 335)], [(338, 262), (334, 318)], 7, None)],
        "tensor_fasciae_latae": [([(319, 457), (333, 458)], [(335, 542), (340, 542)], 4, None)],
        "vastus_lateralis": [([(344, 548), (336, 640), (327, 700)],
                              [(322, 585), (308, 660), (306, 720)], 9, None)],
        "tibialis_anterior": [([(297, 748), (315, 748)], [(296, 906), (300, 906)], 4, None)],
    }
    for code, shape in (("sternocleidomastoid", scm), ("scalenes", sca), ("deltoid", delt),
                        ("pectoralis_major", pec), ("serratus_anterior", serr),
                        ("tensor_fasciae_latae", tfl), ("vastus_lateralis", vl),
                        ("tibialis_anterior", ta), ("iliopsoas", ilio)):
        add_pair(v, code, shape, side, f.get(code, ()))
    details_anterior(v)
    return v

# fmt: on
