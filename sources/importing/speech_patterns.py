"""The words that tell who speaks: the speech verbs (with those learnt from PolNeAR's training
split), the titles and roles before a name, and the clauses around a speaker that are not its name.
Read by `speakers`, `speaker_names` and `speaker_turns`."""

import re
from pathlib import Path

REPORTING_WORDS_FILE = Path(__file__).with_name("data") / "reporting_words.txt"


def _reporting_words():
    """The reporting verbs learnt from PolNeAR's training split (data/reporting_words.txt)."""
    lines = REPORTING_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return [line.split()[0] for line in lines if line.strip() and not line.startswith("#")]


SPEECH_VERB = re.compile(
    r"(?<![\w-])(?:(?:also|further|then|later|again|repeatedly|immediately|strongly|earlier|recently|previously"
    r"|publicly|once again)\s+)?(?P<verb>said|says|say|told|tells|stated|states|stressed|stresses|noted"
    r"|notes|added"
    r"|adds|warned|warns|emphasi[sz]ed|emphasi[sz]es|pointed out|points out|mentioned|accused|accuses|accuse"
    r"|denied|denies|called on|called for|calls on|calls for|claimed|claims|insisted|insists|argued|argues"
    r"|announced|announces|urged|urges|rejected|rejects|dismissed|dismisses|blamed|blames|wrote|writes"
    r"|explained|declared|asserted|criticized|criticised|criticizes|attacked|complained|reiterated|underlined"
    r"|acknowledged|admitted|confirmed|believes|considers|thinks|responded|replied|countered|condemned"
    r"|condemns|alleged|alleges|charged|vowed|pledged|threatened|predicted|expressed|regrets|regretted"
    r"|informed|notified|issued a (?:joint )?statement|made the above statement|quoted as saying"
    r"|refuted|refutes|rebuffed|termed|described (?:it|this|that|the \w+|them) as|tweeted|tweets"
    r"|wrote in|testified|suggested|suggests|contended|contends"
    r"|conceded|concedes|acknowledges|admits|declares|explains|asserts|reported(?= that)|reports(?= that)"
    r"|called(?! (?:a|an|the) (?:[\w-]+ )?(?:meeting|session|vote|election|halt|strike|summit|conference"
    r"|hearing|recess|referendum|truce|ceasefire|cease-fire|snap election)s?\b)"
    r"(?= (?:the|it|this|that|these|those|him|her|them|his|its|their|a|an)\b| [\"“]"
    r"| [A-Z][^.,;:\"“”]{0,60}[\"“])"
    r"|calling(?= (?:the|it|this|that|these|those|him|her|them|his|its|their|a|an)\b| [\"“])"
    r"|saying|telling|adding|noting|arguing|insisting|warning|accusing|denying|claiming"
    r"|insist|claim|warn|deny|admit|contend|allege|note|suggest|predict|complain|acknowledge"
    r"|raised (?:serious )?(?:concerns|opinions|objections|questions)|is (?:pessimistic|optimistic)"
    + "".join(f"|{re.escape(word)}" for word in _reporting_words())
    + r")(?![\w-])"
)
ACCORDING_TO = re.compile(r"\b(?:according to|quoting|citing)\s+(?P<source>[^,;:]{2,120})", re.I)
HEADLINE_SPEAKER = re.compile(r"^(?P<speaker>[^:\"“”]{2,100}):\s+(?=\S)")
PRONOUN = re.compile(r"^(?:he|she|they|it)$", re.I)

REFERRING_NOUN = re.compile(
    r"^the (?P<noun>ministry|statement|spokesman|spokeswoman|spokesperson|minister|official|president"
    r"|diplomat"
    r"|agency|embassy|department|government|prime minister|foreign minister|secretary)$",
    re.I,
)
ORGANIZATION_NOUNS = frozenset(["ministry", "statement", "agency", "embassy", "department", "government"])

CLAUSE_BREAK = re.compile(r"[,;:—\"“”()]")
# A word of a name: "Ruiz", "McCarthy", "RealClearPolitics", "comScore", "J.", "NATO".
NAME_WORD = (
    r"(?:[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿĀ-ž'’\-]+(?:[A-Z][a-z]+){0,3}|(?<![\w'’-])[a-z]{1,6}[A-Z][a-z]+(?:[A-Z][a-z]+)*"
    r"|[A-Z]\.|[A-Z]{2,}\b)"
)

