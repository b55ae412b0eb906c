//! The kinds of UN document undex tells apart, by their symbol and masthead: the vocabulary
//! the extractor writes into [`crate::DocumentMeta::doc_type`] and that the segmenter and the
//! tagger read back. The JSON field stays a string (`"verbatim record"`), so that a document
//! that is not a UN document can carry its own kind with [`crate::NON_UN_MARK`].

use std::fmt;

/// A kind of UN document, named as the UN names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocType {
    /// A resolution (`A/RES/…`, `S/RES/…`): preambular and operative paragraphs.
    Resolution,
    /// A decision (`…/DEC/…`).
    Decision,
    /// A verbatim record of a meeting (`S/PV.…`, `A/…/PV.…`): speaker turns.
    VerbatimRecord,
    /// A summary record of a meeting (`…/SR.…`).
    SummaryRecord,
    /// A national report to the Universal Periodic Review (`A/HRC/WG.6/…/1`).
    NationalReport,
    /// The OHCHR compilation of UN information for the UPR (`…/WG.6/…/2`).
    Compilation,
    /// The summary of stakeholders' submissions for the UPR (`…/WG.6/…/3`).
    StakeholdersSummary,
    /// The report of the Working Group on the Universal Periodic Review: numbered
    /// recommendations with their recommending States.
    UprWorkingGroupReport,
    /// A letter ("Letter dated … from … addressed to …").
    Letter,
    /// A report (of the Secretary-General, a mandate holder, a body).
    Report,
    /// A note (of the Secretary-General, by the Secretariat).
    Note,
    /// Any other document.
    Other,
}

impl DocType {
    /// Every kind, in declaration order.
    pub const ALL: [DocType; 12] = [
        DocType::Resolution,
        DocType::Decision,
        DocType::VerbatimRecord,
        DocType::SummaryRecord,
        DocType::NationalReport,
        DocType::Compilation,
        DocType::StakeholdersSummary,
        DocType::UprWorkingGroupReport,
        DocType::Letter,
        DocType::Report,
        DocType::Note,
        DocType::Other,
    ];

    /// The name written in rows and facets ("verbatim record", "UPR working group report").
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DocType::Resolution => "resolution",
            DocType::Decision => "decision",
            DocType::VerbatimRecord => "verbatim record",
            DocType::SummaryRecord => "summary record",
            DocType::NationalReport => "national report",
            DocType::Compilation => "compilation",
            DocType::StakeholdersSummary => "stakeholders summary",
            DocType::UprWorkingGroupReport => "UPR working group report",
            DocType::Letter => "letter",
            DocType::Report => "report",
            DocType::Note => "note",
            DocType::Other => "other",
        }
    }

    /// The kind a row's `doc_type` names, exactly as [`DocType::as_str`] writes it; `None`
    /// for another string (a non-UN document's own kind, "summary (non-UN)").
    #[must_use]
    pub fn parse(s: &str) -> Option<DocType> {
        DocType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl fmt::Display for DocType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_name() {
        for t in DocType::ALL {
            assert_eq!(DocType::parse(t.as_str()), Some(t));
        }
        assert_eq!(DocType::parse("summary (non-UN)"), None);
    }
}
