"""The posterior (back) view: regions, fibres and details."""

from __future__ import annotations

from clinic_app.bodymap_builder.body import body_outline
from clinic_app.bodymap_builder.curves import E, closed_nodes, closed_smooth, ring
from clinic_app.bodymap_builder.details import details_posterior
from clinic_app.bodymap_builder.polygons import Outline
from clinic_app.bodymap_builder.views import Fib, View, add_pair

# Geometry tables stay in their hand-aligned layout (coordinates read as rows of points).
# fmt: off

def build_posterior() -> View:
    v = View("posterior")
    body = body_outline("posterior")
    v.silhouette.append(body)
    sk = Outline(body)
    side = "right"  # posterior view: the viewer's right is the patient's right

    # --- landmarks (viewer's right half)
    occ = (250.0, 104.0)            # external occipital protuberance / superior nuchal line
    c7b = (250.0, 162.0)            # just below C7 (Y(0.14) = 154)
    t4 = (250.0, 240.0)
    t12 = (250.0, 356.0)            # Y(0.35)
    root = (288.0, 223.0)           # root of the scapular spine, T3 level (Y(0.21) = 222)
    sp_mid = (331.0, 205.0)         # where the deltoid's origin starts on the scapular spine
    ia = (299.5, 294.0)             # inferior angle, T7 (Y(0.29) = 298)
    tn_top, tn_split = (262.0, 106.0), (264.5, 127.0)
    n0 = sk.at((286.0, 157.5))      # where the neck meets the trapezius ridge
    acr = sk.at((361.0, 188.6))     # acromion: upper trapezius, middle trapezius, deltoid meet

    # --- trapezius (kite: occiput and C7-T12 -> clavicle, acromion, scapular spine)
    e_nuchal = E(occ, tn_top)
    e_tn1 = E(tn_top, (263.0, 117.0), tn_split, post=(267.0, 142.0))
    e_tn2 = E(tn_split, (267.0, 142.0), (273.5, 151.5), n0, pre=(263.0, 117.0))
    e_ut_top = sk.edge(n0, acr)
    e_ut_mt = E(acr, (350.0, 193.6), (330.0, 193.2), (308.0, 189.0), (288.0, 183.0),
                (268.0, 174.0), c7b)
    e_spine_med = E(root, (300.0, 217.5), (315.0, 211.5), sp_mid, post=(345.0, 198.5))
    e_spine_lat = E(sp_mid, (345.0, 198.5), acr, pre=(315.0, 211.5))
    e_mt_lt = E(root, (269.0, 231.5), t4)
    lt_split, lt_low = (282.0, 254.0), (256.0, 339.0)
    e_lt1 = E(root, (285.6, 238.0), lt_split, post=(276.0, 276.0))
    e_lt2 = E(lt_split, (276.0, 276.0), (268.5, 300.0), (261.5, 322.0), lt_low,
              pre=(285.6, 238.0), post=t12)
    e_lt3 = E(lt_low, t12, pre=(261.5, 322.0))
    ut = ring(e_nuchal, e_tn1, e_tn2, e_ut_top, e_ut_mt, E(c7b, occ))
    mt = ring(e_ut_mt.rev(), e_spine_lat.rev(), e_spine_med.rev(), e_mt_lt, E(t4, c7b))
    lt = ring(e_mt_lt.rev(), e_lt1, e_lt2, e_lt3, E(t12, t4))

    # --- splenius capitis and levator scapulae: the side of the neck beside the trapezius
    spl_tl = (285.4, 115.5)
    lev_tl = sk.at((283.4, 135.0))
    e_spl_top = E(tn_top, (272.0, 107.5), (280.5, 110.5), spl_tl)
    e_spl_lat = E(spl_tl, (285.2, 121.5), (283.8, 128.5), lev_tl)
    e_spl_lev = E(tn_split, (273.5, 130.5), lev_tl)
    spl = ring(e_spl_top, e_spl_lat, e_spl_lev.rev(), e_tn1.rev())
    lev = ring(e_spl_lev, sk.edge(lev_tl, n0), e_tn2.rev())

    # --- infraspinatus and deltoid
    d_end = sk.at((382.6, 268.0))
    td = (378.6, 277.5)                       # deltoid tuberosity, halfway down the humerus
    dp_mid = (343.0, 234.0)
    e_dp1 = E(td, (367.0, 262.5), (355.0, 247.5), dp_mid, post=(336.0, 220.0))
    e_dp2 = E(dp_mid, (336.0, 220.0), sp_mid, pre=(355.0, 247.5))
    delt = ring(sk.edge(acr, d_end), E(d_end, td), e_dp1, e_dp2, e_spine_lat)
    is_low = (296.5, 281.0)
    e_is_low = E(dp_mid, (331.0, 251.5), (316.5, 268.5), (303.0, 280.5), is_low)
    e_is_med = E(is_low, (293.2, 262.0), (290.8, 240.0), root)
    infra = ring(e_spine_med, e_dp2.rev(), e_is_low, e_is_med)

    # --- paraspinals, latissimus dorsi
    tpl = (289.0, 300.0)
    tp_bm, tp_bl = (256.0, 361.0), (290.0, 361.0)   # T12/L1 boundary
    e_tp_a = E(lt_split, (286.2, 277.0), tpl, post=(290.0, 330.0))
    e_tp_b = E(tpl, (290.0, 330.0), tp_bl, pre=(286.2, 277.0))
    e_tl = E(tp_bm, tp_bl)
    tpara = ring(e_tp_a, e_tp_b, e_tl.rev(), E(tp_bm, lt_low), e_lt2.rev())
    lp_crest, psis = (288.0, 433.0), (279.0, 450.0)
    e_lp_lat = E(tp_bl, (292.6, 386.0), (292.6, 410.0), lp_crest, pre=(290.0, 330.0))
    e_lp_low_a = E(lp_crest, psis, post=(268.0, 461.5))
    e_lp_low_b = E(psis, (268.0, 461.5), (256.0, 468.0), pre=lp_crest)
    lpara = ring(e_tl, e_lp_lat, e_lp_low_a, e_lp_low_b, E((256.0, 468.0), tp_bm))
    lat_ax = sk.at((336.0, 252.0))
    lat_crest = sk.at((331.5, 418.0))
    crest_top = (303.0, 410.0)
    e_lat_top = E(tpl, (302.0, 293.5), (317.0, 283.0), (328.5, 268.5), lat_ax)
    e_crest_a = E(crest_top, (318.0, 411.0), lat_crest, pre=(296.0, 419.5))
    e_lat_med = E(tp_bl, (296.0, 384.0), crest_top, pre=(290.0, 330.0))
    lat = ring(e_lat_top, sk.edge(lat_ax, lat_crest), e_crest_a.rev(), e_lat_med.rev(),
               e_tp_b.rev())

    # --- gluteal muscles
    e_crest_b = E(lp_crest, (296.0, 419.5), crest_top, post=(318.0, 411.0))
    gm_troch = sk.at((345.5, 488.0))
    e_gmax_top = E(psis, (295.0, 452.0), (312.0, 461.5), (329.0, 474.0), gm_troch)
    gmed = ring(e_crest_b, e_crest_a, sk.edge(lat_crest, gm_troch), e_gmax_top.rev(),
                e_lp_low_a.rev())
    gf_lat = sk.at((344.5, 522.0))
    gf1, gf2, cleft = (334.0, 533.0), (262.0, 535.0), (253.4, 524.0)
    e_gf_mid = E(gf1, (318.0, 540.5), (298.0, 543.5), (278.0, 540.5), gf2, pre=gf_lat,
                 post=cleft)
    gmax = ring(e_gmax_top, sk.edge(gm_troch, gf_lat), E(gf_lat, gf1, post=(318.0, 540.5)),
                e_gf_mid, E(gf2, cleft, pre=(278.0, 540.5)),
                E(cleft, (253.6, 512.0), (256.0, 500.0), (261.0, 487.0), (267.5, 473.0),
                  (273.5, 461.0), psis))

    # --- thigh and calf
    ham_l, ham_m = (314.5, 706.0), (277.5, 707.0)
    ham = ring(E(gf1, (334.5, 560.0), (331.5, 600.0), (326.5, 640.0), (320.5, 675.0), ham_l),
               E(ham_l, (306.0, 699.0), (296.0, 689.0), (286.0, 699.5), ham_m),
               E(ham_m, (271.0, 682.0), (266.5, 645.0), (263.5, 605.0), (262.0, 570.0),
                 (261.6, 550.0), gf2),
               e_gf_mid.rev())
    ga_l, ga_m = sk.at((325.2, 738.0)), sk.at((266.2, 738.0))
    gs_l, gs_m = sk.at((327.5, 795.0)), sk.at((262.2, 805.0))
    notch = (296.4, 829.0)                  # between the lateral and medial heads
    e_gs1 = E(gs_l, (321.0, 812.0), (313.5, 826.0), (305.5, 834.0), (299.6, 834.6), notch)
    e_gs2 = E(notch, (293.2, 839.0), (287.6, 848.6), (279.6, 850.0), (271.4, 839.0),
              (266.0, 822.0), gs_m)
    gast = ring(E(ga_m, (276.0, 733.0), (286.0, 739.0), (296.0, 746.5), (306.0, 739.0),
                  (316.0, 733.0), ga_l),
                sk.edge(ga_l, gs_l), e_gs1, e_gs2, sk.edge(gs_m, ga_m))
    so_l, so_m = sk.at((318.4, 880.0)), sk.at((268.3, 872.0))
    sol = ring(sk.edge(gs_l, so_l),
               E(so_l, (311.5, 897.0), (302.5, 909.0), (294.0, 911.0), (286.0, 905.0),
                 (277.5, 891.0), so_m),
               sk.edge(so_m, gs_m), e_gs2.rev(), e_gs1.rev())

    # --- forearm extensors: back of the forearm from the lateral epicondyle
    fe_tl, fe_bl = sk.at((392.5, 378.0)), sk.at((403.3, 492.0))
    fext = ring(sk.edge(fe_tl, fe_bl), E(fe_bl, (392.0, 497.0), (382.0, 495.0)),
                E((382.0, 495.0), (374.5, 470.0), (369.5, 440.0), (368.5, 410.0),
                  (371.0, 391.0), (378.0, 381.5), fe_tl))

    # --- deep layer
    subocc = closed_smooth([(254.5, 107.5), (265.0, 108.5), (275.0, 112.0), (279.0, 119.0),
                            (274.0, 125.5), (263.0, 128.0), (254.5, 126.5)])
    # Deep regions that touch keep a 1.5 px gap so each dashed outline stays readable.
    # Rhomboids: spinous processes C7-T5 -> medial border of the scapula (root to inferior angle).
    rhomb = ring(E((254.0, 157.0), (266.0, 172.0), (278.0, 192.0), (287.6, 220.5)),
                 E((287.6, 220.5), (290.5, 240.0), (293.0, 262.0), (296.0, 282.0), ia),
                 E(ia, (276.0, 279.0), (254.0, 265.5)), E((254.0, 265.5), (254.0, 157.0)))
    # Serratus posterior superior (C7-T3 -> ribs 2-5) lies under the rhomboids; it is picked where
    # it is needled, over ribs 2-5 just beneath the upper medial border of the scapula.
    sps = closed_smooth([(292.4, 226.5), (302.0, 220.8), (311.0, 223.0), (313.0, 236.0),
                         (309.5, 252.0), (302.5, 265.0), (297.0, 268.0), (294.6, 255.0),
                         (292.4, 240.0)])
    supra = ring(E((288.8, 199.4), (300.0, 194.0), (318.0, 191.2), (336.0, 192.2), (350.5, 195.5)),
                 E((350.5, 195.5), (338.0, 201.5), (321.0, 208.0), (305.0, 214.4), (290.0, 221.0)),
                 E((290.0, 221.0), (289.4, 210.5), (288.8, 199.4)))
    ql = closed_smooth([(287.0, 358.0), (301.0, 356.5), (315.0, 361.0), (320.5, 376.0),
                        (320.5, 395.0), (316.0, 409.0), (303.0, 413.5), (290.0, 414.0),
                        (285.0, 400.0), (284.0, 380.0), (285.0, 366.0)])
    gmin = ring(E((338.6, 473.2), (339.0, 460.0), (337.4, 445.0), (332.5, 431.0), (322.0, 424.0),
                  (308.0, 427.5), (298.5, 438.0), (294.5, 452.0), (296.0, 467.8)),
                E((296.0, 467.8), (315.0, 468.8), (330.0, 471.0), (338.6, 473.2)))
    pir = closed_nodes([(261.0, 473.0), (279.0, 471.2), (296.0, 470.2), (315.0, 471.0),
                        (330.0, 473.4), (339.6, 476.0), (341.6, 480.2), (338.6, 484.6),
                        (325.0, 485.6), (308.0, 486.6), (290.0, 488.2), (272.0, 490.2),
                        (262.0, 489.8), (258.8, 481.0)])

    f: dict[str, list[Fib]] = {
        "trapezius_upper": [([(251, 100), (251, 160)], [(290, 170), (362, 193)], 11,
                             [(259, 135), (268, 186)])],
        "trapezius_middle": [([(250, 164), (250, 238)], [(362, 192), (289, 224)], 9, None)],
        "trapezius_lower": [([(250, 243), (250, 354)], [(287, 221), (291, 226)], 9, None)],
        "splenius_capitis": [([(246, 150), (250, 126)], [(281, 109), (290, 122)], 6, None)],
        "levator_scapulae": [([(266, 124), (284, 132)], [(272, 162), (288, 164)], 4, None)],
        "deltoid": [([(330, 205), (346, 198), (362, 189), (379, 205)],
                     [(378, 277), (379.5, 278)], 10, None)],
        "infraspinatus": [([(289, 226), (292, 255), (298, 290)], [(352, 214), (354, 226)], 8,
                           None)],
        "latissimus_dorsi": [([(289, 302), (290, 361), (303, 411), (331, 418)],
                              [(335, 251), (338, 257)], 12, [(300, 300), (322, 365)])],
        "thoracic_paraspinals": [([(262, 248), (292, 248)], [(254, 366), (292, 366)], 6, None)],
        "lumbar_paraspinals": [([(255, 356), (293, 356)], [(253, 472), (285, 440)], 6, None)],
        "gluteus_medius": [([(288, 432), (303, 409), (333, 418)], [(344, 487), (346, 489)], 9,
                            None)],
        "gluteus_maximus": [([(280, 447), (262, 488), (253, 525)],
                             [(346, 486), (342, 528)], 12, None)],
        "hamstrings": [([(262, 530), (336, 530)], [(279, 710), (314, 710)], 8, None)],
        "gastrocnemius": [([(268, 736), (326, 736)], [(289, 870), (300, 870)], 9,
                           [(262, 800), (330, 800)])],
        "soleus": [([(262, 790), (330, 790)], [(291, 918), (301, 918)], 10, None)],
        "forearm_extensors": [([(369, 392), (392, 377)], [(383, 500), (403, 494)], 6, None)],
    }
    for code, shape in (("splenius_capitis", spl), ("levator_scapulae", lev),
                        ("trapezius_upper", ut), ("trapezius_middle", mt),
                        ("trapezius_lower", lt), ("infraspinatus", infra), ("deltoid", delt),
                        ("latissimus_dorsi", lat), ("thoracic_paraspinals", tpara),
                        ("lumbar_paraspinals", lpara), ("gluteus_maximus", gmax),
                        ("gluteus_medius", gmed), ("hamstrings", ham),
                        ("gastrocnemius", gast), ("soleus", sol), ("forearm_extensors", fext),
                        ("suboccipitals", subocc), ("rhomboids", rhomb),
                        ("serratus_posterior_superior", sps), ("supraspinatus", supra),
                        ("quadratus_lumborum", ql), ("gluteus_minimus", gmin),
                        ("piriformis", pir)):
        add_pair(v, code, shape, side, f.get(code, ()))
    details_posterior(v)
    return v

# fmt: on