TITLE_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "minister",
        "ministry",
        "president",
        "prime",
        "deputy",
        "foreign",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "director",
        "senior",
        "general",
        "chief",
        "ambassador",
        "envoy",
        "senator",
        "representative",
        "official",
        "commander",
        "chairman",
        "chairwoman",
        "head",
        "leader",
        "premier",
        "vice",
        "state",
        "defense",
        "defence",
        "affairs",
        "trade",
        "commerce",
        "interior",
        "u.s.",
        "us",
        "russian",
        "chinese",
        "american",
        "special",
        "commentator",
        "analyst",
        "according",
        *("home", "colonel", "col", "lieutenant", "lt", "admiral", "adm", "captain", "capt", "major"),
        *("maj", "sergeant", "sgt", "secretary-general", "under-secretary", "undersecretary", "assistant"),
        *("attorney", "governor", "gov", "mayor", "judge", "justice", "speaker", "king", "queen", "prince"),
        *("princess", "sheikh", "emir", "chancellor", "army", "navy", "military", "national", "security"),
        *("council", "parliament", "party", "opposition", "environment", "water", "fisheries", "sea"),
        *("energy", "economy", "finance", "health", "education", "agriculture", "labour", "labor"),
        *("transport", "cabinet", "top", "former", "acting", "interim", "first", "lady", "mr", "mrs", "ms"),
        *("dr", "prof", "sen", "rep", "gen", "presidential", "press", "communications", "campaign"),
        *("manager", "strategist", "adviser", "advisor", "aide", "candidate", "nominee", "gop"),
        *("republican", "democratic", "democrat", "house", "senate", "majority", "minority", "whip"),
        *("coordinator", "commissioner", "vice-president", "president-elect", "sir", "dame", "lord"),
        "in",
        "on",
        "at",
        "after",
        "before",
        "meanwhile",
        "however",
        "but",
        "and",
        "then",
        "also",
        "earlier",
        "later",
        "this",
        "that",
        "last",
    ]
)

