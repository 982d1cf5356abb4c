"""Spanish crisis rules, one group per category of ``safety.crisis_patterns``.

Spanish is the language most often met here after English. Each group uses the
same category as its English counterpart (suicide, self_harm, means,
medical_emergency, danger_from_others, someone_else_at_risk, immediate_danger),
so a Spanish crisis gets the reply for its own kind of emergency. The rules run over
``normalise_es()`` of the normalised text: accents already folded ("daño" is
"dano", "mí" is "mi"), then texting spelled out ("kiero" is "quiero", "q" is
"que", "x" is "por"), because a person in crisis does not write carefully.

Idioms that only sound like a crisis ("me muero de risa", "me mata el tráfico",
"me corté el pelo", "mi pareja me pega la gripa") are kept out by construction:
the rules need a first person wish or act ("quiero morirme", "me corto los
brazos"), a means, or someone hurting the writer. Questions about treatment
("¿la ketamina ayuda con los pensamientos suicidas?") stay informational, as in
English: ``TREATMENT`` and ``SOMEONE`` let ``detect_crisis`` tell them apart.

Pure Python with no Rasa import, like ``safety.crisis_patterns``.
"""

from __future__ import annotations

import re
from typing import Dict, Pattern, Tuple

__all__ = ["RULES", "SOMEONE", "TREATMENT", "normalise_es"]

Rules = Tuple[Tuple[str, Pattern[str]], ...]

# Texting shorthand, one token for one spelling: "q", "k" and "qe" for que, "x" for por, "tb" for también.
_SHORTHAND = {
    "q": "que",
    "k": "que",
    "qe": "que",
    "xq": "porque",
    "xk": "porque",
    "pq": "porque",
    "porq": "porque",
    "x": "por",
    "tb": "tambien",
    "tmb": "tambien",
    "tbn": "tambien",
    "tmbn": "tambien",
    "d": "de",
    "pa": "para",
    "toy": "estoy",
    "toi": "estoy",
    "stoy": "estoy",
    "bn": "bien",
    "nd": "nada",
}


def normalise_es(cleaned: str) -> str:
    """Spell out Spanish texting in ``normalise()``d text: "kiero morirmeee x q ya no" → "quiero morirme por que ya no".

    Three or more of one letter become one ("nooo" → "no"; Spanish doubles "ll", "rr", "cc" survive),
    so does a doubled vowel that ends a word ("matarmee"), and "k" and a bare "q" before e or i
    become "qu" ("kiero", "qiero" → "quiero").
    """
    text = re.sub(r"([a-z])\1{2,}", r"\1", cleaned)
    text = re.sub(r"([aeiou])\1+\b", r"\1", text)  # "matarmee", "morirmee"
    text = re.sub(r"k(?=[ei])|q(?=[ei])", "qu", text)
    return " ".join(_SHORTHAND.get(word, word) for word in text.split())


def _rules(*pairs: Tuple[str, str]) -> Rules:
    return tuple((name, re.compile(pattern, re.VERBOSE)) for name, pattern in pairs)


# Same conventions as safety.crisis_patterns: re.VERBOSE, a literal space is "\ ", f-strings
# insert a fragment with {_NAME} and write a regex repeat as {{m,n}}.

