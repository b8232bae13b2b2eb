"""Texts and per-programme specifications of the five bundled demo programmes.

Pure data: :mod:`capeval.demo` turns each entry of :data:`SPECS` into a programme folder.
Every organisation, place and person named here is fictional; e-mail addresses use the
reserved ``example.*`` domains.
"""

from __future__ import annotations

from typing import Any

# A programme specification. Keys: id, seed, title, description, language, years (baseline,
# follow-up), n_partners, resp_range (respondents per partner before forcing a few small and
# large partners), rate_eur (cost per participant-hour), thing (item wording en, nl), tracks
# (id, name, theme, goal), activity_types (id, label, hours range, fixed cost, track or None),
# services (id, label), partner_kinds (name substring -> kind, first match), partners (name,
# country), items (dimension, criterion or None), topics, scale_tracks, recurring lessons.
Spec = dict[str, Any]

# --- survey items: dimension -> (level, text_en, text_nl); {thing} is filled per programme
ITEM_BANK: dict[str, tuple[str, str, str]] = {
    "satisfaction": ("L1", "Overall, I am satisfied with {thing}.", "Over het geheel ben ik tevreden over {thing}."),
    "engagement": ("L1", "I took an active part in {thing}.", "Ik heb actief deelgenomen aan {thing}."),
    "relevance": (
        "L1",
        "The content of {thing} matched the needs of my organisation.",
        "De inhoud van {thing} sloot aan bij de behoeften van mijn organisatie.",
    ),
    "value_for_time": (
        "L1",
        "The time I invested in {thing} was worth the result.",
        "De tijd die ik in {thing} heb gestoken, was het resultaat waard.",
    ),
    "recommend": (
        "L1",
        "How likely are you to recommend {thing} to a colleague? (0 = not at all, 10 = certainly)",
        "Hoe waarschijnlijk is het dat u {thing} aanbeveelt aan een collega? (0 = zeker niet, 10 = zeker wel)",
    ),
    "knowledge": ("L2", "My knowledge of the subject has increased.", "Mijn kennis over het onderwerp is toegenomen."),
    "skill": (
        "L2",
        "I can apply the methods that were covered without help.",
        "Ik kan de behandelde methoden zonder hulp toepassen.",
    ),
    "attitude": (
        "L2",
        "I believe the approach is worthwhile for my organisation.",
        "Ik vind de aanpak de moeite waard voor mijn organisatie.",
    ),
    "confidence": (
        "L2",
        "I feel confident using what I learned in my work.",
        "Ik voel me zeker genoeg om het geleerde in mijn werk te gebruiken.",
    ),
    "commitment": (
        "L2",
        "I intend to apply what I learned within the next three months.",
        "Ik ben van plan het geleerde binnen drie maanden toe te passen.",
    ),
    "application": (
        "L3",
        "I have applied what I learned in my daily work.",
        "Ik heb het geleerde toegepast in mijn dagelijkse werk.",
    ),
    "drivers": (
        "L3",
        "My manager and colleagues support me in applying what I learned.",
        "Mijn leidinggevende en collega's steunen mij bij het toepassen van het geleerde.",
    ),
    "cooperation": (
        "L3",
        "We now cooperate more with other organisations in the network.",
        "We werken nu meer samen met andere organisaties in het netwerk.",
    ),
    "results": (
        "L4",
        "Thanks to {thing}, the work of my organisation has measurably improved.",
        "Dankzij {thing} is het werk van mijn organisatie aantoonbaar verbeterd.",
    ),
    "indicator": (
        "L4",
        "My organisation has changed a procedure, policy or tool as a result.",
        "Mijn organisatie heeft als gevolg hiervan een procedure, beleid of instrument aangepast.",
    ),
    "added_value": (
        "L4",
        "Working with organisations from other countries achieved what we could not have achieved alone.",
        "De samenwerking met organisaties uit andere landen leverde op wat we alleen niet hadden bereikt.",
    ),
}

SCALING_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "technology": "Technology / practice",
        "awareness": "Awareness",
        "evidence": "Evidence",
        "business_case": "Business case",
        "finance": "Finance",
        "value_chain": "Value chain",
        "knowledge_skills": "Knowledge and skills",
        "collaboration": "Collaboration",
        "leadership_management": "Leadership and management",
        "public_sector_governance": "Public sector governance",
    },
    "nl": {
        "technology": "Technologie / praktijk",
        "awareness": "Bewustzijn",
        "evidence": "Bewijs",
        "business_case": "Businesscase",
        "finance": "Financiering",
        "value_chain": "Waardeketen",
        "knowledge_skills": "Kennis en vaardigheden",
        "collaboration": "Samenwerking",
        "leadership_management": "Leiderschap en management",
        "public_sector_governance": "Overheidsbeleid en -sturing",
    },
}

