"""The extraction engine: an article's text in, the claims it attributes to someone out, as
candidates for an editor to review. It reads actors and topics to resolve names, and writes nothing."""

import dataclasses
import datetime
import functools
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from claims.choices import ClaimKind, DatePrecision

from . import article as articles
from .dates import StatedDate, claim_date, explicit_date, is_plausible_context
from .kinds import (
    ACCUSING_VERBS,
    ANSWERING,
    INSISTING_VERBS,
    calls_it_unfounded,
    claim_kind,
    kind_for_speaker,
)
from .names import CONFIDENT_SCORE, SUPPORTED_SCORE, Mention, actor_directory, plain, topic_directory
from .sentences import QUOTED, inside_quotation, quotations, sentence_spans

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
    r"|called(?= (?:the|it|this|that|these|those|him|her|them|his|its|their|a|an)\b| [\"“]"
    r"| [A-Z][^.,;:\"“”]{0,60}[\"“])"
    r"|calling(?= (?:the|it|this|that|these|those|him|her|them|his|its|their|a|an)\b| [\"“])"
    r"|saying|telling|adding|noting|arguing|insisting|warning|accusing|denying|claiming"
    r"|raised (?:serious )?(?:concerns|opinions|objections|questions)|is (?:pessimistic|optimistic)"
    + "".join(f"|{re.escape(word)}" for word in _reporting_words())
    + r")(?![\w-])"
)
ACCORDING_TO = re.compile(r"\b(?:according to|quoting|citing)\s+(?P<source>[^,;:]{2,120})", re.I)
HEADLINE_SPEAKER = re.compile(r"^(?P<speaker>[^:\"“”]{2,100}):\s+(?=\S)")
PRONOUN = re.compile(r"^(?:he|she|they|it)$", re.I)
PRONOUN_OPENING = re.compile(r"\s*(?:he|she|they|it|we|i)\b", re.I)
REFERRING_NOUN = re.compile(
    r"^the (?P<noun>ministry|statement|spokesman|spokeswoman|spokesperson|minister|official|president"
    r"|diplomat"
    r"|agency|embassy|department|government|prime minister|foreign minister|secretary)$",
    re.I,
)
ORGANIZATION_NOUNS = frozenset(["ministry", "statement", "agency", "embassy", "department", "government"])
MUTUAL = re.compile(r"(?:each other|one another)\b", re.I)
CLAUSE_BREAK = re.compile(r"[,;:—\"“”()]")
NAME_WORD = r"(?:[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿĀ-ž'’\-]+(?:[A-Z][a-z]+)?|[A-Z]\.|[A-Z]{2,}\b)"
TRAILING_NAME = re.compile(
    rf"(?P<name>{NAME_WORD}(?:\s+(?:{NAME_WORD}|al-\w+|de|van|von|bin|da|di|le))*)\s*$"
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
STATEMENT_WORDS = re.compile(r"^(?:on|in|at|as|by|after|before|since|during|for|from)\b", re.I)
SUMMARY_WORDS = 40
NO_CONTENT_VERB = re.compile(r"made the above statement")
# "(Figure: Tass)", "(Photo: Reuters)": a picture's caption or credit, no one's statement.
CAPTION = re.compile(r"^\(\s*(?:figure|photo|picture|image|source|video|graphic|credit)s?\s*:[^()]*\)$", re.I)
# A later candidate of the same speaker restates an earlier one when they share this share of the
# shorter one's content words, and this share of the longer one's: a lede that sums up in six words
# what a later paragraph says in twenty is not restated by it.
RESTATEMENT_OVERLAP = 0.6
RESTATEMENT_OVERLAP_OF_LONGER = 0.4
RESTATEMENT_MIN_SHARED = 2
FUNCTION_WORDS = frozenset(
    [
        *("the", "a", "an", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or", "but"),
        *("that", "this", "these", "those", "its", "it", "their", "is", "are", "was", "were", "has", "have"),
        *("had", "be", "been", "will", "would", "said", "says", "say", "also", "same", "year", "as"),
        *("which", "who", "into", "than", "not"),
    ]
)
# Bounds that keep a hostile or broken input linear: no article needs more candidates, and an
# excerpt stops growing past this many characters.
MAX_CANDIDATES = 300
MAX_EXCERPT_CHARS = 3000
# "Q:" / "QUESTION:" / "A:" / "MR MILLER:" / "MS. NAUERT:" opening a transcript's turn.
TRANSCRIPT_TURN = re.compile(
    r"^(?:(?P<question>Q|QUESTION|QUESTIONER)|(?P<answer>A|ANSWER)"
    r"|(?:(?:MR|MS|MRS|DR|SEN|GEN|AMB)\.?\s+)?(?P<name>[A-Z][A-Z'’-]+(?:\s+[A-Z][A-Z'’-]+)?))\s*:\s+"
)
# The host a briefing's headline names: "Spokesperson Mao Ning's Regular Press Conference".
TRANSCRIPT_HOST = re.compile(
    r"(?:Spokesperson|Spokesman|Spokeswoman|Secretary|Minister|Ambassador|President)\s+"
    r"(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2})(?:['’]s)?\b.*\b(?:Press Conference|Briefing|Remarks)"
)
# "... and said", "and called": the same speaker's second statement in a sentence (", saying"
# goes on with the first).
SECOND_VERB = re.compile(
    r"(?:\s+and\s+(?:also\s+)?)(?P<verb>said|added|warned|called on|called for|urged"
    r"|denied|accused|insisted|vowed|pledged|demanded|rejected)\b"
)
SECOND_VERB_MIN_OFFSET = 12
# "Ruiz said the plan would fail, but Okafor told reporters it was sound": where a clause with
# another speaker may start, after the first speaker's verb.
OTHER_SPEAKER_BREAK = re.compile(r",\s*(?:but|while|whereas|and)\s+|;\s*")
# "While Ruiz has said ..., Okafor said ...": after a subordinate clause, any comma may start it.
SUBORDINATE_OPENING = re.compile(r"\s*(?:but\s+)?(?:while|whereas|although|though|(?:even\s+)?as)\s", re.I)
ANY_COMMA = re.compile(r",\s*")
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
BRACKETED_CLAUSE = re.compile(r"\s*\((?:who|which|whose)\b[^()]*\)")
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
# The last word of a name of two words or more: "Graham" after "Lindsey Graham".
SURNAME_IN_TEXT = re.compile(r"\b[A-Z][a-z'’-]+(?:\s+[A-Z]\.)?\s+(?P<surname>[A-Z][a-z'’-]{2,})\b")
PARTICIPLE_LEAD = re.compile(r"(?:,|\b(?:before|after|while|by|in|when))\s*$", re.I)
QUANTIFIERS = frozenset(
    [
        *("other", "some", "many", "several", "most", "all", "both", "few", "more", "one", "two", "three"),
        *("four", "five", "none", "each", "either", "neither", "another"),
    ]
)
MAX_DESCRIBED_WORDS = 6
# A title abbreviated before a name: "Sen.", "Gov.", "Mrs."
TITLE_ABBREVIATION = r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Maj|Prof|Rev|Amb)\.\s+"
LEADING_NAME = re.compile(
    rf"^\s*(?P<name>(?:{TITLE_ABBREVIATION})?{NAME_WORD}(?:\s+(?:{TITLE_ABBREVIATION}|{NAME_WORD}|al-\w+|de|van|von"
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
BASE_FORM_VERBS = frozenset(["say", "tell", "claim", "deny", "accuse", "argue", "insist", "warn", "admit"])
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
RECENT_PEOPLE = 6
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
WORD = re.compile(r"[A-Za-z]{2,}")
# After the verb, fewer words than this ("said.", "said in a statement.") say nothing of their own.
MIN_CONTENT_WORDS = 3
PERSON_ROLE = re.compile(
    r"\b(?:spokes(?:man|woman|person)|official|minister|diplomat|ambassador|envoy|officer|secretary"
    r"|adviser|advisor|aide|lawmaker|senator|representative)s?\b",
    re.I,
)
# After the verb, these describe the event the statement is about, whose date is not the statement's.
OBJECT_WORDS = re.compile(
    r"\b(?:carried out|committed|launched|conducted|staged|which took place|that took place)\b"
)
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
TIME_PREPOSITION = re.compile(r"\b(?:on|in|at|since|until|by|last|this|next|early|late|mid)\s*$", re.I)
# A sentence opening like this goes on with the claim before it rather than making another.
CONTINUING_OPENING = re.compile(
    r"^(?:but|and|or|so|this|that|these|those|it|its|such|which|moreover|also|even|because)\b", re.I
)
# "WASHINGTON, June 18 (Reuters) - ": the article's date, not the statement's.
DATELINE_PREFIX = re.compile(r"^[A-Z][^\n]{0,90}?\s(?:--|-|—|–)\s+")
# A date named this many paragraphs back still dates an undated statement; an accusation this many
# paragraphs back is still being answered when the dates cannot tell which came first.
CONTEXT_REACH_PARAGRAPHS = 2
ANSWER_REACH = 2
# From the finest to the coarsest.
DATE_PRECISIONS = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]
# "said in a statement on Tuesday that": the words before "that" place the statement. A quotation
# mark or a finite verb among them ("Norway would inspect trawlers that fished") means the statement
# has already begun and this "that" is its own.
CONTENT_LEAD = re.compile(
    r"^(?:(?:(?!\b(?:will|would|can|could|should|must|may|might|is|are|was|were|has|have|had)\b)"
    r"[^\"“”]){0,70}?\s)?that\s+|^\s*[,:]\s*",
    re.S | re.I,
)

# Without "that": "informed the parties of its decision on May 22, saying" keeps its date; "said the
# bloc had no right" ends before the statement's own verb, "plans to suspend it from February 2"
# before the date the plan takes effect.
FRAME_TAIL_LENGTH = 100
FRAME_TAIL = re.compile(
    rf"[^,;:\"“”]{{0,{FRAME_TAIL_LENGTH}}}?(?=[,;:\"“”]|\b(?:is|are|was|were|has|have|had|will|would|can|could|should|must"
    r"|may|might|did|does|do|from|until|till|starting|effective)\b|$)"  # case kept: "May 22" is no verb
)
# "the US accusations", "Washington's allegations", "accusations by US officials": who accused.
ACCUSATION_AFTER = re.compile(
    r"(?:['’]s?)?\s+(?:\w+\s+)?(?:accusations?|allegations?|claims?|charges?)\b", re.I
)
ACCUSATION_BEFORE = re.compile(
    r"\b(?:accusations?|allegations?|claims?|charges?)\s+(?:\w+\s+)?(?:by|from)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.I,
)
# "in a letter to", "told": the one a statement is addressed to.
ADDRESSEE = re.compile(r"\b(?:to|told|informed|wrote to)\s+(?:the\s+)?$", re.I)
# "Riyabkov, the deputy minister,": a connective before the name is no title.
CONNECTIVE_ROLE = re.compile(
    r"^(?:however|meanwhile|but|and|also|moreover|separately|in addition|too|though|in turn|instead"
    r"|for (?:his|her|its|their) part|in response|for (?:instance|example))$",
    re.I,
)


@dataclass
class SpeakerMatch:
    name: str
    actor_id: int | None
    as_written: str
    alternatives: list = field(default_factory=list)
    reason: str = ""
    # No recorded actor: `name` is proposed as a new one, of this `kind` (person, organization,
    # state; "" when unsure), affiliated with `affiliation` ({"name", "actor_id"}, the id None and
    # its "kind" given when that one is new too).
    is_new: bool = False
    kind: str = ""
    affiliation: dict | None = None
    # Written only as a description ("participants", "a senior official"): no name to record.
    unnamed: bool = False


@dataclass
class SourceDraft:
    title: str = ""
    outlet: str = ""
    author: str = ""
    published_on: datetime.date | None = None
    language: str = ""
    url: str = ""
    full_text: str = ""
    paragraphs: list = field(default_factory=list)


@dataclass
class Candidate:
    speaker: SpeakerMatch
    speaker_role: str
    target: dict | None
    kind: str
    stated_on: datetime.date
    date_precision: str
    date_inferred: bool
    summary: str
    quote: str
    excerpt: str
    locator: str
    topics: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    # How the date was read: the words that give it, or what it was inferred from.
    date_reason: str = ""


@dataclass
class Extraction:
    source: SourceDraft
    candidates: list
    # Reading stopped before the article's end (its deadline passed, or `MAX_CANDIDATES` were found).
    truncated: bool = False

    def as_json(self):
        """Plain dicts, lists, strings and numbers; dates as ISO 8601."""
        return _jsonable(dataclasses.asdict(self))


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def extract_article(text, *, url="", published_on=None, outlet="", is_html=None, deadline=None):
    """The source and the candidate claims of an article, plain text or a web page. With a
    `deadline` (a `time.monotonic()` value), reading stops at the first sentence after it and the
    extraction says it is `truncated`."""
    if not isinstance(text, str):
        raise ValueError("The article must be text (a str).")
    if is_html is None:
        is_html = articles.looks_like_html(text)
    read = articles.read_html(text) if is_html else articles.read_plain_text(text)
    base_date = published_on or read.published_on
    dateline = articles.dateline_date(read.paragraphs, year=base_date.year if base_date else None)
    source = SourceDraft(
        title=read.title,
        outlet=outlet or articles.outlet_in_dateline(read.paragraphs) or read.outlet,
        author=read.author,
        published_on=base_date or dateline,
        language=articles.guess_language(read.full_text),
        url=url or read.url,
        full_text=read.full_text,
        paragraphs=read.paragraphs,
    )
    if not read.paragraphs:
        return Extraction(source=source, candidates=[])
    reader = _ArticleReader(source, base_date=source.published_on, deadline=deadline)
    candidates = reader.candidates()
    return Extraction(source=source, candidates=candidates, truncated=reader.truncated)


@dataclass
class _Attribution:
    """Who a sentence says spoke, and where the sentence's frame ("X said on Tuesday that") ends."""

    speaker: SpeakerMatch
    speaker_root_ids: set
    role: str
    verb: str
    frame: str
    content: str
    is_person: bool
    # An office's unnamed spokesperson or official: "he" / "she" next refers to them.
    for_person: bool = False


class _ArticleReader:
    """Reads an article sentence by sentence, remembering what a reader remembers: the last speaker
    (for "he said"), the date last named (for "on the same day") and who accused whom."""

    def __init__(self, source, base_date, deadline=None):
        self.source = source
        # Without the article's date, today stands in; every date read against it says so.
        self.base_date = base_date or datetime.date.today()
        self.base_is_known = base_date is not None
        self.deadline = deadline
        self.truncated = False
        self.last_organization = None
        self.surnames = {match.group("surname") for match in SURNAME_IN_TEXT.finditer(source.full_text)}
        self.transcript_speaker = None
        self.actors = actor_directory()
        if not _KNOWN_TITLE_WORDS:
            _KNOWN_TITLE_WORDS.update(_title_words())
        self.topics = topic_directory()
        self.article_topic = self._main_topic()
        self.last_attribution = None
        self.last_person = None
        self.recent_people = []
        self.last_statement = None
        self.context_date = None
        self.context_paragraph = 0
        self.paragraph_number = 0
        # (accuser's root actor id, accused root actor id) -> [(the paragraph saying so, its date)],
        # the paragraph None for an accusation only a denial reports
        self.accusations = {}
        # the accused's root actor id (or name) -> the last to accuse them, as a target
        self.accusers = {}
        # an accuser's root actor id -> the last they accused, as a target
        self.side_targets = {}
        # a speaker (actor id or name) -> the root actor ids of the sides it was last seen speaking for
        self.speaker_sides = {}

    def candidates(self):
        found = []
        for number, paragraph in enumerate(self.source.paragraphs, start=1):
            self.paragraph_number = number
            if number == 1 and paragraph == self.source.title:
                self.transcript_speaker = self._transcript_host(paragraph)
                continue  # the headline restates what the body attributes in full
            turn = TRANSCRIPT_TURN.match(paragraph)
            if turn and turn.group("question"):
                # A journalist's question: only the attributions it reports are claims.
                self.last_attribution = None
            open_candidate, open_start = None, 0
            for start, end in sentence_spans(paragraph):
                if self._out_of_time(found):
                    return self._without_restatements(found)
                sentence = paragraph[start:end]
                if CAPTION.match(sentence.strip()):
                    continue
                attribution = None
                if start == 0 and turn and not turn.group("question"):
                    attribution = self._transcript_turn(turn, sentence)
                attribution = attribution or self._attribution(sentence)
                if attribution is None:
                    self._note_context_date(sentence)
                    self._note_person(sentence)
                    if open_candidate is not None and self._is_another_claim(open_candidate, sentence):
                        attribution = self._continuing(sentence)
                    elif open_candidate is not None:
                        if end - open_start <= MAX_EXCERPT_CHARS:
                            self._extend(open_candidate, paragraph[open_start:end], sentence)
                        continue
                    elif sentence.lstrip()[:1] in '"“' and self.last_attribution is not None:
                        attribution = self._continuing(sentence)
                    else:
                        continue
                mutual = self._mutual_accusation(attribution, sentence, number)
                if mutual:
                    found.extend(mutual)
                    open_candidate, open_start = None, 0
                    continue
                second = self._second_attribution(attribution, sentence)
                other = None if second is not None else self._other_speaker(attribution, sentence)
                if other is not None:
                    split_at, other_start, second = other
                    first = self._candidate(attribution, sentence[:split_at], number)
                    if not NO_CONTENT_VERB.fullmatch(attribution.verb):
                        found.append(first)
                    open_candidate = self._candidate(second, sentence[other_start:], number)
                    open_start = start + other_start
                    found.append(open_candidate)
                    continue
                open_candidate, open_start = self._candidate(attribution, sentence, number), start
                if NO_CONTENT_VERB.fullmatch(attribution.verb):
                    continue  # "made the above statement" places the words before it, and says nothing new
                found.append(open_candidate)
                if second is not None:
                    found.append(self._candidate(second, sentence, number))
        return self._without_restatements(found)

    def _out_of_time(self, found):
        """Whether to stop reading: past the deadline, or enough candidates for any article."""
        if len(found) >= MAX_CANDIDATES or (self.deadline is not None and time.monotonic() > self.deadline):
            self.truncated = True
        return self.truncated

    # --- transcripts -----------------------------------------------------------------------------

    def _transcript_host(self, title):
        """ "Foreign Ministry Spokesperson Mao Ning's Regular Press Conference": who answers."""
        match = TRANSCRIPT_HOST.search(title)
        if not match:
            return None
        name = match.group("name")
        role = title[: match.start("name")].strip()
        return self._by_name_text(name, role)

    def _transcript_turn(self, turn, sentence):
        """ "A: ..." is the briefing's host; "MR MILLER: ..." / "MS. NAME: ..." the one named."""
        rest = sentence[turn.end() :]
        if turn.group("answer"):
            if self.transcript_speaker is None:
                return None
            return dataclasses.replace(self.transcript_speaker, frame="", content=rest, verb="said")
        name = turn.group("name").title()
        attribution = self._by_name_text(name, "")
        attribution.frame, attribution.content = "", rest
        return attribution

    def _by_name_text(self, name, role):
        speaker = self._resolve_name(name, role)
        return self._make(speaker, self._record(speaker), role, "said", "", "")

    def _note_person(self, sentence):
        """ "Sen. Ana Ruiz toured the plant.": a person opening a sentence is whom the next "he" or
        "she" means, though she said nothing yet."""
        opening = CLAUSE_OPENING.match(sentence)
        subject = sentence[opening.end() :] if opening else sentence
        known = [m for m in self.actors.mentions(subject[:80]) if m.start <= 1]
        if known:
            if known[0].record.is_person:
                person = self._make(self._match_mention(known[0]), known[0].record, "", "said", "", "")
                self._remember_person(person)
            return
        name = LEADING_NAME.match(subject)
        if name is None or not PREDICATE.match(subject[name.end() :].lstrip()):
            return
        speaker_name = self._trailing_name(name.group("name"))
        words = speaker_name.split()
        if len(words) < 2 and (speaker_name == name.group("name").strip() or not words):
            return  # one capitalised word opening a sentence may be anything
        if words[0].lower() in TITLE_WORDS | NOT_A_SUBJECT | QUANTIFIERS | SENTENCE_ADVERBS:
            return
        role = name.group("name")[: name.group("name").rfind(speaker_name)].strip()
        self._remember_person(self._by_name_text(speaker_name, role))

    def _remember_person(self, attribution):
        self.last_person = attribution
        self.recent_people = [*self.recent_people[-(RECENT_PEOPLE - 1) :], attribution]

    def _second_attribution(self, attribution, sentence):
        """ "accused X of ... and said ...", "denied it, saying ...": a second statement of the same
        speaker in the sentence, as its own candidate; the first keeps the words before it."""
        content = attribution.content
        for match in SECOND_VERB.finditer(content):
            if inside_quotation(content, match.start()) or match.start() < SECOND_VERB_MIN_OFFSET:
                continue
            rest = content[match.end() :]
            if len(rest.split()) < 3:
                return None
            attribution.content = content[: match.start()]
            lead = CONTENT_LEAD.match(rest)
            return dataclasses.replace(
                attribution,
                verb=match.group("verb"),
                frame=attribution.frame,
                content=rest[lead.end() :] if lead else rest,
            )
        return None

    def _other_speaker(self, attribution, sentence):
        """ "Ruiz said the plan would fail, but Okafor said it was sound": a clause after the first
        statement with a speaker of its own is its own candidate, and each excerpt is its clause.
        Returns (where the first clause ends, where the second starts, its attribution)."""
        content_at = sentence.rfind(attribution.content) if attribution.content.strip() else -1
        if content_at < 0:
            return None
        breaks = list(OTHER_SPEAKER_BREAK.finditer(sentence, content_at))
        if SUBORDINATE_OPENING.match(sentence):
            breaks += ANY_COMMA.finditer(sentence, content_at)
        for match in sorted(breaks, key=lambda found: found.start()):
            if inside_quotation(sentence, match.start()):
                continue
            rest = sentence[match.end() :]
            verb = SPEECH_VERB.search(rest)
            if verb is None or not rest[: verb.start()].strip() or PRONOUN_OPENING.match(rest):
                continue
            other = self._attribution(rest)
            if other is None or _same_speaker(other, attribution):
                continue
            if other.speaker_root_ids & attribution.speaker_root_ids:
                continue  # "the ministry said ...; Russia regrets ...": one side speaking
            if not other.content.strip():
                continue
            attribution.content = attribution.content[: max(0, match.start() - content_at)]
            return match.start(), match.end(), other
        return None

    # --- who -------------------------------------------------------------------------------------

    def _attribution(self, sentence):
        # Two apostrophes or backticks are some outlets' quotation marks (''Yes,'' he said): read as
        # one mark and a space, so that every offset stays the same.
        sentence = sentence.replace("''", '" ').replace("``", '" ')
        sentence = _without_party_labels(sentence)
        for verb in SPEECH_VERB.finditer(sentence):
            if inside_quotation(sentence, verb.start()):
                continue
            before = sentence[: verb.start()]
            if not before.strip():
                continue
            if verb.group("verb").lower() in BASE_FORM_VERBS and NOT_SAID.search(before):
                continue
            attribution = (
                self._main_clause_subject(before, verb)
                or self._speaker_before(before, verb)
                or self._speaker_after(sentence, verb)
            )
            if attribution is not None:
                return attribution
        return self._headline_speaker(sentence) or self._according_to(sentence)

    def _main_clause_subject(self, before, verb):
        """ "Clinton went on offense against Trump on Monday, saying he would ...": a participle
        after a comma speaks for the subject of the clause before it, not the name nearest to it."""
        participle = verb.group("verb").lower() in PARTICIPLES and PARTICIPLE_LEAD.search(before)
        if not participle and not COORDINATED_LEAD.search(before):
            return None
        opening = CLAUSE_OPENING.match(before)
        subject = before[opening.end() :] if opening else before
        # "Ruiz met Okafor and said": a person's second verb; a state's or an office's ("Britain
        # expelled the attache and accused") is read by `_speaker_before`.
        people_only = not participle
        first = re.match(r"\s*(?P<pronoun>he|she|they|it)\b", subject, re.I)
        if first and (not people_only or first.group("pronoun").lower() in ("he", "she")):
            return self._by_pronoun(first.group("pronoun"), before, verb)
        mentions = [m for m in self.actors.mentions(subject) if not inside_quotation(subject, m.start)]
        if mentions and subject[: mentions[0].start].strip().lower() in ("", "the"):
            if people_only and not mentions[0].record.is_person:
                return None
            offset = len(before) - len(subject)
            return self._by_mention(mentions[0], before[: offset + mentions[0].end], offset, verb)
        name = LEADING_NAME.match(subject)
        speaker_name = self._trailing_name(name.group("name")) if name else ""
        if speaker_name and speaker_name.split()[0].lower() not in TITLE_WORDS | NOT_A_SUBJECT | QUANTIFIERS:
            return self._by_name(speaker_name, before, before.find(speaker_name), verb)
        if people_only:
            return None
        predicate = PREDICATE.search(subject)
        head = subject[: predicate.start()].strip() if predicate else ""
        if head and "," not in head and len(head.split()) <= MAX_DESCRIBED_WORDS:
            # "Both parents stiffened their criticism of Okafor, saying": who did the first verb
            described = self._referring_description(head, before, verb) or self._described_subject(
                head, before, verb
            )
            if described is not None:
                return described
        first_segment = re.split(r"[,;:]", subject, maxsplit=1)[0]
        if 0 < len(first_segment.split()) <= MAX_DESCRIBED_WORDS and "," in subject:
            return self._described_subject(first_segment.strip(), before, verb)
        return None

    def _speaker_before(self, before, verb):
        named_subject = self._name_ending(before)
        if named_subject is not None:
            return self._by_mention(named_subject, before, 0, verb)
        pieces = CLAUSE_BREAK.split(before)
        tail = pieces[-1].strip()
        tail = TRAILING_ADVERBS.sub("", LEADING_CONJUNCTION.sub("", tail)).strip()
        only_time = TRAILING_TIME.fullmatch(" " + tail)
        tail = TRAILING_TIME.sub("", tail).strip() or tail
        # the words before the verb, or between the last two commas when a comma ends them
        last_piece = tail or (
            pieces[-2].strip() if len(pieces) > 1 and before.rstrip()[-1:] not in '"”' else ""
        )
        connective = CONNECTIVE_ROLE.match(last_piece) and last_piece.lower() not in ("and", "but")
        if (connective or only_time) and "," in before.rstrip()[:-1]:
            # "Ruiz, meanwhile, said", "Ruiz, who ..., last week said": the subject before them
            cut = before.rstrip().rstrip(",")
            earlier = self._speaker_before(cut[: cut.rfind(",")], verb) if "," in cut else None
            if earlier is not None:
                earlier.frame, earlier.content = self._frame(before, verb)
                return earlier
        relative = RELATIVE_CLAUSE.search(before)
        if relative and len(pieces) > 1:
            # "Ana Ruiz, who has long opposed the mayor, criticized": the one the clause describes.
            antecedent = self._speaker_before(before[: relative.start()], verb)
            if antecedent is not None and antecedent.speaker.as_written.lower() not in ("who", "which"):
                antecedent.frame, antecedent.content = self._frame(before, verb)
                return antecedent
        if PRONOUN.match(tail):
            return self._by_pronoun(tail, before, verb)
        referring = REFERRING_NOUN.match(tail)
        if referring:
            return self._by_pronoun(
                tail, before, verb, organization=referring.group("noun").lower() in ORGANIZATION_NOUNS
            )
        appositive = self._appositive_subject(_after_last_quotation(before))
        if appositive is None and before.rstrip().endswith(","):
            # "The senator stays in the race, his campaign manager, Tad Devine, told reporters": the
            # last two parts between commas, after a clause of their own.
            segments = before.rstrip().rsplit(",", 3)
            last_parts = (
                self._appositive_subject(",".join(segments[1:]) + " ") if len(segments) == 4 else None
            )
            if last_parts is not None:
                attribution = last_parts(verb)
                attribution.frame, attribution.content = self._frame(before, verb)
                return attribution
        if appositive is not None:
            return appositive(verb)
        tail_offset = before.rfind(tail)
        leading = self._leading_subject(tail, tail_offset, before, verb)
        if leading is not None:
            return leading
        placed = self._name_before_place(tail)
        if placed and not any(m.record.is_person for m in self.actors.mentions(tail)):
            return self._by_name(placed, before, tail_offset + tail.find(placed), verb)
        mentions = self._subject_mentions(tail)
        name = self._trailing_name(tail)
        if (
            name
            and mentions
            and not any(m.record.is_person for m in mentions)
            and self._name_after(name, tail, mentions)
        ):
            # "NATO Secretary General Jens Stoltenberg": the person, not the organisation in the title.
            return self._by_name(name, before, tail_offset + tail.rfind(name), verb)
        if mentions:
            return self._by_mention(self._subject(mentions), before, tail_offset, verb)
        if name:
            return self._by_name(name, before, tail_offset + tail.rfind(name), verb)
        if DETERMINER.match(tail) or LOWERCASE_PHRASE.match(tail):
            # "the vice president said", "a campaign aide said": a description is the subject, not
            # a name earlier in the sentence.
            described = self._referring_description(tail, before, verb) or self._described_subject(
                tail, before, verb
            )
            if described is not None:
                return described
        if tail and not before.rstrip().endswith(","):
            # "Israeli officials said": the description at the verb, before any name earlier on
            described = self._described_subject(tail, before, verb)
            if described is not None:
                return described
        mentions = [m for m in self.actors.mentions(before) if not inside_quotation(before, m.start)]
        people = [m for m in mentions if m.record.is_person]
        if people and before.rstrip().endswith(","):
            # "Trump's candidacy drove voters to the polls, said Tom Hale": the name after the verb
            inverted = self._speaker_after(verb.string, verb)
            if inverted is not None and inverted.is_person and not inverted.speaker.unnamed:
                return inverted
        if people:
            return self._by_mention(people[0], before, 0, verb)
        return self._described_subject(tail, before, verb)

    def _referring_description(self, tail, before, verb):
        """ "the Ohio senator", "the former governor": a person named before, when one of the people
        who spoke lately has that title; anyone else described so stays a description."""
        match = DEFINITE_PERSON.match(tail)
        if match is None:
            return None
        title = match.group("title").lower()
        for earlier in reversed(self.recent_people):
            words = plain(f"{earlier.role} {earlier.speaker.as_written}").replace(".", "").split()
            if title in words or TITLE_ABBREVIATIONS.get(title) in words:
                speaker = dataclasses.replace(
                    earlier.speaker,
                    as_written=tail,
                    reason=f"'{tail}' refers to {earlier.speaker.name}, who was introduced with that title",
                )
                attribution = dataclasses.replace(earlier, speaker=speaker, verb=verb.group("verb"))
                attribution.frame, attribution.content = self._frame(before, verb)
                return attribution
        return None

    def _leading_subject(self, tail, tail_offset, before, verb):
        """ "Graham met Trump on Monday and said", "The Post's columnist Ana Ruiz has been critical of
        Trump but wrote": the name before the clause's first verb speaks; the names after it are its
        objects."""
        opening = CLAUSE_OPENING.match(tail)
        subject = tail[opening.end() :] if opening else tail
        predicate = PREDICATE.search(subject)
        if predicate is None or not any(m.start >= predicate.start() for m in self.actors.mentions(subject)):
            return None  # no name after the verb to confuse the speaker with: the usual reading stands
        head = subject[: predicate.start()].rstrip()
        subject_offset = tail_offset + len(tail) - len(subject)
        known = [m for m in self.actors.mentions(head) if m.end >= len(head) - 1]
        if known:
            return self._by_mention(self._subject(known), before, subject_offset, verb)
        speaker_name = self._trailing_name(head)
        words = speaker_name.split()
        if not words or not head.endswith(speaker_name):
            return None
        if words[0].lower() in TITLE_WORDS | NOT_A_SUBJECT | QUANTIFIERS | SENTENCE_ADVERBS:
            return None
        titled = len(head.split()) > len(words)
        if len(words) < 2 and not titled and words[0] not in self.surnames:
            return None  # "Officials", "Critics": a capital opening the sentence, no name
        return self._by_name(speaker_name, before, subject_offset + head.rfind(speaker_name), verb)

    def _name_before_place(self, text):
        """ "Gov. Ana Ruiz of Oregon": the person's name, not the place they are from."""
        match = NAME_OF_PLACE.match(text.strip())
        if match is None:
            return ""
        who = match.group("who").strip()
        name = self._trailing_name(who)
        if not name or not who.endswith(name) or (len(name.split()) < 2 and name == who):
            return ""
        if who.lower().startswith("the ") or any(word.lower() in ORGANIZATION_WORDS for word in name.split()):
            return ""  # "The Joint Chiefs of Staff", "Bank of America": an organisation's name
        return name

    def _subject_mentions(self, tail):
        """The names in a subject that may speak: not a city where someone speaks ("a spokesperson
        in Tokyo"), and, in "Britain expelled Russia's attache and accused", the first."""
        mentions = [m for m in self.actors.mentions(tail) if not LOCATED_IN.search(tail, 0, m.start)]
        if len(mentions) > 1 and COORDINATED_VERB.search(tail, mentions[0].end):
            return mentions[:1]
        return mentions

    @staticmethod
    def _name_after(name, tail, mentions):
        return tail.rfind(name) >= mentions[-1].end

    def _appositive_subject(self, before):
        """ "Samantha Phillips, the city's emergency director, said", "Clinton's campaign chairman,
        John Podesta, said": the name and its apposition, the apposition (or the title) the role."""
        match = APPOSITION.match(TRAILING_ADVERBS.sub("", before.rstrip()) + " ")
        if not match or LISTED.search(match.group("role")):
            return None
        head = PARENTHETICAL.sub("", match.group("head")).strip()
        apposition = match.group("role").strip(" ,")
        name = self._name_before_place(head) or self._trailing_name(head)
        if name and AFTER_PREPOSITION.search(head[: head.rfind(name)]):
            return None  # "In a statement to the Observer, her adviser, Jake Sullivan,": not the head
        role = re.sub(r"^(?:the|a|an)\s+", "", apposition, flags=re.I)
        is_a_name = self._trailing_name(apposition) == apposition
        if name and (not apposition[:1].isupper() or (len(name.split()) >= 2 and not is_a_name)):
            # "Tom Hale, the port's engineer,"; "Tom Hale, Acme's chief engineer,"
            if len(name.split()) == 1 and not head.endswith(name):
                return None
        elif (
            is_a_name
            and len(apposition.split()) >= 2
            and not any(word.lower() in TITLE_WORDS for word in apposition.split())
        ):
            name, role = apposition, head  # "Clinton's campaign chairman, John Podesta,"
        else:
            return None
        words = name.split()
        if words[0].lower().strip(".") in TITLE_WORDS | TIME_WORDS | SENTENCE_ADVERBS | NOT_A_SUBJECT:
            return None
        if words[-1].lower() in TIME_WORDS:
            return None
        offset = before.find(name)
        known = self.actors.mentions(name)
        if known and known[0].start == 0 and known[-1].end >= len(name) - 1:
            mention = known[-1]
            return lambda verb: self._with_role(
                self._by_mention(mention, before, offset, verb), role if mention.record.is_person else ""
            )

        def attribution(verb):
            speaker = self._resolve_name(name, role)
            frame, rest = self._frame(before, verb)
            return self._make(speaker, self._record(speaker), role, verb.group("verb"), frame, rest)

        return attribution

    @staticmethod
    def _with_role(attribution, role):
        if role and not attribution.role:
            attribution.role = role
        return attribution

    def _described_subject(self, tail, before, verb):
        """A speaker written as a description: "a Foreign Office spokesperson" is the office with
        its role; "Chinese diplomats" China; "participants" no one recorded, kept as written."""
        subject = DESCRIBED_SUBJECT.search(tail)
        if subject is None:
            return None
        phrase = subject.group("subject").strip()
        words = phrase.split()
        if (
            words[0].lower() in NOT_A_SUBJECT
            or words[-1].lower() in NOT_A_SUBJECT | {"the", "a", "an"}
            or SPEECH_VERB.match(words[0].lower())
            or words[-1].lower() in TIME_WORDS
        ):
            return None
        role = re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.I)
        mentions = self._subject_mentions(phrase)
        if not mentions:
            for demonym in self.actors.demonym_mentions(phrase):
                organ = ORGAN_AFTER.match(phrase, demonym.end)
                if organ:
                    written = phrase[demonym.start : organ.end()].strip()
                    speaker = SpeakerMatch(
                        written,
                        None,
                        written,
                        reason=f"'{written}' is an office of {demonym.record.name}: a new organization?",
                        is_new=True,
                        kind="organization",
                        affiliation=self._public(demonym.record),
                    )
                    attribution = self._make(
                        speaker, None, role, verb.group("verb"), *self._frame(before, verb)
                    )
                    attribution.is_person = False
                    attribution.for_person = bool(PERSON_ROLE.search(phrase))
                    return attribution
            mentions = self.actors.demonym_mentions(phrase)
        if mentions:
            mention = self._subject(mentions)
            attribution = self._make(
                self._match_mention(mention),
                mention.record,
                role,
                verb.group("verb"),
                *self._frame(before, verb),
            )
            attribution.is_person = False
            attribution.for_person = bool(PERSON_ROLE.search(phrase))
            return attribution
        speaker = SpeakerMatch(
            role,
            None,
            phrase,
            reason=f"'{phrase}' names no one: an unnamed source",
            is_new=True,
            unnamed=True,
        )
        return self._make(speaker, None, role, verb.group("verb"), *self._frame(before, verb))

    def _name_ending(self, before):
        """A known name with a comma inside it ("The Foreign Ministry of Belgium, Finland and
        Sweden") that ends where the verb begins; the clause split below would cut it apart."""
        mentions = self.actors.mentions(before)
        if not mentions:
            return None
        last = mentions[-1]
        if before[last.end :].strip() or not CLAUSE_BREAK.search(last.as_written):
            return None
        return last

    def _speaker_after(self, sentence, verb):
        """'"...," said Ryabkov.'"""
        if not re.search(r"(?:[,\"”]|'')\s*$", sentence[: verb.start()]):
            return None
        if verb.group("verb").lower() in ADDRESSING_VERBS:
            return None  # after "told" comes whom they told: "..., told Reuters"
        after = sentence[verb.end() :]
        # "said Tom Hale in a statement", "said Tom Hale during the debate": where and when, after who
        words = INVERSION_TAIL.split(after.split(",")[0], maxsplit=1)[0]
        placed = self._name_before_place(words.rstrip(". "))
        if placed and self._only_titles(words[: words.find(placed)]):
            attribution = self._by_name(
                placed, words, words.find(placed), verb, content=sentence[: verb.start()]
            )
            attribution.frame = sentence[: verb.end()]
            return attribution
        mentions = self.actors.mentions(words)
        name = self._trailing_name(words.strip().rstrip("."))
        name_at = words.rfind(name) if name else -1
        if name and (not mentions or name_at >= mentions[-1].end) and self._only_role_words(words[:name_at]):
            # "said Leeds University economist Tom Hale", "said former Ohio congressman Tom Hale"
            attribution = self._by_name(name, words, name_at, verb, content=sentence[: verb.start()])
            attribution.frame = sentence[: verb.end()]
            attribution.role = attribution.role or self._apposition_after(
                after[after.find(name) + len(name) :]
            )
            return attribution
        named_after = self._name_after_description(after)
        if named_after is not None:
            name, role = named_after
            speaker = self._resolve_name(name, role)
            return self._make(
                speaker,
                self._record(speaker),
                role,
                verb.group("verb"),
                sentence[: verb.end()],
                sentence[: verb.start()],
            )
        if mentions and self._only_titles(words[: mentions[0].start]):
            mention = mentions[-1]
            return self._make(
                self._match_mention(mention),
                mention.record,
                self._apposition_after(after[mention.end :]),
                verb.group("verb"),
                sentence[: verb.end()],
                sentence[: verb.start()],
            )
        name = self._trailing_name(words.strip().rstrip("."))
        if name and self._only_titles(words[: words.find(name)]):
            attribution = self._by_name(name, words, words.find(name), verb, content=sentence[: verb.start()])
            attribution.role = attribution.role or self._apposition_after(
                after[after.find(name) + len(name) :]
            )
            return attribution
        described = DESCRIBED_AFTER.match(words)
        if described:
            attribution = self._described_subject(described.group("subject"), sentence[: verb.start()], verb)
            if attribution is not None:
                attribution.frame = sentence[: verb.end()]
                attribution.content = sentence[: verb.start()]
            return attribution
        return None

    def _name_after_description(self, after):
        """'"...," said his oldest friend, Tom Hale, ...': a description, then the name in apposition."""
        parts = after.split(",")
        if len(parts) < 2:
            return None
        role_words = parts[0].split()
        described = DESCRIBED_AFTER.match(parts[0] + ",") or (
            role_words and role_words[-1].islower() and self._only_role_words(parts[0])
        )
        if not described:
            return None
        name = parts[1].strip().rstrip(".")
        if len(name.split()) < 2 or self._trailing_name(name) != name:
            return None
        return name, re.sub(r"^(?:the|a|an)\s+", "", parts[0].strip(), flags=re.I)

    @staticmethod
    def _only_role_words(text):
        """Whether the words between an inversion's verb and a name describe the person, however
        plainly ('said Leeds University economist'), rather than begin a statement ('said that')."""
        words = text.split()
        if words and words[0].lower() in ("his", "her", "its", "their"):
            words = words[1:]  # "said his campaign manager Jeff Weaver"
        return len(words) <= MAX_ROLE_WORDS and all(
            word[:1].isupper()
            or word[:1].isdigit()
            or word.lower().strip(".,") in TITLE_WORDS
            or word == "of"
            or (
                word.replace("-", "").isalpha()
                and word.lower() not in NOT_A_SUBJECT
                and not word.endswith("ing")
            )
            for word in words
        )

    @staticmethod
    def _only_titles(text):
        """Whether the words between an inversion's verb and a name are a title at most
        ('said Deputy Minister Ryabkov'), not a statement ('said having Trump at the top ...')."""
        return all(word[:1].isupper() or word.lower().strip(".,") in TITLE_WORDS for word in text.split())

    def _headline_speaker(self, sentence):
        match = HEADLINE_SPEAKER.match(sentence)
        if not match:
            return None
        speaker_text = match.group("speaker")
        mentions = self.actors.mentions(speaker_text)
        rest = sentence[match.end() :]
        if mentions and mentions[-1].end >= len(speaker_text.rstrip()) - 1:
            mention = mentions[-1]
            if not mention.record.is_person:
                # "Russian Ministry of Foreign Affairs: ..." is a subheading over the paragraph that
                # reports the statement; a person's name before a colon is a transcript's speaker.
                return None
            role = self._role_before(speaker_text, mention.start)
            return self._make(self._match_mention(mention), mention.record, role, "said", "", rest)
        name = self._trailing_name(speaker_text)
        if name and len(name.split()) >= 2:
            speaker = self._resolve_name(name, self._role_before(speaker_text, speaker_text.rfind(name)))
            return self._make(speaker, self._record(speaker), "", "said", "", rest)
        return None

    def _according_to(self, sentence):
        """ "According to Tass, quoting spokesman Zakharova's comments, ...": the first phrase that
        names a known actor gives the speaker."""
        matches = list(ACCORDING_TO.finditer(sentence))
        for match in matches:
            mentions = self.actors.mentions(match.group("source"))
            if mentions:
                return self._according_to_mention(sentence, match, mentions)
        for match in matches[:1]:
            # "according to the Center for Responsive Politics", "according to a senior official"
            source = match.group("source").strip().rstrip(".!?\"”' ")
            if not match.group().lower().startswith("according") or self._is_a_text(source):
                return None
            name = self._trailing_name(source)
            rest = sentence[match.end() :].lstrip(" ,") if match.start() == 0 else sentence[: match.start()]
            if name and source.endswith(name):
                speaker = self._resolve_name(name, source[: source.rfind(name)].strip())
            else:
                phrase = source if len(source.split()) <= MAX_ROLE_WORDS else ""
                if not phrase:
                    return None
                speaker = SpeakerMatch(
                    phrase,
                    None,
                    phrase,
                    reason=f"'{phrase}' names no one: an unnamed source",
                    is_new=True,
                    unnamed=True,
                )
            return self._make(speaker, self._record(speaker), "", "said", sentence[: match.end()], rest)
        return None

    def _is_a_text(self, source):
        """ "According to the treaty": what a text provides, not what anyone said."""
        return bool(LEGAL_TEXT.search(source) or self.topics.mentions(source))

    def _according_to_mention(self, sentence, match, mentions):
        mention = self._subject(mentions)
        rest = sentence[match.end() :].lstrip(" ,")
        return self._make(
            self._match_mention(mention), mention.record, "", "said", sentence[: match.end()], rest
        )

    def _is_another_claim(self, candidate, sentence):
        """A paraphrase going on after the speaker's sentence, of another kind than it ("most regret
        the withdrawal. The parties should hold a dialogue"): the curator records each claim on its own."""
        if sentence.lstrip()[:1] in '"“' or CONTINUING_OPENING.match(sentence.lstrip()):
            return False
        # A plain statement of fact after a speaker's sentence is as often the reporter's background
        # ("Norway has patrolled the zone since 1977.") as the speaker's: it joins the excerpt.
        kind = claim_kind("", sentence)
        return kind != candidate.kind and kind != ClaimKind.ASSERTION

    def _continuing(self, sentence):
        """The last speaker going on; the words before any "that" may still date it ("submitted a
        notice on May 22, and said that ...")."""
        previous = self.last_attribution
        lead = re.split(r"\bthat\b|[\"“]", sentence, maxsplit=1)[0]
        return dataclasses.replace(previous, frame=lead, content=sentence, verb="said")

    @staticmethod
    def _subject(mentions):
        """The speaker among a subject's names: a person before an organization or a state
        ("Borrell, the EU's foreign policy chief"), else the name nearest the verb."""
        people = [mention for mention in mentions if mention.record.is_person]
        return people[-1] if people else mentions[-1]

    def _organ(self, text, offset, mention):
        """ "Ukraine's foreign ministry", "the Chinese embassy in London": a state's organ that no
        actor is recorded as, proposed as a new organisation affiliated with the state."""
        if mention.record.is_person or mention.record.kind != "state":
            return None
        match = ORGAN_AFTER.match(text, offset + mention.end)
        if match is None:
            return None
        written = text[offset + mention.start : match.end()].strip()
        return SpeakerMatch(
            written,
            None,
            written,
            reason=f"'{written}' is an office of {mention.record.name}: a new organization?",
            is_new=True,
            kind="organization",
            affiliation=self._public(mention.record),
        )

    def _target_of(self, record):
        root = self.actors.root(record)
        target = self._public(root)
        if root.is_proposed:
            target["is_new"] = True
        return target

    def _by_mention(self, mention, before, offset, verb):
        organ = self._organ(before, offset, mention)
        if organ is not None:
            attribution = self._make(organ, None, "", verb.group("verb"), *self._frame(before, verb))
            attribution.is_person = False
            return attribution
        start = offset + mention.start
        role = self._role_before(before, start) if mention.record.is_person else ""
        if CONNECTIVE_ROLE.match(role):
            role = ""
        if not role and mention.record.is_person:
            role = self._apposition(before[offset + mention.end :])
        described = re.sub(r"^(?:the|a|an)\s+", "", before[offset:].strip(" ,-—–"), flags=re.I)
        speaks_for = not mention.record.is_person and PERSON_ROLE.search(described)
        if speaks_for and len(described.split()) <= MAX_ROLE_WORDS:
            role = described  # "a Foreign Office spokesperson": the office, with who spoke for it
        attribution = self._make(
            self._match_mention(mention), mention.record, role, verb.group("verb"), *self._frame(before, verb)
        )
        attribution.for_person = bool(speaks_for)
        return attribution

    def _by_name(self, name, before, start, verb, content=None):
        role = self._role_before(before, start)
        speaker = self._resolve_name(name, role)
        frame, rest = self._frame(before, verb)
        return self._make(speaker, self._record(speaker), role, verb.group("verb"), frame, content or rest)

    def _by_pronoun(self, pronoun, before, verb, organization=False):
        """He/she: the last person who spoke; it/they (and "the ministry"): the last organisation or
        state; with neither yet, the pronoun itself, for the editor to resolve."""
        previous = self.last_attribution
        if not organization and pronoun.lower() in ("he", "she") and self.last_person is not None:
            previous = self.last_person
        elif (organization or pronoun.lower() in ("it", "they")) and self.last_organization is not None:
            previous = self.last_organization
        if previous is None:
            speaker = SpeakerMatch(
                pronoun,
                None,
                pronoun,
                reason=f"'{pronoun}' follows no named speaker",
                is_new=True,
                unnamed=True,
            )
            attribution = self._make(speaker, None, "", verb.group("verb"), *self._frame(before, verb))
            attribution.is_person = pronoun.lower() in ("he", "she")
            return attribution
        speaker = dataclasses.replace(
            previous.speaker,
            as_written=pronoun,
            reason=f"'{pronoun}' refers to the last one named before it, {previous.speaker.name}",
        )
        attribution = dataclasses.replace(previous, speaker=speaker, verb=verb.group("verb"))
        attribution.frame, attribution.content = self._frame(before, verb)
        return attribution

    def _frame(self, before, verb):
        """The attribution's frame (who, when) and the statement it introduces."""
        sentence_rest = verb.string[verb.end() :]
        lead = CONTENT_LEAD.match(sentence_rest)
        tail = FRAME_TAIL.match(sentence_rest)
        frame_end = lead.end() if lead else tail.end() if tail else FRAME_TAIL_LENGTH
        frame = before + verb.group() + sentence_rest[:frame_end]
        quoted_before = " ".join(quotations(before))
        if quoted_before and not lead:
            # "'…,' the minister told reporters in Ottawa.": the statement is the quotation; after
            # the verb come to whom and where.
            return frame, quoted_before
        content = sentence_rest[frame_end:] if lead else sentence_rest
        if not lead and len(WORD.findall(content)) < MIN_CONTENT_WORDS and "," in before:
            # "The ships will stay, the ministry said.": the statement came before its speaker.
            return frame, before[: before.rfind(",")].strip()
        return frame, f"{quoted_before} {content}".strip()

    def _make(self, speaker, record, role, verb, frame, content):
        roots = set()
        if record is not None:
            roots.add(self.actors.root(record).record_id)
        for text in (role, "" if record is not None else speaker.as_written):
            for mention in self.actors.mentions(text) + self.actors.demonym_mentions(text):
                if not LOCATED_IN.search(text, 0, mention.start):
                    roots.add(self.actors.root(mention.record).record_id)
        return _Attribution(
            speaker=speaker,
            speaker_root_ids=roots,
            role=role,
            verb=verb,
            frame=frame,
            content=content,
            is_person=record.is_person if record is not None else True,
        )

    def _record(self, speaker):
        return self.actors.records.get(speaker.actor_id) if speaker.actor_id else None

    @staticmethod
    def _trailing_name(text):
        """A proper name ending `text`, without the titles before it ("Deputy Minister Lavrov")."""
        match = TRAILING_NAME.search(text.strip())
        if not match:
            return ""
        words = match.group("name").split()
        last = words[-1].lower().strip(".")
        # "Ai Jun", "Jan Novak": a short month after a first name is a name
        is_time = last in TIME_WORDS and (len(last) > 4 or len(words) == 1 or words[-1].endswith("."))
        if is_time or TIME_PREPOSITION.search(text.strip()[: match.start()]):
            return ""  # "on Tuesday", "in March": when, not who
        while len(words) > 1 and (words[0].lower().strip(".") in TITLE_WORDS | {"u.s"} or is_title(words[0])):
            words.pop(0)
        if words and words[0].lower().strip(".") in TITLE_WORDS:
            words.pop(0)
        if not words or (
            len(words) == 1
            and match.start() == 0
            and text.strip() == match.group("name")
            and len(words[0]) < 3
        ):
            return ""
        return " ".join(words)

    @staticmethod
    def _role_before(text, name_start):
        """The title written just before a name: "Russian Deputy Foreign Minister" Grushko."""
        role = re.split(r"\s[-—–]+\s", CLAUSE_BREAK.split(text[:name_start])[-1])[-1].strip()
        role = re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.I)
        if STATEMENT_WORDS.match(role) or len(role.split()) > 16:
            return ""
        return role

    @staticmethod
    def _apposition_after(text):
        """'"...," said Davison, a senior analyst at the Crisis Group.': the role after the name."""
        match = re.match(r"^\s*,\s*(?:the|a|an)\s+(?P<role>[^,.;]{3,120})", text)
        return match.group("role").strip() if match else ""

    @staticmethod
    def _apposition(text):
        """ "Borrell, the EU's foreign policy chief, said": the role after the name."""
        match = re.match(r"^\s*,\s*(?:the|a|an)\s+(?P<role>[^,]{3,120}),\s*$", text)
        return match.group("role").strip() if match else ""

    def _match_mention(self, mention):
        record = mention.record
        written = mention.as_written
        if plain(written) == plain(record.name):
            reason = f"name '{written}'"
        else:
            reason = f"alias '{written}' of {record.name}"
        alternatives = [{"actor_id": record.record_id, "name": record.name, "score": 100}]
        if record.is_person:
            for score, other, _evidence in self.actors.ranked_people(written.split()[-1]):
                if other.record_id != record.record_id and len(alternatives) < 3:
                    alternatives.append(
                        {"actor_id": other.record_id, "name": other.name, "score": round(score)}
                    )
        if record.is_proposed:
            return SpeakerMatch(
                record.name,
                None,
                written,
                [],
                f"'{written}' is {record.name}, not yet recorded: a new {record.kind}?",
                is_new=True,
                kind=str(record.kind),
                affiliation=self._public(self.actors.records.get(record.affiliation_id)),
            )
        return SpeakerMatch(
            record.name, record.record_id, written, alternatives, reason, kind=str(record.kind)
        )

    @staticmethod
    def _public(record):
        """An actor as candidates name it: {"name", "actor_id"}, the id None for a new actor, which
        also has its "kind"."""
        if record is None:
            return None
        if record.is_proposed:
            return {"name": record.name, "actor_id": None, "kind": str(record.kind)}
        return {"name": record.name, "actor_id": record.record_id}

    def _resolve_name(self, name, role):
        words = name.split()
        earlier = self.last_person.speaker if self.last_person else None
        if (
            earlier
            and len(words) == 1
            and plain(words[0]) in plain(earlier.as_written + " " + earlier.name).split()
        ):
            reason = f"'{name}' is part of the name of the previous speaker, {earlier.name}"
            return dataclasses.replace(earlier, as_written=name, reason=reason)
        surname, first_name = words[-1], words[0] if len(words) > 1 else ""
        ranked = self.actors.ranked_people(surname, first_name, role)
        alternatives = [
            {"actor_id": record.record_id, "name": record.name, "score": round(score)}
            for score, record, _ in ranked[:3]
        ]
        if ranked:
            score, record, evidence = ranked[0]
            if score >= CONFIDENT_SCORE or (score >= SUPPORTED_SCORE and evidence):
                known = max(record.surnames, key=lambda known: _similarity(surname, known))
                reason = f"alias '{surname}' ~ {known}" + "".join(f", with {item}" for item in evidence)
                return SpeakerMatch(record.name, record.record_id, name, alternatives, reason)
        reason = f"no known actor is named like '{name}': a new actor?"
        affiliations = self.actors.mentions(role) or self.actors.demonym_mentions(role)
        affiliation = self._public(affiliations[-1].record) if affiliations else None
        return SpeakerMatch(
            name, None, name, alternatives, reason, is_new=True, kind="person", affiliation=affiliation
        )

    # --- one candidate per claim -----------------------------------------------------------------

    def _without_restatements(self, candidates):
        """A later restatement by the same speaker (a recap at the article's end, a background
        paragraph repeating the lede) is left out: the editor records each claim once."""
        kept, kept_words = [], {}
        for candidate in candidates:
            words = self._content_words(candidate)
            earlier = kept_words.setdefault(_speaker_key(candidate), [])
            if not any(self._restates(words, earlier_words) for earlier_words in earlier):
                kept.append(candidate)
                earlier.append(words)
        return kept

    @staticmethod
    def _restates(later_words, earlier_words):
        shared = len(later_words & earlier_words)
        smaller, larger = sorted((len(later_words) or 1, len(earlier_words) or 1))
        return (
            shared >= RESTATEMENT_MIN_SHARED
            and shared / smaller >= RESTATEMENT_OVERLAP
            and shared / larger >= RESTATEMENT_OVERLAP_OF_LONGER
        )

    def _content_words(self, candidate):
        """The words of what a candidate says, without who says it (its summary's first two words)
        and without the names of actors and topics, which every claim of a dispute shares."""
        statement = candidate.summary.split(maxsplit=2)[2:]
        text = " ".join(statement)
        for mention in reversed(self.actors.mentions(text) + self.topics.mentions(text)):
            text = text[: mention.start] + " " + text[mention.end :]
        return set(re.findall(r"[a-z]{3,}", plain(text))) - FUNCTION_WORDS

    # --- what, when, against whom ----------------------------------------------------------------

    def _candidate(self, attribution, sentence, number):
        key = attribution.speaker.actor_id or attribution.speaker.name
        if attribution.speaker_root_ids:
            self.speaker_sides[key] = attribution.speaker_root_ids
        else:
            # '"...," Liu said.': named again by surname, the speaker still speaks for its side
            attribution.speaker_root_ids = set(self.speaker_sides.get(key, ()))
        self.last_attribution = attribution
        if attribution.is_person or attribution.for_person:
            self._remember_person(attribution)
        if not attribution.is_person and (not attribution.speaker.unnamed or attribution.speaker.kind):
            self.last_organization = attribution
        frame = self._dating_frame(attribution)
        stated = claim_date(
            frame,
            self.base_date,
            self._current_context(),
            self._same_speaker_date(attribution),
            context_is_in_paragraph=self.context_paragraph == self.paragraph_number,
        )
        if not stated.is_inferred and is_plausible_context(stated, self.base_date):
            self._set_context(stated)
        self.last_statement = (attribution.speaker, stated, self.paragraph_number)
        date_reason = stated.reason
        if not self.base_is_known:
            date_reason += "; no date was given for the article, so today's date stood in for it"
        kind = self._kind(attribution, sentence)
        target = self._target(attribution, kind)
        accuser = self._accuser_of(attribution)
        if target is None and kind in ClaimKind.accusations():
            # "These actions are unacceptable": whom the speaker's side last accused, else its accuser
            target = self._side_target(attribution) or accuser
        if target is None and kind == ClaimKind.DENIAL:
            target = accuser  # a denial answers the last to accuse the speaker's side
        if (
            kind == ClaimKind.ACCUSATION
            and target
            and self._answers_an_accusation(attribution, target, stated)
        ):
            kind = ClaimKind.COUNTER_ACCUSATION
        said = (self.paragraph_number, stated)
        if kind in ClaimKind.accusations() and target:
            for root in attribution.speaker_root_ids:
                self.accusations.setdefault((root, self._target_key(target)), []).append(said)
                self.accusers[self._target_key(target)] = self._target_of(self.actors.records[root])
                self.side_targets[root] = target
        if kind == ClaimKind.DENIAL and target:
            # "rejected the US allegations that ...": the article reports the accusation only here,
            # in no paragraph of its own.
            for root in attribution.speaker_root_ids:
                self.accusations.setdefault((self._target_key(target), root), []).append((None, stated))
        return Candidate(
            speaker=attribution.speaker,
            speaker_role=attribution.role,
            target=target,
            kind=str(kind),
            stated_on=stated.date,
            date_precision=str(stated.precision),
            date_inferred=stated.is_inferred,
            summary=self._summary(attribution),
            quote=self._quote(sentence),
            excerpt=sentence,
            locator=f"Paragraph {number}",
            topics=self._topics(sentence),
            date_reason=date_reason,
        )

    @staticmethod
    def _dating_frame(attribution):
        """The words that may date a statement: its frame without the dateline, without quoted
        words ("'... on 24 March,' she said" dates what she spoke of), and, after the verb, only up
        to the description of the event it speaks of ("condemns the attack carried out on 24 March")."""
        frame = DATELINE_PREFIX.sub("", attribution.frame)
        frame = QUOTED.sub(" ", frame)
        verb_at = frame.find(attribution.verb)
        if verb_at >= 0:
            after = frame[verb_at + len(attribution.verb) :]
            cut = OBJECT_WORDS.search(after)
            if cut:
                frame = frame[: verb_at + len(attribution.verb) + cut.start()]
        return frame

    def _kind(self, attribution, sentence):
        """The kind of the whole statement: where the speaker follows a quotation ('"...," Ms X,
        a spokeswoman, told reporters'), the quoted words are the statement."""
        content = attribution.content
        opening = quotations(sentence)[:1] if sentence.lstrip()[:1] in '"“' else []
        if opening and opening[0] not in content:
            content = f"{opening[0]} {content}"
        kind = claim_kind(attribution.verb, content, attribution.frame)
        stands_accused = self._speaker_stands_accused(attribution)
        if attribution.verb.lower() in INSISTING_VERBS and stands_accused:
            return ClaimKind.DENIAL  # "X accused Y of ... Y insisted the water was safe"
        if (
            kind == ClaimKind.ACCUSATION
            and stands_accused
            and calls_it_unfounded(attribution.verb, attribution.frame, attribution.content)
        ):
            return ClaimKind.DENIAL  # "called the expulsion politically motivated", by the accused
        record = self._record(attribution.speaker)
        return kind_for_speaker(kind, [attribution.role, *(record.roles if record else [])])

    def _speaker_stands_accused(self, attribution):
        return any(accused in attribution.speaker_root_ids for _accuser, accused in self.accusations)

    def _mutual_accusation(self, attribution, sentence, number):
        """ "The United States and Russia accused each other of ...": a claim for each side, the one
        named first accusing and the other answering, as a reader of the dispute records it."""
        if attribution.verb.lower() not in ACCUSING_VERBS or not MUTUAL.match(attribution.content.strip()):
            return []
        subject = attribution.frame[: attribution.frame.find(attribution.verb)]
        sides = {}
        for mention in self.actors.mentions(subject):
            sides.setdefault(self.actors.root(mention.record).record_id, mention)
        if len(sides) != 2:
            return []
        first, second = sides.values()
        candidates = []
        # "have accused each other for years" is background: it makes no later accusation an answer.
        remembered = (
            {pair: list(said) for pair, said in self.accusations.items()},
            dict(self.accusers),
            dict(self.side_targets),
        )
        for speaker, accused, kind in (
            (first, second, ClaimKind.ACCUSATION),
            (second, first, ClaimKind.COUNTER_ACCUSATION),
        ):
            side = self._make(
                self._match_mention(speaker),
                speaker.record,
                "",
                attribution.verb,
                attribution.frame,
                attribution.content,
            )
            side.frame = sentence  # "in recent years" closes the sentence, past the usual frame
            candidate = self._candidate(side, sentence, number)
            candidate.kind = str(kind)
            candidate.target = self._target_of(accused.record)
            candidates.append(candidate)
        self.accusations, self.accusers, self.side_targets = remembered
        return candidates

    def _extend(self, candidate, excerpt, sentence):
        """A sentence that goes on with the last speaker's statement joins its excerpt."""
        candidate.excerpt = excerpt
        candidate.quote = self._quote(excerpt)
        for topic in self._topics(sentence):
            if topic not in candidate.topics:
                candidate.topics.append(topic)

    def _target(self, attribution, kind):
        if kind not in (ClaimKind.ACCUSATION, ClaimKind.COUNTER_ACCUSATION, ClaimKind.DENIAL):
            return None
        own = attribution.speaker_root_ids
        # "blamed forest fires in Indonesia for the haze that closed ...": the verb's object, when
        # the statement names no one
        verb_at = attribution.frame.find(attribution.verb)
        lead = attribution.frame[verb_at + len(attribution.verb) :] if verb_at >= 0 else ""
        content = attribution.content

        def others(text):
            for mention in self.actors.mentions(text) + self.actors.demonym_mentions(text):
                root = self.actors.root(mention.record)
                if root.record_id not in own and mention.record.record_id != attribution.speaker.actor_id:
                    yield text, mention

        if kind == ClaimKind.DENIAL:
            # "rejected accusations by US officials that it had hidden Chinese doping tests": the
            # denial answers who accused, not whoever the accusation is about.
            for text, mention in [*others(lead), *others(content)]:
                if ACCUSATION_AFTER.match(text, mention.end) or ACCUSATION_BEFORE.search(
                    text, 0, mention.start
                ):
                    return self._target_of(mention.record)
        for text in (content, lead):
            for _text, mention in sorted(others(text), key=lambda found: found[1].start):
                # "said in a letter to the UN Security Council": whom it told, not whom it accuses
                if text is lead and ADDRESSEE.search(text, 0, mention.start):
                    continue
                return self._target_of(mention.record)
        return None

    def _side_target(self, attribution):
        for root in attribution.speaker_root_ids:
            if root in self.side_targets:
                return self.side_targets[root]
        return None

    def _accuser_of(self, attribution):
        """Who last accused the speaker's side in this article, if anyone."""
        for root in attribution.speaker_root_ids:
            record = self.actors.records.get(root)
            key = None if record is None else self._target_key(self._target_of(record))
            if key in self.accusers:
                return self.accusers[key]
        return None

    def _target_key(self, target):
        """The target's record id, as speakers' sides are kept (a state not yet recorded has one
        too), else its name."""
        return target["actor_id"] or self._proposed_ids.get(target["name"]) or target["name"]

    @functools.cached_property
    def _proposed_ids(self):
        return {
            record.name: record.record_id for record in self.actors.records.values() if record.is_proposed
        }

    def _answers_an_accusation(self, attribution, target, stated):
        """Whether the target accused the speaker's side earlier in the article, and not after this
        statement: an article often reports the accusation in its lede and the answers paragraphs
        later, and tells as background ("on May 21, X had accused Y") the accusation Y answered.
        Where the dates cannot order the two (the same month, one of them dated to the month only),
        only an accusation at most `ANSWER_REACH` paragraphs back counts."""
        if ANSWERING.search(attribution.frame):
            return True
        for root in attribution.speaker_root_ids:
            for paragraph, accused_on in self.accusations.get((self._target_key(target), root), []):
                order = _date_order(accused_on, stated)
                near = paragraph is not None and self.paragraph_number - paragraph <= ANSWER_REACH
                if order < 0 or (order == 0 and near):
                    return True
        return False

    def _same_speaker_date(self, attribution):
        """The date of the statement just before, when this one is the same speaker going on."""
        if self.last_statement is None:
            return None
        speaker, stated, paragraph = self.last_statement
        if self.paragraph_number - paragraph > CONTEXT_REACH_PARAGRAPHS:
            return None
        if (speaker.actor_id or speaker.name) != (attribution.speaker.actor_id or attribution.speaker.name):
            return None
        return stated

    def _note_context_date(self, sentence):
        stated = explicit_date(sentence, self.base_date)
        if stated and is_plausible_context(stated, self.base_date):
            self._set_context(stated)

    def _set_context(self, stated):
        self.context_date, self.context_paragraph = stated, self.paragraph_number

    def _current_context(self):
        """The date the article last named, while it still sets the scene."""
        if self.paragraph_number - self.context_paragraph <= CONTEXT_REACH_PARAGRAPHS:
            return self.context_date
        return None

    def _summary(self, attribution):
        speaker = attribution.speaker
        record = self._record(speaker)
        who = speaker.name
        if record is not None and record.is_person:
            who = record.name.split()[-1]
        elif record is None and speaker.as_written:
            who = (
                speaker.as_written.split()[-1] if len(speaker.as_written.split()) > 1 else speaker.as_written
            )
        content = re.sub(r"[\"“”]", "", attribution.content).strip().rstrip(".,;: ")
        verb = attribution.verb
        if verb in (
            "said",
            "says",
            "stated",
            "told",
            "added",
            "noted",
            "stressed",
            "mentioned",
            "emphasized",
        ):
            verb = "said"
        words = content.split()
        if len(words) > SUMMARY_WORDS:
            content = " ".join(words[:SUMMARY_WORDS]).rsplit(",", 1)[0]
        if not content:
            return ""
        return f"{who} {verb} {content}."

    def _quote(self, text):
        spoken = [quote for quote in quotations(text) if not self._is_a_name(quote)]
        return " … ".join(spoken)

    def _is_a_name(self, quote):
        mentions = self.topics.mentions(quote) + self.actors.mentions(quote)
        return any(mention.start == 0 and mention.end >= len(quote.rstrip(".,")) - 1 for mention in mentions)

    def _topics(self, text):
        found = []
        for mention in self.topics.mentions(text):
            topic = {"name": mention.record.name, "topic_id": mention.record.record_id}
            if topic not in found:
                found.append(topic)
        if (
            not found
            and self.article_topic
            and re.search(r"\b(?:treaty|agreement|accord|deal|pact)\b", text, re.I)
        ):
            found.append(self.article_topic)
        return found

    def _main_topic(self):
        counts = {}
        for mention in self.topics.mentions(self.source.full_text):
            counts[mention.record.record_id] = counts.get(mention.record.record_id, 0) + 1
        if not counts:
            return None
        record = self.topics.records[max(counts, key=counts.get)]
        return {"name": record.name, "topic_id": record.record_id}


