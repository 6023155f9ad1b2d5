"""Detail lines of the full-body views: spine, ribs, creases, hands and feet."""

from __future__ import annotations

from clinic_app.bodymap_builder.body import hand_pt
from clinic_app.bodymap_builder.curves import Curve, ellipse, open_path, open_segs
from clinic_app.bodymap_builder.views import FAINT_STYLE, HAIR_STYLE, View

# Geometry tables stay in their hand-aligned layout (coordinates read as rows of points).
# fmt: off

VERTEBRAE = {  # spinous processes, posterior view (y px), interpolated from anatomy-landmarks.md
    "C5": 131.0, "C6": 142.0, "C7": 154.4, "T1": 178.0, "T2": 202.4, "T3": 221.6, "T4": 240.8,
    "T5": 260.0, "T6": 279.2, "T7": 298.4, "T8": 310.0, "T9": 321.5, "T10": 333.0, "T11": 344.5,
    "T12": 356.0, "L1": 368.5, "L2": 382.0, "L3": 396.0, "L4": 413.6, "L5": 428.0,
}


def hand_details(v: View) -> None:
    """Finger clefts and knuckle / palm creases (both views show the same outline)."""
    for a, b in ((10.1, 80.5), (0.45, 83.5), (-9.1, 78.0)):
        v.line(open_path([hand_pt(a, b), hand_pt(a + 0.2, b - 9.0)]), style=FAINT_STYLE,
               mirror=True)
    v.line(open_path([hand_pt(20.0, 41.0), hand_pt(12.0, 45.0), hand_pt(4.0, 44.5)]),
           style=FAINT_STYLE, mirror=True)
    v.line(open_path([hand_pt(18.5, 12.0), hand_pt(14.0, 24.0), hand_pt(13.0, 36.0),
                      hand_pt(17.0, 44.0)]), style=FAINT_STYLE, mirror=True)
    v.line(open_path([hand_pt(-2.0, 58.0), hand_pt(-10.0, 60.0), hand_pt(-18.5, 61.0)]),
           style=FAINT_STYLE, mirror=True)