_PILLS = r"""(?:
    pastillas|pastis|pildoras|pepas|medicinas|medicamentos|tabletas|capsulas|remedios|somniferos|calmantes
    |tranquilizantes|antidepresivos|clonazepam|rivotril|alprazolam|tafil|xanax|diazepam|valium|lorazepam|ativan
    |paracetamol|acetaminofen|tylenol|ibuprofeno|advil|insulina|litio|sertralina|fluoxetina|quetiapina|seroquel
    |tramadol|oxicodona|fentanilo|zolpidem
)"""
# Who may hurt the writer, or be at risk: family, partners, friends (with Caribbean and Mexican words).
_PERSON = r"""(?:
    espos[oa]|marido|mujer|novi[oa]|pareja|ex|papa|padre|pai|padrastro|mama|madre|mai|madrastra|herman[oa]
    |hermanit[oa]|suegr[oa]|ti[oa]|prim[oa]|cunad[oa]|hij[oa]|hijastr[oa]|abuel[oa]|niet[oa]|sobrin[oa]
    |amig[oa]|mejor\ amig[oa]|pana|compa|cuate|carnal|chamo|chama|companer[oa]|vecin[oa]|roomie
)"""
_HURT_ME = r"""(?:
    pega|pego|pegaba|golpea|golpeo|golpeaba|maltrata|maltrato|maltrataba|ahorca|ahorco|estrangula|estrangulo
    |lastima|lastimo|empuja|empujo|patea|pateo|cachetea|cacheteo|abofetea|abofeteo|viola|violo|abusa|abuso
    |amenaza|amenazo|amenazaba|encierra|encerro|toca|toco|tocaba|manosea|manoseo|persigue|acosa|acoso
    |da\ golpes|dio\ golpes|dio\ una\ (?:golpiza|paliza|cachetada)|quema|quemo
)"""
# "me pega la gripa", "me toca la cita", "me amenaza con despedirme" or "con dejarme" are not violence.
_NOT_VIOLENCE = r"""
    (?!\ (?:un|unos|una|unas|la|el|las|los|su|sus)\ (?:susto|sustos|grito|gritos|chicle|resfriado|resfrio|catarro
        |gripa|gripas|gripe|gripes|tos|piojos|mana|manas|costumbre|turno|cita|puerta)\b)
    (?!\ (?:ir|venir|pagar|esperar|trabajar|manejar|llevar|hacer|a\ mi)\b)
    (?!\ con\ (?:despedir\w*|correr\w*|demandar\w*|no\ pagarme|quitarme\ el\ (?:trabajo|carro|celular|telefono)
        |dejarme|terminarme|terminar\ conmigo|irse|no\ hablarme|bloquearme))
"""
# "me quiero morir de la vergüenza", "de lo cansada que estoy" are idioms.
_NOT_IDIOM = r"""(?!\ (?:de|del)\ (?:la\ |los\ |lo\ )?(?:verguenza|pena|risa|ganas|aburrimiento
    |aburrid[oa]|nervios|nervios[oa]|hambre|sueno|calor|frio|susto|envidia|amor|cansancio|cansad[oa]|feliz
    |emocionad[oa])\b)"""
# "matarme" and "morirme" as typed in a hurry: "mtarme", "matrme", "matarm", "morime", "morirm".
_KILL_ME = r"(?:m(?:a)?t(?:a)?rme?|matarme)"
_DIE_ME = r"(?:mori?r?me?|morirme)"
# Dying, said of oneself: "quiero morir", "quiero matarme" (but "quiero matar el tiempo").
_DIE = rf"(?:morir|mori|{_DIE_ME}|{_KILL_ME}|su[i]?[csz]+idarme|quitarme\ la\ vida)"