# "Samantha Phillips, the city's emergency director, said": a name opening the clause, then its
# apposition ("22, of Flint, Mich.") up to the verb.
APPOSITION = re.compile(
    r"^\W*(?:(?:but|and|meanwhile|however|still|yet|also|separately),?\s+)?"
    r"(?P<head>[^,\"“”]{2,90}?)\s*,(?P<role>[^\"“”]{2,200}?),\s*$",
    re.I,
)
# "(D)", "(D-Conn.)", "(R-Texas)": a party and a state after a name.
PARENTHETICAL = re.compile(
    r"\s*\((?:[DRI]|[DRI]-\s?[A-Z][\w.]*(?:\s[A-Z][\w.]*)?|[A-Z][a-z]{1,5}\.|[A-Z]\.[A-Z]\.?)\)"
)
# "Rep. Ann Reyes, D-Ore., said": the same label between commas; its second comma goes with it when
# the verb follows.
# "Kasich (who has 25 delegates) said": a relative clause in brackets.
# "The justice -- who has been feuding with the nominee -- said": the same between dashes.
BRACKETED_CLAUSE = re.compile(
    r"\s*(?:\((?:who|which|whose)\b[^()]*\)|(?:--|[—–])\s*(?:who|which|whose)\b[^—–]*?(?:--|[—–]))"
)
AFTER_PREPOSITION = re.compile(r"\b(?:in|at|to|from|for|with|of|by|on|into|about)\s+(?:the\s+)?$", re.I)
PARTY_LABEL = re.compile(
    r",\s*[DRI]-[A-Z][\w.]*(?:\s[A-Z][\w.]*)?(?=[,.;\s]|$)"
    r"(?:,(?=\s+(?:\w+ly\s+|also\s+)?(?:said|says|told|tells|added|argued|wrote|warned|noted|stated|insisted)\b))?"
)
# "Russia, China and Iran said": a list of speakers, not a name and its apposition.
LISTED = re.compile(r"\b(?:and|or)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*\s*,?\s*$")
# A description ending where the verb begins: "a Foreign Office spokesperson", "participants",
# "The state's Republican party leader", after auxiliaries ("have also").
DESCRIBED_SUBJECT = re.compile(
    r"(?P<subject>(?:(?:the|a|an|some|several|many|other|two|three|four|one|most|both)\s+)?"
    r"(?:[\w'’.-]+\s+){0,6}?[A-Za-z][\w'’.-]*?)\s*"
    r"(?:\s+(?:has|have|had|also|later|then|publicly|repeatedly|previously|recently|earlier|privately|again"
    r"|have since|had since|on \w+day|this past week|this week|last week))*\s*$",
    re.I,
)
# After an inversion's verb: '"...," said a spokesman for the ministry.'
DESCRIBED_AFTER = re.compile(
    r"^\s+(?P<subject>(?:the|a|an|one|another|his|her|its|their|two|three|several|some|many|other)\s+"
    r"[^,.;:\"“”]{2,80}?)\s*(?:[,.;]|$)",
    re.I,
)
# Words that open no speaker's description ("that said", "as he said").
NOT_A_SUBJECT = frozenset(
    [
        *("that", "which", "who", "what", "as", "when", "while", "if", "because", "than", "where", "so"),
        *("and", "but", "or", "to", "of", "in", "on", "at", "for", "with", "from", "by", "about", "it's"),
        *("is", "was", "were", "are", "has", "have", "had", "be", "been", "not", "also", "then", "this"),
        *("there", "here", "i", "we", "you", "me", "us", "them", "him", "her", "his", "its", "their"),
        *("since", "although", "though", "after", "before", "once", "unless", "until", "whether"),
        *("whereas", "even", "only", "just", "despite", "said", "says"),
    ]
)
# "a spokesperson in Tokyo", "the embassy in London": a city where someone speaks, not who.
LOCATED_IN = re.compile(r"\b(?:in|at|from)\s+(?:the\s+)?$")
# "Britain expelled Russia's attache and accused": the subject did one thing and then another.
COORDINATED_VERB = re.compile(r"\b\w+ed\b.*\band(?:\s+also)?\s*$")
# A state's office after its name or adjective: "'s foreign ministry", " embassy in London".
ORGAN_AFTER = re.compile(
    r"(?:['’]s)?\s+(?P<organ>(?:(?:foreign|defen[cs]e|commerce|trade|interior|justice|finance|water|health"
    r"|environment|energy|economy|agriculture|transport|education|information|home)\s+)?ministry"
    r"(?:\s+of\s+[A-Z][\w ]{2,40}?(?=\s+(?:said|spokes|official)|[,.]|$))?"
    r"|embassy(?:\s+in\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?|consulate(?:\s+in\s+[A-Z][a-z]+)?|military|army|navy"
    r"|air force|coast guard|foreign office|mission to the (?:UN|U\.N\.|United Nations)|parliament"
    r"|prosecutors?|police|intelligence service)\b",
    re.I,
)
MAX_ROLE_WORDS = 10
LEGAL_TEXT = re.compile(
    r"\b(?:treaty|agreement|accord|law|constitution|charter|convention|rules?|regulations?|statute"
    r"|resolution|protocol|article|clause|section|contract|deal|plan|schedule|bill|act)\b",
    re.I,
)
PARTICIPLES = frozenset(
    [
        *("saying", "calling", "adding", "accusing", "telling", "noting", "arguing", "insisting"),
        *("warning", "denying", "claiming", "describing"),
    ]
)
# "But", "Meanwhile,", "On Tuesday," before a clause's subject.
CLAUSE_OPENING = re.compile(
    r"^\W*(?:(?:but|and|meanwhile|however|still|yet|also|separately|instead|earlier|later|then|now)\b,?\s*"
    r"|(?:on|in|at|during|after|before|since)\s+[^,]{1,40},\s*"
    r"|(?:speaking|facing|responding|reacting|citing|writing|appearing|campaigning|addressing|asked|amid"
    r"|despite|following|with)\s+[^,\"“”]{1,80},\s*"
    r"|(?:likewise|similarly|indeed|instead|moreover|furthermore|nevertheless|in addition|at the same time"
    r"|for (?:example|instance|his part|her part|its part|their part))\s*,\s*"
    r"|(?-i:[A-Z][A-Z .,'’-]{2,40})?\s*(?:\([A-Z][\w .]{1,20}\))?\s*(?:--|-|—|–)\s+)*",
    re.I,
)
# "..., did not name him, but told reporters": a second verb of the clause's subject.
COORDINATED_LEAD = re.compile(r"(?:[,\"”]\s*|\s)(?:and|but)(?:\s+(?:also|then|later|again))?\s*$", re.I)
# "Graham met Trump and", "Ruth Marcus has been critical of Trump but": the first verb after a
# clause's subject.
PREDICATE = re.compile(
    r"(?<![\w'’-])(?-i:has|have|had|is|was|were|are|will|would|did|does|can|could|may|might|should|must"
    r"|[a-z]{3,}ed|took|went|made|gave|met|ran|sent|spoke|wrote|came|hit|won|lost|told|said|says)(?![\w'’-])"
)

