"""Deterministic crisis safety net: phrases and patterns that signal risk.

The NLU classifier can be unsure or wrong, and a missed crisis is the one
mistake this assistant must not make. These patterns run on every message,
whatever the classifier said, and err on the side of showing crisis resources.
They favour recall: a false alarm costs a person a few lines of phone numbers,
a miss can cost a life. Idioms that only *sound* violent ("this pain is killing
me", "dying to know") are excluded by construction: the patterns need a first
person target ("myself", "my life") or an explicit means or threat.

Pure Python with no Rasa import: the Rasa server's NLU component and the
action server both use it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Optional, Pattern, Tuple

__all__ = ["CrisisSignal", "detect_crisis", "normalise"]


@dataclass(frozen=True)
class CrisisSignal:
    """Why a message was flagged: a category and the rule name, never the text."""

    category: str
    rule: str


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
)"""
_PLACE = r"(?:bridge|ledge|roof|rooftop|cliff|edge|train\ tracks|tracks|overpass|balcony)"


def _rules(*pairs: Tuple[str, str]) -> Tuple[Tuple[str, Pattern[str]], ...]:
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
    ("kms_kys", r"\b(?:kms|kys|unalive\w*)\b"),  # texting shorthand for kill myself / yourself
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
        r"""
          \b(?:end|ending|take|taking|took|finish|finishing)\s+(?:my|my\ own)\s+(?:own\s+)?life\b
        | \bend(?:ing)?\ (?:it|things|everything)\ (?:all|for\ good|once\ and\ for\ all|tonight|today|now)\b
        | \bend\ it\ all\b
        | \bend\ everything\b
        | \bput\ an\ end\ to\ (?:it\ all|my\ life|everything|myself)\b
        | \b(?:plan|planning|going|gonna|want|wanna|ready|decided|about|trying)\s+(?:to\s+)?
          end\ (?:it|things|everything)\b
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
        | \bthink(?:ing)?\ about\ (?:death|dying|being\ dead|not\ being\ here|not\ existing)\b
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
          (?!\ (?:with|in|on|at|the|this|for|using|talking|chatting|typing|on\ this))
        | \b(?:dont|do\ not|dnt)\ want\ to\ be\ (?:here|alive|around)\ (?:anymore|any\ more|no\ more)\b
        """,
    ),
    (
        "no_reason_to_live",
        r"""
          \b(?:no|any|dont\ see\ (?:a|any|the)|cant\ see\ (?:a|any|the)|cannot\ see\ (?:a|any|the)|lost\ (?:my|the|all))
          \s+(?:reason|point|purpose|will|desire)\s+(?:for\ me\s+)?(?:to|in|of|for)\s+
          (?:live|living|life|going\ on|being\ alive|being\ here|keep\ going|keeping\ going|carry\ on|carrying\ on
            |wake\ up|waking\ up|staying\ alive|stay\ alive|exist|existing|continue|continuing|be\ alive|be\ here
            |go\ on)\b
        | \b(?:life|living)\ (?:is\ not|isnt|aint|is\ no\ longer|no\ longer)\ worth\ (?:it|living)\b
        | \bnot\ worth\ living\b
        | \bwhats\ the\ point\ (?:of|in)
          \ (?:living|going\ on|life|being\ alive|anything|waking\ up|it\ all|carrying\ on)\b
        | \b(?:life|living|everything|it\ all|existence|my\ life)\ is\ (?:pointless|meaningless|hopeless)\b
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
        """,
    ),
    (
        "better_off_without_me",
        r"""
          \bbetter\ (?:off\ )?without\ me\b
        | \beasier\ without\ me\b
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
        | \b(?:writing|wrote|written|left|leaving)\ (?:notes|letters|a\ note|a\ letter)\ (?:to|for)
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
        | \b(?:until|till|til)\ (?:it|they|i)\ (?:bleed|bleeds|bled|bruise|bruises)\b
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
        | \b{_PILLS}\b.{{0,30}}\b(?:lined\ up|counted\ out|laid\ out|in\ case|saved\ up|stashed|stockpiled|hidden\ away
            |hoarded)\b
        """,
    ),
    (
        "ingested_too_many",
        rf"""
          \b(?:took|taken|take|taking|swallowed|swallow|ate|downed|popped|pop|chugged)\s+
          (?:a|the|an|my)?\s*(?:whole|entire|full|half\ (?:a|the))\s+(?:bottle|pack|packet|box|strip|jar|month)\b
        | \b(?:took|taken|swallowed|ate|downed|popped|take|swallow|taking)\s+(?:way\s+)?
          (?:like\s+|about\s+|around\s+|maybe\s+|over\s+)?
          (?:too\ many|all\ (?:of\ )?(?:my|the)|a\ (?:bunch|handful|lot|ton|load)\ of|lots\ of|loads\ of
            |\d{{2,}}|twenty|thirty|forty|fifty|a\ hundred|handfuls\ of)\s+(?:of\s+)?(?:my\s+|the\s+)?{_PILLS}\b
        | \b(?:took|taken|swallowed|ate|downed|popped)\s+(?:like\s+|about\s+|around\s+|maybe\s+|over\s+)?
          (?:\d{{2,}}|twenty|thirty|forty|fifty|sixty|a\ hundred)\ (?:of\ (?:my|the|those|these|his|her)\ )\w+
        | \bswallowed\ (?:everything|all)\ (?:in|from)\ (?:my|the)\ (?:medicine\ cabinet|cabinet|bathroom)\b
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
        | \b(?:almost|nearly|going\ to|gonna|want\ to|about\ to|thinking\ of|thinking\ about)\s+jump(?:ed|ing)?\b
        | \b(?:standing|sitting|stood|sat|on|at|up\ on)\s+
          (?:the|a|this|top\ of\ the|top\ of\ a|edge\ of\ the|edge\ of\ a)\s+(?:\w+\s+){{0,2}}{_PLACE}\b
          # not sightseeing, nor "on the roof of the parking lot"
          (?!.*\b(?:view|photo|picture|selfie|walk|tour|parking|lot)\b)
        | \b(?:step|stepping|walk|walking|throw\ myself|throwing\ myself|lie|lying|lay)\ (?:in\ front\ of|onto|down\ on)
          \ (?:a|the)\ (?:train|bus|truck|car|traffic|tracks)\b
        | \b(?:drive|driving|crash|crashing|steer|steering)\s+(?:my\ car\s+|the\ car\s+)?
          (?:into|off)\ (?:a|the)\ (?:tree|wall|river|bridge|traffic|pole|cliff|lake|oncoming|road)\b
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
        "violence_against_me",
        rf"""
          \b(?:hitting|hits|hit|beating|beats|beat|choking|choked|chokes|strangl\w*|attacking|attacked
            |threaten\w*|stabbed|punching|punched|kicking|kicked|raped|assaulted|abusing|abuses)\s+me\b
          (?!\ (?:with\ (?:questions|emails|calls|spam|ads)|up\ for))  # "hitting me with questions", "hit me up for"
        | \bthreaten\w*\ (?:to\ )?(?:kill|hurt|shoot|stab)\ me\b
        | \b(?:scared|afraid|terrified|fear|frightened)\b.*\b(?:kill|hurt|shoot|stab|hit|beat)\s+me\b
        | \b(?:has|have|got|pulled|holding)\s+(?:a|his|her)\s+(?:gun|knife|weapon)\b.*\b(?:me|us|kids|house|door)\b
        | \b(?:waving|pointing|pointed|brandishing|swinging)\s+(?:a|his|her|the)\s+(?:gun|knife|weapon)\b
        | \b(?:said|says|told\ me|threatened|swore|promised)\s+(?:that\s+)?
          (?:hed|hell|he\ would|he\ will|shed|shell|she\ would|she\ will|theyd|theyll|they\ would|they\ will)\s+
          (?:{_KILL}|hurt|shoot|stab)\ me\b
        | \b(?:someone|somebody|a\ man|a\ guy|he|she)\ (?:is\ |s\ )?(?:breaking|broke|trying\ to\ break)\ in(?:to)?\b
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

# Spanish, the language most often met after English here (normalise() has
# already folded accents: "daño" is "dano").
_SPANISH = _rules(
    (
        "es_suicide",
        r"""
          \bquiero\ morir(?:me)?\b
        | \bme\ quiero\ morir\b
        | \bmatarme\b
        | \bme\ voy\ a\ matar\b
        | \bquitarme\ la\ vida\b
        | \bno\ quiero\ (?:seguir\ )?vivir\b
        | \bno\ vale\ la\ pena\ vivir\b
        | \bacabar\ con\ (?:mi\ vida|todo)\b
        """,
    ),
    (
        "es_self_harm",
        r"""
          \bhacerme\ dano\b
        | \bme\ corto\b  # "I cut myself"
        | \bcortarme\b
        | \bautolesi\w*
        """,
    ),
)

_CATEGORIES: Tuple[Tuple[str, Tuple[Tuple[str, Pattern[str]], ...]], ...] = (
    ("suicide", _SUICIDE),
    ("spanish", _SPANISH),
    ("self_harm", _SELF_HARM),
    ("means", _MEANS),
    ("immediate_danger", _DANGER),
)


def detect_crisis(text: Optional[str]) -> Optional[CrisisSignal]:
    """Return why ``text`` signals risk of suicide, self-harm or danger, else None."""
    cleaned = normalise(text or "")
    if not cleaned:
        return None
    for category, rules in _CATEGORIES:
        for name, pattern in rules:
            if pattern.search(cleaned):
                return CrisisSignal(category=category, rule=name)
    return None


def rule_names() -> Iterable[str]:
    """Every rule's name, for tests that check each rule is exercised."""
    return (name for _, rules in _CATEGORIES for name, _ in rules)
