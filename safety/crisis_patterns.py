"""Deterministic crisis safety net: phrases and patterns that signal risk.

The NLU classifier can be unsure or wrong, and a missed crisis is the one
mistake this assistant must not make. These patterns run on every message,
whatever the classifier said, and err on the side of showing crisis resources.
They favour recall: a false alarm costs a person a few lines of phone numbers,
a miss can cost a life. Idioms that only *sound* violent ("this pain is killing
me", "dying to know") are excluded by construction: the patterns need a first
person target ("myself", "my life") or an explicit means or threat.

Each match names a category, so a reply can fit the kind of risk: medical_emergency,
danger_from_others, someone_else_at_risk, suicide, self_harm, means (overdoses, guns, rope,
jumping) and immediate_danger ("i'm not safe", harm to others). The Spanish rules, in
``safety.crisis_patterns_es``, use the same categories, so a Spanish crisis gets the same reply
as an English one of its kind.

Pure Python with no Rasa import: the Rasa server's NLU component and the
action server both use it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Optional, Tuple

from safety import crisis_patterns_es as es
from safety.crisis_patterns_es import Rules

__all__ = ["EMERGENCIES", "CrisisSignal", "detect_crisis", "normalise"]

# The kinds of emergency that each get their own reply and alert (utter_crisis's variations in
# domain/safety.yml): the first is the default, also for a crisis the classifier alone saw.
EMERGENCIES = ("suicide", "medical_emergency", "overdose", "danger_from_others", "someone_else_at_risk")
# Categories whose reply is their own kind; every other category (suicide, self-harm, means,
# feeling unsafe) gets the suicide and self-harm reply, with 911 for immediate danger.
_OWN_KIND = frozenset({"medical_emergency", "danger_from_others", "someone_else_at_risk"})
# Rules about pills or poison taken (or about to be): the overdose reply adds Poison Help.
_OVERDOSE_RULES = frozenset({"ingested_too_many", "overdose_intent", "overdose_taken", "es_overdose"})


@dataclass(frozen=True)
class CrisisSignal:
    """Why a message was flagged: a category and the rule name, never the text."""

    category: str
    rule: str
    # Only the word suicide (or suicidal) in a question about treatment, with nobody named: "can
    # ketamine help with suicidal thoughts?". Risk is asked about, not assumed (no alert).
    informational: bool = False

    @property
    def emergency(self) -> str:
        """The kind of emergency, one of ``EMERGENCIES``: which resources the reply gives first."""
        if self.category in _OWN_KIND:
            return self.category
        if self.rule in _OVERDOSE_RULES:
            return "overdose"
        return EMERGENCIES[0]


def normalise(text: str) -> str:
    """Lower-case, fold accents and look-alikes, drop apostrophes, keep words only.

    "I don’t want to LIVE!!!" becomes "i dont want to live" and "daño" becomes
    "dano", so one pattern covers curly quotes, accents, capitals, punctuation
    and texting style.
    """
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text or ""))
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    folded = re.sub(r"[’'`´]", "", folded)
    folded = re.sub(r"[^a-z0-9]+", " ", folded)
    return re.sub(r"\s+", " ", folded).strip()


# Every rule is compiled re.VERBOSE, one alternative per line: layout spaces,
# line breaks and "# ..." comments are not part of a pattern, so a literal
# space is written "\ " (normalise() leaves single spaces only). Rules that use
# a fragment below are f-strings: {_NAME} inserts it, {{m,n}} is a regex repeat.

# Third-person targets are included on purpose: "my sister says she'll kill
# herself" needs the same crisis numbers, for the person who is worried.
_SELF = r"""(?:
    my\ ?self|myself|meself|my\ ?slef|myslef|mysef  # and common typos
    |urself|yourself|him\ ?self|her\ ?self|them\ ?selves|them\ ?self
)"""
_KILL = r"(?:k[i1y]?ll?(?:ed|ing|in|d|s)?)"  # kill, kil, kll, k1ll, kyll; killed, killing, killin, kild, kills
_FIRST_PERSON = r"""(?:i|im|i\ am|ive|i\ have|i\ m)\s+
    (?:really\s+|just\s+|honestly\s+|kinda\s+|kind\ of\s+|seriously\s+)?"""
_PILLS = r"""(?:
    pills?|meds|medications?|medicine|tablets?|sleeping\ pills|painkillers|pain\ killers
    |xanax|tylenol|advil|ambien|oxy\w*|opioids?|insulin|benzos?|lithium|seroquel|klonopin|valium
    |prescriptions|antidepressants|benadryl|nyquil|gabapentin|pastillas|pildoras
)"""
_PLACE = r"(?:bridge|ledge|roof|rooftop|cliff|edge|train\ tracks|tracks|overpass|balcony)"
# Someone else, for "my son says he wants to die": a pronoun or "my" and a relation, with up to
# three words between ("my 8 year old brother", "my best friend").
_OTHER = r"""(?:
    he|she|they|hes|shes|theyre|someone\ i\ know|the\ other\ (?:party|person)
    |(?:a|our)\ (?:friend|coworker|colleague|student|classmate|neighbou?r)
    |my\ (?:\w+\ ){0,3}?(?:son|daughter|kid|kids|child|teen|teenager|boy|girl|friend|friends|bestie|bff|husband|wife
        |partner|boyfriend|girlfriend|bf|gf|fiancee?|mom|mum|mother|dad|father|parents?|brother|sister|sibling
        |roommate|coworker|colleague|cousin|aunt|uncle|grandma|grandmother|grandpa|grandfather|niece|nephew
        |student|neighbou?r|ex|stepson|stepdaughter|stepmom|stepdad)
)"""
_THEMSELF = r"(?:him\ ?self|her\ ?self|them\ ?selves|them\ ?self)"
# A break-up is not a crisis: "i want to end it with my boyfriend" (but "end it with pills" is).
_NOT_BREAKUP = r"""(?!\ with\ (?:him|her|them|my\ (?:boyfriend|girlfriend|bf|gf|husband|wife|partner|ex|fiancee?
    |therapist|doctor|job|boss)))"""


def _rules(*pairs: Tuple[str, str]) -> Rules:
    return tuple((name, re.compile(pattern, re.VERBOSE)) for name, pattern in pairs)


# Each category is a list of (rule name, pattern) over normalise()d text.
_SUICIDE = _rules(
    (
        "suicide_word",
        r"""
          \bs[uo]+i?[cs]+i?[dt]+(?:e|al|ial|le|el|ality)?\b  # suicide, suicidal and misspellings: sucide, suicdal
        | \bsuicid\w*
        """,
    ),
    ("kms_kys", r"\b(?:kms|kys|unaliv\w*|sewer\ ?slide\w*|self\ ?delet\w*)\b"),  # texting shorthand, euphemisms
    (
        "kill_self",
        rf"""
        \b(?:{_KILL}|end|ending|off|offing|hang|hanging|hung|shoot|shooting|shot|drown|drowning
            |poison|poisoning|gas|gassing|starve|starving|suffocate|suffocating)\s+{_SELF}\b
        (?!\ laughing|\ laugh)  # "killing myself laughing" is an idiom
        """,
    ),
    (
        "end_life",
        rf"""
          \b(?:end|ending|take|taking|took|finish|finishing)\s+(?:my|my\ own)\s+(?:own\s+)?life\b
        | \bend(?:ing)?\ (?:it|things|everything)\ (?:all|for\ good|once\ and\ for\ all|tonight|today|now)\b
        | \bend\ it\ all\b
        | \bend\ everything\b
        | \bput\ an\ end\ to\ (?:it\ all|my\ life|everything|myself)\b
        | \b(?:plan|planning|going|gonna|want|wanna|ready|decided|about|trying|need|needed)\s+(?:to\s+)?
          end\ (?:it|things|everything)\b{_NOT_BREAKUP}
        | \b(?:think|thinking|thought|thoughts)\ (?:about|of)\ ending\ (?:it|things|everything|my\ life)\b{_NOT_BREAKUP}
        | \b(?:execute|carry\ out|go\ through\ with|follow\ through\ (?:with|on)|act\ on)\ (?:my|the|that)\ plan\b
          (?!\ (?:to|for)\ (?:book|pay|come|visit|get|start))
        | \bmy\ plan\b.{{0,30}}\b(?:picked|set|chose|chosen|have|got)\ (?:a|the)\ (?:date|day|time)\b
        | \bgive\ up\ on\ (?:life|living|being\ alive|myself)\b
        | \b(?:want|wish|need)\ (?:it|this|everything|it\ all|the\ pain|life)\ (?:all\ )?to\ stop
          \ (?:forever|permanently|for\ good|for\ ever)\b
        | \b(?:hope|hoping|wish|pray|praying)\ (?:that\ )?(?:a|the|some)\ (?:car|bus|truck|train)
          \ (?:hits|kills|runs\ over|would\ hit)\ me\b
        | \b(?:hope|hoping|wish|pray|praying)\ (?:that\ )?i\ (?:get|got|would\ get)\ (?:hit|killed|run\ over)\b
        | \b(?:want|wish|need)\s+(?:it|this|everything|it\ all|my\ life|life)\s+(?:all\s+)?to\ (?:be\ over|end)\b
        | \bwant\ out\ (?:permanently|for\ good|of\ (?:this|my)\ life|of\ life|of\ here\ for\ good)\b
        | \b(?:stop|cease)\ existing\b
        | \bdont\ deserve\ to\ (?:live|be\ alive|exist|be\ here)\b
        | \b(?:no\ way\ out|only\ way\ out)\b
        | \bdo\ something\ (?:stupid\ |bad\ |terrible\ )?to\ (?:myself|me)\b
        | \bdo\ something\ stupid\b
        """,
    ),
    (
        "want_to_die",
        rf"""
          (?:\b(?:want|wanted|wanna|wish|wishing)
            |{_FIRST_PERSON}(?:going|gonna|ready|about|plan|planning|trying|tried|try|deserve))
          \s+(?:to\s+)?die\b
          # idioms: "want to die of embarrassment", "want to die laughing"
          (?!\ (?:of|from)\ (?:embarrassment|laughter|laughing|boredom|cuteness|shame))
          (?!\ laughing)
        | \bi\ (?:just\ )?(?:want|wanna)\ to\ be\ dead\b
        | \bwish\ (?:i|id)\ (?:was|were|had)?\ ?(?:dead|died|never\ been\ born)\b
        | \b(?:ways?|how|method|methods)\ to\ (?:die|{_KILL}\ (?:myself|me)|end\ it|end\ my\ life)\b
        | \b(?:painless|easy|easiest|quick|quickest|peaceful|fastest|best)\ (?:way|ways|method)\ to
          \ (?:go|die|do\ it|check\ out)\b
        | \b(?:take|takes|need|needs)\ to\ {_KILL}\ (?:me|a\ person|someone|myself)\b
        | \blethal\ dose\b
        | \bthink(?:ing)?\ about\ (?:death|dying|being\ dead|not\ being\ here|not\ existing|not\ being\ alive
          |not\ being\ around)\b
        | \b(?:so\ |just\ |really\ )?(?:done|tired|sick|exhausted)\ (?:of|with)\ (?:life|living|being\ alive|existing)\b
        | \bdone\ trying\ to\ (?:stay\ alive|live|keep\ going|keep\ living)\b
        | \bwish\ i\ (?:wasnt|was\ not|werent|were\ not|hadnt\ been|had\ not\ been)\ (?:born|alive|here)\b
        | \bbetter\ off\ dead\b
        | \bready\ to\ go\b.*\bdie\b
        | \brather\ be\ dead\b
        | \bid\ rather\ die\b
        """,
    ),
    (
        "not_want_to_live",
        r"""
          \b(?:dont|do\ not|dnt|no\ longer|not|never|doesnt|does\ not)\s+(?:really\s+)?(?:want|wanna|wish)\s+(?:to\s+)?
          (?:live|be\ alive|be\ here|exist|wake\ up|go\ on|keep\ going|keep\ living|be\ around|continue\ living
            |continue)\b
          # but not about the chat or a booking: "i dont want to continue with the form"
          (?!\ (?:with|in|on|at|the|this|for|using|talking|chatting|typing|on\ this|early|late|so\ early|in\ time
            |on\ time|before))
        | \b(?:dont|do\ not|dnt)\ want\ to\ be\ (?:here|alive|around)\ (?:anymore|any\ more|no\ more)\b
        """,
    ),
    (
        "no_reason_to_live",
        r"""
          \b(?:no|any|dont\ see\ (?:a|any|the)|cant\ see\ (?:a|any|the)|cannot\ see\ (?:a|any|the)|lost\ (?:my|the|all))
          \s+(?:reason|point|purpose|will|desire)\s+(?:for\ me\s+)?(?:to|in|of|for)\s+
          (?:live|living|life|going\ on|being\ alive|being\ here|keep\ going|keep\ living|keeping\ going|carry\ on
            |carrying\ on
            |wake\ up|waking\ up|staying\ alive|stay\ alive|exist|existing|continue|continuing|be\ alive|be\ here
            |go\ on)\b
        | \b(?:life|living)\ (?:is\ not|isnt|aint|is\ no\ longer|no\ longer)\ worth\ (?:it|living)\b
        | \bnot\ worth\ living\b
        | \bwhats\ the\ point\ (?:of|in)
          \ (?:living|going\ on|life|being\ alive|anything|waking\ up|it\ all|carrying\ on)\b
        | \b(?:life|living|everything|it\ all|existence|my\ life)\ is\ (?:pointless|meaningless|hopeless)\b
        | \bno\ point\ (?:in|to)\ (?:anything|any\ of\ (?:it|this)|trying)\ (?:anymore|any\ more)\b
        | \bis\ nothing\ better\ than\ (?:this|living|life|being\ alive|existing)\b  # "is 'nothing' better than this?"
        | \bwould\ nothing\ be\ better\b
        """,
    ),
    (
        "cannot_go_on",
        r"""
          \b(?:cant|cannot|can\ not|couldnt)\s+
          (?:go\ on|keep\ going|keep\ living|live\ like\ this|do\ this\ anymore|do\ this\ any\ more
            |take\ it\ anymore|take\ this\ anymore|take\ it\ any\ more|take\ much\ more|bear\ it\ anymore
            |handle\ living|keep\ myself\ safe|stay\ safe)\b
        | \bhow\ much\ longer\ i\ can\ (?:keep\ living|go\ on|keep\ going|take\ (?:it|this)|hold\ on)\b
        | \b(?:dont|do\ not|cant)\ (?:want\ to\ )?fight\ (?:it|this)\ (?:anymore|any\ more|any\ longer)\b
        | \b(?:dont\ think|not\ sure|doubt|dont\ know\ if)\ ill
          \ (?:be\ alive|be\ around|still\ be\ here|still\ be\ alive|make\ it)\b
        | \b(?:alive|around|here)\ long\ enough\b
        | \b(?:cant|cannot|can\ not|dont\ think\ i\ can|not\ sure\ i\ can|dont\ know\ if\ i\ can|doubt\ i\ can)
          \ hold\ on\ (?:much\ )?(?:longer|anymore|any\ more|any\ longer)\b
        """,
    ),
    (
        "better_off_without_me",
        r"""
          \bbetter\ (?:off\ |place\ |world\ )?without\ me\b
        | \beasier\ without\ me\b
        | \bif\ i\ (?:just\ )?(?:didnt|did\ not|never)\ exist(?:ed)?\b
        | \bwish\ i\ (?:didnt|did\ not|could\ stop\ to|could\ just\ not)\ exist\b
        | \b(?:im|i\ am|feel\ like|feel\ like\ im|i\ feel\ like)(?:\ (?:such|just|only|nothing\ but|so\ much\ of))?
          \ a\ (?:huge\ |big\ )?burden\b
        | \bsave\ (?:everyone|everybody|my\ family|them|you\ all|the\ world)\ (?:the\ )?(?:trouble|pain|burden|hassle
          |misery)\b
        | \b(?:just|should|could|wanna|want\ to|wish\ i\ could)\ disappear\b
          (?!\ (?:for\ (?:a|the)\ (?:while|bit|week|day|weekend|month|summer)|on\ (?:a\ )?vacation))
        | \b(?:better|happier|easier|relieved|lighter)\b.*
          \bif\ i\ (?:just\ )?(?:was|were|am|wasnt|werent|was\ not|were\ not|died|disappeared)
          (?:\ (?:dead|gone|around|here|alive))?\b
        | \bif\ i\ (?:was|were)\ dead\b
        | \bim\ (?:just\ )?a\ burden\b
        | \bwaste\ of\ space\b
        | \b(?:no\ one|nobody|noone)\ cares?\ if\ i\ (?:die|died|disappear|was\ gone|live|lived)\b
        | \b(?:no\ one|nobody|noone)\ (?:would|will|is\ going\ to|gonna)(?:\ even|\ really)?\ (?:miss|notice|care)
          (?:\ me)?(?:\ if\ i|\ when\ i)?(?:\ (?:died|was\ gone|were\ gone|disappeared|killed|am\ gone|left|die))?\b
        """,
    ),
    (
        "goodbye_notes",
        r"""
          \b(?:goodbye|good\ bye|suicide|farewell|final|last)\s+(?:notes?|letters?|messages?|texts?)\b
        | \b(?:giving|gave|give)\ away\ (?:all\ )?(?:of\ )?(?:my|all\ my)
          \ (?:stuff|things|belongings|possessions|dog|cat|pets?)\b
        | \bwont\ need\ (?:it|them|anything|any\ of\ it)\ (?:where\ im\ going|anymore|any\ more)\b
        | \b(?:writing|wrote|written|left|leaving)\ (?:the\ |my\ |some\ )?(?:notes|letters|a\ note|a\ letter)
          \ (?:to|for)
          \ (?:everyone|everybody|my\ family|my\ kids|my\ wife|my\ husband|my\ parents|my\ mom)\b
        | \b(?:texted|sent|said|wrote|messaged)\s+(?:me\s+|us\s+|everyone\s+)?(?:a\s+)?goodbye\b
        | \bthis\ is\ (?:my\ last\ message|goodbye\ forever|my\ goodbye)\b
        | \bsay(?:ing)?\ (?:my\ )?(?:final\ )?goodbyes?\b
          (?:\ to\ (?:everyone|everybody|my\ family|you\ all|the\ world|all))
        """,
    ),
    (
        "not_wake_up",
        r"""
          \b(?:never|not|dont|wont)\s+(?:want\ to\s+)?wake\ up\b
          (?!\ (?:early|late|in\ time|on\ time|before|at|for))  # "dont wake up early", "not wake up in time"
        | \bsleep\ (?:forever|and\ never\ wake)\b
        | \b(?:i|im)\ (?:\w+\ )?(?:hope|hoping|wish|wishing|pray|praying)\ (?:that\ )?i\ (?:just\ )?
          (?:die|died|dont\ make\ it|never\ make\ it|get\ hit\ by)\b
        | \bdis+ap+ear(?:ing)?\ (?:forever|for\ good|permanently)\b
        | \b(?:wont|will\ not|not\ going\ to|aint\ gonna)\ (?:be|still\ be)\ (?:here|around|alive)
          \ (?:much\ longer|tomorrow|by\ tomorrow|next\ week|anymore|any\ more|for\ long)\b
        """,
    ),
)

_SELF_HARM = _rules(
    ("self_harm_word", r"\bself\ ?(?:harm\w*|injur\w*|mutilat\w*)\b"),
    (
        "harm_self",
        rf"""
        \b(?:hurt|hurting|harm|harming|cut|cutting|burn|burning|burned|burnt|punish|punishing
            |scratch|scratching|hit|hitting|bruise|bruising|bleed|bleeding)\s+{_SELF}\b
        """,
    ),
    (
        "cutting",
        r"""
          \b(?:cut|cuts|cutting|slit|slitting|slice|slicing)\s+(?:open\s+)?(?:my|both)\s+
          (?:wrists?|arms?|legs?|thighs?|skin|stomach)\b
        | \b(?:started|start|back\ to|relapsed(?:\ on|\ into)?|stop|quit|urge\ to|urges\ to)\ cutting\b
        | \bcutting\ (?:again|deeper|more)\b
        | \b(?:sliced|slit|carved|carving|carve|cut)\ (?:\w+\ )?(?:into\ )?(?:my|both)
          \ (?:wrists?|arms?|legs?|thighs?|skin)(?:\ open)?\b
        | \b(?:carved|carving|carve)\ .{0,40}\binto\ my\ (?:skin|arms?|legs?|wrists?)\b
        | \brazors?\b
        | (?<!shoulder\ )\bblades?\b  # not "shoulder blade"
        | \b(?:until|till|til)\ (?:it|they|i|my\ \w+)\ (?:bleed|bleeds|bled|bruise|bruises|bruised)\b
        | \bi\ (?:just\ )?cut\ (?:i|again|last\ night|tonight|today|yesterday|deep|deeper|too\ deep|so\ deep|until|till
            |every\ night|every\ day|because)\b
        | \bi\ cut$  # "I cut."
        | \bcut\ (?:deeper|again)\b
        | \bfresh\ (?:cuts|wounds|scars|burns)\b
        | \bmy\ (?:cuts|scars)\ (?:are|were|keep|wont|need|from)\b
        | \bfrom\ cutting\b
        | \b(?:urges?|want|wanna|need|itching|tempted|craving)\ to\ cut\b
          # but "want to cut my hair", "need to cut back on coffee"
          (?!\ (?:my\ hair|\w+\ hair|the|a|an|down|back|costs|it|out|in|ties|corners|class|school|my\ losses|off)\b)
        """,
    ),
    (
        "burn_or_hit",
        r"""
          \b(?:burn|burns|burned|burnt|burning)\ (?:\w+\ ){0,3}?with\ (?:a\ |the\ |hot\ |a\ hot\ )?
          (?:lighter|cigarettes?|cigs?|matche?s?|spoon|iron|curling\ iron|candle|knife|metal|coin)\b
        | \b(?:bang|bangs|banging|banged|hit|hitting|slam|slamming|slammed)\ my\ head\ (?:on|against|into)
          \ (?:the\ |a\ )?(?:wall|walls|floor|door|desk)\b
        | \bdig(?:ging)?\ my\ nails\ into\b
        """,
    ),
    (
        "relapsed",  # in self-harm talk "i relapsed" means harming again; not "relapsed on alcohol"
        r"""
          (?<!depression\ )(?<!anxiety\ )(?<!symptoms\ )(?<!ptsd\ )(?<!pain\ )
          \bi\ (?:just\ |have\ |ve\ |finally\ |kind\ of\ )?relapsed\b(?!\ (?:on|with|into|back\ into|in\ my)\b)
          (?!.*\b(?:pills|took|overdos\w*|drinking|drank|using
            |used)\b)  # an overdose is "means", a drink is not self-harm
        | \brelapsed\ (?:and|after)\ (?:\w+\ ){0,3}?(?:cut|burn\w*|hurt|harm\w*)\b
        """,
    ),
)

_MEANS = _rules(
    (
        "stockpiling",
        rf"""
          \b(?:sav(?:e|ed|ing)|stockpil\w*|hoard\w*|collect(?:ed|ing)?|stash\w*|stor(?:e|ed|ing)
            |keep(?:ing)?|kept|counting|counted|stock(?:ed|ing)?\ up\ on|stocked\ up|lined\ up|staring\ at)\s+
          (?:up\s+)?(?:all\s+)?(?:of\s+)?(?:my\s+|the\s+|these\s+|enough\s+)?(?:pill\ bottles|{_PILLS})\b
          # not bringing medication to a visit: "keep my meds for the appointment"
          (?!\ (?:for|to\ take|to\ bring)\ (?:the|my|your)\ (?:appointment|visit|infusion|consult))
        | \b{_PILLS}\b.{{0,30}}\b(?:lined\ up|counted\ out|laid\ out|in\ case|saved\ up|saved|stashed|stockpiled
            |hidden\ away|hoarded)\b
        | \bi\ (?:had|have|ve\ got|got)\ (?:exactly\ |about\ |like\ |over\ )?(?:\d{{2,}}|twenty|thirty|forty|fifty|sixty
            |a\ hundred)\ (?:(?:{_PILLS}|of\ them)\ )?(?:sitting|saved|stashed|hidden|ready|lined\ up)\b
        """,
    ),
    (
        "ingested_too_many",
        rf"""
          \b(?:took|taken|take|taking|swallowed|swallow|ate|downed|popped|pop|chugged)\s+
          (?:a|the|an|my)?\s*(?:whole|entire|full|half\ (?:a|the))\s+(?:bottle|pack|packet|box|strip|jar|month)\b
        | \b(?:took|taken|swallowed|ate|downed|popped|take|swallow|taking)\s+(?:way\s+)?
          (?:like\s+|about\s+|around\s+|maybe\s+|over\s+)?
          (?:too\ many|all\ (?:of\ )?(?:my|the|his|her|their)|a\ (?:bunch|handful|lot|ton|load)\ of|lots\ of|loads\ of
            |\d{{2,}}|twenty|thirty|forty|fifty|a\ hundred|handfuls\ of)\s+(?:of\s+)?(?:my\s+|the\s+)?{_PILLS}\b
        | \b(?:took|taken|swallowed|ate|downed|popped)\s+(?:like\s+|about\s+|around\s+|maybe\s+|over\s+)?
          (?:\d{{2,}}|twenty|thirty|forty|fifty|sixty|a\ hundred)\ (?:of\ (?:my|the|those|these|his|her)\ )\w+
        | \bswallowed\ (?:everything|all)\ (?:in|from)\ (?:my|the)\ (?:medicine\ cabinet|cabinet|bathroom)\b
        | \b(?:took|taken|take|taking|swallowed|swallow|ate|downed|popped)\ (?:a|the|an|my|his|her)\ (?:whole\
          |entire\ |full\ )?
          (?:bottle|pack|packet|box|strip|jar)\ of\ (?:my\ |his\ |her\ |the\ )?{_PILLS}\b
        | \b(?:take|swallow|taking|swallowing|took|swallowed)\ every\ (?:single\ )?(?:pill|tablet|med|one\ of\ (?:my
          |the))\b
        | \b{_PILLS}\b.{{0,60}}\b(?:take|swallow|taking|swallowing)\ (?:them|it)\ all\b
        | \b(?:took|taken|did\ take|swallowed)\ (?:way\ |a\ lot\ |much\ |far\ |a\ bit\ |a\ little\ )?more
          \ (?:than\ (?:one|1|i\ should|i\ was\ supposed|recommended|prescribed|im\ prescribed|i\ am\ prescribed
            |i\ was\ prescribed|my\ dose|the\ dose|the\ recommended)|of\ (?:my|the|his|her)\ \w+\ than)\b
        | \b(?:decided|going|gonna|planning|want|wanted)\ to\ take\ (?:way\ |a\ lot\ )?more\ (?:of\ my\ \w+\ )?than\b
        | \bmixed\ (?:my\ |the\ |some\ |all\ my\ )?{_PILLS}\ (?:with|and)\b
        | \bgot\ into\ (?:my|the|his|her)\ {_PILLS}\b
        | \b(?:drank|swallowed|ate)\ (?:something|stuff|some\ \w+)\ (?:from\ )?under\ the\ sink\b
        | \b(?:drank|drink|drinking|swallowed|ate)\s+(?:some\s+)?
          (?:bleach|antifreeze|poison|rat\ poison|drain\ cleaner)\b
        | \bgarage\b.*\bengine\ (?:running|on)\b  # car exhaust in a closed garage
        | \bengine\ running\b.*\bgarage\b
        | \b{_PILLS}\b.*\b(?:to\ (?:end\ it|die|not\ wake\ up|never\ wake\ up)
            |and\ (?:a|some)\ (?:bottle|drink|vodka|whiskey))\b
        """,
    ),
    (
        "overdose_intent",
        r"""
          \bi\ (?:just\ |already\ |have\ |ve\ |think\ i\ |might\ have\ )?
          (?:overdosed|od\ d|odd|oded|oding)\b  # normalise() makes "OD'd" "odd"
        | \b(?:going|gonna|want|wanted|wanna|plan|planning|trying|tried|try|ready|about|thinking\ about|thinking\ of)\s+
          (?:to\s+)?(?:overdose|od)\b
        | \bintentional(?:ly)?\ overdos\w*\b
        """,
    ),
    (
        "overdose_taken",  # said afterwards, or of someone else: "i was overdosing", "my brother overdosed"
        rf"""
          \b(?:i\ (?:was|am)|im|i\ think\ im|hes|shes|he\ is|she\ is|theyre)\ (?:\w+\ )?overdosing\b
        | \b{_OTHER}\ (?:\w+\ ){{0,2}}?(?:overdosed|oded|od\ d)\b
        | \b{_OTHER}\ (?:just\ )?odd\ (?:on|at|after|and|again|earlier|tonight|last)\b  # "od'd", not "is odd"
        | \bi\ had\ taken\ (?:some\ |a\ few\ |the\ |my\ |extra\ |a\ bunch\ of\ )?{_PILLS}\b
        """,
    ),
    (
        "on_purpose",
        r"""
        \b(?:overdos\w*|od|oding|odd|cut|cutting|burn\w*|crash\w*|drive\w*\ off|drove\ off|mixed|took|take
            |swallow\w*|hurt\w*|punch\w*|jump\w*|drank|starv\w*)\b
        .{0,60}\b(?:on\ purpose|deliberately|intentionally)\b
        """,
    ),
    (
        "firearm",
        r"""
          \b(?:gun|pistol|rifle|revolver|firearm|shotgun)\s+(?:to|against|in)\s+my\s+(?:head|mouth|temple|chest)\b
        | \bloaded\ (?:gun|pistol|rifle|revolver|shotgun)\b
        | \b(?:guns?|pistol|rifle|revolver|firearm|shotgun|bullet)\b
          .*\b(?:using\ it|use\ it|myself|my\ head|end\ it|tonight|die|done|over|to\ my|one\ to)\b
        | \b(?:put|putting|hold|holding|pointed|pointing)\s+(?:a\ |the\ |one\ |it\ |my\ )?(?:\w+\ )?
          (?:to|against|in|through)\s+my\s+(?:head|mouth|temple|chest|brain)\b
        """,
    ),
    (
        "hanging",
        r"""
          \bnoose\b
        | \b(?:rope|belt|cord)\b.*\b(?:neck|hang|hanging|beam|ceiling|tree|rafter|closet)\b
        | \brope\ (?:is|s)\ (?:ready|tied|up)\b
        | \b(?:bought|got|buying|tied|have)\ (?:a\ |the\ |some\ )?rope\b
        """,
    ),
    (
        "jump_or_impact",
        rf"""
          \bjump(?:ing|ed)?\s+(?:off|from|in\ front\ of|onto|into)\b
          (?!.*\b(?:achievement|in\ (?:the|my|a)\ game|video\ game|minecraft|fortnite|level\ \d+)\b)  # games
        | \b(?:almost|nearly|going\ to|gonna|want\ to|about\ to|thinking\ of|thinking\ about)\s+jump(?:ed|ing)?\b
        | \b(?:standing|sitting|stood|sat|on|at|up\ on)\s+
          (?:the|a|this|top\ of\ the|top\ of\ a|edge\ of\ the|edge\ of\ a)\s+(?:\w+\s+){{0,2}}{_PLACE}\b
          # not sightseeing, nor "on the roof of the parking lot"
          (?!.*\b(?:view|photo|picture|selfie|walk|tour|parking|lot)\b)
        | \b(?:step|stepping|walk|walking|throw\ myself|throwing\ myself|lie|lying|lay)\ (?:in\ front\ of|onto|down\ on)
          \ (?:a|the)\ (?:train|bus|truck|car|traffic|tracks)\b
        | \bso\ (?:that\ )?i\ (?:can|could|would|will)\ jump\b  # "how high the bridge is so i can jump"
        | \b(?:how\ high|how\ tall|how\ far\ down|highest|tallest)\b.{{0,40}}\b{_PLACE}s?\b
        | \b(?:drive|driving|crash|crashing|steer|steering)\s+(?:my\ car\s+|the\ car\s+)?
          (?:into|off)\ (?:a|the)\ (?:tree|wall|river|bridge|traffic|pole|cliff|lake|oncoming|road)\b
        """,
    ),
)

# Happening now and needing 911 before anything else: not breathing, not waking up, chest pain, a
# seizure, a swelling throat. Each needs a person having it now ("i have", "he's", "she is"), so
# the general questions ("does ketamine cause seizures?", "side effects like chest tightness?",
# "what if i can't breathe?") stay out.
_MEDICAL = _rules(
    (
        "chest_pain",
        r"""
          (?<!will\ )(?<!would\ )(?<!could\ )(?<!can\ )(?<!do\ )(?<!does\ )(?<!if\ )(?<!when\ )
          \b(?:i|im|i\ am|ive|he|she|hes|shes|my\ \w+)\ (?:\w+\ ){0,2}?(?:have|has|having|got|getting|feel|feeling)
          \ (?:\w+\ ){0,2}?chest\ (?:pains?|pressure|tightness)\b
        | \bmy\ chest\ (?:really\ )?(?:hurts|is\ hurting|feels\ tight|is\ tight|is\ burning|is\ on\ fire)\b
        | \bchest\ (?:really\ )?(?:hurts|is\ hurting)\b  # "cant breathe after my infusion chest hurts"
        """,
    ),
    (
        "breathing",
        r"""
          (?<!if\ )(?<!when\ )(?<!will\ )
          \b(?:i|he|she|they|we|hes|shes|theyre|im|my\ \w+)\ (?:\w+\ ){0,2}?
          (?:cant|cannot|can\ not|couldnt|is\ not|isnt|not|unable\ to|stopped|has\ stopped|struggling\ to
            |having\ (?:trouble|a\ hard\ time|difficulty))\ breath(?:e|ing)\b
          (?!\ (?:through|out\ of)\ (?:my|his|her|the)\ nose)(?!\ (?:lol|lmao|haha|from\ laughing))
        | ^(?:i\ |ive\ )?(?:cant|cannot|can\ not)\ (?:really\ )?breath(?:e|ing)\b  # said with no subject
          (?!\ (?:through|out\ of)\ (?:my|his|her|the)\ nose)(?!\ (?:lol|lmao|haha|from\ laughing))
        | \b(?:struggling|gasping|fighting)\ (?:for\ (?:air|breath)|to\ breathe)\b
        | \b(?:lips|face|skin)\ (?:are\ |is\ |turned\ |turning\ |went\ |going\ )(?:\w+\ )?blue\b
        | \b(?:turning|turned|went|going)\ blue\b
        | \b(?:is|s|hes|shes|im|keeps|started|theyre|are)\ choking\b(?!\ me\b)  # but "she's choking me"
        """,
    ),
    (
        "unresponsive",
        r"""
          \bunresponsive\b
        | \b(?:is|was|went|been|hes|shes|theyre|are|lying)\ unconscious\b
        | \b(?:hes|shes|theyre|he|she|they|my\ (?:\w+\ ){0,2}?\w+)\ (?:is\ |are\ |s\ )?
          (?:not|isnt|wont|will\ not|doesnt|cant|arent)\ (?:waking\ up|wake\ up|responding|respond|moving|come\ to)\b
          (?!\ (?:to|early|in\ time|on\ time|before|for|my|your))  # "isn't responding to my texts"
        | \bcant\ (?:wake|rouse)\ (?:him|her|them|my\ \w+)\b
        | \b(?:he|she|they|i|my\ (?:\w+\ )?\w+)\ (?:just\ |suddenly\ )?collapsed\b
        | \bfound\ (?:him|her|them|my\ \w+)\ (?:\w+\ ){0,3}?(?:on\ the\ (?:floor|ground)|unconscious|not\ breathing
            |passed\ out)\b
        | \b(?:i|he|she|they|my\ (?:\w+\ )?\w+)\ (?:just\ )?(?:fainted|passed\ out|blacked\ out)
          \ (?:and|after|again|in\ the|on\ the|at\ the|while|twice|now|during)\b  # not "i fainted once when..."
        """,
    ),
    (
        "seizure_stroke_heart",
        r"""
          \b(?:is|are|im|hes|shes|theyre|keeps|started|am)\ (?:having|in)\ (?:a\ )?(?:seizures?|convulsions?|fit)\b
        | \b(?:is|hes|shes|are|started|keeps)\ (?:seizing|convulsing)\b
        | \b(?:is|im|hes|shes|am|be)\ having\ (?:a\ )?(?:stroke|heart\ attack|cardiac\ arrest)\b
        | \bface\ (?:is\ |s\ )?droop\w*
        | \bslurr(?:ed|ing)\ (?:speech|words|her\ words|his\ words)\b
        """,
    ),
    (
        "allergic_or_bleeding",
        r"""
          \b(?:my|his|her)\ (?:throat|tongue|lips?|face|mouth|airway)\ (?:is\ |are\ |s\ |keeps\ |feels\ |started\ )?
          (?:swelling|swollen|closing|getting\ tight|tightening)\b
        | \b(?:having|going\ into|went\ into)\ (?:an?\ )?(?:bad\ |severe\ |serious\ )?
          (?:allergic\ reaction|anaphylactic\ (?:reaction|shock)|anaphylaxis)\b
        | \bbleeding\ (?:a\ lot|heavily|badly|so\ much|everywhere|really\ bad|profusely)\b
        | \b(?:wont|will\ not|doesnt|does\ not|cant)\ stop\ (?:the\ )?bleeding\b
        | \b(?:lost|losing)\ (?:a\ lot\ of|so\ much)\ blood\b
        """,
    ),
)

# Someone is hurting, threatening, trapping or stalking the person who writes.
_DANGER_FROM_OTHERS = _rules(
    (
        "violence_against_me",
        rf"""
          (?<!car\ )(?<!bus\ )(?<!truck\ )(?<!train\ )  # "i hope a car hits me" is about the writer's own death
          \b(?:hitting|hits|hit|beating|beats|beat|choking|choked|chokes|strangl\w*|attacking|attacked|attacks
            |threaten\w*|stabbed|punching|punched|punches|kicking|kicked|kicks|raped|rapes|assaulted|abusing|abuses
            |abused|slapping|slapped|slaps|smacked|smacks|shoved|shoves)\s+me\b
          # "hitting me with questions", "hit me up for", "beat me to it", "beat me at chess"
          (?!\ (?:with\ (?:questions|emails|calls|spam|ads)
            |up\ (?:for|about|on|with|later|when|if|tomorrow|sometime|at)\b
            |to\ it|at\ (?:chess|cards|checkers|poker|tennis|golf
            |pool|games?|the\ game|video\ games|scrabble|monopoly|basketball|football|soccer|mario\w*|pickleball)))
        | \bthreaten\w*\ (?:to\ )?(?:kill|hurt|shoot|stab)\ me\b
        | \b(?:scared|afraid|terrified|fear|frightened)\b.*\b(?:kill|hurt|shoot|stab|hit|beat)\s+me\b
        | \b(?:has|have|got|pulled|holding)\s+(?:a|his|her)\s+(?:gun|knife|weapon)\b.*\b(?:me|us|kids|house|door)\b
        | \b(?:waving|pointing|pointed|brandishing|swinging)\s+(?:a|his|her|the)\s+(?:gun|knife|weapon)\b
        | \b(?:said|says|told\ me|threatened|swore|promised)\s+(?:that\s+)?
          (?:hed|hell|he\ would|he\ will|shed|shell|she\ would|she\ will|theyd|theyll|they\ would|they\ will)\s+
          (?:{_KILL}|hurt|shoot|stab)\ me\b
        | \b(?:someone|somebody|a\ man|a\ guy|he|she)\ (?:is\ |s\ )?(?:breaking|broke|trying\ to\ break)\ in(?:to)?\b
        | \bif\ i\ (?:leave|left|try\ to\ leave|tried\ to\ leave|ever\ leave|tell|told|call|called|go\ to)\b
          .{{0,40}}\b(?:{_KILL}|hurt|shoot|stab|beat)\ me\b
        | \b(?:hes|shes|he\ is|she\ is|theyre|they\ are|hell|shell|he\ will|she\ will)
          \ (?:going\ to\ |gonna\ |about\ to\ |trying\ to\ )?(?:hurt|hit|beat|shoot|stab|choke|strangle|rape)\ me\b
          (?!\ (?:an?|the)\ (?:email|e\ mail|text|message|line|note|call|dm|pic|photo|link)\b)  # "shoot me an email"
        """,
    ),
    (
        "physical_abuse",
        r"""
          \b(?:slapped|slaps|slapping|shoved|shoves|shoving|pushed|pushes|pushing|grabbed|grabs|grabbing|dragged|drags
            |dragging|slammed|slams|threw|throws|throwing|bit|bites|burned|burns|held|holds|pinned|pins)\ me
          \ (?:down|against|into|across|to\ the|onto|off|by\ the|in\ the\ face|up\ against|on\ the\ (?:floor|ground
            |bed|wall)
            |out\ of)\b
        | (?<!\bi\ )\b(?:slapped|smacked|punched|hit|kicked|slaps|punches|hits|kicks)
          \ my\ (?:face|mouth|head|stomach|eye|jaw|nose|belly)\b  # "he slapped my mouth", not "i hit my head"
        | \b(?:hands?|arm|fingers)\ (?:around|on|round)\ my\ (?:neck|throat)\b
        | \b(?:threw|throws|throwing|swung|swings|swinging)\ (?:a|the|his|her|their)
          \ (?:knife|bottle|chair|plate|glass|phone|lamp|hammer|bat|fist|punch)\ at\ me\b
        """,
    ),
    (
        "afraid_of_someone",
        r"""
          \b(?:scared|afraid|terrified|frightened)\ (?:to\ (?:go|come)|of\ going|of\ coming)\ (?:back\ )?home\b
        | \b(?:scared|afraid|terrified|frightened)\ of\ (?:my\ )?(?:\w+\ )?(?:husband|wife|partner|boyfriend
          |girlfriend|ex
            |dad|father|stepdad|stepfather|mom|mother|brother|roommate|him|her)\b
          (?!\ (?:finding\ out|knowing|seeing|getting|being))  # "scared of my dad finding out"
        | \b(?:he|she|they)\ (?:gets|get|got|is|s|becomes|can\ be)\ (?:really\ |so\ |very\ )?(?:violent|abusive)\b
        | \b(?:abusive|violent)\ (?:husband|wife|partner|boyfriend|girlfriend|relationship|ex|home|dad|father|stepdad
            |marriage)\b
        | \bdomestic\ (?:violence|abuse)\b
        | \b(?:outside|at)\ my\ (?:house|door|apartment|place|work|window)\b.{0,60}
          \b(?:scared|terrified|afraid|wont\ leave|banging|threat\w*)\b
        """,
    ),
    (
        "trapped_stalked_or_abused",
        r"""
          \b(?:locked|locks|locking|lock)\ me\ (?:in|up|out)\b
        | \b(?:wont|will\ not|doesnt|does\ not|never)\ let\ me\ (?:leave|out|go\ out|go\ anywhere|see\ anyone
          |have\ my\ phone)\b
          (?!\ (?:early|work))
        | \bstalk(?:ing|s|ed)?\ me\b
        | \b(?:is|been|keeps|keep|s)\ stalking\b
        | \b(?:following|followed|follows)\ me\b.{0,40}\b(?:scared|afraid|terrified|home|everywhere)\b
        | \b(?:touching|touches|molest\w*|grop\w*|fondl\w*)\ me\b
        | \btouched\ me\ (?:inappropriately|there|down\ there|without|when|while|again|at\ night)\b
        | \bsexually\ (?:assaulted|abused|abusing|abuses)\b
        | \bmolested\b
        """,
    ),
)

# Someone else at risk: the person writing is worried for a son, a friend, a partner. Checked
# before the first-person rules so that a reply can say how to help someone else.
_SOMEONE_ELSE = _rules(
    (
        "other_suicidal",
        rf"""
          \b(?:end|ending|take|taking|took)\ (?:his|her|their)\ (?:own\ )?life\b
        | \b(?:{_KILL}|hurt|hurting|harm|harming|hang|hanging|shoot|shooting|off|offing|drown|drowning|poison|poisoning)
          \ {_THEMSELF}\b
        | \b(?:use|using|turn|turning)\ (?:it|the\ gun|a\ gun|the\ knife|a\ knife)\ on\ {_THEMSELF}\b
        | \b(?:he|she|they|hes|shes|theyre)\ (?:\w+\ ){{0,2}}?(?:wants|wanted|wanting|want|wanna|going|gonna|plans
          |planned
            |planning|tried|trying|ready)\ (?:to\ )?die\b
          (?!\ (?:of|from)\ (?:embarrassment|laughter|laughing|boredom|cuteness|shame))(?!\ laughing)
        | \b(?:he|she|they)\ (?:wishes|wished|wish)\ (?:he|she|they)\ (?:was|were|had)?\ ?(?:dead|never\ been\ born)\b
        | \b(?:he|she|they)\ (?:doesnt|does\ not|dont|didnt|no\ longer)\ (?:really\ )?(?:want|wanna|wish)\ (?:to\ )?
          (?:live|be\ alive|be\ here|exist|wake\ up|go\ on|keep\ going|keep\ living)\b
        | \b(?:he|she|they)\ (?:cant|cannot|can\ not|couldnt)\ (?:go\ on|keep\ going|keep\ living|do\ this\ anymore
            |take\ it\ anymore|take\ this\ anymore|live\ like\ this)\b
        | \b(?:says|said|saying|thinks|feels|believes|told\ me|tells\ me)\b(?:\ \w+){{0,6}}?
          \ better\ (?:off\ |place\ )?without\ (?:him|her|them)\b
        | \bmiss\ (?:him|her|them)\ if\ (?:he|she|they)\ (?:was|were|died|disappeared|is|are|went)\b
        | \b(?:hes|shes|theyre|he|she|they)\ (?:is\ |are\ |was\ )?(?:going\ to|gonna|about\ to|threatening\ to
          |trying\ to
            |wants\ to|will|ll)\ jump\b
        | \b{_OTHER}\b(?:\ \w+){{0,5}}?\ (?:talking|talks|talked|posting|posts|posted|writing|writes|wrote|joking|jokes)
          \ about\ (?:wanting\ to\ die|dying|suicide|killing\ {_THEMSELF}|ending\ (?:it|it\ all|his\ life|her\ life
            |their\ life
            |things)|not\ being\ (?:here|alive|around))\b
        | \b{_OTHER}\b(?:\ \w+){{0,6}}?\ suicid(?!arme\b)\w*  # Spanish "he pensado en suicidarme" is "i have"
        | \bthreaten\w*\ (?:suicide|to\ (?:kill|hurt|harm)\ {_THEMSELF})
        | \b(?:hes|shes|theyre|he\ is|she\ is|they\ are)\ (?:going\ to|gonna|planning\ to|about\ to|ready\ to)
          \ end\ (?:it|it\ all|things|everything)\b{_NOT_BREAKUP}
        """,
    ),
    (
        "other_self_harm",
        rf"""
          \b(?:cut|cuts|cutting|burn|burns|burning|burned|hit|hits|hitting|scratch\w*|bruis\w*|starv\w*|punish\w*)
          \ {_THEMSELF}\b
        | \b{_OTHER}\b(?:\ \w+){{0,3}}?\ self\ ?harm\w*
        """,
    ),
    (
        "other_goodbye",
        rf"""
          \b{_OTHER}\b(?:\ \w+){{0,4}}?\ (?:posted|sent|texted|wrote|left|written|messaged|said|saying|says|emailed)
          \ (?:me\ |us\ |everyone\ |to\ everyone\ )?
          (?:a\ |an\ |her\ |his\ |their\ |some\ |(?:what|something(?:\ that)?)\ (?:sounds|looks)\ like\ a\ )?
          (?:goodbye|goodbyes|farewell|suicide\ note|final\ message|last\ message)\b
        | \b{_OTHER}\b(?:\ \w+){{0,3}}?\ (?:giving|gave|given)\ away\ (?:all\ )?(?:of\ )?(?:his|her|their)
          \ (?:stuff|things|belongings|possessions|pets?|dog|cat)\b
        """,
    ),
)

_DANGER = _rules(
    (
        "unsafe_now",
        r"""
          \b(?:im|i\ am|i\ feel|feel|i\ dont\ feel|i\ do\ not\ feel)\s+(?:not\s+)?(?:safe|in\ danger|unsafe)\b
          (?<!\bi\ feel\ safe)(?<!\bim\ safe)(?<!\bi\ am\ safe)(?<!\bfeel\ safe)  # but "i feel safe" is not a crisis
        | \bnot\ safe\ (?:at\ home|here|right\ now|with\ (?:him|her|them|myself))\b
        | \bi\ (?:dont|do\ not)\ feel\ safe\b
        | \b(?:scared|afraid|fear|fearing|terrified)\ for\ my\ life\b
        """,
    ),
    (
        "harm_others",
        r"""
        \b(?:want|going|gonna|plan|planning|about|ready|thinking\ about|thinking\ of)\s+(?:to\s+)?
        (?:kill|hurt|shoot|stab|murder)\s+
        (?:him|her|them|someone|somebody|people|everyone
            |my\ (?:wife|husband|kids?|family|boss|mom|dad|partner|son|daughter))\b
        (?!\ (?:in\ (?:a|the)\ game|at\ (?:chess|cards)))  # "kill them in the game"
        """,
    ),
)

# The first category that matches is the one reported, so the order says what a reply must put
# first: a body in danger now (911), someone hurting the writer, someone else at risk (how to help
# them), then the writer's own risk. An overdose is "means" whoever took it. Each category's
# English rules run on normalise()d text, its Spanish ones (safety/crisis_patterns_es.py) on
# that text with Spanish texting spelled out.
_CATEGORIES: Tuple[Tuple[str, Rules, Rules], ...] = tuple(
    (category, rules, es.RULES.get(category, ()))
    for category, rules in (
        ("medical_emergency", _MEDICAL),
        ("danger_from_others", _DANGER_FROM_OTHERS),
        ("someone_else_at_risk", _SOMEONE_ELSE),
        ("suicide", _SUICIDE),
        ("self_harm", _SELF_HARM),
        ("means", _MEANS),
        ("immediate_danger", _DANGER),
    )
)


_ABOUT_TREATMENT = re.compile(
    r"\b(?:ketamine|spravato|esketamine|infusions?|treatments?|therapy|therapies|medications?|medicines?|it"
    r"|people|patients|anyone|someone|success\ rate)\b"
)
# Anyone the writer names: themselves, their family, "we". Then the word is no longer general.
_SOMEONE = re.compile(r"\b(?:i|im|ive|id|ill|me|my|myself|mine|we|our|us|he|she|hes|shes|him|her|his)\b")


def _is_informational(cleaned: str, spanish: str) -> bool:
    """A question about treatment that names no one: "can ketamine help with suicidal thoughts?"."""
    about_treatment = _ABOUT_TREATMENT.search(cleaned) or es.TREATMENT.search(spanish)
    return bool(about_treatment) and not (_SOMEONE.search(cleaned) or es.SOMEONE.search(spanish))


def detect_crisis(text: Optional[str]) -> Optional[CrisisSignal]:
    """Return why ``text`` signals risk of suicide, self-harm, danger or a medical emergency, else None."""
    cleaned = normalise(text or "")
    if not cleaned:
        return None
    spanish = es.normalise_es(cleaned)
    for category, english_rules, spanish_rules in _CATEGORIES:
        for rules, seen in ((english_rules, cleaned), (spanish_rules, spanish)):
            for name, pattern in rules:
                if pattern.search(seen):
                    informational = name == "suicide_word" and _is_informational(cleaned, spanish)
                    return CrisisSignal(category=category, rule=name, informational=informational)
    return None


# Everyday idioms about death that say nothing about risk. The classifier, which has seen "death"
# and "die" mostly in crises, can rank them crisis; the crisis net then leaves them alone when the
# patterns saw nothing. "Sick to death of everything" or "... of living" is not an idiom here.
_IDIOM = re.compile(
    r"""
      \b(?:bored|scared|sick|tired|worried|frightened|freezing|starving)\ to\ death
        (?:\ (?:of|with|about|by)\ (?!(?:everything|it\ all|life|living|being\ alive|existing|myself|me|this\ life
        |the\ world|people|everyone)\b)\w+|\ (?:in|at|waiting)\b)
    | \b(?:im|i\ am|were|we\ are|shes|hes|is|are)\ dying\ to\ (?:try|know|see|get|start|hear|meet|book|go|find)\b
    | \b(?:kill|die)\ for\ (?:a|an|some|one)\b
    | \bto\ die\ for\b
    # Spanish, accents folded: eagerness, laughter, hunger, tiredness; never sadness, pain or loneliness.
    | \bme\ muero\ (?:de|por)\ (?:ganas|risa|hambre|sueno|frio|calor|cansancio|verguenza|nervios|curiosidad)\b
    | \bmuert[oa]s?\ de\ (?:risa|hambre|sueno|frio|calor|cansancio|miedo|aburrimiento|verguenza)\b
    """,
    re.VERBOSE,
)


def is_idiom(text: Optional[str]) -> bool:
    """Whether ``text`` uses death only as a figure of speech ("bored to death of waiting")."""
    return bool(_IDIOM.search(normalise(text or "")))


def rule_names() -> Iterable[str]:
    """Every rule's name, English and Spanish, for tests that check each rule is exercised."""
    return (name for _, english, spanish in _CATEGORIES for name, _ in english + spanish)