PARTICIPLE_LEAD = re.compile(r"(?:,|\b(?:before|after|while|by|in|when|upon|on))\s*$", re.I)
QUANTIFIERS = frozenset(
    [
        *("other", "some", "many", "several", "most", "all", "both", "few", "more", "one", "two", "three"),
        *("four", "five", "none", "each", "either", "neither", "another"),
    ]
)
MAX_DESCRIBED_WORDS = 6
# A title abbreviated before a name: "Sen.", "Gov.", "Mrs."
TITLE_IN_NAME = r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Maj|Prof|Rev|Amb)\."
TITLE_ABBREVIATION = TITLE_IN_NAME + r"\s+"
LEADING_NAME = re.compile(
    rf"^\s*(?P<name>(?:{TITLE_ABBREVIATION})?{NAME_WORD}(?:\s+(?:{TITLE_IN_NAME}|{NAME_WORD}|al-\w+|de|van|von"
    r"|bin|da|di|le))*)"
)
# ", who has long opposed the mayor, criticized" / ", who ... and said": a relative clause ending at
# the verb, about the one named before it.
RELATIVE_CLAUSE = re.compile(r",\s*who\s+(?:[^,;:\"“”]|[\"“][^\"“”]*[\"”])*(?:,\s*)?$")
INVERSION_TAIL = re.compile(
    r"(?<=[A-Za-z.])\s+(?:during|in|at|on|after|before|while|when|from|to|with|who|which|whose)\s"
)
ORGANIZATION_WORDS = frozenset(
    [
        *("chiefs", "ministry", "department", "bank", "university", "council", "committee", "office"),
        *("board", "association", "institute", "agency", "court", "house", "party", "union", "commission"),
        *("league", "foundation", "center", "centre", "service", "school", "college", "bureau", "authority"),
        *("corporation", "company", "church", "republic", "kingdom", "state", "states", "chamber", "army"),
    ]
)
ADDRESSING_VERBS = frozenset(["told", "tells", "telling", "informed", "notified"])
# "Hillary Clinton on Tuesday said", "the minister late on Friday night": when, between who and the verb.
TRAILING_TIME = re.compile(
    r"(?:\s+(?:on|last|this|early|late|later|earlier|in|at))*\s+(?:monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|today|yesterday|tonight|week|weekend|month|year|night|morning|afternoon|evening)"
    r"(?:\s+(?:night|morning|afternoon|evening))?\s*$",
    re.I,
)
# "cannot say", "did not tell": no statement made.
NOT_SAID = re.compile(
    r"\b(?:cannot|can['’]t|won['’]t|wouldn['’]t|couldn['’]t|didn['’]t|doesn['’]t|don['’]t|not|never)\s+$",
    re.I,
)
BASE_FORM_VERBS = frozenset(
    [
        *("say", "tell", "claim", "deny", "accuse", "argue", "insist", "warn", "admit", "contend", "allege"),
        *("note", "suggest", "predict", "complain", "acknowledge"),
    ]
)
# "states", "claims", "notes": verbs that are as often nouns, which these words before them show.
NOUN_FORMS = frozenset(["states", "claims", "notes", "calls on", "calls for", "reports", "claim", "note"])
NOUN_BEFORE = re.compile(
    r"(?:\b(?:the|these|those|all|other|several|many|some|both|his|her|its|their|our|my|your|such|any|no"
    r"|of|in|from|to|for|by|with|and|or|\d+|two|three|four|five|six|seven|eight|nine|ten|fifty|united"
    r"|member|early|key|swing|battleground|red|blue|southern|northern|western|eastern|neighboring"
    r"|individual|border|false|unfounded|similar|repeated|earlier|previous)|['’]s)\s+$",
    re.I,
)
# "when asked by reporters", "in a statement": where or when, between a subject and its verb.
ADVERBIAL_PHRASE = re.compile(
    r"^(?:when|while|if|once|asked|speaking|writing|in (?:a|an|his|her|its|their) (?:[\w-]+ )?(?:statement"
    r"|interview|e-?mail|letter|tweet|post|speech|memo|release|op-ed|call|briefing))\b",
    re.I,
)
POSSESSIVE_END = re.compile(r"['’]s?$")
# The verbs that go before their speaker after a clause: "..., said Tom Hale."
INVERSION_VERBS = frozenset(
    ["said", "says", "wrote", "writes", "added", "adds", "noted", "explained", "argued", "insisted", "warned"]
)
RELATIVE_AFTER = re.compile(r",\s*(?:who|which|whose|where)\b")
# After the verb of an inversion: its speaker, a name or a description ("said the company's chief").
INVERTED_SPEAKER = re.compile(r"\s+(?:(?:the|a|an|his|her|its|their)\s|(?-i:[A-Z]))", re.I)
# What may follow an inversion's speaker to the sentence's end: its apposition ("a professor at Yale").
SENTENCE_END = re.compile(r"\s*(?:,\s*(?:the|a|an|his|her|its|their)\s[^,;:\"“”]*)?[.!?\"”'’]*\s*$", re.I)
# "his campaign said", "their attorneys say": a description opening with its possessor.
POSSESSIVES = frozenset(["his", "her", "its", "their"])
DETERMINER = re.compile(
    r"^(?:the|a|an|his|her|its|their|one|another|some|many|several|most|other|two|three)\s+\S", re.I
)
# "analysts", "union members and leaders": people described, not named.
LOWERCASE_PHRASE = re.compile(r"^(?-i:[a-z][a-z'’-]*)(?:\s+(?-i:[a-z][a-z'’-]*)){0,3}$")
# "the Ohio senator", "the former governor": a title that the article gave someone before.
DEFINITE_PERSON = re.compile(
    r"^the\s+(?:[\w.'’-]+\s+){0,3}(?P<title>senator|governor|congressman|congresswoman|president|candidate"
    r"|nominee|front-?runner|minister|secretary|ambassador|mayor|justice|judge|chairman|chairwoman|speaker"
    r"|spokesman|spokeswoman|spokesperson|leader|senior|lawmaker|businessman|billionaire|mogul|general)$",
    re.I,
)
TITLE_ABBREVIATIONS = {"senator": "sen", "governor": "gov", "general": "gen", "representative": "rep"}

