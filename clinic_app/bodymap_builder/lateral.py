"""The right lateral view of head, neck and shoulder: regions and details."""

from __future__ import annotations

import math

from clinic_app.bodymap_builder.curves import Curve, E, Edge, Pt, Seg, closed_nodes, open_path, ring
from clinic_app.bodymap_builder.muscles import MUSCLES
from clinic_app.bodymap_builder.views import (
    FAINT_STYLE,
    FIBRE_STYLE,
    HAIR_STYLE,
    Fib,
    Region,
    View,
    fibres,
)

# Geometry tables stay in their hand-aligned layout (coordinates read as rows of points).
# fmt: off

# Right lateral head, neck and top of the shoulder, face to the viewer's right, 1600 px per
# stature (1.67x the full-body scale): y = 30 + 1600 f. Head height vertex -> chin 0.13 (y 30 ->
# 243), split in the classical thirds below the hairline (hairline 62, brow 114, nose base 178,
# chin 243); the eyes sit half-way down the head (0.06 -> 126..131), the ear between brow and nose
# base, its front at the middle of the skull's depth (glabella 292 -> occiput 113: 0.86 of the head
# height). C7 (0.14) is on the back contour at y 262, the suprasternal notch and the acromion (0.18)
# at y 318 / 312. The neck is about 0.55 of the head's depth front to back and leans forward.
LAT: dict[str, Pt] = {
    "vertex": (196.0, 30.0),
    "glabella": (291.5, 112.0),
    "nasion": (288.6, 123.0),
    "eye": (273.5, 130.5),
    "nose_tip": (310.0, 168.0),
    "subnasale": (294.5, 178.5),
    "stomion": (292.0, 197.6),
    "pogonion": (293.2, 231.0),
    "menton": (282.0, 243.0),
    "throat": (246.5, 256.5),        # cervicomental angle: under the chin meets the neck
    "notch": (259.5, 318.0),         # suprasternal notch
    "occiput": (113.5, 138.0),       # most posterior point of the skull
    "inion": (131.5, 188.5),         # skull base at the back: the occipital curve ends here
    "nape": (144.4, 219.0),          # deepest point of the nape's hollow
    "c7": (137.0, 261.0),
    "ear": (189.0, 146.0),           # centre of the auricle (x 173..207, y 115..178)
    "tragus": (207.5, 152.0),
    "mastoid": (177.0, 188.0),
    "tmj": (211.0, 154.0),
    "gonion": (215.0, 225.0),        # angle of the jaw
    "acromion": (190.0, 312.5),
    "sc_joint": (254.0, 320.0),
}

LATERAL_HEAD = [
    (196, 30), (226, 32.5), (252, 42), (271, 58), (283, 78), (289.5, 97), (291.5, 112),
    (288.6, 123),                                                  # nasion
    (291.2, 134), (297.6, 148), (305, 160), (310, 168), (308.4, 173.6), (301.6, 177.4),
    (294.5, 178.5, 1),                                             # subnasale
    (295.4, 184), (297.4, 191), (294.8, 196),
    (292, 197.6, 1),                                               # lips meet
    (294.8, 201.2), (295.2, 206), (292, 211.5), (289, 216), (291.8, 223.5), (293.2, 231),
    (289.8, 238.6), (282, 243), (270, 246.6), (256, 250.6), (246.5, 256.5), (243.9, 263.5),
    (245.2, 272), (247.6, 282), (250.6, 294), (254.6, 306), (259.5, 318), (267.8, 335),
    (277.2, 354), (284.6, 375),
    (288.5, 398, 1), (98.5, 398, 1),                                 # cut across the chest
    (99.6, 372), (103, 346), (109.5, 321), (119, 298), (129.5, 279), (137, 261),
    (142.2, 240), (144.4, 219), (142, 201), (131.5, 188.5), (123, 175.5), (116.6, 158),
    (113.5, 138), (114.2, 117), (119.5, 95), (129.5, 73.5), (145, 53), (167, 37.5),
]
# Where the shoulder's outline leaves the back of the neck (at C7): the trapezius slope runs from
# here down to the acromion, then the deltoid's cap curves down the front of the arm, which
# narrows below the cap.
LATERAL_SLOPE_START: Pt = (137.0, 261.0)
LATERAL_DELTOID_FRONT = [(205.0, 317.0), (221.0, 322.5), (235.0, 331.0), (244.0, 344.0),
                         (247.0, 359.0), (244.5, 376.0), (238.5, 389.5), (234.0, 398.0)]
LATERAL_DELTOID_BACK = [(150.0, 325.2), (139.0, 337.0), (133.6, 352.0), (134.6, 370.0),
                        (139.4, 386.0), (143.0, 398.0)]


