"""Trigger phrases that state a relation between entities mentioned in one sentence."""

from __future__ import annotations

import re

COORDINATION = re.compile(
    r"\b(?:en coordinaci[oó]n (?:con|entre)|coordinar(?:[aá]n?)? (?:acciones|actividades|esfuerzos)|coordinaci[oó]n(?: y \w+)? (?:con|entre)|coordinarse con|"
    # "El Ministerio coordinará con los gobiernos regionales", "deberá coordinar con X"
    r"coordina(?:n|r|r[aá]n?)? con|"
    r"se coordina(?:n|r[aá]n?)? con|en conjunto (?:con|entre)|conjuntamente (?:con|entre)|"
    r"junto (?:a|con)|en colaboraci[oó]n con|colaboraci[oó]n entre|en alianza con|alianzas? (?:con|entre)|"
    r"trabajo conjunto|trabajo articulado con|articulaci[oó]n (?:con|entre)|"
    r"convenios? (?:con|entre|de colaboraci[oó]n)|"
    # "celebrar convenios de gestión con", "convenios de transferencia de recursos con"
    r"convenios? de [a-záéíóúñ]+(?: (?:y|e|de|del|[a-záéíóúñ]+)){0,5} (?:con|entre)|"
    # "acuerdo con X" is one, "de acuerdo con lo dispuesto por X" (according to) is none: 27
    # coordination ties of the bulk corpus were read from it, every one of them wrong
    r"(?<!de )acuerdos? (?:con|entre)|realizad[oa]s? en conjunto|de manera conjunta|"
    r"coordinadamente)\b",
    re.IGNORECASE,
)
RESPONSIBILITY = re.compile(
    # "a cargo del Ministerio" as well as "a cargo de la Gerencia" (111 "estará a cargo de/del"
    # in the bulk corpus)
    r"\b(?:ejecutad[oa]s? por|administrad[oa]s? por|implementad[oa]s? por|a cargo del?|"
    r"liderad[oa]s? por|coordinad[oa]s? por|gestionad[oa]s? por|operad[oa]s? por|"
    r"impulsad[oa]s? por|desarrollad[oa]s? por|organizad[oa]s? por|de responsabilidad del?|"
    r"bajo la responsabilidad del?|que (?:impulsa|ejecuta|administra|lidera|coordina|gestiona))\b",
    re.IGNORECASE,
)
# "X conduce la Política Nacional ...", "X administrará el Fondo ...": the subject runs what
# the verb's object names
ACTIVE_RESPONSIBILITY = re.compile(
    r"\b(?:conduc(?:e|en|ir[aá]n?|ir)|lider(?:a|an|ar[aá]n?|ar)|administr(?:a|an|ar[aá]n?|ar)|"
    r"ejecut(?:a|an|ar[aá]n?|ar)|implement(?:a|an|ar[aá]n?|ar)|gestion(?:a|an|ar[aá]n?|ar)|"
    r"formul(?:a|an|ar[aá]n?|ar)|elabor(?:a|an|ar[aá]n?|ar)|"
    # "El PNUD, junto con la Secretaría X, impulsa la Agenda de Transición Energética"
    r"impuls(?:a|an|ar[aá]n?|ar)|promuev(?:e|en)|promover(?:[aá]n?)?|"
    # "El Servicio llevará el Registro Nacional", "deberá diseñar el Programa X" (the
    # infinitive after "deberá"/"podrá": 55 times in the bulk corpus before a named instrument)
    r"llev(?:a|an|ar[aá]n?|ar)|dise[ñn](?:a|an|ar[aá]n?|ar)|"
    # "La Dirección Regional es responsable del Programa X" (403 in the bulk corpus)
    r"(?:es|son|ser[aá]n?)[ \t]+responsables?[ \t]+de(?:l|[ \t]+la|[ \t]+los|[ \t]+las)?)\b"
)
FUNDING = re.compile(
    r"\b(?:financiad[oa]s? por|cofinanciad[oa]s? por|con (?:el )?financiamiento (?:de|del)|"
    r"con recursos (?:de|del)|con (?:el )?apoyo financiero (?:de|del)|financia(?:n|r[aá])?)\b",
    re.IGNORECASE,
)
PARTICIPATION = re.compile(
    r"\b(?:con (?:la )?participaci[oó]n (?:de|del)|participan?|participar[aá]n?|integrad[oa]s? por|"
    r"conformad[oa]s? por|compuest[oa]s? por|miembros? (?:de|del)|forma(?:n)? parte (?:de|del))\b",
    re.IGNORECASE,
)
OVERLAP = re.compile(
    r"\b(?:traslapes?|duplicidad(?:es)?|duplicaci[oó]n(?:es)?|superposici[oó]n(?:es)?|"
    r"solapamientos?|yuxtaposici[oó]n|cruce de funciones|incongruencias)\b",
    re.IGNORECASE,
)
TERRITORIAL = re.compile(
    r"\b(?:en|para|de) (?:el caso de )?(?:la |el )?(?:regi[oó]n|provincia|comuna|ciudad|municipio|"
    r"departamento|estado|territorio)\b",
    re.IGNORECASE,
)