_SUICIDE = _rules(
    (
        "es_want_to_die",  # "quiero morirme", "me quiero matar", "ganas de morirme", "pienso en suicidarme"
        rf"""
          \b(?:quiero|quisiera|queria|deseo|necesito)\ {_DIE}\b{_NOT_IDIOM}
        | \bme\ (?:quiero|quisiera|queria|deseo|necesito)\ (?:morir|mori|matar|su[i]?[csz]+idar|quitar\ la\ vida)\b
          {_NOT_IDIOM}
        | \bganas\ (?:de|para)\ (?:{_DIE}|no\ vivir|no\ existir|desaparecer)\b{_NOT_IDIOM}
        | \b(?:pienso|pensando|pense|pensado|penzando|pensamientos\ de)\ en\ (?:{_DIE}|la\ muerte|acabar\ con\ todo)\b
        | \bme\ voy\ a\ (?:matar|suicidar|quitar\ la\ vida|morir\ hoy)\b
        | \b(?:{_KILL_ME}|suicidarme|su[i]?[csz]+idarme|quitarme\ la\ vida|acabar\ con\ (?:mi\ vida|todo))\b
        | \bme\ muero\b(?!\ (?:de|del|por|con|si|cuando|al)\b)  # "no me importa si me muero", not "de risa"
        | \bmejor\ (?:estar\ )?muert[oa]s?\b
        | \bmejor\ (?:que\ )?(?:me\ muero|me\ muera|me\ muriera|morirme|me\ mato)\b
        | \b(?:quiero|quisiera|queria|prefiero|preferiria)\ estar\ muert[oa]\b
        | \b(?:list[oa]|preparad[oa]|decidid[oa])\ (?:para|a)\ (?:morir|matarme|irme\ de\ aqui|acabar\ con\ todo)\b
        | \bmejor\ no\ (?:despertar|amanecer|existir|vivir|haber\ nacido)\b
        | \bno\ me\ importa\ (?:si\ )?(?:me\ muero|morir(?:me)?|vivir\ o\ morir|estar\ muert[oa]|vivo\ o\ muero)\b
        | \bme\ (?:despedi|estoy\ despidiendo|voy\ a\ despedir)\ de\ (?:todos|mi\ familia|mis\ hijos|todo\ el\ mundo)\b
        | \bme\ mato\ (?:esta\ noche|hoy|manana|ya|ahorita|ahora\ mismo)\b  # not "me mató de risa"
        | \b(?:irme|ir|salir|marcharme|dejar)\ (?:de\ )?este\ mundo\b
        | \b(?:mi|una|la)\ (?:carta|nota|cartas|notas)\ de\ (?:despedida|suicidio)\b
        """,
    ),
    (
        "es_not_wake_up",  # "ojalá no despertar", "quisiera dormirme y no despertar"
        r"""
          \bojala\ (?:no\ (?:despert\w*|despiert\w*|amanezca|amaneciera|amanecer|existiera)|me\ muera|me\ muriera
            |muriera|estuviera\ muert[oa]|no\ hubiera\ nacido)\b
        | \b(?:dormir(?:me)?|quedarme\ dormid[oa])\ y\ no\ (?:volver\ a\ )?despertar(?:me)?\b
        | \b(?:no\ quiero|quisiera\ no|quiero\ no|prefiero\ no)\ (?:volver\ a\ )?(?:despertar(?:me)?|amanecer)\b
          (?!\ (?:temprano|tarde|a\ las|antes|mas\ tarde|pronto|tan\ temprano|a)\b)  # "despertar a mi bebé"
        """,
    ),
    (
        "es_no_reason_to_live",  # "ya no quiero vivir", "la vida no tiene sentido", "no puedo más con esta vida"
        r"""
          \bno\ (?:quiero|deseo)\ (?:seguir\ )?(?:vivir|viviendo|[bv]i[bv]ir|existir|estar\ viv[oa])\b
        | \bya\ no\ tengo\ ganas\ de\ (?:vivir|seguir)\b
        | \bya\ no\ quiero\ (?:estar|seguir)\ aqui\b
        | \bya\ no\ (?:puedo|quiero|aguanto)\ seguir\b(?!\ (?:con|pagando|esperando|trabajando|en)\b)
        | \b(?:ya\ )?nada\ tiene\ sentido\b
        | \b(?:quiero|quisiera|queria|prefiero|preferiria)\ (?:no\ existir|dejar\ de\ existir|no\ haber\ nacido
            |desaparecer)\b(?!\ (?:unos|un|una|por\ un|por\ una|de\ vacaciones)\b)
        | \bque\ sentido\ tiene\ (?:seguir\ )?(?:viv[oa]|vivir|viviendo|la\ vida|mi\ vida|existir)\b
        | \b(?:cansad[oa]|hart[oa]|me\ canse|me\ harte)\ de\ (?:vivir|la\ vida|existir|estar\ viv[oa]|luchar|pelear)\b
        | \b(?:es|sera)\ mi\ ultimo\ dia\b(?!\ (?:de|en|del)\b)  # not "mi último día de trabajo"
        | \bno\ vale\ la\ pena\ (?:vivir|seguir)\b
        | \bno\ tengo\ (?:razon(?:es)?|motivos?|por\ que|porque|para\ que)\ (?:para\ |de\ )?(?:vivir|seguir\ viviendo)\b
        | \bno\ (?:\w+\ ){0,3}?(?:razon(?:es)?|motivos?)\ (?:para|de|por\ la\ que)
          \ (?:seguir\ )?(?:viv[oa]|vivir|viviendo|existir)\b
        | \b(?:la\ vida|mi\ vida|vivir|nada)\ (?:ya\ )?no\ tiene\ (?:ningun\ )?sentido\b
        | \bno\ le\ (?:veo|encuentro|hallo)\ (?:el\ |ningun\ )?sentido\ a\ (?:la\ vida|mi\ vida|nada|vivir|seguir)\b
        # "no puedo más", but not "no puedo más con este tráfico" or "no aguanto más este calor"
        | \bno\ (?:puedo|aguanto|soporto)\ mas\b
          (?!\ (?:con\ )?(?:este|esta|estos|estas|el|la|los|las|tanto|tanta|mi|tu)\ (?!vida\b)\w+)
          (?!\ de\ (?:la\ )?(?:emocion|risa|felicidad|alegria|gusto|ganas|hambre|sueno|nervios)\b)
        | \bquiero\ que\ (?:todo|esto|mi\ vida|todo\ esto)\ (?:se\ )?(?:acabe|termine)\b
        | \b(?:desaparecer|irme|dormir|dormirme|descansar)\ para\ siempre\b
        """,
    ),
    (
        "es_better_off_without_me",  # "todos estarían mejor sin mí", "soy una carga", "nadie me extrañaría"
        r"""
          \bmejor\ sin\ mi(?=$|\ (?:aqui|y|porque|ya|todos|en\ este\ mundo|vivo|viva)\b)  # not "mejor sin mi esposo"
        | \bmejor\ si\ (?:yo\ )?no\ (?:estuviera|existiera|estoy|existo|hubiera\ nacido)\b
        | \bsoy\ (?:una\ carga|un\ estorbo|una\ molestia\ para\ todos)\b
        | \bnadie\ me\ (?:extranaria|va\ a\ extranar|extranaria)\b
        | \bnadie\b.{0,30}\bsi\ (?:desaparezco|desapareciera|me\ muero|me\ muriera|me\ mato|ya\ no\ estoy)\b
        | \b(?:pido|pidiendo|pidiendole|ruego|rogando|rezo)\ a\ (?:dios|diosito|el\ senor|la\ virgen)\ (?:que\ )?me
          \ (?:lleve|recoja|quite\ la\ vida|deje\ morir)\b(?!\ (?:con\ bien|a\ casa|con\ salud))
        """,
    ),
)

