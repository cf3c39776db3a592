"""What kind of claim a statement is, from the words that carry it."""

import re

from claims.choices import ClaimKind

DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied|ial)|reject\w*|groundless|unfounded|baseless|fabricat\w*|not true|untrue|false"
    r"|no evidence|nonsense|absurd|ridiculous|slander\w*|smear\w*|not responsible|refut\w*|dismiss\w*"
    r"|(?:has|have|had|did|does|do|was|were|is|are) (?:not|never) "
    r"(?:violat|breach|brok|break|"
    r"attack|interfer|fir|enter|cross|harm|sen[dt]|hack|spy|spie|caus|target|us|block|restrict|steal|stole"
    r"|ram|shoot|shot|shell|bomb|kill|sabotag|plan|intend|involv|support|fund|financ|meddl|rig|cheat|lie"
    r"|lied|mislead|torture|abus|detain|arrest)\w*|strictly (?:abides|complies|observes|adheres)"
    r"|fully complies"
    r"|(?:abides|complies) (?:by|with)|disinformation|misinformation|propaganda|distort\w* the facts"
    r"|nothing to hide|in good faith|in line with|in accordance with|inherent territory|acted lawfully"
    r"|followed (?:every|all|the) (?:rules?|procedures?|law)|no basis|politically motivated|lies)\b",
    re.I,
)
ACCUSATION = re.compile(
    r"\b(?:accus\w*|blam\w*|violat\w*|breach\w*|undermin\w*|destructive|hostile|aggressi\w*|provocat\w*"
    r"|sabotag\w*|threaten\w*|intimidat\w*|illegal\w*|unlawful\w*|unfair\w*|dumping|incursion\w*|intru\w*"
    r"|attack\w*|sanctions|interfer\w*|responsible for|to blame|fault|pretext|imagined|allegation\w*"
    r"|distort\w*|provok\w*|blocked|protectionis\w*|siphon\w*|status quo|cut (?:off )?supplies"
    r"|discriminat\w*|coerc\w*|bully\w*|irresponsible|not given due consideration|fail\w* to"
    r"|arbitrar\w*|unjustified|unjustifiable|covering up|cover-up|cover up|invent\w*|spy\w*|spies"
    r"|espionage"
    r"|(?:deeply|gravely|seriously) concerned|abus\w*|opened fire|started the (?:firing|fighting)"
    r"|hacking|as a weapon|turned back|ignor\w*|suspicion|red-handed|swept|rug|disrupt\w*|reckless\w*"
    r"|malicious|smuggl\w*|destabili[sz]\w*|hostages?|existential threat"
    r"|pos\w* (?:a|an) (?:\w+ )?threat|entered [\w’' ]{0,30}(?:territorial waters|airspace)"
    r"|plunder\w*|steal\w*|stole\w*|theft|lie|lied|lying|rigg\w*|fraud\w*|illicit|meddl\w*"
    r"|censor\w*|silenc\w*|persecut\w*|repress\w*|crackdown|genocide|atrocit\w*|war crimes?)\b",
    re.I,
)
ASSESSMENT_VERB = re.compile(
    r"\b(?:believes?|considers?|thinks?|think|assess\w*|expects?|estimat\w*|pessimistic|optimistic|predict\w*"
    r"|view\w*|sees?|warn\w*)\b",
    re.I,
)
POSITION = re.compile(
    r"\b(?:will|would|shall|intends?|plans?|decided|decision|should|must|ready to|willing"
    r"|call\w* (?:on|for)|urg\w*"
    r"|position|unacceptable|cannot accept|demand\w*|insist\w*|regret\w*|oppos\w*|support\w*|continue to|"
    r"vow\w*|pledg\w*|promis\w*|need to|backup plan|open to)\b",
    re.I,
)
# "political will", "goodwill": the noun, which commits no one to anything.
NOUN_WILL = re.compile(r"\b(?:political|good|the|no|any|its|their|his|her|our)\s+will\b", re.I)
# "the meeting will be held next week": a scheduled event is a fact reported, not a stance taken.
SCHEDULED = re.compile(
    r"\b(?:will|would|is to|are to)\s+(?:also\s+)?(?:be held|take place|be convened|convene|hold|meet|begin"
    r"|start|open|resume)\b",
    re.I,
)
# "From the current situation, there is little hope that ...": the speaker judges how things stand.
JUDGING = re.compile(
    r"\b(?:from the current situation|judging (?:by|from)|as things stand|(?:little|no|slim|faint|some) hope"
    r"|in (?:his|her|their|my|our) (?:view|opinion))\b",
    re.I,
)
# Who is quoted for their reading of events rather than to speak for a side.
ANALYST = re.compile(
    r"\b(?:analyst|commentator|expert|researcher|scholar|professor|fellow|economist|observer|strategist"
    r"|think tank|institute|university)\b",
    re.I,
)
ASSESSMENT_CONTENT = re.compile(
    r"\b(?:risk|may|might|could|(?:un)?likely|means that|appears|seems|the reason|because)\b", re.I
)
# "found no violations", "without provocation": an accusing word that is negated accuses no one.
NEGATED = re.compile(r"\b(?:no|not|never|without)\s+(?:\w+\s+)?$", re.I)
# "called the claim absurd and said ...": the frame already rejects what the other side said.
REJECTING_FRAME = re.compile(
    r"\b(?:called|calling|described|dismissed|rejected|rejecting|denied|denying)\s+(?:the|this|that|these|those)"
    r"\s+(?:\w+\s+)?(?:claim|accusation|allegation|charge|report|assertion)s?\b",
    re.I,
)
ANSWERING = re.compile(
    r"\b(?:in response|responded|retorted|countered|hit back|in turn|in this regard)\b", re.I
)


