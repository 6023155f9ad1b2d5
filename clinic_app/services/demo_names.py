"""Name pools for the synthetic demo clinic: several scripts, none of them real patients.

Each pool is (given names, family names, preferred language). Combinations are drawn at
random, so any resemblance to a real person is chance.
"""

from __future__ import annotations

from clinic_app.domain.enums import Language

NamePool = tuple[tuple[str, ...], tuple[str, ...], Language]

POOLS: dict[str, NamePool] = {
    "english": (
        (
            "James",
            "Mary",
            "Robert",
            "Patricia",
            "Michael",
            "Linda",
            "David",
            "Susan",
            "Karen",
            "Thomas",
            "Nancy",
            "Daniel",
            "Lisa",
            "Paul",
            "Betty",
            "Mark",
            "Sandra",
            "Donna",
        ),
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
        ("Siobhán", "Seán", "Aoife", "Ciarán", "Niamh", "Pádraig", "Róisín", "Eoin"),
        ("O'Brien", "O'Connor", "Ní Bhriain", "Mac Giolla", "Ó Súilleabháin", "Murphy"),
        Language.ENGLISH,
    ),
    "spanish": (
        (
            "José",
            "María",
            "Juan",
            "Guadalupe",
            "Luis",
            "Carmen",
            "Jesús",
            "Rosa",
            "Ángel",
            "Sofía",
            "Raúl",
            "Lucía",
            "Andrés",
            "Inés",
            "Martín",
            "Begoña",
        ),
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
        ("Thị Hoa", "Văn Minh", "Thanh Hương", "Đức Anh", "Ngọc Lan", "Quốc Bảo", "Thu Trang"),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng"),
        Language.ENGLISH,
    ),
    "polish": (
        ("Łukasz", "Małgorzata", "Wojciech", "Agnieszka", "Grzegorz", "Żaneta", "Paweł"),
        ("Kowalski", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski", "Zieliński", "Łęcka"),
        Language.ENGLISH,
    ),
    "german": (
        ("Jürgen", "Zoë", "Günther", "Käthe", "Jörg", "Renée", "Björn"),
        ("Müller", "Schröder", "Weiß", "Groß", "Köhler", "Bäcker", "Strauß"),
        Language.ENGLISH,
    ),
    "russian": (
        ("Иван", "Ольга", "Дмитрий", "Наталья", "Сергей", "Екатерина"),
        ("Иванов", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева"),
        Language.ENGLISH,
    ),
    "greek": (
        ("Γιώργος", "Μαρία", "Νίκος", "Ελένη", "Δημήτρης"),
        ("Παπαδόπουλος", "Παππά", "Γεωργίου", "Οικονόμου"),
        Language.ENGLISH,
    ),
    "chinese": (
        ("伟", "芳", "娜", "秀英", "敏", "静"),
        ("王", "李", "张", "刘", "陈", "杨"),
        Language.ENGLISH,
    ),
    "korean": (
        ("민준", "서연", "지훈", "하은"),
        ("김", "이", "박", "최"),
        Language.ENGLISH,
    ),
    "arabic": (
        ("محمد", "فاطمة", "أحمد", "مريم", "علي"),
        ("الحسن", "منصور", "حداد", "خوري"),
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
}

PROVIDERS: tuple[tuple[str, str, str], ...] = (
    ("demo.admin", "Alex Morgan", "MD"),
    ("dr.okafor", "Chidi Okafor", "DO"),
    ("np.santos", "Lucía Santos", "NP"),
    ("pa.kim", "Jae Kim", "PA"),
)
FRONT_DESK: tuple[str, str] = ("frontdesk", "Pat Rivera")