_SELF_HARM = _rules(
    (
        "es_cutting",  # "me corto los brazos", "volví a cortarme", "tengo cortadas frescas"
        r"""
          (?<!\bse\ )\bme\ (?:corto|estoy\ cortando|he\ estado\ cortando|vuelvo\ a\ cortar|volvi\ a\ cortar
            |sigo\ cortando)\b  # not "se me cortó la llamada"
          (?!\ (?:el|la|las|los|un|una|mis)\ (?:pelo|cabello|unas|barba|flequillo|fleco|dedo|bigote|copete)\b)
        | \b(?:cortarme|cortandome)\b(?!\ (?:el|la|las|los)\ (?:pelo|cabello|unas|barba|flequillo|fleco|bigote)\b)
        | \bme\ (?:corte|he\ cortado|cortaba|rayo|raye|rasguno|rasgune|arano|arane|rajo|raje)\ (?:otra\ vez\ )?
          (?:los|las|el|la|mis)\ (?:brazos?|munecas?|piernas?|muslos?|piel|venas|panza|estomago)\b
        | \b(?:cortadas|cortes|heridas)\ (?:frescas?|frescos|nuevas?|nuevos|recientes)\b
        | \b(?:marcas|cicatrices)\ de\ (?:cortadas|cortes|quemaduras)
          \ en\ (?:los|las|mis)\ (?:brazos|piernas|munecas|muslos)\b
        | \bme\ (?:hago|hice|he\ hecho|sigo\ haciendo|he\ estado\ haciendo|estoy\ haciendo)
          \ (?:cortadas|cortes|heridas|quemaduras)\b
        | \b(?:navajas?|cuchillas?|hojillas?|gillette|hojas?\ de\ afeitar)\b
        | \bautolesi\w*|\bautoagre\w*
        """,
    ),
    (
        "es_burn_or_hit",  # "me quemo con cigarros", "me doy golpes contra la pared", "hasta sangrar"
        r"""
          \bme\ (?:quemo|queme|estoy\ quemando|he\ quemado|quemaba)\ (?:\w+\ ){0,2}?con
          \ (?:un\ |una\ |el\ |la\ |los\ |las\ )?
          (?:cigarros?|cigarrillos?|encendedor|cerillos?|cerillas?|fosforos?|velas?|cuchara)\b
        | \bme\ (?:quemo|queme)\ (?:los|las|la|el|mis)\ (?:brazos?|piernas?|piel|munecas?|manos?)\b
        | \bme\ (?:pego|doy|daba|di)\ (?:punetazos|golpes|cachetadas|bofetadas|trancazos|madrazos)\b
        | \bme\ (?:queme|corte|golpee|lastime|pegue|rasgune|hice\ dano)\b.{0,40}\b(?:a\ proposito|adrede)\b
        | \bme\ (?:golpeo|estoy\ golpeando|doy\ golpes|doy\ de\ golpes)\b
          (?!\ (?:con\ (?:la|el)\ (?:puerta|mesa|esquina)|sin\ querer))  # "me golpeo con la puerta"
        | \bhasta\ (?:sangrar|que\ sangr\w*|sacarme\ sangre|hacerme\ (?:sangre|heridas|dano))\b
        """,
    ),
    (
        "es_harm_self",  # "me hago daño a propósito", "me lastimo a mí misma"
        r"""
          \bhacerme\ dano\b
        | \bme\ (?:hago|hice|estoy\ haciendo|he\ hecho|vuelvo\ a\ hacer)\ dano\b
        | \bme\ (?:lastimo|lastime|estoy\ lastimando|he\ lastimado|hiero)\b
          (?!\ (?:el|la|los|las|un|una)\ (?:rodilla|tobillo|espalda|pie|mano|dedo|hombro|muneca|cuello)\b)
          (?!\ sin\ querer)
        """,
    ),
)

