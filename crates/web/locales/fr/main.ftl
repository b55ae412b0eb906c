# Messages de l’interface d’undex : français (issue #12).
#
# Mêmes identifiants que ../en/main.ftl (vérifié par le test `i18n`), sauf `fallback-probe`
# (anglais seulement), et en plus les noms que l’anglais prend à leur source : titres et
# descriptions des facettes (`facet-{nom}`, `facet-{nom}-description`, d’après le registre de
# l’index), facteurs de risque du Cadre d’analyse, noms des langues officielles, formats
# d’exportation. Espace insécable avant « : » et « ; », comme dans les documents de l’ONU.

## Cadre de la page

frame-tagline = Les rapports de l’ONU, consultables paragraphe par paragraphe
frame-search = Rechercher
frame-footer = Les références suivent le Manuel de rédaction de l’ONU. Les étiquettes sont attribuées automatiquement, chacune avec ses éléments justificatifs.
frame-interface-language = Langue de l’interface

## Pages d’erreur

error-not-found = Page introuvable
error-bad-request = Requête non valide
error-internal = Une erreur s’est produite
error-back = Retour à la recherche

## Page de recherche : formulaire et aide sur la syntaxe

search-title = Recherche
search-label = Rechercher
search-placeholder = Rechercher des paragraphes : veto restraint, "early warning", pillar:III
search-button = Rechercher
help-title = Syntaxe des requêtes
help-words = — paragraphes contenant les deux mots (les mots sont trouvés sous toutes leurs formes fléchies ;
help-words-stop = et les autres mots vides ne sont pas exigés) ; les paragraphes ne contenant qu’une partie des mots suivent, sous leur propre intertitre
help-phrase = — une expression exacte
help-parentheses = parenthèses
help-filters = — les filtres sont toujours obligatoires : paragraphes relevant du pilier III qui portent sur le veto ; également
help-symbol = — une cote de document limite la recherche à ce document
help-reading = — lus comme des filtres sur les étiquettes, affichés sous forme de pastilles que l’on peut retirer (« rechercher les mots tels quels » désactive cette lecture)
help-fields = Tous les champs de filtre :
help-fields-hover = (survoler un champ pour voir ce qu’il contient)
query-error = Cette requête n’est pas valide : { $message }. Vérifiez les guillemets, les parenthèses et les noms de champs indiqués dans l’aide sur la syntaxe.

## Page de recherche : filtres et lecture des mots

filters-label = Filtres :
filter-remove = Retirer
reading-label = Lu comme :
reading-as-typed-title = Rechercher « { $words } » tel quel
reading-with-words = avec les mots
reading-as-typed = rechercher les mots tels quels
read-rec = Recommandations
read-addressee = adressées à { $value }
read-risk = Facteur de risque { $value }
read-pillar = Pilier { $value }
read-year = en { $value }
read-from = à partir de { $value }
read-to = jusqu’en { $value }

## Page de recherche : facettes

facets-label = Affiner
facets-approximate = Les nombres sont estimés sur un échantillon des paragraphes trouvés (≈).
facets-count-exactly = Compter exactement tous les paragraphes trouvés (plus lent)
facet-remove = Retirer ce filtre
facet-value-pillar = Pilier { $value }
facet-value-rec-true = Recommandations
facet-value-rec-false = Autres paragraphes

facet-year = Année
facet-year-description = Année de publication (`2025`) ; `from` et `to` donnent une période.
facet-body = Organe
facet-body-description = Organe, comme dans la facette `body` (« Security Council »).
facet-doc_type = Type de document
facet-doc_type-description = Type de document, comme dans la facette `doc_type` (« report »).
facet-language = Langue
facet-language-description = Langue, code ISO 639-1 (« en », « fr »).
facet-pillar = Pilier
facet-pillar-description = Pilier de la responsabilité de protéger : `I`, `II` ou `III` (ou `1` à `3`).
facet-risk_factor = Facteur de risque
facet-risk_factor-description = Facteur de risque du Cadre d’analyse des atrocités criminelles, de 1 à 14 (les autres nombres jusqu’à 255 ne trouvent rien ; au-delà, erreur 400 `bad_request`).
facet-recommendation = Recommandation
facet-recommendation-description = Recommandations seulement (`true`) ou autres paragraphes (`false`) ; également `1`/`0`, `yes`/`no`.
facet-addressee = Destinataire
facet-addressee-description = Destinataire des recommandations, comme dans la facette `addressee` (« Member States »).
facet-verb = Verbe directif
facet-verb-description = Verbe directif d’une recommandation, sous sa forme de base, du plus fort au plus faible : « call upon », « urge », « recommend », « encourage », « invite », « should ».
facet-crime = Crime
facet-crime-description = Crime d’atrocité nommé : « genocide », « war crimes », « crimes against humanity », « ethnic cleansing ».
facet-country = Pays
facet-country-description = Pays mentionné, code ISO 3166-1 alpha-3 (« SDN »).
facet-cited = Document cité
facet-cited-description = Cote d’un document de l’ONU cité par les paragraphes (« A/67/929 ») : la première cote d’une cote conjointe, telle que l’étiqueteur l’enregistre.
facet-symbol = Cote du document
facet-symbol-description = Cote du document : seulement les paragraphes de ce document, sous l’une quelconque de ses cotes ou sa cote conjointe (« A/79/875 »).
facet-kind = Type d’unité
facet-kind-description = Type d’unité : `paragraph`, `subparagraph`, `heading`, `footnote`, `block`, …

