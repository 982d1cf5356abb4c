"""Spanish personal medical questions, in the categories of ``safety.medical_patterns``.

The boundary is the English one: what the person states about themselves or a
family member ("tomo litio", "estoy embarazada", "mi mamá toma warfarina",
"tengo presión alta") goes to a clinician; the same topic asked in general
("¿la ketamina es segura?", "¿es seguro durante el embarazo?", "tengo
depresión, ¿me puede ayudar?": what the clinic treats) is the FAQ's. Spanish
drops the pronoun, so the verb says who: "tomo" is the writer, "toma" needs a
family member before it, and a question with "si" ("¿qué pasa si me da dolor
de cabeza?") is what to expect, not a symptom.

The rules run over ``normalise_es()`` of the normalised text (accents folded,
texting spelled out: "tb tomo lexapro, q hago"). Pure Python with no Rasa import.
"""

from __future__ import annotations

import re
from typing import Pattern, Tuple

__all__ = ["CATEGORIES"]

Rules = Tuple[Tuple[str, Pattern[str]], ...]


def _rules(*pairs: Tuple[str, str]) -> Rules:
    return tuple((name, re.compile(pattern, re.VERBOSE)) for name, pattern in pairs)


# Same conventions as safety.medical_patterns: re.VERBOSE, a literal space is "\ ", f-strings
# insert a fragment with {_NAME} and write a regex repeat as {{m,n}}.

_FAMILY = r"""(?:
    hij[oa]|hijastr[oa]|espos[oa]|marido|mujer|pareja|novi[oa]|mama|madre|papa|padre|herman[oa]|abuel[oa]
    |niet[oa]|suegr[oa]
)"""
_THEY = rf"(?:\bmi\ (?:\w+\ )?{_FAMILY}\b(?:\ \w+){{0,3}}?)"  # "mi mamá", "mi hijo de 16 años"
_MEDICATION = r"""(?:
    medicamentos?|medicinas?|medicacion|pastillas?|pildoras?|tabletas?|capsulas?|remedios?|antidepresivos?
    |ansioliticos?|estabilizador(?:es)?\ del\ animo|benzodiacepinas?|opioides?|anticonceptiv[oa]s?
    |anticoagulantes?|insulina|hormonas?|suplementos?
    |litio|sertralina|zoloft|altruline|fluoxetina|prozac|escitalopram|lexapro|citalopram|paroxetina|paxil
    |venlafaxina|efexor|desvenlafaxina|duloxetina|cymbalta|bupropion|wellbutrin|mirtazapina|trazodona|amitriptilina
    |clonazepam|rivotril|alprazolam|tafil|xanax|lorazepam|ativan|diazepam|valium|zolpidem
    |quetiapina|seroquel|aripiprazol|abilify|risperidona|olanzapina|lamotrigina|lamictal|valproato|depakote
    |carbamazepina|topiramato|metilfenidato|ritalin|concerta|adderall|lisdexanfetamina|vyvanse|atomoxetina
    |tramadol|oxicodona|morfina|fentanilo|codeina|metadona|buprenorfina|suboxone|naltrexona
    |losartan|enalapril|lisinopril|amlodipino|metoprolol|propranolol|atenolol|warfarina|coumadin|apixaban|eliquis
    |rivaroxaban|xarelto|clopidogrel|aspirina|gabapentina|pregabalina|levotiroxina|eutirox|synthroid|metformina
    |ozempic|semaglutida|prednisona|paracetamol|acetaminofen|ibuprofeno|tylenol|advil|melatonina|spravato
    # drug-name endings, for names not listed: benazepril, nebivolol, irbesartan, oxazepam ...
    |\w{3,}(?:pril|olol|sartan|dipino|azepam|azolam|oxetina|pramina|triptilina|codona|statina|prazol|formina
        |xaban|apina|idona)
)\b"""
_SUBSTANCE = r"""(?:
    alcohol|cervezas?|chelas?|vinos?|tragos?|copas?|licor|ron|tequila|vodka|whisky|mezcal|guaro|aguardiente|pisco
    |marihuana|mota|porros?|cannabis|thc|cbd|cocaina|coca(?!\ cola)|perico|crack|metanfetamina|mdma|molly|extasis
    |tachas|hongos|psilocibina|lsd|heroina|drogas|kratom
)\b"""
# Conditions that matter for ketamine; not the ones the clinic treats (depresión, ansiedad, TEPT).
_CONDITION = r"""(?:
    presion\ (?:arterial\ )?alta|hipertension|hipertens[oa]|problemas?\ (?:del|de|con\ el)\ corazon
    |problemas?\ cardiacos?|enfermedad\ (?:del\ corazon|cardiaca|cardiovascular|del\ higado|hepatica|renal
        |de\ los\ rinones)
    |cardiopatia|arritmias?|fibrilacion\ auricular|taquicardia|marcapasos|soplo|infarto|derrame(?:\ cerebral)?
    |embolia|aneurisma|psicosis|psicotic[oa]|esquizofreni\w*|esquizoafectiv[oa]|(?:trastorno\ )?bipolar|mania
    |epilepsia|epileptic[oa]|convulsiones|glaucoma|cirrosis|hepatitis|higado\ graso
    |insuficiencia\ (?:renal|cardiaca|hepatica)|problemas?\ (?:de|del|en\ el|en\ los|en\ la)
        \ (?:higado|rinon|rinones|vejiga|tiroides)
    |cistitis|adiccion|adict[oa]|alcoholic[oa]|alcoholismo|diabetes|diabetic[oa]|tiroides|hipertiroidismo
    |hipotiroidismo|apnea|trastorno\ (?:alimenticio|de\ la\ conducta\ alimentaria)|anorexi[ac]|bulimi[ac]|asma|epoc
    |lesion\ cerebral|colesterol\ alto|demencia
)\b"""
_CONDITION_GAP = r"""(?:(?:un|una|el|la|los|las|algo\ de|un\ poco\ de|mucha|ligera|leve|historial\ de|antecedentes\ de
    |diagnostico\ de)\ ){0,2}"""