# Where a person may jump from or in front of.
_PLACE = r"""(?:
    puente|edificio|balcon|azotea|techo|ventana|piso|metro|tren|vias|carro|camion|autobus|precipicio|barranco
    |acantilado|rio|terraza|carretera|autopista|trafico
)s?"""

_MEANS = _rules(
    (
        "es_overdose",  # "tomé todas mis pastillas", "se tomó un frasco de tylenol", "me tomé el cloro"
        rf"""
          \b(?:tome|se\ tomo|tomado|tomarme|tomarse|voy\ a\ tomar|trague|se\ trago|tragado|tragarme|tragarse
            |tomandome|me\ meti|se\ metio|me\ eche|se\ echo|me\ empastille)\b
          (?:\ \w+){{0,2}}?\ (?:todas|todos|muchas|muchos|demasiadas|demasiados|monton|punado|\d{{2,}}|veinte|treinta
            |cuarenta|cincuenta|cien)\b
          (?:\ \w+){{0,3}}?\ {_PILLS}\b
        | \b(?:tome|se\ tomo|tomarme|tomarse|voy\ a\ tomar|acab[oa]\ de\ tomar|trague|se\ trago|tragarme|tragarse
            |me\ eche|se\ echo|me\ meti|se\ metio)\b
          (?:\ \w+){{0,2}}?
          \ (?:(?:todo\ el|toda\ la)\ (?:frasco|caja|bote|blister|tira|paquete)
            |(?:frasco|caja|bote|blister|tira|paquete)
              \ (?:entero|entera|completo|completa|de\ (?:\w+\ ){{0,2}}?{_PILLS}))\b
        | \b(?:tome|me\ tome|se\ tomo|bebi|me\ bebi|se\ bebio|trague|se\ trago|tomarme|tomarse)\ (?:\w+\ ){{0,2}}?
          (?:cloro|clorox|lejia|veneno|raticida|matarratas|insecticida|anticongelante|destapacanos|soda\ caustica)\b
        | \b(?:guardando|juntando|acumulando|escondiendo|ahorrando|guarde|junte|acumule|guardadas|guardados
            |juntadas|escondidas)\ (?:\w+\ ){{0,2}}?{_PILLS}\b
        | \b(?:tome|tomarme|me\ tome|se\ tomo|mezcle|mezclo|mezclando)\b(?:\ \w+){{0,5}}?\ {_PILLS}\b
          .{{0,40}}\bcon\ (?:alcohol|vino|cerveza|ron|tequila|vodka|guaro|aguardiente|whisky|licor|pisco|mezcal)\b
        | \b(?:se\ tomo|tome|me\ tome|se\ trago|trague)\b.{{0,40}}\b{_PILLS}\b  # pills, and now unwell
          .{{0,40}}\b(?:muy\ dormid[oa]|no\ despierta|no\ reacciona|inconsciente|muy\ mal)\b
        | \b(?:tuve|me\ tome|tuvo|tiene|tengo|voy\ a\ tener|hice|hizo|provocarme|darme|me\ dio|le\ dio|esta\ teniendo
            |se\ metio|me\ meti)
          \ una\ sobredosis\b
        | \bsobredosis\ (?:a\ proposito|intencional)\b
        | \b(?:tome|me\ tome|se\ tomo)\b(?:\ \w+){{0,3}}?\ {_PILLS}\ (?:de\ mas|de\ sobra)\b
        | \bme\ pase\ (?:de|con)\ (?:la\ dosis|las\ pastillas|mis\ pastillas|los\ medicamentos)\b
        """,
    ),
    (
        "es_jump",  # "me voy a tirar del puente", "aventarme del edificio"
        rf"""
          \b(?:tirarme|aventarme|lanzarme|arrojarme|botarme|me\ (?:voy\ a\ |quiero\ )?(?:tirar|aventar|lanzar|arrojar))
          \ (?:de|del|desde|por|al|a\ la|a\ las|a\ los|frente\ a|debajo\ de)\ (?:\w+\ ){{0,2}}?{_PLACE}\b
        | \b(?:voy\ a|quiero|pienso|estoy\ por)\ saltar\ (?:de|del|desde|por)\b
        | \bestoy\ (?:en|arriba\ de|parad[oa]\ en|sentad[oa]\ en)
          \ (?:el|la)\ (?:orilla\ del?\ )?(?:puente|azotea|borde)\b
        """,
    ),
    (
        "es_hanging",  # "me quiero colgar", "compré una soga"
        r"""
          \b(?:colgarme|ahorcarme|me\ (?:voy\ a\ |quiero\ )?(?:colgar|ahorcar))\b
        | \bsoga\b
        """,
    ),
    (
        "es_firearm",  # "tengo una pistola y la voy a usar", "pegarme un tiro"
        r"""
          \b(?:pistola|arma|revolver|escopeta|rifle)\b.{0,60}
          \b(?:usar(?:la)?|la\ voy\ a\ usar|cabeza|boca|matarme|dispararme|terminar|acabar|esta\ noche)\b
        | \b(?:pegarme|darme|meterme|echarme)\ un\ (?:tiro|balazo|plomazo)\b
        | \b(?:volarme|reventarme)\ (?:la\ )?(?:cabeza|sesos)\b
        | \bdispararme\b
        """,
    ),
)

