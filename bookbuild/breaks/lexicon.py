"""Word lists the boundary features look for: time cues, pronouns, speech verbs, stop words."""

from __future__ import annotations

TIME_WORDS = frozenset(
    """morning mornings evening evenings night nights afternoon afternoons noon midnight dawn
    daybreak sunrise sunset dusk twilight day days week weeks month months year years hour hours
    o'clock monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december spring summer autumn winter christmas
    breakfast lunch luncheon dinner supper tea tonight tomorrow yesterday today""".split()
)
SHIFT_WORDS = frozenset(
    "next following later afterwards afterward ago since meanwhile presently eventually soon finally".split()
)
# A phrase that moves the clock: "the next morning", "three weeks later", "that evening".
TIME_SHIFT = (
    r"\b(?:the (?:next|following) (?:morning|day|evening|night|afternoon|week|month|year)"
    r"|(?:\w+|\d+) (?:minutes?|hours?|days?|weeks?|months?|years?|mornings?|evenings?|nights?)"
    r" (?:later|afterwards?|passed|went by|after)"
    r"|(?:that|this|one|next|every|each) (?:morning|evening|night|afternoon|day)"
    r"|o'clock|at (?:dawn|noon|midnight|sunset|sunrise|dusk)"
    r"|half[- ]past|quarter (?:past|to)|a (?:day|week|month|year|fortnight) or (?:two|so)"
    r"|the (?:day|morning|evening|night|week) (?:after|before)|after (?:his|her|their|our|my) return"
    r"|on the (?:morning|evening|afternoon|night|day) of)\b"
)
# Every TIME_SHIFT phrase holds one of these as a whole word (an apostrophe ends a word, as for
# the regex's \b), so words without any of them need not be searched. Keep the two in step.
TIME_SHIFT_KEYS = frozenset(
    """morning mornings evening evenings night nights afternoon day days week weeks month months
    year years minute minutes hour hours clock dawn noon midnight sunset sunrise dusk past quarter
    fortnight return""".split()
)
# Words that set a scene's place or weather ("Outside, the sky was gusty and overcast").
SETTING_WORDS = frozenset(
    """sky sun moon rain snow wind weather fog mist storm street streets room house hotel garden
    station office road town city village church club restaurant car train ship outside inside
    kitchen library hall porch door window lawn park square river sea shore""".split()
)
PRONOUNS = frozenset("he she they it his her him them their we i you its this that these those".split())
CONNECTIVES = frozenset("and but so then yet or for nor still besides however".split())
# Verbs of a speech tag ("said the grocer", "Clovis muttered").
SAY = (
    "said|asked|cried|replied|answered|exclaimed|whispered|muttered|observed|remarked|continued|"
    "inquired|demanded|shouted|called|began|added|repeated|murmured|returned|explained|declared|"
    "says|asks|went on|told|informed|confided|stipulated|protested|suggested|insisted|laughed"
)
PRESENT = frozenset("is are has have does am isn't aren't doesn't".split())
PAST = frozenset("was were had did wasn't weren't hadn't didn't".split())
STOP = frozenset(
    """the a an and or but of to in on at by for with from as is was were be been being had has have
    he she it they them his her their him i you we me my your our its this that these those there
    here then than not no so if when what which who whom whose would could should will can did do does
    said one all any some into out up down over about after before again very just only more most
    such other own same too also now well like back even still much upon""".split()
)
# Whose story the narration tells: I, you, he, she, they (a new viewpoint changes the mix).
POV_GROUPS = (
    frozenset("i me my we us our myself mine".split()),
    frozenset("you your yours".split()),
    frozenset("he him his himself".split()),
    frozenset("she her hers herself".split()),
    frozenset("they them their themselves".split()),
)
# Verbs whose tense a passage's narration shows (a wider list than PRESENT / PAST's auxiliaries).
SCENE_PRESENT = PRESENT | frozenset("says goes comes".split())
SCENE_PAST = PAST | frozenset("said went came".split())
# Someone moving or waking at a new paragraph's opening ("I went back to my hotel").
ARRIVE_WORDS = frozenset(
    """went came arrived returned drove walked climbed reached got left entered rode travelled traveled
    sailed flew hurried strolled wandered started set crossed headed marched ran stepped turned drifted
    moved woke awoke waked""".split()
)
# Someone leaving, a door, the night, sleep in a paragraph's last sentence ("He slammed the door").
LEAVE_WORDS = frozenset(
    """left gone went departed goodbye good-bye good-night goodnight bed asleep sleep slept door away
    off night dark closed slammed vanished disappeared""".split()
)
# A sentence that sets a scene: "The street was gray", "Noonan was waddling".
STATIVE = frozenset("was were had stood lay sat".split())
OPENING_PREPOSITIONS = frozenset(
    """in at on by outside inside across along through beyond under down up over when after before
    as""".split()
)