def node_segs(curve: Curve, a: Pt, b: Pt) -> list[Seg]:
    """The segments of a closed curve from its node at ``a`` forward to its node at ``b``."""
    nodes = [curve.start] + [s.p for s in curve.segs]
    i = next(k for k in range(len(curve.segs)) if math.dist(nodes[k], a) < 1e-6)
    out: list[Seg] = []
    while True:
        seg = curve.segs[i % len(curve.segs)]
        out.append(seg)
        if math.dist(seg.p, b) < 1e-6:
            return out
        i += 1


def lateral_shoulder(head: Curve, e_trap3: Edge) -> Curve:
    """The shoulder in front of the trunk: trapezius slope, acromion, deltoid, upper back. Its
    back edge is the trunk's own outline (the same Bézier segments), so no second line shows;
    from the neck to the clavicle it follows the trapezius' anterior border (``e_trap3``)."""
    slope = E(LATERAL_SLOPE_START, (156.0, 270.0), e_trap3.a, post=e_trap3.pts[1])
    front = E(e_trap3.b, *LATERAL_DELTOID_FRONT, pre=e_trap3.pts[-2])
    segs = [*slope.segs(), *e_trap3.segs(), *front.segs(),
            Seg((98.5, 398.0)), *node_segs(head, (98.5, 398.0), LATERAL_SLOPE_START)]
    return Curve(LATERAL_SLOPE_START, segs)


def build_lateral() -> View:
    v = View("lateral")
    head = closed_nodes(LATERAL_HEAD)

    # --- temporalis: fan over the temporal fossa above the ear, from the superior temporal line
    # to the zygomatic arch (its tendon runs under the arch to the coronoid process)
    t_front, t_back = (257.0, 139.0), (146.0, 119.0)
    temp = ring(E(t_front, (261.5, 124.0), (262.4, 108.0), (257.0, 92.0), (246.0, 78.5),
                  (229.0, 68.5), (207.0, 64.0), (185.0, 65.5), (165.0, 72.5), (150.5, 85.0),
                  (143.5, 101.0), t_back),
                E(t_back, (160.0, 113.5), (176.0, 109.0), (192.0, 107.8), (204.0, 111.5),
                  (210.0, 121.0), (212.0, 134.0), (213.5, 144.5), post=(232.0, 142.5)),
                E((213.5, 144.5), (232.0, 142.5), (250.0, 140.6), t_front, pre=(212.0, 134.0)))
    # --- masseter: zygomatic arch -> angle and outer ramus of the mandible
    mass = closed_nodes([(219.0, 153.0, 1), (236.0, 151.4), (254.5, 149.6, 1), (255.8, 168.0),
                         (253.2, 192.0), (249.4, 214.0), (246.2, 233.4, 1), (236.0, 231.6),
                         (227.0, 228.8), (221.2, 224.8), (218.4, 216.0), (217.2, 195.0),
                         (216.8, 175.0), (217.4, 162.0)])

    # --- sternocleidomastoid: mastoid -> manubrium and medial clavicle, a diagonal band
    scm_tb, scm_bb = (167.5, 193.0), (230.5, 317.5)        # back corners: mastoid, clavicle
    p1, p2 = (185.5, 227.0), (205.5, 266.5)                # where the triangle's borders meet it
    e_scm_post1 = E(scm_tb, (175.0, 209.0), p1, post=(196.0, 247.0))
    e_scm_post2 = E(p1, (196.0, 247.0), p2, pre=(175.0, 209.0), post=(218.0, 292.0))
    e_scm_post3 = E(p2, (218.0, 292.0), scm_bb, pre=(196.0, 247.0))
    scm = ring(E(scm_tb, (177.0, 185.8), (187.0, 184.0), (194.5, 187.5)),
               E((194.5, 187.5), (204.0, 205.0), (215.5, 229.0), (229.0, 257.0),
                 (240.5, 283.0), (247.6, 302.0), (253.0, 316.0)),
               E((253.0, 316.0), (242.0, 318.0), scm_bb),
               e_scm_post3.rev(), e_scm_post2.rev(), e_scm_post1.rev())

    # --- the posterior triangle behind it: trapezius border behind, clavicle below
    trap_top, trap_end = (150.5, 194.0), (193.5, 313.4)
    q1, q2 = (158.6, 246.0), (174.8, 285.0)
    e_trap1 = E(trap_top, (153.5, 218.0), q1, post=(166.0, 266.0))
    e_trap2 = E(q1, (166.0, 266.0), q2, pre=(153.5, 218.0), post=(184.0, 300.0))
    e_trap3 = E(q2, (184.0, 300.0), trap_end, pre=(166.0, 266.0))
    e_l1 = E(p1, (171.0, 234.5), q1)
    e_l2 = E(p2, (189.0, 273.5), q2)
    spl = ring(E(trap_top, (159.0, 192.2), scm_tb), e_scm_post1, e_l1, e_trap1.rev())
    lev = ring(e_l1.rev(), e_scm_post2, e_l2, e_trap2.rev())
    sca = ring(e_l2.rev(), e_scm_post3, E(scm_bb, (212.0, 316.2), trap_end), e_trap3.rev())

    f: dict[str, list[Fib]] = {
        # temporalis fibres converge on the coronoid process under the arch
        "temporalis": [([(146, 116), (143, 100), (150, 84), (165, 71), (185, 64), (207, 62),
                         (229, 67), (247, 77), (258, 91), (263, 107), (261, 124)],
                        [(233, 170), (242, 168)], 15, None)],
        "masseter": [([(254, 149), (219, 152)], [(248, 236), (219, 225)], 7, None)],
        "sternocleidomastoid": [([(166, 190), (195, 185)], [(229, 320), (254, 318)], 6, None)],
        # splenius: up and forward from the nuchal ligament to the mastoid
        "splenius_capitis": [([(136, 222), (147, 262)], [(163, 186), (186, 200)], 6, None)],
        # levator scapulae: down and back from the upper cervical transverse processes
        "levator_scapulae": [([(178, 214), (205, 254)], [(146, 252), (166, 296)], 5, None)],
        "scalenes": [([(190, 252), (213, 268)], [(189, 320), (236, 320)], 7, None)],
    }
    for code, shape in (("temporalis", temp), ("masseter", mass),
                        ("sternocleidomastoid", scm), ("scalenes", sca),
                        ("splenius_capitis", spl), ("levator_scapulae", lev)):
        v.regions.append(Region(code, "right", MUSCLES[code][1], shape))
        for a, b, n, ctrl in f.get(code, ()):
            for fib in fibres(shape, a, b, n, ctrl):
                v.line(fib, style=FIBRE_STYLE)
    v.silhouette += [head, lateral_shoulder(head, e_trap3)]
    details_lateral(v, e_trap1, e_trap2)
    return v


