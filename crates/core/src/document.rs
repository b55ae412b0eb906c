//! A UN document as undex reads it: metadata and citable units (paragraphs, sub-paragraphs,
//! preambular and operative paragraphs, UPR recommendations, speaker turns).

use serde::{Deserialize, Serialize};

use crate::fields::document_fields;
use crate::language::TextLanguage;
use crate::symbol::{DocumentSymbol, joint_display};
use crate::tags::Tags;

/// What kind of citable unit a [`Paragraph`] is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// A numbered paragraph with no sub-paragraphs.
    Paragraph,
    /// The lead-in text of a numbered paragraph that has sub-paragraphs ("… the following:").
    Chapeau,
    /// A lettered or roman sub-paragraph ("(a)", "(ii)") of a numbered paragraph.
    Subparagraph,
    /// A preambular paragraph of a resolution or decision (unnumbered; counted in order).
    Preambular,
    /// An operative paragraph of a resolution or decision.
    Operative,
    /// One recommendation of a UPR Working Group report ("140.12 Ratify … (Slovenia);").
    UprRecommendation,
    /// A speaker's turn in a verbatim record (S/PV.…, A/…/PV.…).
    SpeakerTurn,
    /// An unnumbered block of text (letters, notes, summaries) counted in order.
    Block,
}

impl UnitKind {
    /// The snake_case name used in JSON and facets.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Paragraph => "paragraph",
            UnitKind::Chapeau => "chapeau",
            UnitKind::Subparagraph => "subparagraph",
            UnitKind::Preambular => "preambular",
            UnitKind::Operative => "operative",
            UnitKind::UprRecommendation => "upr_recommendation",
            UnitKind::SpeakerTurn => "speaker_turn",
            UnitKind::Block => "block",
        }
    }
}

/// A footnote, separated from the body text and linked by its marker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Footnote {
    /// The footnote number as printed (the marker in the body).
    pub marker: u32,
    /// The footnote text, without its marker.
    pub text: String,
}

document_fields! {
    /// One citable unit of a document.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Paragraph {
        /// Stable id, unique in the whole index: see [`paragraph_id`].
        pub id: String,
        ..numbering,
        /// Section heading path, outermost first ("III. Sustained responsibility to protect: …").
        pub section: Vec<String>,
        ..body,
        /// Tags with evidence (filled by `undex-tag`).
        #[serde(default)]
        pub tags: Tags,
    }
}

document_fields! {
    /// Metadata of a document, read from its masthead and first page.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    pub struct DocumentMeta {
        /// Stable document id: see [`document_id`].
        pub id: String,
        ..symbols(DocumentSymbol),
        /// True when the symbol was printed with reissue marks ("*") / "Reissued for technical reasons".
        pub reissued: bool,
        ..parent_symbol(DocumentSymbol),
        /// ODS job number ("25-06353", "G09-16919").
        pub job_number: Option<String>,
        ..title_date,
        ..masthead,
        ..language,
        /// Number of pages (1 for plain text).
        pub pages: u32,
        ..source,
        /// File format: "pdf", "docx", "text", "markdown", "html".
        pub format: String,
    }
}

/// The mark that ends the [`DocumentMeta::doc_type`] of a document that is not a UN
/// document ("summary (non-UN)").
pub const NON_UN_MARK: &str = " (non-UN)";

/// True when a document type says the document is not a UN document (it ends in
/// [`NON_UN_MARK`]): such a document is never cited as a UN document and should be labelled
/// as what it is wherever it is shown.
#[must_use]
pub fn is_non_un_type(doc_type: Option<&str>) -> bool {
    doc_type.is_some_and(|t| t.ends_with(NON_UN_MARK))
}

impl DocumentMeta {
    /// True unless the document's type marks it as not a UN document ([`is_non_un_type`]).
    #[must_use]
    pub fn is_un_document(&self) -> bool {
        !is_non_un_type(self.doc_type.as_deref())
    }

    /// The symbol as it is cited: joint symbols joined with "-" ("A/79/875-S/2025/248").
    #[must_use]
    pub fn symbol_display(&self) -> Option<String> {
        (!self.symbols.is_empty()).then(|| joint_display(&self.symbols))
    }

    /// Year of issue, from the date.
    #[must_use]
    pub fn year(&self) -> Option<i32> {
        self.date.as_deref()?.get(..4)?.parse().ok()
    }
}

/// A document: metadata, citable units in reading order, and what went wrong on the way.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Metadata.
    pub meta: DocumentMeta,
    /// Citable units in reading order.
    pub paragraphs: Vec<Paragraph>,
    /// Non-fatal problems ("page 3: no text layer"), for the ingest summary.
    pub warnings: Vec<String>,
}