def _title_words():
    from .world import world_records

    words = set()
    for record in world_records():
        words.update(record.demonyms)
        words.update(spelling for spelling in record.spellings if " " not in spelling)
    return words


def is_title(word):
    """A word that opens a title rather than a name: a demonym, a state or organisation named
    ("Moldovan President", "UN Secretary-General", "NATO Secretary General")."""
    possessive_stripped = re.sub(r"['’]s$", "", word)
    return (
        word in _KNOWN_TITLE_WORDS or possessive_stripped in _KNOWN_TITLE_WORDS or word.endswith("-General")
    )


_KNOWN_TITLE_WORDS = set()


def _without_party_labels(sentence):
    """ "Sen. Ann Reyes (D-Ore.)" read as "Sen. Ann Reyes", blanked so that every offset stays the same."""
    sentence = PARENTHETICAL.sub(lambda match: " " * len(match.group()), sentence)
    sentence = BRACKETED_CLAUSE.sub(lambda match: " " * len(match.group()), sentence)
    return PARTY_LABEL.sub(lambda match: " " * len(match.group()), sentence)


def _after_last_quotation(text):
    """The words after a quotation closes: '"...," Jens Laerke, a spokesman' -> 'Jens Laerke, ...'."""
    last = max(text.rfind('"'), text.rfind("”"), text.rfind("''"))
    return text[last + 1 :].lstrip("' ") if last >= 0 else text


def _date_order(first, second):
    """-1 when the StatedDate `first` is before `second` (or the same day), 1 when after, 0 when
    their precisions cannot tell (the same month, one of them dated to the month only)."""
    if first.precision == second.precision:
        return -1 if first.date <= second.date else 1
    coarser = max(DatePrecision(first.precision), DatePrecision(second.precision), key=DATE_PRECISIONS.index)
    first, second = coarser.truncate(first.date), coarser.truncate(second.date)
    return (first > second) - (first < second)


def _same_speaker(first, second):
    """The same actor, or a name and its surname alone ("Dr. Agnes Tamm" ... "Tamm")."""
    if first.speaker.actor_id or second.speaker.actor_id:
        return first.speaker.actor_id == second.speaker.actor_id
    return first.speaker.name.split()[-1:] == second.speaker.name.split()[-1:]


def _speaker_key(candidate):
    return candidate.speaker.actor_id or candidate.speaker.name


def _similarity(first, second):
    from .names import surname_score

    return surname_score(first, second)


__all__ = [
    "Candidate",
    "Extraction",
    "Mention",
    "SourceDraft",
    "SpeakerMatch",
    "StatedDate",
    "extract_article",
]