# "Gov. Ana Ruiz of Oregon", "Tom Hale of the University of Leeds": a person, then where they are from.
NAME_OF_PLACE = re.compile(r"^(?P<who>.+?)\s+of\s+(?:the\s+)?[A-Z][^,;:\"“”]*$")
LEADING_CONJUNCTION = re.compile(r"^[\W_]*(?:(?:but|and|yet|so|then|still|while|as)\s+)+", re.I)
# "wouldn't", "famously", "has also": between a subject and its verb, saying nothing of who.
TRAILING_ADVERBS = re.compile(
    r"(?:\s+(?:(?-i:[a-z]\w*ly)|has|have|had|also|would|could|will|can|may|might|should|must|did|does|do|not|never"
    r"|wouldn['’]t|couldn['’]t|won['’]t|can['’]t|didn['’]t|doesn['’]t|don['’]t|isn['’]t|wasn['’]t"
    r"|hasn['’]t|haven['’]t|to|again|then|later|first|since|already|still|even|just|ever|once))+$",
    re.I,
)

PERSON_ROLE = re.compile(
    r"\b(?:spokes(?:man|woman|person)|official|minister|diplomat|ambassador|envoy|officer|secretary"
    r"|adviser|advisor|aide|lawmaker|senator|representative)s?\b",
    re.I,
)

