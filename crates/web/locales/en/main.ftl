# undex interface messages: English (issue #12).
#
# Every message here is also in ../fr/main.ftl (the test `i18n` checks it), except
# `fallback-probe` below. Facet titles and descriptions, risk factor names, language names and
# export format names are not here: English takes them from their owners (the index registry,
# undex-core, isolang); French names them in ../fr/main.ftl (`facet-pillar = Pilier`).
# Leading and trailing spaces of a message are dropped by Fluent: the pages add their own.

## Page frame

frame-tagline = UN reports, searchable by the paragraph
frame-search = Search
frame-footer = Citations follow the UN Editorial Manual. Tags are machine-assigned, each with its evidence.
frame-interface-language = Interface language

## Error pages

error-not-found = Not found
error-bad-request = Bad request
error-internal = Something went wrong
error-back = Back to search

## Search page: form and syntax help

search-title = Search
search-label = Search
search-placeholder = Search paragraphs: veto restraint, "early warning", pillar:III
search-button = Search
help-title = Query syntax
help-words = — paragraphs with both words (words match their inflections;
help-words-stop = and other stop words are not required); paragraphs with some of the words follow, under their own heading
help-phrase = — an exact phrase
help-parentheses = parentheses
help-filters = — filters are always required: Pillar III paragraphs on the veto; also
help-symbol = — a document symbol restricts the search to that document
help-reading = — read as filters on the tags, shown as chips you can remove ("search the words as typed" turns the reading off)
help-fields = Every filter field:
help-fields-hover = (hover for what each holds)
query-error = This query does not parse: { $message }. Check quotes and parentheses, and the field names in the syntax help.

## Search page: filters and the reading of the words

filters-label = Filters:
filter-remove = Remove
reading-label = Read as:
reading-as-typed-title = Search "{ $words }" as typed
reading-with-words = with the words
reading-as-typed = search the words as typed
read-rec = Recommendations
read-addressee = addressed to { $value }
read-risk = Risk factor { $value }
read-pillar = Pillar { $value }
read-year = in { $value }
read-from = from { $value }
read-to = until { $value }

## Search page: facet panel (titles come from the index registry)

facets-label = Refine
facets-approximate = Counts are estimated from a sample of the matching paragraphs (≈).
facets-count-exactly = Count every match exactly (slower)
facet-remove = Remove this filter
facet-value-pillar = Pillar { $value }
facet-value-rec-true = Recommendations
facet-value-rec-false = Other paragraphs

## Search page: results, pagination, export

summary-none = No paragraph matches.
summary-no-full-match = No paragraph holds all the words of this search.
summary-past = { $total } { $total ->
    [one] paragraph holds
   *[other] paragraphs hold
} all the words; this page is past them.
summary-range = { $first }–{ $last } of { $total } { $total ->
    [one] paragraph
   *[other] paragraphs
}
summary-range-all-words = { $first }–{ $last } of { $total } { $total ->
    [one] paragraph
   *[other] paragraphs
} with all the words
summary-some-words = Paragraphs with some of the words
hit-select = Select { $citation } for export
pages-label = Pages
page-previous = Previous
page-next = Next
page-n = Page { $page }
page-n-of = Page { $page } of { $pages }
export-label = Export
export-selected = Export selected paragraphs (all results when none is selected):
export-all = Export all results:
export-trend = Trend of this search
export-feed = Atom feed

## Search page: languages of the query and of the paragraphs

help-languages = — the query's language is detected when its words say it clearly (else choose it);
help-versions = lists each paragraph once, with its versions in the other languages under it;
help-qlang = chooses the query's language (the version shown first);
help-qlang-only = keeps only the paragraphs in French
qlang-label = Language of the query:
qlang-detected = (detected)
qlang-chosen = (chosen)
qlang-unknown = not detected
qlang-choose = choose:
qlang-only = only the paragraphs in { $language }
versions-grouped-link = one hit per paragraph, all languages
versions-all-link = each language version apart
grouped-note = { $rows } matching language { $rows ->
    [one] version
   *[other] versions
}, shown as { $total } { $total ->
    [one] paragraph
   *[other] paragraphs
}.
grouped-incomplete = Only the first { $read } of { $rows } were grouped: narrow the search for the rest.
versions-label = Other languages
versions-side-by-side = side by side
export-language = in
export-language-as-found = their own language