_SYMPTOM = r"""(?:
    nauseas|mareos?|maread[oa]|vomitos?|vomitando|dolor\ de\ (?:cabeza|estomago)|la\ cabeza|el\ estomago|migranas?
    |jaquecas?|vision\ borrosa|borros[oa]|palpitaciones|temblores|temblando|rar[oa]|desconectad[oa]|confundid[oa]
    |insomnio|pesadillas|sarpullido|ronchas|comezon|picazon|hormigueo|adormecid[oa]|entumid[oa]|fiebre|ardor
    |ansios[oa]|agitad[oa]
)\b"""

_MEDICATION_RULES = _rules(
    (
        "es_takes_medication",  # "tomo litio", "estoy con antidepresivos", "mi mamá toma warfarina"
        rf"""
          \b(?:tomo|tome|tomaba|estoy\ tomando|he\ estado\ tomando|uso|estoy\ con|estoy\ en\ tratamiento\ con
            |me\ (?:recetaron|receto|mandaron|mando|dieron|dio|pusieron|puso|cambiaron|cambio|quitaron|quito)|dejo|deje
            |estoy\ dejando)
          \ (?:\w+\ ){{0,3}}?{_MEDICATION}
        | {_THEY}\ (?:toma|tomaba|esta\ tomando|usa|esta\ con|le\ (?:recetaron|mandaron|dieron))
          \ (?:\w+\ ){{0,3}}?{_MEDICATION}
        """,
    ),
    (
        "es_my_medication",  # "¿puedo seguir tomando mis medicamentos?", "mi medicina para la presión"
        r"""
          \bmis\ (?:\w+\ ){0,2}?(?:medicamentos|medicinas|pastillas|pildoras|remedios|antidepresivos|tabletas)\b
        | \bmi\ (?:\w+\ )?(?:medicamento|medicina|medicacion|receta)\b
        """,
    ),
    (
        "es_may_i_use",  # "¿puedo tomar una copa de vino después?"
        rf"""
        \b(?:puedo|podria|debo|deberia|tengo\ que)\ (?:seguir\ |dejar\ de\ )?
        (?:tomar|beber|fumar|usar|consumir|tomarme|fumarme)
        \ (?:\w+\ ){{0,3}}?(?:{_SUBSTANCE}|{_MEDICATION})
        """,
    ),
    (
        "es_uses_substance",  # "bebo alcohol", "fumo marihuana", "uso cannabis para dormir"
        rf"""
          \b(?:bebo|tomo|fumo|uso|consumo|vapeo|me\ fumo|me\ tomo|fumaba|bebia|consumia)\ (?:\w+\ ){{0,3}}?{_SUBSTANCE}
        | {_THEY}\ (?:bebe|toma|fuma|consume|usa)\ (?:\w+\ ){{0,3}}?{_SUBSTANCE}
        """,
    ),
)