## Page de recherche : résultats, pagination, exportation

summary-none = Aucun résultat.
summary-no-full-match = Aucun paragraphe ne contient tous les mots de cette recherche.
summary-past = { $total ->
    [one] { $total } paragraphe contient
   *[other] { $total } paragraphes contiennent
} tous les mots ; cette page se situe au-delà.
summary-range = { $first }–{ $last } sur { $total } { $total ->
    [one] paragraphe
   *[other] paragraphes
}
summary-range-all-words = { $first }–{ $last } sur { $total } { $total ->
    [one] paragraphe contenant
   *[other] paragraphes contenant
} tous les mots
summary-some-words = Paragraphes contenant une partie des mots
hit-select = Sélectionner { $citation } pour l’exportation
pages-label = Pages
page-previous = Page précédente
page-next = Page suivante
page-n = Page { $page }
page-n-of = Page { $page } sur { $pages }
export-label = Exporter les références
export-selected = Exporter les références des paragraphes sélectionnés (de tous les résultats si aucun n’est sélectionné) :
export-all = Exporter les références de tous les résultats :
export-trend = Évolution de cette recherche
export-feed = Flux Atom
export-format-text = Texte

## Page de recherche : langue de la requête et des paragraphes

help-languages = — la langue de la requête est détectée quand ses mots la disent clairement (sinon, choisissez-la) ;
help-versions = donne chaque paragraphe une fois, avec ses versions dans les autres langues ;
help-qlang = choisit la langue de la requête (la version présentée en premier) ;
help-qlang-only = ne garde que les paragraphes en français
qlang-label = Langue de la requête :
qlang-detected = (détectée)
qlang-chosen = (choisie)
qlang-unknown = non détectée
qlang-choose = choisir :
qlang-only = seulement les paragraphes en { $language }
versions-grouped-link = un résultat par paragraphe, toutes langues
versions-all-link = chaque version linguistique à part
grouped-note = { $rows ->
    [one] { $rows } version linguistique correspond
   *[other] { $rows } versions linguistiques correspondent
}, présentées en { $total } { $total ->
    [one] paragraphe
   *[other] paragraphes
}.
grouped-incomplete = Seules les { $read } premières sur { $rows } ont été regroupées : affinez la recherche pour le reste.
versions-label = Autres langues
versions-side-by-side = côte à côte
export-language = en
export-language-as-found = leur propre langue

## Pastilles des étiquettes et mentions

chip-pillar = Pilier { $pillar }
chip-risk = Facteur de risque { $factor }
chip-risk-named = Facteur de risque { $factor } : { $name }
chip-risk-title = Facteur de risque { $factor } du Cadre d’analyse des atrocités criminelles de l’ONU (2014)
chip-recommendation = Recommandation
non-un = Document ne relevant pas de l’ONU
non-un-title = Non publié par l’Organisation des Nations Unies : n’est pas cité comme document de l’ONU
pinpoint-para = , par. { $para }
pinpoint-paras = , par. { $paras }
pinpoint-footnote = , note { $footnote }

## Facteurs de risque du Cadre d’analyse des atrocités criminelles (2014)