# Why an ingredient scored low (used as the rationale of the lowest scores).
SCALING_LOW: dict[str, dict[str, str]] = {
    "en": {
        "technology": "The practice still changes with every application; no stable version yet.",
        "awareness": "Few colleagues outside the core team know the practice exists.",
        "evidence": "Results are anecdotal; no before/after figures yet.",
        "business_case": "Costs and benefits for an adopting organisation are unclear.",
        "finance": "No budget is reserved for continuing after the project period.",
        "value_chain": "Suppliers and service providers needed for roll-out are missing.",
        "knowledge_skills": "Only one or two people can apply the practice without help.",
        "collaboration": "Cooperation depends on personal contacts rather than agreements.",
        "leadership_management": "Management support is verbal; no one owns the roll-out.",
        "public_sector_governance": "Rules and policies do not yet accommodate the new practice.",
    },
    "nl": {
        "technology": "De werkwijze verandert nog bij elke toepassing; er is geen stabiele versie.",
        "awareness": "Weinig collega's buiten het kernteam weten dat de werkwijze bestaat.",
        "evidence": "Resultaten zijn anekdotisch; er zijn nog geen voor- en nametingen.",
        "business_case": "Kosten en baten voor een organisatie die wil overnemen zijn onduidelijk.",
        "finance": "Er is geen budget voorzien om na de projectperiode door te gaan.",
        "value_chain": "Leveranciers en dienstverleners die nodig zijn voor uitrol ontbreken.",
        "knowledge_skills": "Slechts een of twee mensen kunnen de werkwijze zelfstandig toepassen.",
        "collaboration": "Samenwerking hangt af van persoonlijke contacten, niet van afspraken.",
        "leadership_management": "Het management steunt in woorden; niemand is eigenaar van de uitrol.",
        "public_sector_governance": "Regels en beleid houden nog geen rekening met de nieuwe werkwijze.",
    },
}
# Dutch activity labels that take "het" rather than "de".
NEUTER_NL = {"werkbezoek"}

SCALING_OK = {"en": "Sufficient for now.", "nl": "Voorlopig voldoende."}

# --- lessons: generic templates per language; placeholders: {topic} {activity} {a_activity}
# {the_activity} {The_activity} {track} {partner} {year}
LESSON_TEMPLATES: dict[str, dict[str, list[tuple[str, ...]]]] = {
    "en": {
        # (what_changed, significance, contribution)
        "msc": [
            (
                "After the {activity} our team started working with {topic} in everyday work.",
                "The approach is now part of routine work instead of depending on one enthusiast.",
                "The {activity} gave us a worked example and people to ask for advice.",
            ),
            (
                "Managers now ask for {topic} when they plan the next year.",
                "The change reached the management level, which makes it more likely to last.",
                "We presented our first results at {a_activity} where our director was present.",
            ),
            (
                "Two colleagues who attended the {activity} now coach others on {topic}.",
                "Knowledge spreads inside the organisation without further outside support.",
                "Hands-on practice during the {activity}.",
            ),
            (
                "We rewrote our internal procedure on {topic}.",
                "A written procedure survives staff turnover.",
                "Examples from peers in the same track ({track}) showed what a good procedure looks like.",
            ),
        ],
        "oh": [
            (
                "{partner} agreed a joint approach to {topic} with two other organisations in {year}.",
                "A new working relationship that did not exist before the programme.",
                "Partly: the programme introduced the organisations to each other at {a_activity}.",
            ),
            (
                "The board of {partner} approved a budget line for {topic} in {year}.",
                "First structural funding; previously all work on it was project money.",
                "Contributed: the board used figures collected for the programme.",
            ),
            (
                "Staff of {partner} changed how they document {topic}.",
                "Documentation can now be compared across the organisations of the track ({track}).",
                "Largely: the template was introduced during {a_activity}.",
            ),
        ],
        # (what_changed, planned, actual, why_gap, sustain_improve)
        "aar": [
            (
                "The {activity} on {topic} reached fewer people than planned.",
                "Twenty participants from at least five organisations.",
                "Eleven participants from three organisations.",
                "The invitation went out late and coincided with the holiday period.",
                "Sustain: the practical cases. Improve: invite at least eight weeks ahead.",
            ),
            (
                "The follow-up after the {activity} did not happen.",
                "A follow-up session three months later to discuss application of {topic}.",
                "No follow-up session; participants were left on their own.",
                "Nobody was made responsible for the follow-up.",
                "Name an owner for the follow-up at the start; keep the small-group format.",
            ),
            (
                "The {activity} worked better than expected.",
                "A standard programme of presentations on {topic}.",
                "Participants asked to spend most of the time on real cases, which worked well.",
                "The group was more experienced than we assumed.",
                "Sustain: a flexible agenda. Improve: ask about experience beforehand.",
            ),
        ],
        "free": [
            ("Having one fixed contact person per organisation made the work on {topic} much easier.",),
            ("Short online sessions on {topic} between the larger events kept the momentum going.",),
            ("Materials on {topic} had to be translated before colleagues at home would use them.",),
            ("Mixing experienced and new staff in a single {activity} worked well for both groups.",),
        ],
    },
    "nl": {
        "msc": [
            (
                "Na {the_activity} is ons team in het dagelijkse werk aan de slag gegaan met {topic}.",
                "De aanpak hoort nu bij het gewone werk en hangt niet meer af van één enthousiasteling.",
                "{The_activity} gaf ons een uitgewerkt voorbeeld en mensen om advies aan te vragen.",
            ),
            (
                "Leidinggevenden vragen nu naar {topic} bij het plannen van het volgende jaar.",
                "De verandering heeft het managementniveau bereikt, dus de kans is groter dat ze blijft.",
                "We presenteerden de eerste resultaten tijdens {a_activity} waar onze directeur bij was.",
            ),
            (
                "Twee collega's die aan {the_activity} deelnamen, begeleiden nu anderen bij {topic}.",
                "Kennis verspreidt zich binnen de organisatie zonder extra steun van buiten.",
                "Het praktisch oefenen tijdens {the_activity}.",
            ),
            (
                "We hebben onze interne werkwijze voor {topic} herschreven.",
                "Een beschreven werkwijze blijft bestaan als mensen vertrekken.",
                "Voorbeelden van collega's in hetzelfde traject ({track}) lieten zien hoe het kan.",
            ),
        ],
        "oh": [
            (
                "{partner} maakte in {year} met twee andere organisaties afspraken over {topic}.",
                "Een nieuwe samenwerking die voor het programma niet bestond.",
                "Gedeeltelijk: het programma bracht de organisaties samen tijdens {a_activity}.",
            ),
            (
                "Het bestuur van {partner} keurde in {year} een vast budget goed voor {topic}.",
                "De eerste structurele financiering; eerder was alles projectgeld.",
                "Bijgedragen: het bestuur gebruikte cijfers die voor het programma waren verzameld.",
            ),
            (
                "Medewerkers van {partner} leggen {topic} nu anders vast.",
                "De vastlegging is nu vergelijkbaar tussen de organisaties in hetzelfde traject ({track}).",
                "Grotendeels: het sjabloon werd geïntroduceerd tijdens {a_activity}.",
            ),
        ],
        "aar": [
            (
                "{The_activity} over {topic} bereikte minder mensen dan gepland.",
                "Twintig deelnemers uit minstens vijf organisaties.",
                "Elf deelnemers uit drie organisaties.",
                "De uitnodiging ging laat de deur uit en viel samen met de vakantieperiode.",
                "Behouden: de praktijkcasussen. Verbeteren: minstens acht weken vooraf uitnodigen.",
            ),
            (
                "De opvolging na {the_activity} is er niet gekomen.",
                "Een terugkommoment na drie maanden over het toepassen van {topic}.",
                "Geen terugkommoment; deelnemers stonden er alleen voor.",
                "Niemand was verantwoordelijk gemaakt voor de opvolging.",
                "Wijs bij de start een eigenaar aan voor de opvolging; behoud de kleine groepen.",
            ),
            (
                "{The_activity} werkte beter dan verwacht.",
                "Een standaardprogramma met presentaties over {topic}.",
                "Deelnemers wilden vooral met echte casussen werken, en dat werkte goed.",
                "De groep was ervarener dan we hadden aangenomen.",
                "Behouden: een flexibele agenda. Verbeteren: vooraf naar ervaring vragen.",
            ),
        ],
        "free": [
            ("Eén vaste contactpersoon per organisatie maakte het werk aan {topic} veel makkelijker.",),
            ("Korte online sessies over {topic} tussen de grotere bijeenkomsten hielden de vaart erin.",),
            ("Materiaal over {topic} werkt pas als het is afgestemd op de eigen organisatie.",),
            ("Ervaren en nieuwe medewerkers samen in één {activity} werkte goed voor beide groepen.",),
        ],
    },
}

