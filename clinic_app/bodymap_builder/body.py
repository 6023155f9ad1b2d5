"""The full-body outline (front and back views share it) and the hand in its own frame."""

from __future__ import annotations

import math

from clinic_app.bodymap_builder.curves import Curve, Pt, closed_nodes

# Geometry tables stay in their hand-aligned layout (coordinates read as rows of points).
# fmt: off

# The right half of the figure as seen (x > 250), from the vertex clockwise to the crotch; the
# left half is its mirror image. Third value 1 = a sharp corner (ear roots, armpit, crotch,
# finger clefts). Landmark heights from anatomy-landmarks.md, e.g. chin y = Y(0.13) = 145,
# acromion Y(0.18) = 193, elbow Y(0.37) = 375, wrist Y(0.52) = 519, knee Y(0.73) = 721.
HEAD_NECK = [
    (250, 20), (270, 22.5), (284, 31), (291.5, 44), (294, 60), (293.6, 73),
    (293, 79, 1),                                                  # ear: top of the helix root
    (297.5, 78), (301.2, 82), (302.6, 90), (301.2, 99), (298, 106), (294.5, 110.5),
    (291, 112.5, 1),                                               # ear lobe root
    (289.2, 118.5), (287.3, 125),
    (285.5, 130, 1),                                               # jaw angle meets the neck
    (283.2, 141), (283.6, 150),
    (288, 158), (298, 166), (314, 173), (332, 179), (348, 184.2),  # trapezius ridge
    (360, 188.4), (369.5, 194), (376.4, 204), (380.2, 218),        # shoulder cap (deltoid)
    (382, 236), (382.4, 258), (383, 285), (385.5, 318), (389, 350), (392, 372),
    (396, 393), (399.2, 420), (401.6, 455), (403.4, 488),
]
ARM_INNER = [
    (375.2, 496), (370.5, 472), (364.5, 446), (357.6, 420), (350.8, 398), (346.4, 377),
    (343.2, 350), (340.4, 315), (338.8, 284), (338.2, 258),
    (337.4, 244, 1),                                               # armpit
]
TORSO_LEG = [
    (336, 258), (335.5, 280), (334, 305), (331, 335), (327.6, 362), (326.6, 385),
    (328.6, 405), (333, 425), (339, 448), (344, 468), (346.2, 486), (346, 510), (345, 535),
    (343.2, 570), (340.4, 610), (335.5, 650), (330, 685), (326, 706), (324.6, 724),
    (326.6, 745), (330.6, 768), (331, 790), (327.6, 822), (321.6, 860), (316.6, 898),
    (314.2, 924),
]
FOOT_FRONT = [
    (316.8, 936), (317.3, 945), (320.4, 955), (325, 963), (328.4, 969.5), (328.6, 973.6),
    (326.4, 976.4), (323.6, 975.6, 1), (320.6, 978.6), (317.2, 977.6, 1), (313.3, 980),
    (309.2, 979.2, 1), (305, 981.1), (300, 980.3, 1), (294, 981.6), (286.5, 982),
    (280.6, 980.4), (277, 975.4), (275.2, 966), (273.4, 955), (271.8, 944),
]
FOOT_BACK = [
    (316.8, 936), (317.4, 946), (318.4, 958), (317.4, 968), (312.8, 976), (303.5, 980.4),
    (292, 981), (282, 979), (275.8, 972), (272.8, 961), (271.8, 944),
]
LEG_INNER = [
    (271, 930), (271.6, 905), (268.6, 870), (264.6, 832), (261.6, 797), (262, 767),
    (265.6, 744), (267, 724), (265.2, 702), (261.6, 665), (257.6, 620), (254.6, 580),
    (252.3, 552),
    (250, 534, 1),                                                 # crotch
]


def _hand_nodes() -> list[tuple[float, ...]]:
    """The hand in its own frame: a = across the hand (+ = thumb side, lateral because the palm
    faces forward), b = down the hand from the wrist. Finger clefts are corners."""
    nodes: list[tuple[float, ...]] = [
        (14.5, 0), (17.5, 9), (22.5, 19), (27.6, 31), (31.2, 42.5), (32.8, 51.5), (31.4, 57.6),
        (27.8, 59.4), (24.6, 55), (22.2, 47.5), (20.4, 41, 1),      # thumb and its web
        (19.8, 50), (20, 63),
    ]
    fingers = [(14.9, 89.5, 4.7), (5.2, 97.5, 4.8), (-4.4, 94.5, 4.7), (-13.8, 84.5, 4.5)]
    clefts = [(10.1, 80.5), (0.45, 83.5), (-9.1, 78)]
    for k, (c, tip, w) in enumerate(fingers):
        if k:
            nodes.append((*clefts[k - 1], 1))
            nodes.append((c + w * 0.98, clefts[k - 1][1] + 4))
        else:
            nodes.append((c + w, tip - w - 9))
        nodes += [(c + w * 0.93, tip - w * 0.9), (c + w * 0.55, tip - w * 0.18), (c, tip),
                  (c - w * 0.55, tip - w * 0.18), (c - w * 0.93, tip - w * 0.9)]
        if k < 3:
            nodes.append((c - w * 0.98, clefts[k][1] + 4))
    nodes += [(-18.6, 72), (-19.8, 60), (-19.4, 45), (-18, 28), (-16, 12), (-14.5, 0)]
    return nodes


HAND = _hand_nodes()
WRIST = (390.0, 515.0)
HAND_TIP = (398.0, 612.0)


def hand_frame() -> tuple[Pt, Pt]:
    dx, dy = HAND_TIP[0] - WRIST[0], HAND_TIP[1] - WRIST[1]
    length = math.hypot(dx, dy)
    d = (dx / length, dy / length)
    u = (d[1], -d[0])
    return u, d


def hand_pt(a: float, b: float) -> Pt:
    u, d = hand_frame()
    return (WRIST[0] + a * u[0] + b * d[0], WRIST[1] + a * u[1] + b * d[1])


def body_outline(view: str) -> Curve:
    hand = [(*hand_pt(n[0], n[1]), *n[2:]) for n in HAND]
    foot = FOOT_FRONT if view == "anterior" else FOOT_BACK
    right = [*HEAD_NECK, *hand, *ARM_INNER, *TORSO_LEG, *foot, *LEG_INNER]
    left = [(500 - n[0], n[1], *n[2:]) for n in reversed(right[1:-1])]
    return closed_nodes(right + left)

# fmt: on