risk-factor-1 = Situations de conflit armé ou autres formes d’instabilité
risk-factor-2 = Antécédents de violations graves du droit international des droits de l’homme et du droit international humanitaire
risk-factor-3 = Faiblesse des structures de l’État
risk-factor-4 = Motivations ou incitations
risk-factor-5 = Capacité de commettre des atrocités criminelles
risk-factor-6 = Absence de facteurs atténuants
risk-factor-7 = Circonstances favorables ou actes préparatoires
risk-factor-8 = Éléments déclencheurs
risk-factor-9 = Tensions intergroupes ou schémas de discrimination à l’égard de groupes protégés
risk-factor-10 = Signes d’une intention de détruire, en tout ou en partie, un groupe protégé
risk-factor-11 = Signes d’une attaque généralisée ou systématique contre une population civile
risk-factor-12 = Signes d’un plan ou d’une politique d’attaque contre une population civile
risk-factor-13 = Menaces graves contre les personnes protégées par le droit international humanitaire
risk-factor-14 = Menaces graves contre les opérations humanitaires ou de maintien de la paix

## Langues officielles de l’ONU

language-ar = arabe
language-zh = chinois
language-en = anglais
language-es = espagnol
language-fr = français
language-ru = russe

## Page de paragraphe

cites = Documents cités
cited-by = Cité par
copy-citation = Copier la référence
copy-done = Copiée
copy-failed = Sélectionnez la référence pour la copier
paragraph-page = page { $page }
paragraph-footnotes = Notes de bas de page
paragraph-tags = Étiquettes et éléments justificatifs
paragraph-tags-note = non étiqueté : l’étiqueteur lit l’anglais, et l’index ne contient aucune version anglaise de ce document dont reprendre les étiquettes (langue : { $language })
paragraph-cites-none = Aucune citation de document de l’ONU n’a été relevée dans ce paragraphe ni dans ses notes.
paragraph-cited-by-none = Aucun paragraphe indexé d’un autre document ne cite ce paragraphe.
paragraph-cited-by-item = cité par
paragraph-one-column = une colonne
paragraph-other-languages = Dans les autres langues
paragraph-side-by-side = côte à côte :
evidence-none = Aucune étiquette n’a été attribuée à ce paragraphe.
evidence-tagged = étiqueté
evidence-because = parce que :
evidence-times = { $times } fois
evidence-confidence = confiance
evidence-for = élément justificatif : { $tags }
rule-lead-in = élément de la liste introduite par le texte qui le précède
rule-lead-in-paragraph = élément de la liste introduite par le paragraphe { $paragraph }
rule-upr-item = recommandation numérotée de l’Examen périodique universel
rule-upr-recommendation = recommandation de l’Examen périodique universel adressée à l’État examiné
rule-other = règle { $rule }
carried-from = de la version anglaise, { $where }
carried-from-annex = de la version anglaise, { $annex }, { $where }
carried-annex = annexe
carried-para = par. { $unit }
carried-unit = unité { $unit }
tag-pillar = pilier { $value }
tag-risk-factor = facteur de risque { $value }
tag-risk-factor-named = facteur de risque { $value } ({ $name })
tag-recommendation = recommandation
tag-not-recommendation = pas une recommandation
tag-country = pays : { $value }
earlier-title = Formulations antérieures
earlier-none = Aucun paragraphe d’un document antérieur ne présente une formulation semblable.
earlier-similarity = similarité
earlier-chain = Remonté jusqu’à sa première apparition :

## Page de document

document-versions = Versions linguistiques
document-language-label = Langue :
document-symbol = Cote du document
document-date = Date
document-organs = Organes
document-author = Auteur
document-type = Type
document-agenda-items = Points de l’ordre du jour
document-language = Langue
document-units = Unités
document-search-in-it = Rechercher dans ce document
document-search-paragraphs = paragraphes de ce document
document-citations = Citations
document-cites-n = cite { $count } { $count ->
    [one] document
   *[other] documents
}
document-cited-by-n = cité par { $count } { $count ->
    [one] document
   *[other] documents
}
document-listed-after = (listes après le texte)
document-permalink = Lien permanent : { $citation }
document-cite-count = { $count } { $count ->
    [one] paragraphe
   *[other] paragraphes
}
document-citing-it = tous les paragraphes qui le citent
document-cites = cite

## Page d’évolution

trend-title = Évolution
title-separator =  :{ " " }
trend-query = Requête
trend-count-by = Compter par
trend-by-year = par année
trend-by-body = par organe
trend-by-document = par document
trend-show = Afficher
trend-total = { $total ->
    [one] { $total } paragraphe correspondant.
   *[other] { $total } paragraphes correspondants.
}
trend-csv = Télécharger les décomptes (CSV)
trend-see = Voir les paragraphes
trend-first = Première apparition
trend-earliest = Le premier paragraphe correspondant :
trend-chart = Paragraphes par { $by }
trend-chart-query = Paragraphes correspondant à { $q } par { $by }
trend-dimension-year = année
trend-dimension-body = organe
trend-dimension-document = document

## Dates

day-first = 1er
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
