"""Name pools for the synthetic demo clinic: several scripts, none of them real patients.

Each pool is (given names, family names, preferred language). Combinations are drawn at
random, so any resemblance to a real person is chance.
"""

from __future__ import annotations

from clinic_app.domain.enums import Language

NamePool = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], Language]
"""(women's given names, men's given names, family names, usual preferred language)."""

POOLS: dict[str, NamePool] = {
    "english": (
        ("Mary", "Patricia", "Linda", "Susan", "Karen", "Nancy", "Lisa", "Betty", "Sandra"),
        ("James", "Robert", "Michael", "David", "Thomas", "Daniel", "Paul", "Mark", "Kevin"),
        (
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Miller",
            "Davis",
            "Wilson",
            "Anderson",
            "Taylor",
            "Moore",
            "Jackson",
            "Martin",
            "Thompson",
            "White",
            "Harris",
        ),
        Language.ENGLISH,
    ),
    "irish": (
        ("Siobhán", "Aoife", "Niamh", "Róisín"),
        ("Seán", "Ciarán", "Pádraig", "Eoin"),
        ("O'Brien", "O'Connor", "Ó Súilleabháin", "Murphy", "Mac Giolla"),
        Language.ENGLISH,
    ),
    "spanish": (
        ("María", "Guadalupe", "Carmen", "Rosa", "Sofía", "Lucía", "Inés", "Begoña"),
        ("José", "Juan", "Luis", "Jesús", "Ángel", "Raúl", "Andrés", "Martín"),
        (
            "García",
            "Rodríguez",
            "Martínez",
            "Hernández",
            "López",
            "González",
            "Pérez",
            "Sánchez",
            "Ramírez",
            "Núñez",
            "Muñoz",
            "Jiménez",
            "Ortiz",
            "Peña",
            "García López",
        ),
        Language.SPANISH,
    ),
    "vietnamese": (
        ("Thị Hoa", "Thanh Hương", "Ngọc Lan", "Thu Trang", "Phương Thảo", "Mỹ Duyên"),
        ("Văn Minh", "Đức Anh", "Quốc Bảo", "Minh Tuấn", "Hữu Nghĩa", "Quang Huy"),
        (
            "Nguyễn",
            "Trần",
            "Lê",
            "Phạm",
            "Hoàng",
            "Huỳnh",
            "Võ",
            "Đặng",
            "Bùi",
            "Đỗ",
            "Ngô",
            "Dương",
        ),
        Language.ENGLISH,
    ),
    "polish": (
        ("Małgorzata", "Agnieszka", "Żaneta", "Katarzyna"),
        ("Łukasz", "Wojciech", "Grzegorz", "Paweł"),
        ("Nowak", "Wójcik", "Kowalczyk", "Woźniak", "Mazur", "Krawczyk"),
        Language.ENGLISH,
    ),
    "german": (
        ("Zoë", "Käthe", "Renée", "Ute"),
        ("Jürgen", "Günther", "Jörg", "Björn"),
        ("Müller", "Schröder", "Weiß", "Groß", "Köhler", "Bäcker", "Strauß"),
        Language.ENGLISH,
    ),
    "russian": (
        ("Ольга", "Наталья", "Екатерина"),
        ("Иван", "Дмитрий", "Сергей"),
        ("Бондаренко", "Ким", "Шевчук", "Мельник"),  # forms that do not change with sex
        Language.ENGLISH,
    ),
    "greek": (
        ("Μαρία", "Ελένη", "Κατερίνα"),
        ("Γιώργος", "Νίκος", "Δημήτρης"),
        ("Γεωργίου", "Οικονόμου", "Ιωάννου"),
        Language.ENGLISH,
    ),
    "chinese": (
        ("芳", "娜", "秀英", "静"),
        ("伟", "敏", "强", "磊"),
        ("王", "李", "张", "刘", "陈", "杨"),
        Language.ENGLISH,
    ),
    "korean": (
        ("서연", "하은", "지우"),
        ("민준", "지훈", "도윤"),
        ("김", "이", "박", "최"),
        Language.ENGLISH,
    ),
    "arabic": (
        ("فاطمة", "مريم", "ليلى"),
        ("محمد", "أحمد", "علي", "عبد الله"),
        ("الحسن", "منصور", "حداد", "خوري"),
        Language.ENGLISH,
    ),
    "hebrew": (
        ("נועה", "תמר", "מיכל", "שירה"),
        ("יוסף", "דוד", "איתי", "אורי"),
        ("כהן", "לוי", "מזרחי", "פרץ", "ביטון", "אברהם"),
        Language.ENGLISH,
    ),
    "japanese": (
        ("さくら", "美咲", "陽菜", "由美子"),
        ("翔太", "健一", "大輔", "蓮"),
        ("佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤"),
        Language.ENGLISH,
    ),
}

#: How often each pool is drawn (a US pain clinic with a diverse catchment).
WEIGHTS: dict[str, int] = {
    "english": 40,
    "irish": 6,
    "spanish": 24,
    "vietnamese": 7,
    "polish": 5,
    "german": 5,
    "russian": 4,
    "greek": 3,
    "chinese": 3,
    "korean": 2,
    "arabic": 3,
    "hebrew": 2,
    "japanese": 2,
}

PROVIDERS: tuple[tuple[str, str, str], ...] = (
    ("demo.admin", "Alex Morgan", "MD"),
    ("dr.okafor", "Chidi Okafor", "DO"),
    ("np.santos", "Lucía Santos", "NP"),
    ("pa.kim", "Jae Kim", "PA"),
)
FRONT_DESK: tuple[str, str] = ("frontdesk", "Pat Rivera")

#: Every demo account's password. Demo databases only: the CLI prints it after seeding and the
#: sign-in dialog of a database marked as a demo shows it.
DEMO_PASSWORD = "demo-clinic-password"


def demo_sign_in_hint() -> str:
    """What the sign-in dialog of a demo database says about its accounts (one line each)."""
    admin, provider = PROVIDERS[0][0], PROVIDERS[1][0]
    return (
        "Demo database: these accounts are for trying the app.\n"
        f"{admin}: provider and administrator\n"
        f"{provider}: provider\n"
        f"{FRONT_DESK[0]}: front desk\n"
        f"Password for all of them: {DEMO_PASSWORD}"
    )