DOMAINS = {
    "en": ["practice", "policy", "relationships", "capacity", "behaviour"],
    "nl": ["praktijk", "beleid", "samenwerking", "capaciteit", "gedrag"],
}
ARTEFACTS = {
    "en": ["manual", "step plan", "checklist", "template", "training module"],
    "nl": ["handleiding", "stappenplan", "checklist", "sjabloon", "draaiboek"],
}
# Appended to a few lessons so that later redaction has something to find.
CONTACTS = {
    "en": [
        " Contact: m.verhoeven@example.org.",
        " For the checklist, call +44 20 7946 0958.",
        " Ask the coordinator (coordinator@example.net, +32 2 555 01 42).",
        " Questions to a.kowalski@example.com.",
    ],
    "nl": [
        " Contact: j.devos@example.org.",
        " Bel voor het stappenplan naar 06-12345678.",
        " Vragen? Mail naar leertraject@example.be of bel 012 34 56 78.",
        " Meer info via s.jansen@example.nl.",
    ],
}

_SERVICES_PILOT = [
    ("knowledge_tools", "Knowledge and tools"),
    ("network", "Network"),
    ("project_management", "Project-management capacity"),
    ("financial_contribution", "Financial contribution"),
    ("final_report_contribution", "Contribution to the final report"),
    ("independence", "Independence of messages"),
]