# Words no description of a speaker has: a clause's finite verb ("the impact it said", "Back when he
# wrote"), and, after its first word, a pronoun ("She and her defenders" is one).
CLAUSE_WORDS = frozenset(
    [
        *("is", "are", "was", "were", "will", "would", "has", "have", "had", "did", "does", "said", "says"),
        *("when", "because", "if", "could", "can", "should", "might", "must", "couldn’t", "couldn't"),
        *("can’t", "can't", "won’t", "won't", "wouldn’t", "wouldn't", "didn’t", "didn't"),
        *("nothing", "everything", "something", "anything", "whatever"),
    ]
)
# "after the front-runner had said", "the test, which state media claimed": the subject of a
# subordinate or relative clause ending at the verb.
SUBORDINATE_SUBJECT = re.compile(
    r"\b(?:(?:after|when|before|because|while|since|although|though|whereas|until|once)\s+"
    r"(?P<subject>(?:the|a|an|his|her|its|their|(?-i:[A-Z]))[^,;:\"“”]{1,60})"
    r"|(?:which|that)\s+(?P<object_of>(?!(?:is|are|was|were|has|have|had)\b)[^,;:\"“”]{2,60}))$",
    re.I,
)
# ", sources said.", ", the official said on Tuesday.": a short subject and its verb ending a sentence
# after a comma, reporting all that comes before.
FINAL_ATTRIBUTION = re.compile(
    r",\s+[^,;:\"“”]{1,50}?\s(?P<verb>said|says|added|wrote|writes)"
    r"(?:\s+(?:on|in|at|last|this|earlier|later|late|early|during|after|before|yesterday|today|\w+day)\b"
    r"[^,;:\"“”]{0,30}?)?[.!?]?[\"”’']?\s*$",
    re.I,
)
PASSIVE_FORMS = frozenset(["accused", "charged", "alleged", "blamed", "criticized", "criticised"])
PASSIVE_AFTER = re.compile(r"\s+(?:of|with|for|by)\b")
PRONOUN_WORDS = frozenset(["he", "she", "it", "they", "we", "i", "you", "him", "them"])
# A verb opening the words before a speech verb, alone or with its object: no one described.
VERB_AND_OBJECT = re.compile(r"^(?-i:[a-z]+(?:ed|ing))(?:$|\s+(?:a|an|the|his|her|its|their|to)\s)")
LY_ADVERB = re.compile(r"(?-i:[a-z]+ly)")
DASH = re.compile(r"--|[—–]")

SENTENCE_ADVERBS = frozenset(
    [
        *("yesterday", "instead", "overall", "indeed", "afterward", "afterwards", "now", "here", "there"),
        *("again", "finally", "first", "second", "third", "today", "tonight", "nevertheless", "still"),
        *("so", "thus", "hence", "otherwise", "similarly", "likewise", "ultimately", "eventually", "yes"),
        *("no", "well", "sadly", "fortunately", "unfortunately", "asked", "speaking", "writing", "in"),
        *("for", "with", "by", "if", "when", "while", "as", "since", "because", "although", "though"),
    ]
)
TIME_WORDS = frozenset(
    [
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today"),
        *("january", "february", "march", "april", "may", "june", "july", "august", "september"),
        *("october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept"),
        *("sep", "oct", "nov", "dec", "christmas", "easter"),
    ]
)

# "said in a statement on Tuesday that": the words before "that" place the statement. A quotation
# mark or a finite verb among them ("Norway would inspect trawlers that fished") means the statement
# has already begun and this "that" is its own.
CONTENT_LEAD = re.compile(
    r"^(?:(?:(?!\b(?:will|would|can|could|should|must|may|might|is|are|was|were|has|have|had)\b)"
    r"[^\"“”]){0,70}?\s)?that\s+|^\s*[,:]\s*",
    re.S | re.I,
)

# "Riyabkov, the deputy minister,": a connective before the name is no title.
CONNECTIVE_ROLE = re.compile(
    r"^(?:however|meanwhile|but|and|also|moreover|separately|in addition|too|though|in turn|instead"
    r"|for (?:his|her|its|their) part|in response|for (?:instance|example))$",
    re.I,
)
