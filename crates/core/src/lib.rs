//! Domain types of undex, the search engine for United Nations reports.
//!
//! - [`DocumentSymbol`]: UN document symbols ("A/79/875-S/2025/248" is one document, two symbols).
//! - [`Document`], [`DocumentMeta`], [`Paragraph`]: a document as read, down to the citable unit.
//! - [`Tags`]: pillars, risk factors, recommendations, each with [`Evidence`].
//! - [`ParagraphRow`]: the flat JSON row per unit that every stage exchanges.
//! - [`Language`]: the language of a document or a query (the six official UN languages, or
//!   another ISO 639-1 code), written as its code; [`TextLanguage`]: the language a text was
//!   found in, as documents and rows hold it (a [`Language`], a language the detector names
//!   by its ISO 639-3 code only, or undetermined, "und").
//! - [`citation`]: citations in the style of the UN Editorial Manual; [`reference`](mod@reference): such
//!   citations as people type them, parsed back ("A/79/875, para. 58").
//!
//! This crate has no I/O and no heavy dependencies, so that every other crate can use it.
#![warn(missing_docs)]

pub mod align;
pub mod citation;
pub mod doctype;
pub mod document;
mod fields;
pub mod fsutil;
pub mod language;
pub mod reference;
pub mod row;
pub mod rule;
pub mod symbol;
pub mod tags;

pub use doctype::DocType;
pub use document::{
    Document, DocumentMeta, Footnote, NON_UN_MARK, Paragraph, UnitId, UnitKind, document_id,
    is_non_un_type, paragraph_id,
};
pub use language::{Language, LanguageError, OtherLanguage, TextLanguage, UnlistedLanguage};
pub use reference::{CitationError, CitationRef, LocatorKind, parse_citation};
pub use row::{EvidenceRow, ParagraphRow};
pub use rule::{RuleId, RuleKind};
pub use symbol::{DocumentSymbol, SymbolError, joint_display, parse_joint};
pub use tags::{
    CitedDocument, Evidence, LabelTag, Pillar, PillarTag, Recommendation, RiskFactorTag, Tags,
    risk_factor_name,
};