# Feeling unsafe, or about to hurt someone else.
_DANGER = _rules(
    (
        "es_unsafe_now",  # "no estoy segura en mi casa", "temo por mi vida", "voy a matar a alguien"
        r"""
          \bno\ (?:estoy|me\ siento)\ (?:a\ )?salv[oa]\b
        | \b(?:me\ siento|estoy|estamos)\ en\ peligro\b
        | \bno\ (?:estoy|me\ siento)\ segur[oa]\ (?:en\ (?:mi\ |la\ )?casa|aqui|con\ (?:el|ella|mi\ \w+)|ahora)\b
        | \b(?:temo|miedo)\ por\ mi\ vida\b
        | \bmi\ vida\ (?:esta|corre)\ (?:en\ )?peligro\b
        | \b(?:voy\ a|quiero|pienso|tengo\ ganas\ de)\ (?:matar|apunalar|acuchillar|balear)
          (?:\ a\ (?:alguien|mi\ \w+|el|ella|todos|ese|esa)|lo|la|los|las|le)\b  # not "matar el tiempo"
        """,
    ),
)

# Happening now, in the present or just past, with a person: "tengo dolor de pecho", "no respira".
# Questions ("¿la ketamina causa convulsiones?", "¿qué pasa si no puedo respirar?") stay out.
_MEDICAL = _rules(
    (
        "es_chest_pain",
        r"""
          (?<!\bsi\ )\b(?:tengo|tiene|siento|me\ da|me\ dio|le\ da|le\ dio|tuve|ando\ con)\ (?:un\ |una\ )?
          (?:\w+\ )?(?:dolor|presion|opresion)\ (?:\w+\ ){0,2}?(?:de|en\ el)\ pecho\b
        | \bme\ (?:duele|aprieta|oprime|arde|pesa)\ (?:mucho\ )?el\ pecho\b
        """,
    ),
    (
        "es_breathing",
        r"""
          (?<!\bsi\ )\bno\ (?:puedo|puede|podia|podemos|pueden|consigo|logro)\ respirar\b
          (?!\ (?:bien\ )?por\ la\ nariz)
        | (?<!\bsi\ )\bno\ (?:esta\ )?respira(?:ndo)?\b
        | (?<!\bsi\ )\bme\ falta\ el\ aire\b
        | \b(?:labios|boca|cara|unas)\ (?:morad[oa]s?|azul(?:es)?)\b
        | \b(?:esta|se\ (?:esta\ )?(?:puso|pone|poniendo))\ (?:morad[oa]|azul)\b
        | \bse\ (?:me|le)\ (?:esta\ |estan\ )?(?:cierra|cerrando|hincha|hinchando|hincho|inflama|inflamando|inflamo)
          \ (?:la\ |los\ )?(?:garganta|lengua|cara|boca|labios)\b
        | \bse\ (?:esta\ )?ahogando\b
        """,
    ),
    (
        "es_unresponsive",
        r"""
          \bno\ (?:despierta|reacciona|responde|se\ despierta|abre\ los\ ojos)\b
          (?!\ (?:temprano|tarde|a\ tiempo|a\ las|antes|para|con\ (?:la\ )?alarma|con\ el\ despertador)\b)
          (?!\ (?:a\ |mis\ |los\ |el\ |la\ |al\ )?(?:mensajes?|correos?|llamadas?|telefono|celular|whatsapp|textos?))
        | \b(?:esta|quedo|se\ quedo|sigue)\ inconsciente\b
        | \b(?:encontre|encontramos|halle)\b.{0,30}\b(?:inconsciente|desmayad[oa]|sin\ respirar|tirad[oa])\b
        | \bme\ desmaye\b  # not "si me desmayo" (a question)
        | \bse\ (?:desmayo|acaba\ de\ desmayar)
          (?=$|\ (?:y|despues|otra\ vez|hace|ahorita|ahora|en\ el|en\ la|de\ repente)\b)
        """,
    ),
    (
        "es_seizure_stroke_heart",
        r"""
          \bconvulsion(?:ando|a|o)\b
        | (?<!\bsi\ )\b(?:tiene|esta\ teniendo|le\ dio|le\ esta\ dando|tengo|estoy\ teniendo)\ (?:una\ |un\ )?
          (?:convulsion|convulsiones|ataque\ epileptico|crisis\ epileptica)\b
          (?!.{0,30}\bhace\ (?:\w+\ )?(?:anos|meses|semanas)\b)  # "le dio una convulsión hace años" is history
        | (?<!\bsi\ )\b(?:tiene|esta\ teniendo|le\ esta\ dando|le\ dio|me\ esta\ dando|me\ dio|tengo|estoy\ teniendo)
          \ un\ (?:infarto|derrame|ataque\ al\ corazon|ataque\ cardiaco|paro|preinfarto)\b
        | \b(?:cara|boca)\ (?:caida|chueca|torcida)\b
        """,
    ),
    (
        "es_bleeding_or_allergy",
        r"""
          \b(?:estoy|esta|sigo|sigue)\ sangrando\ (?:mucho|demasiado|sin\ parar|un\ monton)\b
        | \bno\ (?:para|paro|deja)\ de\ sangrar\b
        | \b(?:tengo|tuve|tiene|tuvo|estoy\ teniendo|esta\ teniendo|me\ dio|le\ dio)\ una\ reaccion
          \ (?:alergica\ )?(?:fuerte|grave|seria|severa|muy\ fuerte)\b
        """,
    ),
)

