"""Write resources/passwords/common.txt: passwords that must never be chosen.

The list is compiled by hand from widely published "most common passwords" rankings (see
resources/passwords/README.md for the sources and the method) plus the predictable variants
people make of them (a base word with "1", "123", "!" or a recent year appended). Entries are
stored as the comparison key :func:`clinic_app.domain.passwords.comparison_key` computes, so
the app compares like with like. Run from the repository root::

    python scripts/make_common_passwords.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clinic_app.domain.passwords import comparison_key  # noqa: E402

OUT = ROOT / "resources" / "passwords" / "common.txt"

#: The head of the published rankings: digits, keyboard walks and the usual words.
TOP = """
123456 123456789 12345678 12345 1234567 1234567890 1234 123 111111 123123 000000 654321
123321 666666 121212 112233 7777777 888888 555555 11111111 00000000 123123123 1111 11111
1111111 123654 159753 147258369 147258 741852963 789456123 789456 456789 102030 5201314
987654321 0987654321 987654 12341234 123456789a 123456a a123456 aa123456 123456q 123qwe
qwe123 123abc abc123 abcd1234 abc12345 abcdef abcdefg 1q2w3e 1q2w3e4r 1q2w3e4r5t
1q2w3e4r5t6y 1qaz2wsx 1qaz2wsx3edc 1qazxsw2 zaq12wsx zaq1zaq1 !qaz2wsx q1w2e3r4 q1w2e3r4t5
q1w2e3r4t5y6 qwerty qwerty123 qwerty1 qwertyu qwertyui qwertyuiop qwertz qwertzuiop azerty
azertyuiop asdf asdfgh asdfghjk asdfghjkl asdfasdf zxcvbn zxcvbnm qazwsx qazwsxedc qweasd
qweasdzxc qwe asd123 zxc123 !@#$%^&* !@#$%^ 1qaz!qaz 1q2w3e4r! 18atcskd2w 3rjs1la7qe
password password1 password12 password123 password1234 passw0rd p@ssw0rd p@ssword pa55word
pa$$word passwort motdepasse contraseña contrasena senha parola haslo salasana wachtwoord
iloveyou iloveu iloveyou1 loveyou lovelove loveme lovely love123 princess dragon sunshine
letmein monkey superman batman spiderman football baseball basketball soccer hockey
welcome welcome1 admin administrator adminadmin admin123 root toor login guest test test123
default changeme master hello freedom whatever trustno1 shadow michael jennifer jordan
jordan23 hunter ashley bailey charlie donald mustang access starwars flower hottie ninja
solo robert thomas killer george andrew pepper daniel joshua maggie harley ranger buster
tigger cheese computer summer winter spring autumn corvette taylor matrix secret merlin
cookie internet samsung yankees austin nicole matthew jessica michelle anthony angel
friends butterfly purple liverpool chelsea arsenal manchester barcelona realmadrid
juventus pokemon naruto minecraft fortnite roblox blink182 eminem metallica nirvana
slipknot babygirl jesus chocolate google mynoob picture1 666 696969 aaaaaa qqqqqq
zzzzzz abcabc fuckyou fuckoff asshole bitch sexy pussy hotmail yahoo gmail facebook
linkedin twitter myspace apple orange banana cherry peanut pumpkin cocacola pepsi
marlboro whisky vodka beer tequila diamond silver golden gold money dollar million
lucky777 lucky number1 zxcasdqwe camaro ferrari porsche mercedes bmw yamaha harley
ginger sparky snoopy scooby garfield mickey minnie disney barbie hellokitty tinkerbell
elephant tiger lion eagle falcon phoenix dolphin monkey1 bulldog doggie kitty kitten
puppy patrick jackson william james john david richard joseph charles christopher
mary patricia linda barbara elizabeth susan sarah karen nancy lisa margaret betty
sandra dorothy ashley1 amanda melissa stephanie rebecca laura sharon cynthia kathleen
hannah samantha natalie sophie emily olivia emma chloe isabella sophia mia charlotte
abigail madison liam noah oliver elijah lucas mason logan ethan aiden jayden maria
jose juan carlos luis miguel alejandro antonio manuel francisco javier mariana camila
valentina gabriel rafael fernando ricardo eduardo roberto diego andrea daniela
alexander alexandra victoria benjamin nathan ryan justin brandon tyler kevin steven
america canada mexico brazil england london paris berlin madrid newyork chicago texas
california florida dallas boston miami seattle church heaven blessed blessing faith
trinity gospel christ jesus1 godisgood hallelujah forever always together family
mother father mommy daddy sister brother friend bestfriend sweetheart honey sweetie
baby babyboy baby123 angel1 angels precious beautiful pretty cutie darling lover
happy smile sunflower rainbow unicorn butterfly1 flower1 rose daisy lily jasmine
music guitar piano drummer singer dancer rockstar rock metal punk hiphop rap
gamer gaming player xbox playstation nintendo mario zelda sonic halo warcraft
starcraft diablo counter cs1234 dota league legend legends hero heroes superstar
champion winner victory killer1 sniper soldier army navy marine warrior knight
dragon1 shadow1 ghost demon devil angel12 vampire zombie monster wizard magic
samurai ninja1 kungfu karate boxing fighter tiger1 panther cobra viper scorpion
spider hawk raven crow wolf wolves fox bear bears lions eagles cowboys steelers
packers patriots giants lakers bulls yankees1 redsox dodgers rangers penguins
oilers canucks maple leafs hammer thunder lightning storm hurricane tornado
ocean river mountain forest summer1 winter1 sunset sunrise moon moonlight star
stars starlight galaxy universe planet earth mars venus jupiter saturn pluto
secret1 private hidden unknown nothing nobody someone something anything everything
whatever1 nevermind trustme believe dream dreams dreamer hope peace love1 freedom1
liberty justice power strong strength energy action attack defense security
system network server database oracle mysql postgres sqlserver windows linux ubuntu
debian microsoft apple123 iphone android samsung1 nokia sony dell lenovo compaq
office office365 outlook exchange sharepoint teams zoom skype intranet portal
"""

#: Longer phrases and runs: the entries that still matter once the minimum length is 15.
LONG = """
passwordpassword passwordpassword1 password12345678 password123456789 password1234567
password123456 password12345 password!! password2024 mypassword mypassword123 thisismypassword
mysecretpassword supersecretpassword verysecurepassword strongpassword securepassword
newpassword newpassword123 changemechangeme changemenow pleasechangeme letmeinletmein
letmeinplease welcomewelcome welcometothejungle trustno1trustno1 administrator1
administrator123 adminadminadmin iloveyouiloveyou iloveyousomuch iloveyoubaby iloveyoumom
ilovemyfamily ilovemymom ilovemydad ilovemydog ilovemycat ilovemywife ilovemyhusband
ilovemykids ilovemyself iloveyouforever foreverandever foreveryoung happybirthday
merrychristmas happynewyear goodmorning goodnight hellohello helloworld hellothere
qwertyuiopasdfgh qwertyuiopasdfghjkl qwertyuiopasdfghjklzxcvbnm qwertyqwerty
qwerty123456789 qwertyuiop123 qwertyuiop1234567890 asdfghjklzxcvbnm zxcvbnmasdfghjkl
1qaz2wsx3edc4rfv 1qaz2wsx3edc4rfv5tgb zaq12wsxcde34rfv zaq1xsw2cde3vfr4 1q2w3e4r5t6y7u8i
1q2w3e4r5t6y7u8i9o0p q1w2e3r4t5y6u7i8o9p0 123456789012345 1234567890123456
12345678901234567890 123456789987654321 098765432112345 111111111111111 000000000000000
123412341234 123451234512345 112233445566778899 147258369147258369 741852963741852963
abcdefghijklmnop abcdefghijklmnopqrstuvwxyz abcdefghijk123456 abc123abc123abc123
correcthorsebatterystaple thequickbrownfox thequickbrownfoxjumpsoverthelazydog
thequickbrownfoxjumpedoverthelazydog nevergonnagiveyouup maytheforcebewithyou
tobeornottobe opensesame onetwothreefourfive iamthebest iamgod iamawesome youareawesome
whatthefuck fuckyoufuckyou ihateyou ihateyouall letmein123456 godisgood123 jesuschrist
jesusislord jesuslovesme godblessamerica unitedstates unitedkingdom manchesterunited
liverpoolfc chelseafc arsenalfc realmadridcf fcbarcelona starwarsstarwars harrypotter
lordoftherings gameofthrones supermansuperman batmanbatman spidermanspiderman
pokemonpokemon minecraftminecraft footballfootball baseballbaseball basketball123
donaldtrump barackobama michaeljordan michaeljackson elvispresley chucknorris
doctorwho doctor123 nurse123 hospital123 medical123 healthcare healthcare123
clinic123 clinicpassword clinic_app clinicapp painclinic patient123 physician
doctordoctor nursenurse welcometotheclinic
"""

#: How many of TOP's first words people most often make "stronger" with one of SUFFIXES.
VARIED_WORDS = 250
SUFFIXES = ["1", "12", "123", "1234", "12345", "!", "1!", "01", "69", "007"] + [
    str(year) for year in range(2018, 2027)
]


def main() -> None:
    words = TOP.split() + LONG.split()
    entries = {comparison_key(w) for w in words}
    for word in TOP.split()[:VARIED_WORDS]:
        if word.isalpha():
            entries.update(comparison_key(word + suffix) for suffix in SUFFIXES)
    entries.discard("")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# Passwords no account may choose (comparison keys, one a line; see README.md).\n"
        "# Made by scripts/make_common_passwords.py; edit that script, not this file.\n"
    )
    OUT.write_text(header + "\n".join(sorted(entries)) + "\n", encoding="utf-8")
    print(f"{len(entries)} entries written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