def details_posterior(v: View) -> None:
    fa = FAINT_STYLE
    # head: back of the ears, skull base
    v.line(open_path([(296.0, 81.0), (299.0, 88.0), (299.4, 97.0), (296.4, 105.0)]), mirror=True)
    v.line(open_path([(250.0, 103.0), (264.0, 104.5), (279.0, 108.5), (290.0, 112.0)]),
           style=fa, mirror=True)
    v.line(open_path([(292.0, 74.0), (291.0, 66.0), (287.0, 52.0), (278.0, 38.0), (264.0, 30.0),
                      (250.0, 28.0)]), style=fa, mirror=True)          # hair mass
    for strand in ([(252.0, 30.0), (256.0, 52.0), (258.0, 76.0), (257.0, 96.0)],
                   [(262.0, 31.0), (270.0, 55.0), (274.0, 80.0), (274.0, 99.0)],
                   [(273.0, 36.0), (283.0, 60.0), (287.0, 82.0)]):
        v.line(open_path(strand), style=HAIR_STYLE, mirror=True)
    # spine: spinous processes C5-L5, sacrum, coccyx, natal cleft
    for y in VERTEBRAE.values():
        v.line(ellipse(250.0, y, 2.1, 2.7))
    v.line(open_path([(250.0, 160.0), (250.0, 440.0)]), style=fa)
    v.line(open_path([(272.5, 440.0), (274.0, 452.0), (268.0, 472.0), (260.0, 490.0),
                      (253.0, 503.0), (250.0, 507.0)]), mirror=True)
    v.line(open_path([(228.0, 440.0), (250.0, 436.0), (272.5, 440.0)]), style=fa)
    v.line(ellipse(278.0, 456.0, 2.6, 2.0, 20.0), mirror=True)           # PSIS dimples
    v.line(open_path([(250.0, 507.0), (250.0, 531.0)]))
    # scapula: medial border, inferior angle, lateral border, superior border, spine, acromion
    v.line(open_path([(322.0, 193.0), (305.0, 192.5), (287.0, 198.0), (287.6, 211.0),
                      (288.0, 223.0), (290.5, 240.0), (293.0, 262.0), (296.0, 282.0),
                      (299.5, 294.0), (304.0, 295.0), (314.0, 284.0), (326.0, 264.0),
                      (336.0, 243.0), (342.0, 226.0)]), mirror=True)
    v.line(open_path([(287.0, 225.5), (300.0, 220.0), (318.0, 212.5), (338.0, 204.0),
                      (352.0, 197.0), (364.0, 193.0)]), mirror=True)
    v.line(open_path([(322.0, 193.0), (332.0, 195.5), (340.0, 197.0)]), style=fa, mirror=True)
    # erector spinae column, also where the trapezius covers it (T1-T5)
    v.line(open_path([(256.0, 168.0), (266.0, 178.0), (276.0, 200.0), (281.0, 230.0),
                      (283.0, 256.0)]), style=fa, mirror=True)
    # ribs 11 and 12 under the latissimus, iliac crest
    v.line(open_path([(291.0, 349.0), (305.0, 352.0), (318.0, 359.0), (326.0, 367.0)]),
           style=fa, mirror=True)
    v.line(open_path([(290.0, 336.0), (308.0, 339.0), (324.0, 346.0), (331.0, 353.0)]),
           style=fa, mirror=True)
    v.line(open_path([(279.0, 450.0), (288.0, 433.0), (303.0, 410.0), (318.0, 411.0),
                      (332.0, 418.0), (339.0, 430.0)]), mirror=True)
    # teres major / minor, triceps, elbow, forearm
    v.line(open_path([(300.0, 286.0), (318.0, 272.5), (333.0, 256.0), (342.0, 242.0)]),
           style=fa, mirror=True)
    v.line(open_path([(341.5, 262.0), (346.0, 290.0), (351.0, 318.0), (357.0, 336.0)]),
           style=fa, mirror=True)
    v.line(open_path([(378.0, 282.0), (379.0, 305.0), (376.0, 325.0), (370.0, 338.0)]),
           style=fa, mirror=True)
    v.line(open_path([(352.0, 334.0), (357.0, 346.0), (363.5, 351.0), (370.0, 346.0),
                      (374.0, 333.0)]), style=fa, mirror=True)
    v.line(open_path([(361.0, 368.0), (365.5, 373.0), (371.0, 369.5)]), mirror=True)
    v.line(open_path([(351.0, 383.0), (357.0, 420.0), (366.0, 462.0), (376.0, 497.0)]),
           style=fa, mirror=True)
    hand_details(v)
    for k in range(4):  # knuckles on the back of the hand
        a = 14.9 - 9.6 * k
        v.line(open_path([hand_pt(a + 2.6, 52.0), hand_pt(a, 50.5), hand_pt(a - 2.6, 52.0)]),
               style=fa, mirror=True)
        v.line(open_path([hand_pt(a * 0.55, 14.0), hand_pt(a * 0.92, 44.0)]), style=fa,
               mirror=True)
    # thigh, knee, calf, ankle
    v.line(open_path([(339.0, 540.0), (336.0, 600.0), (329.0, 660.0), (322.0, 712.0)]),
           style=fa, mirror=True)                                       # iliotibial band
    v.line(open_path([(258.0, 548.0), (262.0, 620.0), (267.0, 690.0), (272.0, 718.0)]),
           style=fa, mirror=True)                                       # gracilis / adductors
    v.line(open_path([(281.0, 724.0), (296.0, 727.0), (311.0, 724.0)]), mirror=True)
    v.line(open_path([(296.0, 748.0), (296.6, 790.0), (296.4, 827.0)]), style=fa, mirror=True)
    v.line(open_path([(288.0, 912.0), (289.0, 935.0), (290.0, 962.0)]), style=fa, mirror=True)
    v.line(open_path([(300.0, 912.0), (299.5, 935.0), (298.5, 962.0)]), style=fa, mirror=True)
    v.line(open_path([(313.0, 932.0), (315.0, 940.0), (313.2, 947.0)]), mirror=True)
    v.line(open_path([(274.5, 926.0), (272.8, 934.0), (274.5, 941.0)]), mirror=True)
    v.line(open_path([(281.0, 966.0), (288.0, 974.0), (300.0, 975.0), (309.0, 967.0)]),
           style=fa, mirror=True)


