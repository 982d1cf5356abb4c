"""Deterministic medical safety net: a personal medical question is a clinician's.

The classifier can lean to a general FAQ answer when a person asks about their
own situation ("I take lithium, can I have ketamine?"), and a general answer to
a personal question is unsafe: only a clinician who knows the person's health
and history may answer it. These patterns find such questions whatever the
classifier said.

The boundary is what the person states about themselves (or a family member
they ask for: "my son takes Adderall"), not the topic:

- personal: their own medication or substance use ("I'm on Zoloft", "my meds",
  "I smoke weed", "can I have a glass of wine after"), a condition of their own
  that matters for ketamine ("I have high blood pressure", "I was diagnosed
  with ..."), their own pregnancy or breastfeeding, or a symptom they have
  ("I've had a headache since my infusion");
- general: the same topics asked about ketamine, "people", "you" or a friend
  ("does ketamine interact with antidepressants?", "is it safe during
  pregnancy?"), a symptom asked as a hypothetical ("will I feel sick after?"
  is what to expect), treatment history ("I've tried five antidepressants":
  eligibility answers that), and the conditions the clinic treats ("I have
  depression"): those are the FAQ's.

Where the two meet, the patterns lean to personal, as the crisis patterns lean
to crisis: an FAQ question sent to a clinician costs a call back, a personal one
answered by the FAQ can cost a person's health. So "I've been on four
antidepressants" counts as use, as it may still be true.

Emergencies (chest pain, not breathing, a seizure now, an overdose) are not
covered here on purpose: they need 911, not a call back. A message the crisis
patterns flag is never reported here, so this net never stands in for a crisis
verdict.

The Spanish rules, in ``safety.medical_patterns_es``, use the same
categories and boundary; a language is one more entry in ``_LANGUAGES``. Pure
Python with no Rasa import, like ``safety.crisis_patterns``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Optional, Pattern, Tuple

from safety import medical_patterns_es
from safety.crisis_patterns import detect_crisis, normalise
from safety.crisis_patterns_es import normalise_es

__all__ = ["MedicalSignal", "detect_medical", "rule_names"]


@dataclass(frozen=True)
class MedicalSignal:
    """Why a message was taken as a personal medical question: a category and the rule, never the text."""

    category: str
    rule: str


# Every rule is compiled re.VERBOSE, one alternative per line, over normalise()d
# text (lower case, no apostrophes or punctuation, single spaces): a literal
# space is written "\ ". Rules that use a fragment below are f-strings: {_NAME}
# inserts it, {{m,n}} is a regex repeat.

# Who the question is about: the person, or a family member they ask for. Not
# "a friend", "people" or "you": those ask in general.
_I = r"(?:i|im|i\ am|i\ m|ive)"
_WE = r"(?:we|were|we\ are|my\ \w+\ and\ i)"  # "we're pregnant", "my husband and I are trying"
_FAMILY = r"""(?:
    son|daughter|kid|kids|child|teen|teenager|baby|wife|husband|partner|spouse|boyfriend|girlfriend
    |fiance|fiancee|mom|mum|mother|dad|father|parent|parents|brother|sister|grandma|grandmother|grandpa
    |grandfather|grandson|granddaughter
)"""
_THEY = rf"(?:my\ (?:\w+\ ){{0,3}}?{_FAMILY}(?:\ who)?)"
_THEIR = rf"(?:my|my\ (?:\w+\ ){{0,2}}?{_FAMILY}s)"  # "my sons adderall" (normalise() drops the apostrophe)
_WHO = rf"(?:{_I}|{_THEY})"
# Words that may stand between the person and what they do: "I'm currently taking", "she has been on".
_AUX = r"""(?:
    still|also|currently|already|just|only|now|recently|usually|normally|regularly|sometimes|occasionally
    |actually|both|really|am|is|s|are|re|m|was|were|been|have|has|had|ve|do|does|got|get|was\ put|am\ put|put
    |\d+|and|want\ to|wanna|need\ to|trying\ to|plan\ to|planning\ to|have\ to|hoping\ to|going\ to|gonna
    |safely|slowly|finally
)"""

_MEDICATION = r"""(?:
    meds?|medications?|medicines?|prescriptions?|pills?
    |anti\ ?depressants?|ssris?|snris?|maois?|mao\ inhibitors?|tricyclics?|mood\ stabili[sz]ers?
    |benzos?|benzodiazepines?|opioids?|opiates?|pain\ ?killers?|pain\ meds|stimulants?|anti\ ?psychotics?
    |blood\ thinners?|anticoagulants?|beta\ blockers?|ace\ inhibitors?|steroids?|anticonvulsants?|insulin
    |(?:blood\ pressure|bp|adhd|anxiety|sleep|sleeping|seizure|thyroid|heart|psych)
        \ (?:meds?|medications?|pills|tablets)
    |birth\ control|contraceptive\ pill|the\ pill
    |sertraline|zoloft|lustral|fluoxetine|prozac|citalopram|celexa|escitalopram|lexapro|cipralex|paroxetine|paxil
    |seroxat|fluvoxamine|luvox|vortioxetine|trintellix
    |venlafaxine|effexor|desvenlafaxine|pristiq|duloxetine|cymbalta|fetzima
    |bupropion|wellbutrin|mirtazapine|remeron|trazodone|amitriptyline|nortriptyline|imipramine|clomipramine
    |spravato|esketamine
    |phenelzine|nardil|tranylcypromine|parnate|selegiline|emsam|isocarboxazid|marplan|moclobemide
    |lith(?:ium|uim|um)|lamotrigine|lamictal|valproate|depakote|divalproex|carbamazepine|tegretol|oxcarbazepine
    |trileptal|topiramate|topamax
    |[xz]anax|alprazolam|klonopin|clonazepam|ativan|lorazepam|valium|diazepam|temazepam|restoril
    |ambien|zolpidem|lunesta|zopiclone
    |suboxone|subutex|buprenorphine|methadone|oxycodone|oxycontin|percocet|hydrocodone|vicodin|norco|tramadol
    |morphine|fentanyl|codeine|co\ ?codamol|dilaudid|hydromorphone|naltrexone|vivitrol
    |adderall?|ritalin|methylphenidate|concerta|vyvanse|lisdexamfetamine|dexedrine|focalin|strattera
    |atomoxetine|modafinil|provigil|guanfacine|clonidine
    |seroquel|quetiapine|abilify|aripiprazole|risperdal|risperidone|zyprexa|olanzapine|latuda|lurasidone
    |vraylar|cariprazine|haldol|haloperidol|clozapine|clozaril|geodon|ziprasidone|rexulti|invega
    |lisinopril|losartan|amlodipine|metoprolol|propranolol|atenolol|carvedilol|hydrochlorothiazide|hctz
    |valsartan|ramipril|prazosin
    |warfarin|coumadin|eliquis|apixaban|xarelto|rivaroxaban|pradaxa|plavix|clopidogrel|heparin|aspirin
    |gabapentin|neurontin|pregabalin|lyrica|levothyroxine|synthroid|metformin|ozempic|semaglutide|prednisone
    |buspirone|buspar|hydroxyzine|sumatriptan|imitrex|paracetamol|acetaminophen|tylenol|ibuprofen|advil
    |hrt|hormones|hormone\ (?:therapy|replacement|treatment|pills)|testosterone|o?estrogen|progesterone
    |supplements?|st\ johns\ wort|melatonin
    # drug-name endings, for names not listed: benazepril, nebivolol, irbesartan, oxazepam, asenapine ...
    |\w{3,}(?:pril|olol|sartan|dipine|azepam|azolam|oxetine|pramine|triptyline|codone|morphone|statin|prazole
        |gliptin|formin|xaban|apine|idone)
)\b"""
_SUBSTANCE = r"""(?:
    alcohol|booze|drinks?|beers?|wine|liquor|vodka|whiske?y|spirits|cannabis|marijuana|weed|thc|cbd|edibles?
    |delta\ 8|kratom|cocaine|coke|crack|meth|methamphetamine|mdma|molly|ecstasy|psilocybin|mushrooms|shrooms
    |lsd|heroin|drugs|pot
)\b"""
# Conditions that matter for ketamine. Not the ones the clinic treats (depression, anxiety,
# PTSD, OCD, chronic pain): "I have depression, can it help?" is the FAQ's question.
_CONDITION = r"""(?:
    high\ (?:blood\ pressure|bp)|hypertension|hypertensive|(?:blood\ pressure|bp)\ (?:problems?|issues?)
    |heart\ (?:condition|disease|problems?|issues?|failure|attack|murmur|defect|surgery)|cardiac\ \w+
    |arrh?ythmias?|a\ ?fib|atrial\ fibrillation|irregular\ heart\ ?beat|tachycardia|pacemaker|stent|stroke|aneurysm
    |psychosis|psychotic|schizophreni\w*|schizoaffective|bipolar|mania|manic
    |seizures?|epilepsy|epileptic|(?:narrow|closed|open)\ angle\ glaucoma|glaucoma
    |liver\ (?:disease|damage|problems?|issues?|failure)|cirrhosis|hepatitis|fatty\ liver
    |kidney\ (?:disease|damage|problems?|issues?|failure|stones)|ckd|renal\ \w+
    |bladder\ (?:problems?|issues?|condition|damage|infections?)|cystitis
    |addiction|addict|alcoholic|alcoholism|sober(?!\ curious)|in\ recovery(?!\ mode)
    |substance\ (?:use|abuse)\ (?:disorder|problem|issues?)|drinking\ problem
    |diabetes|diabetic|thyroid|hyperthyroid\w*|hypothyroid\w*|graves|hashimotos
    |sleep\ apno?ea|eating\ disorder|anorexi[ac]|bulimi[ac]|binge\ eating|arfid
    |asthma|copd|brain\ injury|tbi|pots|dementia|high\ cholesterol|c\ ?pap|bi\ ?pap
)\b"""
# What the clinic treats, after "diagnosed with": the FAQ answers it ("what does ketamine treat?").
_TREATED = r"""(?:(?:a|an|some|mild|moderate|severe|chronic|major|bad|clinical)\s+)*(?:
    treatment\ resistant|depression|depressive|mdd|anxiety|gad|ptsd|ocd|chronic\ pain|fibromyalgia|crps|migraines?
    |panic|postpartum\ depression|ppd
)\b"""
# Words that may stand before a condition: "I have a history of", "I'm type 2", "I'm in recovery from".
_CONDITION_GAP = r"""(?:
    a|an|the|some|mild|moderate|severe|bad|serious|chronic|diagnosed|known|past|previous|prior|history|hx|of
    |recovering|former|ex|active|type|1|2|one|two|borderline|really|very|controlled|uncontrolled|untreated
    |stage|\d+|early|in|recovery|from|long|little|bit|touch|also|still|both|been|suffered|had|with|fatty
    |overactive|underactive|my|first|ever|only|last|few|couple|and
)"""
# One unlisted word may stand there too ("I have narrow angle glaucoma"), unless it makes the
# sentence about the topic rather than the person ("I'm asking about bipolar").
_ONE_MORE_WORD = r"""(?!(?:about|asking|interested|curious|wondering|worried|reading|read|heard|researching|looking
    |into|for|treat|treating|treated|help|helps|helping|cure|know|learn|learning|studying|study|work|working|nurse)\b)\w+"""
# A symptom said with any verb ("I'm nauseous", "I threw up", "I have blurry vision") ...
_SYMPTOM = r"""(?:
    nause\w*|queasy|sick(?!\ (?:of|and\ tired|to\ death))|vomit\w*|throw\w*\ up|threw\ up|puk\w*
    |h[ea]+d\ ?aches?|migraines?|head\ (?:is\ )?(?:pounding|hurts|hurting|spinning)
    |dizz\w*|light\ ?headed|vertigo|woozy|fainted|fainting
    |cant\ sleep|insomnia|nightmares|night\ terrors
    |numb\w*|tingl\w*|pins\ and\ needles|blurr\w*|double\ vision
    |palpitations|heart\ (?:racing|pounding)|racing\ heart|shaky|shaking|tremors?|jittery
    |seeing\ things|hearing\ things|hallucinat\w*
    |rash|hives|itch\w*(?!\ to)|swollen|swell(?:ed|ing)|fever|sore|metallic\ taste
)\b"""
# ... and a vaguer one only with "feel": "I feel strange", not "I'm off to work".
_FEELING = r"""(?:
    strange|weird|off|spacey|spacy|foggy|disconnected|detached|unreal|out\ of\ it|funny|not\ right|faint
    |low|weepy|anxious|paranoid|agitated|confused|spaced\ out|worse|got\ worse|gotten\ worse|getting\ worse
)\b"""
# What may stand between "I feel" and the symptom: "I've had this pounding headache", "I'm also kind of nauseous".
_SYMPTOM_GAP = r"""(?:
    really|very|so|super|kinda|kind\ of|sort\ of|a\ bit|a\ little|little|quite|pretty|extremely|still|constantly
    |always|a\ lot\ of|lots\ of|bad|terrible|awful|horrible|severe|mild|a|an|some|this|these|the|my|constant
    |pounding|splitting|throbbing|persistent|slight|slightly|also|both|heart|vivid|really\ bad|crazy|all|day
    |red|big|huge|small|tiny|painful|sharp|dull|weird|strange|itchy
)"""
_TREATMENT = r"(?:infusions?|sessions?|treatments?|ketamine|appointment|dose|visit|iv)"
# A symptom asked about as a hypothetical ("will I feel sick?", "what if I get a headache?") is what to expect.
_NOT_HYPOTHETICAL = r"(?<!if\ )(?<!will\ )(?<!would\ )(?<!could\ )(?<!can\ )(?<!might\ )(?<!do\ )(?<!should\ )"
_NO_HYPOTHETICAL_IN_MESSAGE = r"^(?!.*\b(?:will|would|might|if|in\ case|going\ to|gonna)\b)"
# "I have a question about high blood pressure" asks in general.
_NOT_A_QUESTION = (
    r"(?!(?:a\ |some\ |quick\ |another\ |few\ |a\ few\ |couple\ )?(?:questions?|query|queries|concerns?)\b)"
)


def _rules(*pairs: Tuple[str, str]) -> Tuple[Tuple[str, Pattern[str]], ...]:
    return tuple((name, re.compile(pattern, re.VERBOSE)) for name, pattern in pairs)


_MEDICATION_RULES = _rules(
    (
        "takes_medication",
        rf"""
          \b{_WHO}\s+(?:{_AUX}\s+){{0,3}}
          (?:take|takes|taking|took|on|off|using|use|uses|prescribed|started|starting|switched\ to
            |(?:stop|stopped|stopping|quit|quitting)(?:\ taking)?
            |(?:come|coming|came|get|getting|go|going|wean|weaning|taper|tapering)\ off|tapering)\s+
          (?:(?:a|an|the|some|my|both|low|high|dose|of|daily|generic|like|about|different|several|multiple|lot|few
            |\d+|\d+\ ?mg|mg)\s+){{0,4}}
          {_MEDICATION}
        | ^(?:currently\s+|still\s+|also\s+)?(?:on|taking|been\ on|been\ taking|prescribed)\s+
          (?:(?:a|an|the|some|low|high|dose|of|\d+|\d+\ ?mg|mg)\s+){{0,2}}{_MEDICATION}
        | \b(?:prescribed|put|started|switched|has|have|had|got|wants|want|told)\ (?:me|him|her|them)
          \ (?:on\s+|off\s+|to\ stop\s+|to\ come\ off\s+)?(?:(?:a|an|the|my)\s+)?{_MEDICATION}
        | \b{_I}\b.{{0,60}}\band\ (?:also\ |still\ )?(?:take|taking|on|use|using)\s+(?:(?:a|an|the|my)\s+)?{_MEDICATION}
        | \b(?:im|i\ am|ive\ been|i\ m)\ (?:currently\ |now\ )?on\ \d+\ ?mg\b
        | \b{_MEDICATION}\ (?:that\ |which\ )?(?:i|im|i\ am|ive\ been)\ (?:\w+\ )?
          (?:take|taking|on|use|using|prescribed)\b
        | \b(?:how\ (?:do|can|should)\ i|how\ to|can\ i|should\ i)\ (?:\w+\ )?(?:come|get|go|wean|taper)\ off
          \ (?:of\ )?(?:my\ )?{_MEDICATION}
        | \b{_WHO}\s+(?:{_AUX}\s+){{0,2}}(?:get|gets|getting|had|have)\s+(?:(?:a|an|the|my|monthly|weekly)\s+)?
          {_MEDICATION}\s+(?:shots?|injections?|jabs?)\b
        """,
    ),
    (
        "my_medication",
        rf"""
        \b{_THEIR}\s+
        (?:(?:current|regular|daily|usual|normal|morning|evening|night|nightly|bedtime|new|other|prescribed
            |psychiatric|dose\ of|\d+\ ?mg|mg)\s+){{0,2}}
        {_MEDICATION}
        | \b{_MEDICATION}.{{0,40}}\bfor\ me\b  # "is 300mg of seroquel a high dose for me"
        """,
    ),
    (
        "uses_substance",
        rf"""
          \b{_WHO}\s+(?:{_AUX}\s+){{0,2}}
          (?:drink|drinks|drinking|drank|smoke|smokes|smoking|vape|vapes|vaping|use|uses|using|take|takes|taking
            |microdose|microdosing|have|has|having|had)\s+
          {_NOT_A_QUESTION}(?:(?!not\b|never\b|no\b)\w+\s+){{0,3}}?{_SUBSTANCE}
        | \b{_WHO}\s+(?:{_AUX}\s+){{0,2}}(?:do|does|doing|did)\ (?:coke|cocaine|crack|drugs|mdma|molly|meth
            |shrooms|mushrooms|lsd|heroin|weed|edibles)\b
        | \b(?:i|{_THEY})\s+(?:still\s+|also\s+|usually\s+|normally\s+|regularly\s+)?drinks?\b
          (?!\ (?:water|coffee|tea|juice|fluids|liquids|milk|plenty|enough|lots\ of\ water|a\ lot\ of\ water))
        | \b{_WHO}\s+(?:{_AUX}\s+){{0,2}}(?:use|used|using|did|do|tried|took|take|taking)\ (?:ketamine|k|special\ k)
          \ (?:\w+\ )?recreationally\b
        | \b{_WHO}\s+(?:{_AUX}\s+){{0,2}}(?:addicted|hooked)\ to\ (?:\w+\ ){{0,2}}?(?:{_SUBSTANCE}|{_MEDICATION})
        """,
    ),
    (
        "may_i_use",
        rf"""
        \b(?:can\ i|could\ i|may\ i|should\ i|for\ me\ to|am\ i\ allowed\ to|if\ i)\s+(?:still\s+)?
        (?:have|drink|take|smoke|use|eat|vape|keep\ taking|continue)\s+
        (?:\w+\s+){{0,3}}?(?:{_SUBSTANCE}|{_MEDICATION})
        """,
    ),
)

_CONDITION_RULES = _rules(
    (
        "diagnosed",
        rf"""
          (?:\b{_WHO}\s+(?:{_AUX}\s+){{0,2}}|^(?:just\s+|recently\s+|newly\s+)?)
          diagnosed\s+(?:with|as|w)\s+(?!{_TREATED})\w+
        | \b(?:my\ )?(?:doctor|doctors|doc|dr|gp|pcp|psychiatrist|cardiologist|neurologist|specialist|physician
            |nurse|consultant)
          \ (?:\w+\ )?(?:says|said|told\ me|thinks|believes|confirmed|found)\ (?:that\ )?
          i\ (?:have|had|might\ have|may\ have|probably\ have|am|m|got)\ (?!{_TREATED}|to\b)\w+
        """,
    ),
    (
        "has_condition",
        rf"""
          \b{_WHO}\s+(?:{_AUX}\s+){{0,2}}
          (?:(?:have|has|had|got|get|gets|getting|am|is|s|m|was|been|use|uses|using|on|live\ with|living\ with
            |deal\ with|hospitali[sz]ed\ for|admitted\ for|treated\ for|sectioned\ for)\s+)?
          {_NOT_A_QUESTION}(?:{_CONDITION_GAP}\s+){{0,4}}(?:{_ONE_MORE_WORD}\s+)?{_CONDITION}
          # the job, not the person: "I'm a diabetic educator"
          (?!\ (?:educator|nurse|specialist|unit|ward|patients|clinic|research|researcher|awareness))
        | \b{_WHO}\s+(?:{_AUX}\s+){{0,2}}(?:suffer|suffered|suffering|struggle|struggled|struggling)\s+(?:from|with)\s+
          (?:\w+\s+){{0,5}}?{_CONDITION}
        """,
    ),
    (
        "my_condition",
        rf"""
        \b{_THEIR}\s+(?:(?:history|hx)\ of\s+)?(?:(?:high|low|resting|elevated|heart)\s+)?
        (?:blood\ pressure|bp|blood\ sugar|heart\ rate|eye\ pressure|{_CONDITION}
          |(?:heart|liver|kidney|kidneys|bladder|thyroid)\ (?:condition|function|levels?|problems?|issues?|disease))
        """,
    ),
)

# What may stand between the person and "pregnant" or "breastfeeding": "I might be", "I'm 8 weeks".
_PREGNANCY_GAP = r"""(?:
    am|is|s|m|re|are|was|might|may|could|be|think|currently|now|just|found|out|got|get|getting|to|planning|plan
    |want|wanting|hoping|trying|weeks|months|\d+|possibly|probably|newly|recently|became|become|already|also|still
    |almost|nearly|exclusively|been|have|ve|and|a|new|mom|mum|mother|postpartum
)"""

_PREGNANCY_RULES = _rules(
    (
        "pregnant",
        rf"""
          \b(?:{_WHO}|{_WE})\s+(?:{_PREGNANCY_GAP}\s+){{0,3}}(?:pregnant|pregant|pregnent|preggo|preggers)\b
        | \b\d+\ weeks\ (?:pregnant|along)\b
        """,
    ),
    (
        "trying_to_conceive",
        rf"""
        \b(?:{_WHO}|{_WE})\s+(?:{_AUX}\s+){{0,2}}
        (?:ttc|trying\ to\ conceive|trying\ for\ (?:a\ )?(?:baby|child|kids)|trying\ to\ have\ a\ baby)\b
        """,
    ),
    (
        "breastfeeding",
        rf"""
          \b{_WHO}\s+(?:{_PREGNANCY_GAP}\s+){{0,4}}
          (?:breast\ ?feeding|breast\ ?feed|chest\ ?feeding|post\ ?partum
            |nursing(?!\ (?:home|student|school|degree|assistant|staff|background|license|licence|job|course)))\b
        | \b(?:breast\ ?feeding|nursing|feeding)\ my
          \ (?:baby|son|daughter|newborn|little\ one|\d+\ (?:month|week)\ old)\b
        """,
    ),
    (
        "expecting",
        rf"""
        \b(?:{_WHO}|{_WE})\s+(?:{_AUX}\s+){{0,2}}expecting
        (?:\ (?:a\ baby|twins|a\ child|our\ first|my\ first|baby|again|a\ little\ one)\b
          |$
          |\ (?:and|so|but|do|does|is|can|could|should|will|would|what|how|am|any|now|soon|in)\b)
        """,
    ),
)

_SYMPTOM_RULES = _rules(
    (
        "symptom_after_treatment",
        rf"""
          (?:{_SYMPTOM}|{_FEELING}).{{0,80}}\bsince\s+
          (?:my|her|his|their|yesterdays|todays|last\ nights|last|the|this\ mornings|starting|i\ started|i\ had)\s+
          (?:\w+\s+){{0,2}}?{_TREATMENT}\b
        | \bsince\s+(?:my|her|his|their|yesterdays|last|the|starting|i\ started|i\ had)\s+
          (?:\w+\s+){{0,2}}?{_TREATMENT}\b
          .{{0,80}}(?:{_SYMPTOM}|{_FEELING})
        | {_NO_HYPOTHETICAL_IN_MESSAGE}.*(?:{_SYMPTOM}|{_FEELING}).{{0,80}}\bafter\s+
          (?:my|her|his|their|yesterdays|todays|last\ nights|the\ last|this\ mornings|mondays|tuesdays|wednesdays
            |thursdays|fridays|saturdays|sundays)\s+(?:\w+\s+){{0,2}}?{_TREATMENT}\b
        """,
    ),
    (
        "feels_symptom",
        rf"""
          {_NOT_HYPOTHETICAL}\b{_I}\s+
          (?:(?:still|also|just|now|keep|kept|constantly|been|have|had|am|was|woke\ up\ with|cant\ stop)\s+){{0,3}}
          (?:(?:feel|feeling|felt|get|getting|got|gotten|have|had|having|been|am|was)\s+)?
          (?:{_SYMPTOM_GAP}\s+){{0,4}}{_SYMPTOM}
        | {_NOT_HYPOTHETICAL}\b{_I}\s+(?:(?:still|also|just|now|keep|kept|been|have|am)\s+){{0,2}}
          (?:feel|feeling|felt)\s+(?:{_SYMPTOM_GAP}\s+){{0,3}}{_FEELING}
        | ^(?:still|been|feeling|having|getting|keep\ getting)\s+(?:{_SYMPTOM_GAP}\s+){{0,2}}(?:{_SYMPTOM}|{_FEELING})
        | ^(?:still\s+)?(?:cant|cannot|can\ not|couldnt)\ sleep\b
        """,
    ),
    (
        "body_symptom",
        r"""
          \bmy\ (?:\w+\ )?(?:head|hands?|arms?|legs?|feet|face|lips|mouth|vision|eyes?|stomach|tummy|bladder|heart
            |skin|ankles?|throat|jaw|ears?|fingers|toes)
          \ (?:is|are|s|was|were|feels?|felt|has\ been|have\ been|keeps?|is\ still|are\ still|still|went|goes
            |started|start|keep|kept|got|gets|get)
          \ (?:\w+\ ){0,2}?
          (?:numb|tingl\w*|blurr\w*|racing|pounding|hurts?|hurting|aching|sore|burning|spinning|swollen|swell\w*
            |itchy|itching|weird|strange|fuzzy|foggy|upset|ringing|shaking)\b
        | \b(?:burns?|burning|hurts?|pain|stings?)\ when\ i\ (?:pee|urinate|wee)\b
        | \bblood\ in\ my\ (?:urine|pee)\b
        """,
    ),
    (
        "family_symptom",
        rf"""
        \b{_THEY}\b.{{0,100}}
        \b(?:hes|shes|theyre|he\ is|she\ is|they\ are|he\ has\ been|she\ has\ been|he\ feels|she\ feels
            |he\ keeps|she\ keeps|he\ was|she\ was|he\ threw|she\ threw)\s+
        (?:(?:still|been|feeling|having|getting|really|very|so|kind\ of|kinda|a\ bit)\s+){{0,3}}
        (?:{_SYMPTOM}|{_FEELING})
        """,
    ),
)

_Categories = Tuple[Tuple[str, Tuple[Tuple[str, Pattern[str]], ...]], ...]

_ENGLISH: _Categories = (
    ("pregnancy", _PREGNANCY_RULES),
    ("medication", _MEDICATION_RULES),
    ("condition", _CONDITION_RULES),
    ("symptom", _SYMPTOM_RULES),
)
# One entry per language, with how its rules see the normalised text; a message is checked
# against all of them.
_LANGUAGES: Tuple[Tuple[Callable[[str], str], _Categories], ...] = (
    (str, _ENGLISH),
    (normalise_es, medical_patterns_es.CATEGORIES),
)


def detect_medical(text: Optional[str]) -> Optional[MedicalSignal]:
    """Return why ``text`` is a personal medical question for a clinician, else None.

    A crisis is not a medical question: the crisis net owns it, so this returns None for it.
    """
    cleaned = normalise(text or "")
    if not cleaned or detect_crisis(cleaned):
        return None
    for view, categories in _LANGUAGES:
        seen = view(cleaned)
        for category, rules in categories:
            for name, pattern in rules:
                if pattern.search(seen):
                    return MedicalSignal(category=category, rule=name)
    return None


def rule_names() -> Iterable[str]:
    """Every rule's name, for tests that check each rule is exercised."""
    return (name for _, categories in _LANGUAGES for _, rules in categories for name, _ in rules)