DENYING_VERBS = frozenset(
    ["denied", "denies", "deny", "rejected", "rejects", "dismissed", "dismisses", "refuted"]
)
# "insisted the water was safe": said against what the other side says; a denial once accused.
INSISTING_VERBS = frozenset(["insisted", "insists"])
# "raised serious concerns about X's compliance" complains of the other side, as "accused" does.
RAISING_CONCERNS = re.compile(r"^raised\b", re.I)
ACCUSING_VERBS = frozenset(
    [
        "accused",
        "accuses",
        "accuse",
        "blamed",
        "blames",
        "charged",
        "alleged",
        "alleges",
        "condemned",
        "condemns",
        "criticized",
        "criticised",
        "criticizes",
        "attacked",
        "complained",
    ]
)
COMMITTING_VERBS = frozenset(
    [
        "called on",
        "called for",
        "calls on",
        "calls for",
        "urged",
        "urges",
        "vowed",
        "pledged",
        "informed",
        "notified",
        "announced",
        "announces",
    ]
)
# "urged Tokyo to lift the ban, calling it unscientific": a judgement the statement goes on to pass.
CALLING_CLAUSE = re.compile(
    r",\s*(?:calling|describing|terming)\s+(?:it|them|this|that|the|its|their|his|her)\b(?:\s+\w+){0,3}?\s+"
    r"(?:as\s+)?[\"“']?\w",
    re.I,
)
# "would have a negligible impact": a forecast of consequences, not a commitment.
FORECAST = re.compile(
    r"\b(?:will|would|could|may|might)\s+(?:\w+\s+)?(?:have|cause|pose)\s+(?:a|an|no|little|any|some|serious)?\s*"
    r"(?:\w+\s+){0,2}(?:impact|effect|consequences?|risk)s?\b",
    re.I,
)
# How far into a statement its own framing verb may sit ("Moscow considers the deployment a threat").
OPENING_WORDS = 8


# "called the detention 'unacceptable'", "described the move as reckless": a judgement on the other
# side, unless what is called so is a claim ("called the accusation absurd": a denial).
CALLING_VERBS = frozenset(["called", "calling", "termed", "described"])


def claim_kind(verb, content, frame=""):
    """One of `ClaimKind`, before the article's context can make an accusation a counter-accusation.
    The reporting verb decides when it is telling ("denied", "accused", "urged"), or a frame that
    rejects a claim ("called the accusation absurd"); else the words of the statement, a denial
    before an accusation ("the accusation is groundless")."""
    verb = verb.lower()
    opening = " ".join(content.split()[:OPENING_WORDS])
    if verb in DENYING_VERBS or REJECTING_FRAME.search(frame):
        return ClaimKind.DENIAL
    if verb in ACCUSING_VERBS or RAISING_CONCERNS.match(verb):
        return ClaimKind.ACCUSATION
    if verb.split()[:1] and verb.split()[0] in CALLING_VERBS and verb not in COMMITTING_VERBS:
        return ClaimKind.ACCUSATION
    if verb in COMMITTING_VERBS:
        return ClaimKind.ACCUSATION if _calls_it_so(content) else ClaimKind.POSITION
    if DENIAL.search(content):
        return ClaimKind.DENIAL
    if _accuses(content):
        return ClaimKind.ACCUSATION
    if (
        ASSESSMENT_VERB.search(verb)
        or ASSESSMENT_VERB.search(opening)
        or JUDGING.search(content)
        or FORECAST.search(content)
    ):
        return ClaimKind.ASSESSMENT
    if _takes_a_position(content):
        return ClaimKind.POSITION
    if ASSESSMENT_CONTENT.search(content):
        return ClaimKind.ASSESSMENT
    return ClaimKind.ASSERTION


def calls_it_unfounded(verb, frame, content):
    """ "called the expulsion 'politically motivated'": a judgement in the words of a denial, which
    from the accused side denies the charge behind the act."""
    if verb.split()[:1] and verb.split()[0].lower() in CALLING_VERBS:
        return bool(DENIAL.search(f"{frame[frame.find(verb) + len(verb) :]} {content}"))
    return False


def _calls_it_so(content):
    """ "..., calling the measure 'unscientific'": the statement judges the other side's act."""
    match = CALLING_CLAUSE.search(content)
    return bool(match) and not REJECTING_FRAME.search(content[match.start() :])


def _takes_a_position(content):
    return bool(POSITION.search(SCHEDULED.sub("", NOUN_WILL.sub("", content))))


def kind_for_speaker(kind, roles):
    """An analyst's statement of fact or stance is their assessment of the situation."""
    if kind in (ClaimKind.ASSERTION, ClaimKind.POSITION) and any(ANALYST.search(role) for role in roles):
        return ClaimKind.ASSESSMENT
    return kind


def _accuses(content):
    return any(not NEGATED.search(content[: word.start()]) for word in ACCUSATION.finditer(content))