def details_anterior(v: View) -> None:
    fa = FAINT_STYLE
    # face
    v.line(open_path([(260.5, 70.5), (268.0, 67.6), (276.0, 67.8), (283.0, 71.0)]), mirror=True)
    v.line(Curve((262.0, 78.6), [*open_segs([(262.0, 78.6), (269.0, 75.2), (278.6, 77.8)]),
                                *open_segs([(278.6, 77.8), (270.0, 80.6), (262.0, 78.6)])]),
           mirror=True)
    v.line(ellipse(270.2, 78.0, 2.3, 2.3), style=fa, mirror=True)
    v.line(open_path([(255.0, 80.0), (255.6, 92.0), (257.0, 101.0)]), style=fa, mirror=True)
    v.line(open_path([(253.0, 109.5), (257.6, 110.0), (259.0, 106.2), (256.0, 102.6)]),
           mirror=True)
    v.line(open_path([(245.5, 110.6), (250.0, 112.0), (254.5, 110.6)]))
    v.line(open_path([(240.0, 121.6), (245.0, 120.2), (250.0, 121.2), (255.0, 120.2),
                      (260.0, 121.6)]))
    v.line(open_path([(239.5, 122.0), (245.0, 123.2), (250.0, 123.6), (255.0, 123.2),
                      (260.5, 122.0)]))
    v.line(open_path([(244.0, 127.0), (250.0, 128.2), (256.0, 127.0)]), style=fa)
    v.line(open_path([(245.0, 139.0), (250.0, 140.2), (255.0, 139.0)]), style=fa)
    v.line(open_path([(250.0, 146.0), (262.0, 144.6), (274.5, 139.0), (283.0, 132.5),
                      (287.0, 124.0)]), style=fa, mirror=True)         # lower border of jaw
    v.line(open_path([(294.5, 83.0), (298.4, 86.0), (299.0, 95.0), (296.2, 103.5)]),
           mirror=True)
    v.line(open_path([(250.0, 36.5), (262.0, 37.0), (275.0, 40.5), (285.0, 48.0),
                      (290.0, 58.0)]), style=fa, mirror=True)           # hairline
    # neck and chest skeleton
    v.line(open_path([(245.2, 156.5), (250.0, 161.5), (254.8, 156.5)]), style=fa)
    v.line(open_path([(254.6, 187.5), (250.0, 191.5), (245.4, 187.5)]))
    v.line(open_path([(255.0, 191.6), (270.0, 192.4), (290.0, 191.0), (310.0, 188.6),
                      (328.0, 187.4), (345.0, 188.6), (358.0, 191.6)]), mirror=True)
    v.line(open_path([(245.0, 193.0), (244.6, 215.0), (245.4, 260.0), (246.4, 285.0),
                      (250.0, 297.0), (253.6, 285.0), (254.6, 260.0), (255.4, 215.0),
                      (255.0, 193.0)]))
    v.line(open_path([(245.0, 212.0), (255.0, 212.0)]), style=fa)
    v.line(open_path([(254.0, 292.0), (268.0, 303.5), (286.0, 318.0), (304.0, 334.0),
                      (318.0, 350.0), (325.0, 360.0)]), mirror=True)   # costal margin
    v.line(ellipse(296.0, 279.0, 2.2, 2.2), style=fa, mirror=True)
    # abdomen: linea alba, rectus abdominis, navel, iliac crest, inguinal ligament
    v.line(open_path([(250.0, 299.0), (250.0, 398.0)]), style=fa)
    v.line(open_path([(250.0, 410.0), (250.0, 462.0)]), style=fa)
    v.line(ellipse(250.0, 404.0, 2.2, 3.2))
    v.line(open_path([(274.0, 300.0), (280.0, 340.0), (279.0, 385.0), (274.0, 430.0),
                      (266.0, 475.0), (258.0, 500.0)]), style=fa, mirror=True)
    for y0 in (326.0, 358.0, 388.0):
        v.line(open_path([(251.0, y0 + 1.0), (265.0, y0), (279.5, y0 - 1.5)]), style=fa,
               mirror=True)
    v.line(open_path([(326.0, 362.0), (322.0, 395.0), (322.0, 425.0)]), style=fa, mirror=True)
    v.line(open_path([(333.0, 425.0), (329.0, 440.0), (323.0, 452.0)]), mirror=True)
    v.line(open_path([(323.0, 452.0), (305.0, 466.0), (288.0, 481.0), (272.0, 496.0),
                      (262.0, 505.0)]), mirror=True)                     # inguinal ligament
    # arm
    v.line(open_path([(345.0, 262.0), (350.0, 300.0), (357.0, 340.0), (364.0, 366.0)]),
           style=fa, mirror=True)                                       # biceps
    v.line(open_path([(376.0, 285.0), (378.0, 320.0), (375.0, 350.0), (369.0, 367.0)]),
           style=fa, mirror=True)
    v.line(open_path([(354.0, 380.0), (368.0, 384.0), (384.0, 379.0)]), mirror=True)
    v.line(open_path([(388.0, 380.0), (388.5, 410.0), (393.0, 455.0), (398.0, 495.0)]),
           style=fa, mirror=True)                                       # brachioradialis
    v.line(open_path([(356.0, 392.0), (364.0, 430.0), (373.0, 470.0), (380.0, 500.0)]),
           style=fa, mirror=True)                                       # flexors
    v.line(open_path([(376.5, 511.5), (390.0, 514.0), (403.5, 511.0)]), style=fa, mirror=True)
    hand_details(v)
    # thigh and knee
    v.line(open_path([(322.0, 458.0), (306.0, 520.0), (288.0, 590.0), (274.0, 660.0),
                      (268.0, 712.0)]), style=fa, mirror=True)          # sartorius
    v.line(open_path([(318.0, 500.0), (321.0, 560.0), (316.0, 630.0), (306.0, 700.0)]),
           style=fa, mirror=True)                                       # rectus femoris
    v.line(open_path([(300.0, 545.0), (296.0, 610.0), (294.0, 680.0), (292.0, 706.0)]),
           style=fa, mirror=True)
    v.line(open_path([(272.0, 648.0), (276.0, 685.0), (285.0, 708.0)]), style=fa, mirror=True)
    v.line(ellipse(296.0, 724.0, 10.6, 13.0))
    v.line(ellipse(204.0, 724.0, 10.6, 13.0))
    v.line(open_path([(291.0, 736.5), (292.6, 748.0)]), style=fa, mirror=True)
    v.line(open_path([(301.0, 736.5), (299.4, 748.0)]), style=fa, mirror=True)
    # leg, ankle, foot
    v.line(open_path([(293.0, 752.0), (292.4, 800.0), (291.0, 860.0), (289.0, 910.0)]),
           style=fa, mirror=True)                                       # tibial crest
    v.line(open_path([(268.0, 760.0), (266.5, 800.0), (270.0, 840.0)]), style=fa, mirror=True)
    v.line(open_path([(322.0, 790.0), (320.0, 840.0), (315.0, 890.0)]), style=fa, mirror=True)
    v.line(open_path([(313.5, 933.0), (315.5, 940.0), (313.5, 947.0)]), mirror=True)
    v.line(open_path([(274.5, 927.0), (272.8, 935.0), (274.5, 942.0)]), mirror=True)
    v.line(open_path([(283.0, 948.0), (292.0, 946.0), (303.0, 948.0)]), style=fa, mirror=True)
    for x0, y0 in ((323.6, 975.6), (317.2, 977.6), (309.2, 979.2), (300.0, 980.3)):
        v.line(open_path([(x0, y0), (x0 - 0.8, y0 - 5.0)]), style=fa, mirror=True)

# fmt: on