SPECS: list[Spec] = [
    {
        "id": "inspectorates",
        "seed": 1101,
        # EU-funded: EU added value applies beside the six OECD DAC criteria (its items ask about it)
        "criteria": [
            "relevance",
            "coherence",
            "effectiveness",
            "efficiency",
            "impact",
            "sustainability",
            "eu_added_value",
        ],
        "title": "European network of environmental inspectorates: capacity-building and training programme",
        "description": (
            "A multi-annual, needs-driven capacity-building and training programme of a European "
            "network of environmental inspectorates: peer reviews, inspector and staff exchanges, "
            "technical workshops and seminars, joint inspections and joint training."
        ),
        "language": "en",
        "years": (2024, 2025),
        "n_partners": 28,
        "resp_range": (5, 32),
        "rate_eur": 14.0,
        "thing": ("this activity", "deze activiteit"),
        "tracks": [
            ("peer_reviews", "Peer reviews", "Review initiative", "Members review each other's inspection practice"),
            ("exchanges", "Exchanges", "Inspector and staff exchanges", "Learn from peers on the job abroad"),
            ("technical_workshops", "Technical workshops", "Workshops and seminars", "Share methods and guidance"),
            ("joint_activities", "Joint activities", "Joint inspections and training", "Inspect and train together"),
        ],
        "activity_types": [
            # id, label, hours (min, max), fixed cost, track
            ("peer_review", "peer review", (16, 40), 4500, "peer_reviews"),
            ("inspector_exchange", "inspector exchange", (16, 32), 2500, "exchanges"),
            ("staff_exchange", "staff exchange", (8, 24), 1800, "exchanges"),
            ("workshop", "workshop", (4, 12), 900, "technical_workshops"),
            ("seminar", "seminar", (3, 8), 700, "technical_workshops"),
            ("joint_inspection", "joint inspection", (8, 24), 2000, "joint_activities"),
            ("joint_training", "joint training", (6, 16), 1200, "joint_activities"),
        ],
        "services": [
            ("risk_based_planning", "Risk-based inspection planning"),
            ("permitting_support", "Support to permitting"),
            ("enforcement_follow_up", "Enforcement follow-up"),
            ("data_reporting", "Data and reporting"),
            ("inspector_training", "Training of inspectors"),
            ("cross_border_cooperation", "Cross-border cooperation"),
        ],
        "partner_kinds": [
            ("Agency", "environment_agency"),
            ("Office", "environment_agency"),
            ("Regional", "regional_authority"),
            ("", "inspectorate"),
        ],
        "partners": [
            ("Norvane Environmental Inspectorate", "SE"),
            ("Kestria Environment Agency", "AT"),
            ("Ardelia Inspectorate for Environmental Compliance", "IT"),
            ("Valombre Environmental Police", "FR"),
            ("Lumbria Regional Environment Service", "ES"),
            ("Brenmark Inspectorate of Environment", "DE"),
            ("Oskaria Environmental Protection Office", "FI"),
            ("Tarvenia Environment Agency", "PT"),
            ("Seldoria Inspection Service", "BE"),
            ("Morvania Environmental Inspectorate", "NL"),
            ("Caldera Bay Environment Authority", "IE"),
            ("Zelvara Inspectorate for Environment", "SI"),
            ("Drovnik Environmental Inspectorate", "HR"),
            ("Pellavia Environment Office", "EL"),
            ("Rastovia Inspection Authority", "CZ"),
            ("Velmora Environmental Directorate", "RO"),
            ("Hadria Coast Inspectorate", "IT"),
            ("Lindmark Environment Agency", "DK"),
            ("Grenvale Inspectorate of Environment", "LU"),
            ("Sorvenia Regional Inspectorate", "SK"),
            ("Baltrava Environment Board", "LT"),
            ("Kaldenia Inspection Service", "LV"),
            ("Vesterholm Environmental Authority", "SE"),
            ("Ostravale Inspectorate", "PL"),
            ("Mirandel Environment Agency", "ES"),
            ("Tolvaria Environmental Inspectorate", "HU"),
            ("Estmara Environment Office", "EE"),
            ("Corvessa Inspection Directorate", "MT"),
        ],
        "items": [
            ("satisfaction", "relevance"),
            ("relevance", "relevance"),
            ("engagement", "effectiveness"),
            ("recommend", "relevance"),
            ("knowledge", "effectiveness"),
            ("skill", "effectiveness"),
            ("confidence", "effectiveness"),
            ("commitment", "sustainability"),
            ("application", "effectiveness"),
            ("drivers", "sustainability"),
            ("cooperation", "coherence"),
            ("results", "impact"),
            ("added_value", "eu_added_value"),
        ],
        "topics": [
            "risk-based inspection planning",
            "the waste-shipment inspection protocol",
            "the permit checklist",
            "the emission sampling guidance",
            "a common format for inspection reports",
            "the non-compliance follow-up procedure",
        ],
        "scale_tracks": True,
        "recurring": [
            {
                "significance": "Without time to apply it, the investment in the exchange is largely lost.",
                "variants": [
                    "Without protected time after the exchange, inspectors fall back into old routines.",
                    "Inspectors need dedicated time after an exchange; otherwise nothing changes in practice.",
                    "What we learned during the exchange faded quickly because no time was reserved to apply it.",
                    "Unless management frees up time afterwards, an exchange has little lasting effect.",
                ],
            },
            {
                "significance": "Recommendations that are easy to act on are actually used.",
                "variants": [
                    "A short checklist made the peer-review recommendations easy to act on.",
                    "Turning the peer-review findings into a checklist helped us to act on them.",
                    "We only used the recommendations once we condensed them into a practical checklist.",
                ],
            },
            {
                "significance": "Joint inspections stall when the legal frameworks are compared on site.",
                "variants": [
                    "Joint inspections run much smoother when the team compares the legal basis beforehand.",
                    "Agreeing on the applicable legislation before a joint inspection saves a lot of time on site.",
                    "A preparatory call on the legal framework made the joint inspection far more effective.",
                ],
            },
        ],
    },
    {
        "id": "regional_networks",
        "seed": 2202,
        "title": "Regionale leernetwerken: capaciteitsopbouw van onderwijs, bedrijven, overheid en maatschappij",
        "description": (
            "Regionale leernetwerken waarin scholen, bedrijven, overheden en maatschappelijke "
            "organisaties samen regionale vraagstukken oplossen. Elke partner inventariseert zijn "
            "dienstenportfolio (huidig en gewenst) en werkt met een stappenplan naar het einddoel."
        ),
        "language": "nl",
        "years": (2024, 2025),
        "n_partners": 16,
        "resp_range": (5, 40),
        "rate_eur": 9.0,
        "thing": ("this network activity", "deze netwerkactiviteit"),
        "tracks": [
            (
                "noord_techniek",
                "Leernetwerk Noord – techniek en energie",
                "Energietransitie",
                "Voldoende vakmensen voor de energietransitie",
            ),
            (
                "oost_zorg",
                "Leernetwerk Oost – zorg en welzijn",
                "Zorg en welzijn",
                "Zorgpersoneel opleiden in de praktijk",
            ),
            ("zuid_agrifood", "Leernetwerk Zuid – agrifood", "Voedselproductie", "Innovatie in de agrifoodketen"),
            ("west_logistiek", "Leernetwerk West – logistiek", "Logistiek", "Omscholing naar logistieke functies"),
        ],
        "activity_types": [
            ("netwerkbijeenkomst", "netwerkbijeenkomst", (2, 4), 300, None),
            ("praktijkopdracht", "praktijkopdracht", (8, 40), 400, None),
            ("gastles", "gastles", (1, 3), 100, None),
            ("stage", "stage", (40, 160), 600, None),
            ("leerwerkplaats", "leerwerkplaats", (8, 24), 800, None),
            ("training", "training", (4, 16), 700, None),
        ],
        "services": [
            ("gekwalificeerd_arbeidspotentieel", "Gekwalificeerd arbeidspotentieel"),
            ("tijdelijke_arbeidskrachten", "Tijdelijke arbeidskrachten"),
            ("probleemoplossend_vermogen", "Probleemoplossend vermogen"),
            ("inbreng_nieuwe_kennis", "Inbreng van nieuwe kennis"),
            ("faciliteren_leernetwerken", "Faciliteren van leernetwerken"),
            ("bijscholen", "Bijscholen"),
            ("opscholen", "Opscholen"),
            ("omscholen", "Omscholen"),
        ],
        "partner_kinds": [
            ("college", "school"),
            ("school", "school"),
            ("ROC", "school"),
            ("campus", "school"),
            ("Groenschool", "school"),
            ("Gemeente", "government"),
            ("Provincie", "government"),
            ("Stichting", "civil_society"),
            ("Welzijn", "civil_society"),
            ("Zorggroep", "civil_society"),
            ("coöperatie", "civil_society"),
            ("", "company"),
        ],
        "partners": [
            ("Vakcollege De Wisselspoor", "NL"),
            ("Installatiebedrijf Hoekstee", "NL"),
            ("Gemeente Veenwold", "NL"),
            ("Stichting Buurtkracht Oost", "NL"),
            ("Zorggroep Lindehof", "NL"),
            ("Hogeschool Eemzand", "NL"),
            ("Provincie Kanaalland", "NL"),
            ("Agrarisch Loonbedrijf De Kleivoor", "NL"),
            ("Techniekcampus Noorderzand", "NL"),
            ("Transportbedrijf Duinrand", "NL"),
            ("ROC Kanaalzone", "NL"),
            ("Welzijnsorganisatie Samen Verder", "NL"),
            ("Energiecoöperatie Windveld", "NL"),
            ("Gemeente Brugwaarde", "NL"),
            ("Groenschool Akkerdal", "NL"),
            ("Distributiecentrum Havenzicht", "NL"),
        ],
        "items": [
            ("satisfaction", "relevance"),
            ("relevance", "relevance"),
            ("engagement", "effectiveness"),
            ("value_for_time", "efficiency"),
            ("knowledge", "effectiveness"),
            ("skill", "effectiveness"),
            ("attitude", "relevance"),
            ("commitment", "sustainability"),
            ("application", "effectiveness"),
            ("drivers", "sustainability"),
            ("cooperation", "coherence"),
            ("results", "impact"),
        ],
        "topics": [
            "praktijkgericht leren",
            "de begeleiding van stagiairs",
            "de gedeelde regionale agenda",
            "omscholing van zij-instromers",
            "gezamenlijke leerwerkplaatsen",
            "het dienstenportfolio",
        ],
        "scale_tracks": False,
        "recurring": [
            {
                "significance": "Zonder vaste afspraken blijft de samenwerking afhankelijk van personen.",
                "variants": [
                    "Heldere afspraken over wie wat doet maakten de samenwerking met bedrijven veel soepeler.",
                    "Pas toen we vastlegden wie waarvoor verantwoordelijk is, liep de samenwerking goed.",
                    "Duidelijke taakafspraken tussen school en bedrijf voorkwamen veel misverstanden.",
                    "De samenwerking verbeterde zodra de verantwoordelijkheden op papier stonden.",
                ],
            },
            {
                "significance": "Docenten zijn de sleutel om het netwerk in het onderwijs te verankeren.",
                "variants": [
                    "Docenten hebben uren nodig in hun taakbeleid om aan het leernetwerk mee te doen.",
                    "Zonder uren in de jaartaak kunnen docenten niet structureel meedoen aan het netwerk.",
                    "Deelname van docenten lukte pas toen er tijd voor werd vrijgemaakt in hun jaartaak.",
                ],
            },
            {
                "significance": "Bedrijven haken af als ze niet snel resultaat zien.",
                "variants": [
                    "Kleine, snelle praktijkopdrachten houden bedrijven betrokken bij het netwerk.",
                    "Bedrijven blijven meedoen als ze binnen enkele weken een concreet resultaat zien.",
                    "Korte opdrachten met een zichtbaar resultaat werkten beter dan lange trajecten.",
                ],
            },
        ],
    },
    {
        "id": "erasmus_partnership",
        "seed": 3303,
        # EU-funded: EU added value applies beside the six OECD DAC criteria (its items ask about it)
        "criteria": [
            "relevance",
            "coherence",
            "effectiveness",
            "efficiency",
            "impact",
            "sustainability",
            "eu_added_value",
        ],
        "title": "Erasmus+ cooperation partnership: inclusive vocational learning",
        "description": (
            "An Erasmus+ cooperation partnership of vocational schools, training providers and "
            "civil-society organisations. Activities cover project management, implementation "
            "(network events, exchange of practice, developing results, learner mobility) and promotion."
        ),
        "language": "en",
        "years": (2024, 2025),
        "n_partners": 12,
        "resp_range": (4, 45),
        "rate_eur": 18.0,
        "thing": ("this project activity", "deze projectactiviteit"),
        "tracks": [
            ("wp1_management", "WP1 Project management", "Quality and management", "Smooth cooperation and follow-up"),
            (
                "wp2_exchange",
                "WP2 Network and exchange of practice",
                "Inclusion and diversity",
                "Partners learn from each other's practice",
            ),
            (
                "wp3_results",
                "WP3 Developing results",
                "Digital transformation",
                "A tested toolkit for inclusive vocational learning",
            ),
            (
                "wp4_promotion",
                "WP4 Promotion and dissemination",
                "Common values and civic engagement",
                "Results used beyond the partnership",
            ),
        ],
        "activity_types": [
            ("meeting", "partner meeting", (4, 12), 1500, "wp1_management"),
            ("planning", "planning session", (2, 6), 200, "wp1_management"),
            ("communication", "communication task", (2, 8), 300, "wp1_management"),
            ("network_event", "network event", (4, 8), 1200, "wp2_exchange"),
            ("exchange_of_practice", "exchange of practice", (8, 24), 2200, "wp2_exchange"),
            ("result_development", "result development workshop", (6, 20), 900, "wp3_results"),
            ("learner_mobility", "learner mobility", (24, 80), 3500, "wp3_results"),
            ("conference", "conference", (6, 8), 2500, "wp4_promotion"),
            ("dissemination_event", "dissemination event", (2, 4), 600, "wp4_promotion"),
        ],
        "services": [
            ("project_management", "Project management"),
            ("staff_development", "Staff development"),
            ("learner_mobility", "Learner mobility"),
            ("digital_learning", "Digital learning"),
            ("inclusion_support", "Support for learners with fewer opportunities"),
            ("dissemination", "Dissemination of results"),
        ],
        "partner_kinds": [
            ("Polytechnic", "university"),
            ("Lycée", "vet_school"),
            ("Berufskolleg", "vet_school"),
            ("Istituto", "vet_school"),
            ("Academy", "vet_school"),
            ("College", "vet_school"),
            ("Centro", "training_provider"),
            ("Hub", "training_provider"),
            ("Forum", "ngo"),
            ("Youth", "ngo"),
            ("Cooperative", "ngo"),
            ("", "company"),
        ],
        "partners": [
            ("Lycée des Métiers Valombre", "FR"),
            ("Berufskolleg Tannfeld", "DE"),
            ("Istituto Tecnico Colleverde", "IT"),
            ("Centro de Formación Aldearroyo", "ES"),
            ("Vocational Academy Norrbrook", "SE"),
            ("Inclusion Forum Kestria", "AT"),
            ("Polytechnic of Seldoria", "PT"),
            ("Training Hub Ostravale", "PL"),
            ("Youth Works Caldera Bay", "IE"),
            ("Skills Lab Drovnik", "HR"),
            ("Craft College Lindmark", "DK"),
            ("Mosaic Learning Cooperative", "BE"),
        ],
        "items": [
            ("satisfaction", "relevance"),
            ("relevance", "relevance"),
            ("recommend", "relevance"),
            ("value_for_time", "efficiency"),
            ("knowledge", "effectiveness"),
            ("skill", "effectiveness"),
            ("attitude", "relevance"),
            ("confidence", "effectiveness"),
            ("application", "effectiveness"),
            ("drivers", "sustainability"),
            ("cooperation", "coherence"),
            ("results", "impact"),
            ("indicator", "impact"),
            ("added_value", "eu_added_value"),
        ],
        "topics": [
            "inclusive teaching methods",
            "the learner mobility guide",
            "digital portfolios for learners",
            "work-based learning agreements",
            "the shared assessment grid",
            "mentoring of learners abroad",
        ],
        "scale_tracks": True,
        "recurring": [
            {
                "significance": "Mobility only benefits learners with fewer opportunities if they are prepared.",
                "variants": [
                    "Learners with fewer opportunities need a preparation day before a mobility abroad.",
                    "A preparation session before departure made the mobility work for learners who never travelled.",
                    "Preparing learners a few weeks before the mobility prevented drop-outs.",
                ],
            },
            {
                "significance": "Results that are not linked to existing courses are not used after the project.",
                "variants": [
                    "Teachers only used the toolkit once it was linked to their existing curriculum.",
                    "The materials were adopted when we mapped them onto the courses teachers already give.",
                    "Linking the new modules to the current curriculum was what made teachers use them.",
                    "Without a link to the existing curriculum the toolkit stayed on the shelf.",
                ],
            },
        ],
    },
    {
        "id": "expertise_pilots",
        "seed": 4404,
        "title": "National expertise centre: pilot projects on energy-saving behaviour",
        "description": (
            "A national expertise centre runs pilot projects with partners. Each pilot reports "
            "concrete results, learning effects and scaling opportunities; the centre contributes "
            "knowledge and tools, its network, project-management capacity and a financial contribution."
        ),
        "language": "en",
        "years": (2024, 2025),
        "n_partners": 22,
        "resp_range": (5, 35),
        "rate_eur": 12.0,
        "thing": ("this pilot activity", "deze pilotactiviteit"),
        "tracks": [
            (
                "pilot_energy_coaches",
                "Energy coaches for small businesses",
                "SMEs",
                "Test energy coaching on the shop floor",
            ),
            (
                "pilot_rental_homes",
                "Saving energy in rental homes",
                "Housing",
                "Reach tenants through housing associations",
            ),
            ("pilot_schools", "Energy-smart schools", "Education", "Pupils as ambassadors at home"),
            ("pilot_sports_clubs", "Sports clubs switch off", "Leisure", "Volunteers run an energy scan"),
            ("pilot_farm_dialogue", "Farm energy dialogue", "Agriculture", "Peer advice among farmers"),
            ("pilot_municipal_desk", "Municipal energy desk", "Local government", "One front door for residents"),
        ],
        "activity_types": [
            ("network_meeting", "network meeting", (2, 4), 600, None),
            ("pilot_workshop", "pilot workshop", (3, 8), 800, None),
            ("expert_session", "expert session", (2, 4), 400, None),
            ("field_test", "field test", (8, 40), 1500, None),
            ("steering_group", "steering group", (1, 3), 100, None),
            ("knowledge_base_session", "knowledge-base session", (2, 6), 300, None),
        ],
        "services": _SERVICES_PILOT,
        "partner_kinds": [
            ("Municipality", "municipality"),
            ("Housing", "housing_association"),
            ("school", "school"),
            ("School", "school"),
            ("Knowledge", "knowledge_institute"),
            ("lab", "knowledge_institute"),
            ("Dairy", "company"),
            ("Tenants", "ngo"),
            ("club", "ngo"),
            ("federation", "ngo"),
            ("cooperative", "ngo"),
            ("desk", "ngo"),
            ("", "company"),
        ],
        "partners": [
            ("Municipality of Veenwijk", "NL"),
            ("Housing association Dakrand", "NL"),
            ("Energy cooperative Windkracht Zuid", "NL"),
            ("Retail association Marktplein", "NL"),
            ("Tenants' union Het Portiek", "NL"),
            ("Primary school De Zonnewijzer", "NL"),
            ("Sports federation Groenveld", "NL"),
            ("Farmers' study group Kleirijk", "NL"),
            ("Municipality of Brugwaarde", "NL"),
            ("Behaviour lab Deltaweg", "NL"),
            ("Installers' guild Warmtepunt", "NL"),
            ("Housing association Woongoed Lindeland", "NL"),
            ("Bakery chain Korenhalm", "NL"),
            ("School board Akkerdal", "NL"),
            ("Hockey club De Vlasakker", "NL"),
            ("Dairy cooperative Polderweide", "NL"),
            ("Municipality of Eemzand", "NL"),
            ("Neighbourhood energy desk Oostwaarts", "NL"),
            ("Knowledge institute Stroomlijn", "NL"),
            ("Football club Rood-Wit Duinrand", "NL"),
            ("Agricultural advisory Vorenland", "NL"),
            ("Entrepreneurs' network Havenzicht", "NL"),
        ],
        "items": [
            ("satisfaction", "relevance"),
            ("relevance", "relevance"),
            ("engagement", None),
            ("value_for_time", "efficiency"),
            ("knowledge", "effectiveness"),
            ("skill", "effectiveness"),
            ("confidence", "effectiveness"),
            ("application", "effectiveness"),
            ("drivers", "sustainability"),
            ("results", "impact"),
            ("indicator", "impact"),
        ],
        "topics": [
            "the energy scan",
            "behavioural nudges",
            "the tenant newsletter",
            "the knowledge base",
            "peer advice sessions",
            "the one-stop energy desk",
        ],
        "scale_tracks": True,
        "recurring": [
            {
                "significance": "Messages from a trusted messenger are what moves the target group.",
                "variants": [
                    "Residents listened to neighbours who had already done it, not to our leaflets.",
                    "A trusted local messenger convinced far more people than any brochure.",
                    "Peers who had taken the step themselves were the most convincing messengers.",
                    "People acted on advice from someone they know, not from official letters.",
                ],
            },
            {
                "significance": "A pilot without an owner after the project ends does not scale.",
                "variants": [
                    "Agree at the start who will own the approach once the pilot ends.",
                    "The pilot stalled because nobody had agreed who would continue it afterwards.",
                    "Deciding early which organisation takes over after the pilot is essential for scaling.",
                ],
            },
        ],
    },
    {
        "id": "municipal_tracks",
        "seed": 5505,
        "title": "Leertrajecten lokaal mondiaal beleid in de praktijk",
        "description": (
            "Een federatie van gemeenten begeleidt zeven thematische leertrajecten. Elk traject is "
            "een labo om de eigen praktijk te verbeteren, voedt het concept met geleerde lessen en "
            "rolt die lessen uit naar andere gemeenten via tools (handleiding, stappenplan, checklist)."
        ),
        "language": "nl",
        "years": (2024, 2025),
        "n_partners": 38,
        "resp_range": (4, 26),
        "rate_eur": 10.0,
        "thing": ("this learning track session", "deze sessie van het leertraject"),
        "tracks": [
            (
                "duurzame_overheidsopdrachten",
                "Duurzame overheidsopdrachten",
                "Duurzaam aankoopbeleid",
                "Labo, voeding en uitrol",
            ),
            ("duurzaam_bankieren", "Duurzaam bankieren", "Financiën", "Labo, voeding en uitrol"),
            (
                "migratie_integratie_ontwikkeling",
                "Migratie-integratie-ontwikkeling",
                "Diaspora en ontwikkeling",
                "Labo, voeding en uitrol",
            ),
            ("wereldburgerschap", "Wereldburgerschap", "Educatie en sensibilisering", "Labo, voeding en uitrol"),
            ("participatie", "Participatie", "Betrokkenheid van burgers", "Labo, voeding en uitrol"),
            ("transversaal_werken", "Transversaal werken", "Samenwerking tussen diensten", "Labo, voeding en uitrol"),
            (
                "alternatieve_internationale_samenwerking",
                "Alternatieve vormen van gemeentelijke internationale samenwerking",
                "Internationale samenwerking",
                "Labo, voeding en uitrol",
            ),
        ],
        "activity_types": [
            ("leerbijeenkomst", "leerbijeenkomst", (2, 4), 250, None),
            ("werkbezoek", "werkbezoek", (3, 6), 400, None),
            ("intervisie", "intervisie", (2, 3), 100, None),
            ("coaching", "coaching op maat", (1, 4), 300, None),
            ("inspiratiedag", "inspiratiedag", (5, 7), 1500, None),
            ("terugkomdag", "terugkomdag", (3, 5), 500, None),
        ],
        "services": [
            ("begeleiding_op_maat", "Begeleiding op maat"),
            ("intervisie_collega_s", "Intervisie met collega's"),
            ("tools_en_sjablonen", "Tools en sjablonen"),
            ("expertadvies", "Expertadvies"),
            ("netwerk_middenveld", "Netwerk met het middenveld"),
            ("communicatie_ondersteuning", "Ondersteuning bij communicatie"),
        ],
        "partner_kinds": [("Stad", "stad"), ("", "gemeente")],
        "partners": [
            (f"{kind} {name}", "BE")
            for kind, name in [
                ("Gemeente", "Lindebeke"),
                ("Stad", "Hazeldonk"),
                ("Gemeente", "Beukenzele"),
                ("Gemeente", "Dorenhout"),
                ("Stad", "Elsegem-aan-de-Leie"),
                ("Gemeente", "Fonteinrode"),
                ("Gemeente", "Gavermere"),
                ("Gemeente", "Heidezele"),
                ("Stad", "Kastanjegem"),
                ("Gemeente", "Meerbroek-Oost"),
                ("Gemeente", "Nevelrode"),
                ("Gemeente", "Olmenzeel"),
                ("Stad", "Populierdonk"),
                ("Gemeente", "Rietvelde"),
                ("Gemeente", "Schaarbeke"),
                ("Gemeente", "Tarwegem"),
                ("Stad", "Uilenhove"),
                ("Gemeente", "Vlasrode"),
                ("Gemeente", "Wilgendonk"),
                ("Gemeente", "Zandelare"),
                ("Gemeente", "Akkerzeel"),
                ("Stad", "Brugdonk"),
                ("Gemeente", "Distelbeke"),
                ("Gemeente", "Egelrode"),
                ("Gemeente", "Varenzele"),
                ("Gemeente", "Hopgem"),
                ("Stad", "Klaverdonk"),
                ("Gemeente", "Lijsterbeke"),
                ("Gemeente", "Moerhoutem"),
                ("Gemeente", "Notelare"),
                ("Gemeente", "Eikenzeel"),
                ("Stad", "Rozendonk-aan-Schelde"),
                ("Gemeente", "Sleedoorn"),
                ("Gemeente", "Tijmbeke"),
                ("Gemeente", "Vinkelare"),
                ("Gemeente", "Weidegem"),
                ("Stad", "Ijzerdonk"),
                ("Gemeente", "Kievitzele"),
            ]
        ],
        "items": [
            ("satisfaction", "relevance"),
            ("relevance", "relevance"),
            ("engagement", "effectiveness"),
            ("recommend", "relevance"),
            ("knowledge", "effectiveness"),
            ("attitude", "relevance"),
            ("commitment", "sustainability"),
            ("application", "effectiveness"),
            ("drivers", "sustainability"),
            ("cooperation", "coherence"),
            ("results", "impact"),
        ],
        "topics": [
            "duurzame aankoopcriteria",
            "een duurzaamheidsscan van de bankportefeuille",
            "de dialoogtafel met diasporaorganisaties",
            "de toolkit wereldburgerschap",
            "burgerpanels",
            "transversale werkgroepen",
        ],
        "scale_tracks": True,
        "recurring": [
            {
                "significance": "Zonder politiek draagvlak blijft het een project van één ambtenaar.",
                "variants": [
                    "Het engagement van het schepencollege maakte het verschil.",
                    "Pas toen de schepen het thema trok, gingen andere diensten mee.",
                    "Politieke steun van het college bleek doorslaggevend om het traject te laten slagen.",
                    "Zonder een schepen die het dossier trekt, komt er weinig in beweging.",
                ],
            },
            {
                "significance": "Collega's uit andere gemeenten bieden oplossingen die al werken.",
                "variants": [
                    "Van collega's uit andere gemeenten leerden we meer dan uit de theorie.",
                    "De uitwisseling met andere gemeenten leverde direct bruikbare voorbeelden op.",
                    "Praktijkvoorbeelden van andere besturen waren het waardevolste deel van het traject.",
                ],
            },
            {
                "significance": "Een eenvoudig hulpmiddel maakt overname door andere gemeenten mogelijk.",
                "variants": [
                    "Een stappenplan van één pagina hielp nieuwe collega's snel op weg.",
                    "Met een kort stappenplan konden ook collega's zonder ervaring aan de slag.",
                    "Het beknopte stappenplan bleek het meest gebruikte hulpmiddel van het traject.",
                ],
            },
        ],
    },
]