_CONDITION_RULES = _rules(
    (
        "es_has_condition",  # "tengo presión alta", "soy hipertenso", "me diagnosticaron trastorno bipolar"
        rf"""
          \b(?:tengo|tuve|he\ tenido|sufro\ de|padezco|padeci|soy|fui|vivo\ con
            |estoy\ en\ recuperacion\ (?:del|de\ la|de)
            |me\ (?:diagnosticaron|detectaron|encontraron|dio|dieron)|estoy\ en\ tratamiento\ por)
          \ (?!(?:una|alguna|otra)\ (?:pregunta|duda|consulta))  # "tengo una pregunta sobre la presión alta"
          {_CONDITION_GAP}{_CONDITION}
        | {_THEY}\ (?:tiene|tuvo|sufre\ de|padece|es|le\ diagnosticaron)\ {_CONDITION_GAP}{_CONDITION}
        """,
    ),
)

_PREGNANCY_RULES = _rules(
    (
        "es_pregnant",  # "estoy embarazada", "creo que estoy embarazada", "estamos tratando de quedar embarazados"
        r"""
          \b(?:estoy|esta|estamos|puedo\ estar|podria\ estar|quede|quedo|resulte|sali)\ (?:\w+\ ){0,2}?
          (?:embarazad[oa]s?|encinta|en\ cinta|esperando\ (?:un\ )?bebe)\b
        | \b(?:tratando|intentando|buscando)\ (?:de\ )?
          (?:quedar\ embarazad[oa]s?|embarazarme|tener\ un\ bebe|un\ bebe)\b
        """,
    ),
    (
        "es_breastfeeding",  # "estoy amamantando", "estoy dando pecho"
        r"""
          \b(?:estoy|esta)\ (?:\w+\ ){0,2}?
          (?:amamantando|dando\ (?:el\ )?pecho|dando\ de\ mamar|lactando|en\ lactancia)\b
        | \b(?:amamanto|doy\ (?:el\ )?pecho|doy\ de\ mamar)\b
        """,
    ),
)

_SYMPTOM_RULES = _rules(
    (
        "es_symptom",  # "tengo náuseas después de la sesión", "mi hija está mareada"
        rf"""
          (?<!\bsi\ )\b(?:tengo|siento|me\ siento|estoy|ando|me\ duele|me\ dio|me\ dan|me\ da|tuve|sigo)
          \ (?:\w+\ ){{0,2}}?{_SYMPTOM}
        | {_THEY}.{{0,60}}\b(?:esta|se\ siente|tiene|sigue|anda|le\ duele)\ (?:\w+\ ){{0,2}}?{_SYMPTOM}
        """,
    ),
)

# The categories' names are the English ones, in the same order.
CATEGORIES: Tuple[Tuple[str, Rules], ...] = (
    ("pregnancy", _PREGNANCY_RULES),
    ("medication", _MEDICATION_RULES),
    ("condition", _CONDITION_RULES),
    ("symptom", _SYMPTOM_RULES),
)