# Someone is hurting, threatening, trapping or following the writer.
_DANGER_FROM_OTHERS = _rules(
    (
        "es_violence_against_me",  # "mi pareja me pega", "mi esposo dice que me va a matar", "me está golpeando"
        rf"""
          \b(?:mi|su|el|la)\ (?:\w+\ )?{_PERSON}\b(?:\ \w+){{0,6}}?\ me\ {_HURT_ME}\b{_NOT_VIOLENCE}
        | \b(?:mi|su|el|la)\ (?:\w+\ )?{_PERSON}\b(?:\ \w+){{0,3}}?
          \ (?:me\ va\ a\ (?:matar|golpear|pegar)|va\ a\ (?:matarme|golpearme|pegarme))\b
          # "mi jefe me va a matar si llego tarde" is an idiom; "... si lo dejo" is a threat
          (?!\ si\ (?!(?:lo\ |la\ |le\ |les\ )?(?:dejo|me\ voy|me\ separo|hablo|digo|cuento|denuncio|llamo)))
        | \bamenaz\w*\ con\ (?:matarme|golpearme|pegarme|lastimarme|hacerme\ dano|quitarme\ a\ mis\ hijos
            |un\ cuchillo|una\ pistola|un\ arma|una\ navaja|un\ machete)\b
        | \b(?:dice|dijo|amenaza|amenazo|jura|juro|grita|grito)\ (?:que\ )?me\ (?:va|van)\ a
          \ (?:matar|golpear|pegar|lastimar|hacer\ dano)\b
        | \bme\ (?:esta|estan)\ (?:golpeando|pegando|ahorcando|estrangulando|amenazando|lastimando|persiguiendo
            |acosando|siguiendo|violando|tocando)\b
          (?!\ (?:la|el|su|sus|un|una)\ (?:gripa|gripe|resfriado|catarro|tos|piojos)\b)
          (?!\ en\ (?:instagram|insta|ig|twitter|tiktok|facebook|redes))
        | \bme\ (?:estrangul\w*|ahorc(?:o|aron|aba))\b
        | \bme\ tienen?\ (?:amenazad[oa]|encerrad[oa]|secuestrad[oa]|amarrad[oa])\b
        | \bme\ (?:dejo|dejaron)\ (?:\w+\ ){{0,2}}?(?:morad[oa]s?|moretones|golpead[oa]|marcad[oa])\b
        | \bme\ (?:agarr\w*|apret\w*|sujet\w*)\ (?:del|el|por\ el)\ cuello\b
        | \bme\ (?:violaron|violo|abusaron|golpearon|pegaron|asaltaron)\b
        | \bme\ {_HURT_ME}\ (?:mi|su|el|la)\ (?:\w+\ )?{_PERSON}\b  # "me golpea mi papá"
        | \bme\ (?:quiere|quieren|trata\ de|trato\ de|intento|intenta)\ (?:matar|ahorcar|estrangular|golpear|violar
            |apunalar|acuchillar)\b
        | \babus(?:a|o|aba|aron)\ (?:sexualmente\ )?de\ mi\b
        """,
    ),
    (
        "es_afraid_or_trapped",  # "tengo miedo de volver a casa", "no me deja salir"
        rf"""
          \bmiedo\ (?:de|a)\ (?:volver|regresar|ir|llegar)\ a\ (?:casa|mi\ casa|la\ casa)\b
        | \bmiedo\ (?:de|a)\ (?:mi\ )?{_PERSON}\b(?!\ (?:se\ entere|sepa|vea))
        | \bmiedo\ (?:de\ )?que\ (?:\w+\ ){{0,3}}?me\ (?:mate|pegue|golpee|lastime|haga\ dano|encuentre|viole)\b
        | \bno\ me\ deja\ (?:salir|ir|irme|ver\ a|usar\ el\ telefono|tener\ telefono|hablar\ con)\b
          (?!\ (?:temprano|antes))
        | \bviolencia\ (?:domestica|intrafamiliar|de\ genero)\b
        """,
    ),
)

