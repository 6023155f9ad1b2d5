"""The muscles the drawings show, the views' sizes and the full-body proportions."""

from __future__ import annotations

# code -> (views, depth). Kept here so the generator runs without the app; the checks compare it
# with resources/anatomy/muscles.toml whenever that file is present.
MUSCLES: dict[str, tuple[tuple[str, ...], str]] = {
    "temporalis": (("lateral",), "superficial"),
    "masseter": (("lateral",), "superficial"),
    "sternocleidomastoid": (("anterior", "lateral"), "superficial"),
    "scalenes": (("anterior", "lateral"), "superficial"),
    "splenius_capitis": (("posterior", "lateral"), "superficial"),
    "suboccipitals": (("posterior",), "deep"),
    "levator_scapulae": (("posterior", "lateral"), "superficial"),
    "trapezius_upper": (("posterior",), "superficial"),
    "trapezius_middle": (("posterior",), "superficial"),
    "trapezius_lower": (("posterior",), "superficial"),
    "rhomboids": (("posterior",), "deep"),
    "serratus_posterior_superior": (("posterior",), "deep"),
    "supraspinatus": (("posterior",), "deep"),
    "infraspinatus": (("posterior",), "superficial"),
    "deltoid": (("anterior", "posterior"), "superficial"),
    "latissimus_dorsi": (("posterior",), "superficial"),
    "pectoralis_major": (("anterior",), "superficial"),
    "serratus_anterior": (("anterior",), "superficial"),
    "thoracic_paraspinals": (("posterior",), "superficial"),
    "lumbar_paraspinals": (("posterior",), "superficial"),
    "quadratus_lumborum": (("posterior",), "deep"),
    "gluteus_maximus": (("posterior",), "superficial"),
    "gluteus_medius": (("posterior",), "superficial"),
    "gluteus_minimus": (("posterior",), "deep"),
    "piriformis": (("posterior",), "deep"),
    "tensor_fasciae_latae": (("anterior",), "superficial"),
    "iliopsoas": (("anterior",), "deep"),
    "hamstrings": (("posterior",), "superficial"),
    "vastus_lateralis": (("anterior",), "superficial"),
    "gastrocnemius": (("posterior",), "superficial"),
    "soleus": (("posterior",), "superficial"),
    "tibialis_anterior": (("anterior",), "superficial"),
    "forearm_extensors": (("posterior",), "superficial"),
}

VIEWBOX = {"anterior": (500, 1000), "posterior": (500, 1000), "lateral": (400, 400)}


def Y(f: float) -> float:
    """Full-body views: stature fraction from the vertex -> y in px."""
    return 20 + 960 * f


def X(f: float) -> float:
    """Full-body views: half-width fraction on the viewer's right -> x in px."""
    return 250 + 960 * f
