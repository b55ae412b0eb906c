//! The fields that a document, its citable units and its rows share, declared once.
//!
//! [`crate::DocumentMeta`] holds a document's metadata and [`crate::Paragraph`] one citable
//! unit; [`crate::ParagraphRow`] repeats both on every row (the row is flat on purpose: it is
//! the stored, exchanged and served form). The three structs are declared through
//! [`document_fields!`], which puts the shared fields in where a struct names them, so a
//! field and its docs are written once and the structs stay plain structs: field access, the
//! derived serde code (rows are decoded straight into `ParagraphRow` on every search hit)
//! and the JSON shape, member order included, are those of the fields written out by hand.

/// Declares a struct whose field list may name shared fields by `..group,`:
///
/// - `..symbols(T),`: `symbols: Vec<T>`;
/// - `..parent_symbol(T),`: `parent_symbol: Option<T>`;
/// - `..language,`: `language` (a [`crate::TextLanguage`]);
/// - `..title_date,`: `title`, `date`;
/// - `..masthead,`: `bodies`, `author`, `doc_type`, `ga_session`, `sc_year`, `hrc_session`,
///   `agenda_items`;
/// - `..source,`: `source_file`, `sha256`;
/// - `..numbering,`: a unit's `kind`, `number`, `ordinal`, `sub`, `annex`;
/// - `..body,`: a unit's `page`, `text`, `footnote_refs`, `footnotes`, `speaker`.
///
/// The groups are small so that each struct keeps its own member order (a row's `year`
/// stands between `date` and `bodies`). Every field, written or named, ends with a comma.
/// Attributes written before `..language,` go on its field (the row's
/// `#[schema(value_type = String)]`: the OpenAPI document shows the code as a string).
/// Type names in the groups (`UnitKind`, `Footnote`) resolve where the struct is declared.
macro_rules! document_fields {
    ($(#[$attr:meta])* $vis:vis struct $name:ident { $($body:tt)* }) => {
        $crate::fields::document_fields!(@munch [$(#[$attr])* $vis struct $name] [] $($body)*);
    };
    (@munch [$($head:tt)*] [$($done:tt)*]) => {
        $($head)* { $($done)* }
    };
    (@munch $head:tt [$($done:tt)*] ..symbols($t:ident), $($rest:tt)*) => {
        $crate::fields::document_fields!(@munch $head [$($done)*
            /// Symbols as printed, reissue marks removed; two for a joint GA/SC document
            /// ("A/79/875", "S/2025/248"). Empty when the text carries none.
            pub symbols: Vec<$t>,
        ] $($rest)*);
    };
    (@munch $head:tt [$($done:tt)*] ..parent_symbol($t:ident), $($rest:tt)*) => {
        $crate::fields::document_fields!(@munch $head [$($done)*
            /// The symbol of the parent document of an addendum or corrigendum.
            pub parent_symbol: Option<$t>,
        ] $($rest)*);
    };
    (@munch $head:tt [$($done:tt)*] $(#[$lattr:meta])* ..language, $($rest:tt)*) => {
        $crate::fields::document_fields!(@munch $head [$($done)*
            /// Language of the text, as its code: ISO 639-1 ("en", "fr", "ru", "es", "ar",
            /// "zh", "de"), the ISO 639-3 code of a detected language that undex writes without
            /// one ("nld"), or "und" when it could not be determined.
            $(#[$lattr])*
            pub language: $crate::language::TextLanguage,
        ] $($rest)*);
    };
    (@munch $head:tt [$($done:tt)*] ..title_date, $($rest:tt)*) => {
        $crate::fields::document_fields!(@munch $head [$($done)*
            /// Title of the document (the report's own title, not the agenda item).
            pub title: Option<String>,
            /// Date of issue, ISO 8601 ("2025-04-22").
            pub date: Option<String>,
        ] $($rest)*);
    };
    (@munch $head:tt [$($done:tt)*] ..masthead, $($rest:tt)*) => {
        $crate::fields::document_fields!(@munch $head [$($done)*
            /// Organs the document is issued to or by: "General Assembly", "Security Council",
            /// "Human Rights Council", "Economic and Social Council"…
            pub bodies: Vec<String>,
            /// Author when printed: "Secretary-General", "Working Group on the Universal
            /// Periodic Review", a mandate holder…
            pub author: Option<String>,
            /// Document type: "report", "resolution", "decision", "letter", "note",
            /// "verbatim record", "summary record", "national report", "compilation",
            /// "stakeholders summary", "UPR working group report", "other" (the names of
            /// `DocType`). A document that is not a UN document (no symbol and no UN masthead:
            /// a civil-society summary of a report) has a type ending in " (non-UN)":
            /// "summary (non-UN)", "document (non-UN)".
            pub doc_type: Option<String>,
            /// General Assembly session number.
            pub ga_session: Option<u32>,
            /// Security Council year.
            pub sc_year: Option<u32>,
            /// Human Rights Council session number.
            pub hrc_session: Option<u32>,
            /// Agenda items as printed ("13", "117", "131").
            pub agenda_items: Vec<String>,
        ] $($rest)*);
    };
    (@munch $head:tt [$($done:tt)*] ..numbering, $($rest:tt)*) => {
        $crate::fields::document_fields!(@munch $head [$($done)*
            /// What kind of unit this is.
            pub kind: UnitKind,
            /// The number as printed ("1", "16", "69.1", "140.12"); `None` (JSON `null`) when
            /// the document prints none: blocks, preambular paragraphs, speaker turns.
            pub number: Option<String>,
            /// For a unit printed without a number: its place among the units of its kind in
            /// the document, from 1 (the locator of its id: "b3", "pp2", "turn12").
            /// Preambular paragraphs are cited by it ("preambular para. 2", UN Editorial
            /// Manual). `None` (JSON `null`) for numbered units.
            #[serde(default)]
            pub ordinal: Option<u32>,
            /// Sub-paragraph letter or roman numeral without parentheses ("a", "ii"), if any.
            pub sub: Option<String>,
            /// The annex the unit stands in ("annex", "annex I", "enclosure"), when paragraph
            /// numbering restarts there; `None` (JSON `null`) in the body of the document.
            pub annex: Option<String>,
        ] $($rest)*);
    };
    (@munch $head:tt [$($done:tt)*] ..body, $($rest:tt)*) => {
        $crate::fields::document_fields!(@munch $head [$($done)*
            /// 1-based page on which the unit starts.
            pub page: u32,
            /// The text, with footnote markers and footnote text removed, lines joined, NFC.
            pub text: String,
            /// Numbers of the footnotes referenced from this unit, in order of appearance.
            pub footnote_refs: Vec<u32>,
            /// The footnotes referenced, with their text.
            pub footnotes: Vec<Footnote>,
            /// Speaker of a turn in a verbatim record ("The President", "Mr. Smith (France)").
            pub speaker: Option<String>,
        ] $($rest)*);
    };
    (@munch $head:tt [$($done:tt)*] ..source, $($rest:tt)*) => {
        $crate::fields::document_fields!(@munch $head [$($done)*
            /// Path of the file the document was read from, as given.
            pub source_file: String,
            /// SHA-256 of the file's bytes, lower-case hex.
            pub sha256: String,
        ] $($rest)*);
    };
    (@munch $head:tt [$($done:tt)*]
        $(#[$fattr:meta])* $fvis:vis $field:ident : $ty:ty, $($rest:tt)*) => {
        $crate::fields::document_fields!(@munch $head [$($done)*
            $(#[$fattr])* $fvis $field: $ty,
        ] $($rest)*);
    };
}

pub(crate) use document_fields;