def details_lateral(v: View, *trap_border: Edge) -> None:
    fa = FAINT_STYLE
    # ear: helix, antihelix, concha, tragus and antitragus, lobe
    v.line(open_path([(205.0, 126.5), (199.5, 118.8), (189.5, 115.4), (180.0, 118.6),
                      (174.4, 127.5), (173.2, 141.0), (175.0, 155.0), (179.4, 166.5),
                      (185.0, 175.4), (191.6, 178.0), (196.6, 173.6), (198.2, 165.5)]))
    v.line(open_path([(198.0, 123.5), (189.5, 121.0), (181.5, 124.5), (179.4, 135.0),
                      (180.6, 148.0), (185.0, 158.5), (191.0, 163.5)]))
    v.line(open_path([(183.0, 129.5), (190.0, 131.5), (197.0, 135.0)]), style=fa)
    v.line(open_path([(199.6, 140.5), (191.5, 138.6), (186.8, 145.0), (188.6, 153.5),
                      (196.0, 158.0)]), style=fa)
    v.line(open_path([(204.0, 146.5), (207.6, 152.0), (205.0, 158.0)]))
    v.line(open_path([(197.8, 160.0), (199.6, 164.0), (197.4, 167.6)]), style=fa)
    # eye (lids, iris, lid crease), brow
    v.line(open_path([(264.6, 130.0), (270.0, 126.8), (276.6, 126.0), (282.4, 129.0)]))
    v.line(open_path([(265.4, 131.2), (271.6, 133.8), (278.0, 134.2), (282.4, 131.2)]))
    v.line(open_path([(278.8, 127.0), (281.2, 130.4), (279.0, 133.8)]), style=fa)
    v.line(open_path([(266.2, 125.4), (273.0, 122.4), (280.4, 123.4)]), style=fa)
    v.line(open_path([(259.0, 117.6), (268.0, 113.6), (278.0, 113.2), (286.4, 116.0)]))
    # nose wing, nasolabial fold, mouth corner, chin crease
    v.line(open_path([(293.0, 165.0), (288.0, 169.8), (290.2, 175.4), (297.4, 176.4)]))
    v.line(open_path([(288.0, 178.6), (283.4, 188.0), (281.6, 199.5)]), style=fa)
    v.line(open_path([(292.0, 197.6), (286.0, 198.6), (281.6, 197.0)]))
    v.line(open_path([(287.0, 216.5), (283.0, 218.0)]), style=fa)
    # skull and jaw: zygomatic arch, mandible (ramus, angle, lower border), temporal line
    v.line(open_path([(206.0, 148.8), (230.0, 147.0), (250.0, 145.2), (262.0, 140.0)]),
           style=fa)
    v.line(open_path([(210.0, 157.0), (212.6, 180.0), (213.6, 205.0), (214.2, 218.0),
                      (217.5, 226.0), (228.0, 232.0), (246.0, 237.6), (264.0, 242.0),
                      (280.0, 244.6)]), style=fa)
    v.line(open_path([(262.0, 112.0), (264.4, 124.0), (262.0, 138.0)]), style=fa)
    # hair: front hairline and sideburn, the hair mass over the crown and the occiput
    v.line(open_path([(279.0, 64.0), (270.0, 77.0), (265.0, 95.0), (264.0, 106.0)]),
           style=fa)
    v.line(open_path([(213.0, 138.0), (210.0, 124.0), (206.0, 113.0)]), style=fa)
    v.line(open_path([(168.0, 122.0), (160.0, 140.0), (153.0, 160.0), (146.0, 178.0),
                      (139.0, 190.0)]), style=fa)
    for strand in ([(268.0, 56.0), (246.0, 44.0), (216.0, 38.0), (186.0, 39.0)],
                   [(150.0, 54.0), (133.0, 76.0), (123.0, 100.0), (119.0, 124.0)],
                   [(139.0, 92.0), (130.0, 118.0), (127.0, 146.0), (130.0, 170.0)]):
        v.line(open_path(strand), style=HAIR_STYLE)
    # neck: thyroid cartilage, the trapezius' anterior border above the shoulder's outline
    # (shared with splenius capitis), the skull base behind the triangle
    v.line(open_path([(244.6, 268.0), (241.0, 275.0), (242.5, 283.0)]), style=fa)
    for e in trap_border:
        v.line(Curve(e.a, e.segs(), closed=False))
    v.line(open_path([(132.0, 189.5), (142.0, 192.0), (150.5, 194.0)]), style=fa)
    # shoulder: clavicle (upper and lower border) from the sternoclavicular joint to the
    # acromion, the spine of the scapula behind it, the deltoid's back border, pectoralis major in
    # front of the arm
    v.line(open_path([(255.0, 318.8), (240.0, 317.8), (220.0, 316.2), (203.0, 313.6),
                      (193.5, 313.4)]))
    v.line(open_path([(255.5, 323.6), (240.0, 322.8), (222.0, 321.6), (206.0, 318.6),
                      (197.0, 316.2)]), style=fa)
    spine = [(193.5, 313.4), (176.0, 317.0), (156.0, 323.5), (134.0, 333.0), (112.5, 342.0)]
    v.line(open_path(spine), style=fa)
    v.line(open_path(LATERAL_DELTOID_BACK))
    # non-clickable muscles for context. Trapezius: occiput and nuchal ligament -> lateral
    # clavicle, acromion and scapular spine; its fibres converge on the acromion, drawn in the
    # band behind the triangle and in the shoulder below the slope line.
    back = [(136.0, 194.0), (142.0, 220.0), (140.0, 244.0), (133.0, 268.0), (121.0, 294.0),
            (110.0, 328.0)]
    insertion = [(184.0, 300.0), (193.5, 313.4), (176.0, 317.0), (156.0, 323.5),
                 (134.0, 333.0), (113.0, 341.5)]
    trap_neck = closed_nodes([(131.5, 189.0, 1), (150.5, 194.0, 1), (153.5, 218.0),
                              (158.6, 246.0), (166.0, 266.0), (174.8, 285.0, 1),
                              (156.0, 270.0), (137.0, 261.0, 1), (142.2, 240.0), (144.4, 219.0),
                              (142.0, 201.0)])
    trap_back = closed_nodes([(137.0, 261.0, 1), (156.0, 270.0), (174.8, 285.0), (184.0, 300.0),
                              (193.5, 313.4, 1), *spine[1:-1], (*spine[-1], 1), (109.5, 321.0),
                              (119.0, 298.0), (129.5, 279.0)])
    for region in (trap_neck, trap_back):
        for fib in fibres(region, back, insertion, 10, None, 2.0):
            v.line(fib, style=HAIR_STYLE)
    # deltoid: clavicle, acromion and scapular spine -> its tuberosity below the cut
    delt = closed_nodes([(193.5, 313.4, 1), *LATERAL_DELTOID_FRONT[:-1],
                         (*LATERAL_DELTOID_FRONT[-1], 1), (*LATERAL_DELTOID_BACK[-1], 1),
                         *reversed(LATERAL_DELTOID_BACK[:-1]), (176.0, 317.0)])
    for fib in fibres(delt, [(148.0, 326.0), (172.0, 317.5), (193.0, 314.0), (213.0, 319.0),
                             (232.0, 329.0), (244.0, 343.0)],
                      [(186.0, 470.0), (192.0, 470.0)], 9, None, 2.5):
        v.line(fib, style=HAIR_STYLE)

# fmt: on