/// The stable id of a document: the slug of its first symbol and its language
/// ("A_79_875.en"), or, when the text carries no symbol, the first 12 hex digits of the file's
/// SHA-256 ("sha-3f2a9c01d4e5.en").
#[must_use]
pub fn document_id(symbols: &[DocumentSymbol], sha256: &str, language: TextLanguage) -> String {
    match symbols.first() {
        Some(s) => format!("{}.{language}", s.slug()),
        None => format!("sha-{}.{language}", sha256.get(..12).unwrap_or(sha256)),
    }
}

/// The stable id of a unit: `{document id}~{locator}`, where the locator is the number as
/// printed, or for unnumbered kinds the kind's prefix and the unit's ordinal ("b3", "pp2",
/// "turn12"), the sub-paragraph in parentheses, and the annex before it: "A_79_875.en~76", "A_79_875.en~4(a)", "A_80_434.en~annex~3",
/// "A_RES_70_10.en~pp2", "S_PV.10011.en~turn12".
#[must_use]
pub fn paragraph_id(
    doc_id: &str,
    kind: UnitKind,
    annex: Option<&str>,
    locator: &str,
    sub: Option<&str>,
) -> String {
    let mut id = String::from(doc_id);
    id.push('~');
    if let Some(annex) = annex {
        id.push_str(&annex.to_lowercase().replace(' ', "-"));
        id.push('~');
    }
    match kind {
        UnitKind::Preambular => id.push_str("pp"),
        UnitKind::SpeakerTurn => id.push_str("turn"),
        UnitKind::Block => id.push('b'),
        _ => {}
    }
    id.push_str(locator);
    if let Some(sub) = sub {
        id.push('(');
        id.push_str(sub);
        id.push(')');
    }
    id
}

/// A paragraph id read back into its parts (ids as [`paragraph_id`] builds them):
/// `<doc id>~[<annex>~]<locator>`, the locator being the number as printed (`76`), with its
/// sub-paragraph (`4(a)`), or an ordinal with its kind's prefix (`b3`, `pp2`, `turn12`).
/// The locator is the same in every language version of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitId<'a> {
    /// Document id ("A_79_875.en").
    pub doc_id: &'a str,
    /// The annex the unit stands in, as written in the id ("annex", "annex-ii"), or `None`.
    pub annex: Option<&'a str>,
    /// The unit within its annex or body ("76", "4(a)", "b3").
    pub unit: &'a str,
    /// Everything after the document id ("annex~3", "76"): the fragment of the unit on its
    /// document's page, and the key that finds it in another language version.
    pub locator: &'a str,
}

impl<'a> UnitId<'a> {
    /// Reads `id`; `None` when it has no `~` (not a paragraph id).
    #[must_use]
    pub fn parse(id: &'a str) -> Option<Self> {
        let (doc_id, locator) = id.split_once('~')?;
        let (annex, unit) = match locator.rsplit_once('~') {
            Some((annex, unit)) => (Some(annex), unit),
            None => (None, locator),
        };
        Some(UnitId {
            doc_id,
            annex,
            unit,
            locator,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Language;

    #[test]
    fn unit_ids_read_back_into_their_parts() {
        let id = paragraph_id("A_80_434.en", UnitKind::Paragraph, Some("Annex"), "3", None);
        let u = UnitId::parse(&id).expect("a unit id");
        assert_eq!(
            (u.doc_id, u.annex, u.unit, u.locator),
            ("A_80_434.en", Some("annex"), "3", "annex~3")
        );
        let id = paragraph_id("A_79_875.en", UnitKind::Subparagraph, None, "4", Some("a"));
        let u = UnitId::parse(&id).expect("a unit id");
        assert_eq!((u.annex, u.unit, u.locator), (None, "4(a)", "4(a)"));
        assert_eq!(UnitId::parse("A_79_875.en"), None);
    }

    #[test]
    fn ids_are_stable_and_readable() {
        let syms = vec!["A/79/875".parse().unwrap(), "S/2025/248".parse().unwrap()];
        let d = document_id(&syms, "abc", Language::En.into());
        assert_eq!(d, "A_79_875.en");
        assert_eq!(
            paragraph_id(&d, UnitKind::Subparagraph, None, "4", Some("a")),
            "A_79_875.en~4(a)"
        );
        assert_eq!(
            paragraph_id(&d, UnitKind::Paragraph, Some("Annex I"), "3", None),
            "A_79_875.en~annex-i~3"
        );
        assert_eq!(
            document_id(&[], "0123456789abcdef", Language::Fr.into()),
            "sha-0123456789ab.fr"
        );
        assert_eq!(
            document_id(&[], "0123456789abcdef", TextLanguage::Undetermined),
            "sha-0123456789ab.und"
        );
    }
}