## Tag chips and badges

chip-pillar = Pillar { $pillar }
chip-risk = Risk factor { $factor }
chip-risk-named = Risk factor { $factor }: { $name }
chip-risk-title = Risk factor { $factor } of the UN Framework of Analysis for Atrocity Crimes (2014)
chip-recommendation = Recommendation
non-un = Not a UN document
non-un-title = Not issued by the United Nations: not cited as a UN document
pinpoint-para = , para. { $para }
pinpoint-paras = , paras. { $paras }
pinpoint-footnote = , footnote { $footnote }

## Paragraph page

cites = Cites
cited-by = Cited by
copy-citation = Copy citation
copy-done = Copied
copy-failed = Select the citation to copy it
paragraph-page = page { $page }
paragraph-footnotes = Footnotes
paragraph-tags = Tags and their evidence
paragraph-tags-note = not tagged: the tagger reads English, and the index holds no English version of this document to carry tags from (language: { $language })
paragraph-cites-none = No UN document citation was found in this paragraph or its footnotes.
paragraph-cited-by-none = No indexed paragraph of another document cites this paragraph.
paragraph-cited-by-item = cited by
paragraph-one-column = one column
paragraph-other-languages = In other languages
paragraph-side-by-side = side by side:
evidence-none = No tags were assigned to this paragraph.
evidence-tagged = tagged
evidence-because = because:
evidence-times = { $times } times
evidence-confidence = confidence
evidence-for = evidence for { $tags }
rule-lead-in = an item of the list introduced by the text before it
rule-lead-in-paragraph = an item of the list introduced by paragraph { $paragraph }
rule-upr-item = a numbered UPR recommendation
rule-upr-recommendation = a UPR recommendation to the State under review
rule-other = rule { $rule }
# Evidence carried from the English version (English pages use undex-core's own words).
carried-from = from the English version, { $where }
carried-from-annex = from the English version, { $annex }, { $where }
carried-annex = annex
carried-para = para. { $unit }
carried-unit = unit { $unit }
tag-pillar = pillar { $value }
tag-risk-factor = risk factor { $value }
tag-risk-factor-named = risk factor { $value } ({ $name })
tag-recommendation = recommendation
tag-not-recommendation = not a recommendation
tag-country = country { $value }
earlier-title = Earlier wording
earlier-none = No paragraph of an earlier document has similar wording.
earlier-similarity = similarity
earlier-chain = Traced back to its first appearance:

## Document page

document-versions = Language versions
document-language-label = Language:
document-symbol = Symbol
document-date = Date
document-organs = Organs
document-author = Author
document-type = Type
document-agenda-items = Agenda items
document-language = Language
document-units = Units
document-search-in-it = Search in it
document-search-paragraphs = paragraphs of this document
document-citations = Citations
document-cites-n = cites { $count } { $count ->
    [one] document
   *[other] documents
}
document-cited-by-n = cited by { $count } { $count ->
    [one] document
   *[other] documents
}
document-listed-after = (listed after the text)
document-permalink = Permalink: { $citation }
document-cite-count = { $count } { $count ->
    [one] paragraph
   *[other] paragraphs
}
document-citing-it = all paragraphs citing it
document-cites = cites

## Trends page

trend-title = Trend
# Between a title and what it is about ("Trend: veto"); the quoted space is kept.
title-separator = :{ " " }
trend-query = Query
trend-count-by = Count by
trend-by-year = by year
trend-by-body = by body
trend-by-document = by document
trend-show = Show
trend-total = { $total } matching paragraphs.
trend-csv = Download the counts (CSV)
trend-see = See the paragraphs
trend-first = First appearance
trend-earliest = The earliest matching paragraph:
trend-chart = Paragraphs by { $by }
trend-chart-query = Paragraphs matching { $q } by { $by }
trend-dimension-year = year
trend-dimension-body = body
trend-dimension-document = document

## Dates (English pages print dates with undex-core's human_date; these keep the files alike)

day-first = 1
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Only in English, on purpose: the test of the fallback from French to English reads it.

fallback-probe = This message is only in English.