# Someone else at risk: the writer is worried for a son, a friend, a partner.
_SOMEONE_ELSE = _rules(
    (
        "es_someone_else_at_risk",  # "mi hijo dice que se quiere morir", "mi hija se está cortando"
        rf"""
          \b(?:mi|mis|su)\ (?:\w+\ )?{_PERSON}s?\b
          .{{0,60}}?\b(?:se\ (?:quiere|queria|va\ a|iba\ a|piensa)\ (?:morir|matar|suicidar|quitar\ la\ vida
              |tirar|aventar|lanzar|colgar|ahorcar)
            |quiere\ (?:morir(?:se)?|matarse|suicidarse|quitarse\ la\ vida)|matarse|suicid\w*
            |(?:carta|nota|mensaje)\ de\ despedida|cortandose
            |se\ (?:esta\ )?cort(?:a|ando)\b
              (?!\ (?:el|la|las|los)\ (?:pelo|cabello|unas|barba|flequillo|fleco|bigote)\b)
            |se\ (?:colgo|ahorco|suicido|corto\ las\ venas)
            |se\ encerro\b.{{0,40}}\bcon\ (?:un\ |una\ |unas\ |las\ )?(?:cuchillo|navaja|pistola|arma|soga|pastillas)
            |no\ quiere\ (?:seguir\ )?(?:vivir|viviendo|existir)
            |hacerse\ dano|se\ (?:hace|esta\ haciendo|hizo)\ dano|quitarse\ la\ vida
            |estar(?:ia|ian)\ mejor\ sin\ (?:el|ella)
            |quiere\ (?:desaparecer|no\ existir|dejar\ de\ existir)
            |(?:tiene|tenia)\ (?:cortes|cortadas|heridas|quemaduras)
              \ en\ (?:los|las|sus)\ (?:brazos|piernas|munecas|muslos)
            |se\ (?:despidio|esta\ despidiendo)\ de\ (?:todos|todo\ el\ mundo|su\ familia|sus\ hijos)
            |se\ (?:esta\ )?(?:lastim|quem|golpe|rasgun)(?:a|ando)\ (?:los|las|el|la|sus)
              \ (?:brazos?|piernas?|munecas?|piel|cara|cabeza)
            |(?:va\ a|quiere|amenaza\ con)\ (?:saltar|tirarse|aventarse|lanzarse|colgarse|ahorcarse))\b
        {_NOT_IDIOM}
        """,
    ),
)

# By category name, in the categories' names of safety.crisis_patterns.
RULES: Dict[str, Rules] = {
    "medical_emergency": _MEDICAL,
    "danger_from_others": _DANGER_FROM_OTHERS,
    "someone_else_at_risk": _SOMEONE_ELSE,
    "suicide": _SUICIDE,
    "self_harm": _SELF_HARM,
    "means": _MEANS,
    "immediate_danger": _DANGER,
}

# A question about treatment ("¿la ketamina ayuda con los pensamientos suicidas?") names no one; a
# person named ("mi hijo", "me", "tengo") makes the word "suicida" a disclosure again.
TREATMENT = re.compile(
    r"\b(?:ketamina|quetamina|esketamina|spravato|infusion(?:es)?|tratamientos?|terapias?|medicamentos?|pacientes"
    r"|personas|gente|alguien)\b"
)
SOMEONE = re.compile(
    r"\b(?:yo|me|mi|mis|conmigo|nos|nosotr[oa]s|nuestr[oa]s?|ella|ellos|tengo|tenia|tuve|estoy|estaba|siento|sentia"
    r"|pienso|pensaba|he|hemos|tenemos|sufro|padezco|ando)\b"
)
