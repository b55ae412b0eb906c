//! Rule checks on sentences of the 2026 report (`shared/seeds/sg-r2p-report-2026.txt`),
//! including the taxonomy's deliberate distractors (§3), and list shapes of HRC and UPR reports.

use crate::common;
use undex_core::{Document, DocumentMeta, Language, Paragraph, Tags, UnitKind};
use undex_tag::{TagContext, tag_document, tag_paragraph};

fn para(n: &str, sub: Option<&str>) -> Paragraph {
    common::seed_2026()
        .paragraphs
        .into_iter()
        .find(|p| p.number.as_deref() == Some(n) && p.sub.as_deref() == sub)
        .unwrap_or_else(|| panic!("2026 para {n} {sub:?}"))
}

fn tag(p: &Paragraph) -> Tags {
    let ctx = TagContext {
        section: &p.section,
        kind: p.kind,
        footnotes: &p.footnotes,
        doc_type: Some("report"),
        author: Some("Secretary-General"),
        language: "en",
        speaker: None,
    };
    tag_paragraph(&p.text, &ctx)
}

fn rules(t: &Tags) -> Vec<String> {
    t.recommendation
        .evidence
        .iter()
        .map(|e| e.rule.to_string())
        .collect()
}

#[test]
fn reported_and_quoted_calls_are_not_recommendations() {
    // Para 1 restates the World Summit Outcome ("they agreed that the international community
    // should ... support"); para 3 "reiterated calls"; para 28 "have been encouraged".
    for n in ["1", "3", "28"] {
        let t = tag(&para(n, None));
        assert!(
            !t.recommendation.is_recommendation,
            "para {n}: {:?}",
            rules(&t)
        );
    }
}

#[test]
fn options_and_pointers_are_not_recommendations() {
    // Para 30 "can support", para 28 "may consider", para 23 "A set of recommendations ... is
    // included in the concluding section".
    for n in ["23", "28", "30"] {
        let t = tag(&para(n, None));
        assert!(!t.recommendation.is_recommendation, "para {n}");
    }
}

#[test]
fn should_without_an_actor_is_normative_not_a_recommendation() {
    // Para 40 "efforts to ensure non-recurrence should include ..."; 27 "sanctions should take
    // into account"; 4(b) "The responsibility to protect should be a sustained policy".
    for (n, sub) in [("40", None), ("27", None), ("4", Some("b"))] {
        let t = tag(&para(n, sub));
        assert!(!t.recommendation.is_recommendation, "para {n} {sub:?}");
        assert!(
            rules(&t)
                .iter()
                .any(|r| r == "recommendation.normative_no_addressee"),
            "para {n}: {:?}",
            rules(&t)
        );
    }
}

#[test]
fn should_with_actors_names_each_addressee() {
    // Para 38: "National, regional and international actors should implement ...".
    let p = para("38", None);
    let t = tag(&p);
    assert!(t.recommendation.is_recommendation);
    assert_eq!(
        t.recommendation.addressees,
        ["Member States", "other", "regional organizations"]
    );
    assert_eq!(t.recommendation.verb.as_deref(), Some("should"));
    for e in &t.recommendation.evidence {
        assert_eq!(&p.text[e.start..e.end], e.text, "{}", e.rule);
    }
}

#[test]
fn present_passive_in_the_conclusions_with_an_interjected_clause() {
    // Para 47: "Member States are encouraged, consistent with their constitutional and legal
    // frameworks, to designate ..."; para 48 addressees from the levels named before the subject.
    let t = tag(&para("47", None));
    assert_eq!(t.recommendation.addressees, ["Member States"]);
    assert_eq!(t.recommendation.verb.as_deref(), Some("encourage"));
    let t = tag(&para("48", None));
    assert_eq!(
        t.recommendation.addressees,
        ["UN system", "regional organizations"]
    );
}

#[test]
fn pillar_and_risk_evidence_points_into_the_text() {
    let p = para("27", None);
    let t = tag(&p);
    let pillars: Vec<String> = t.pillars.iter().map(|p| p.pillar.to_string()).collect();
    assert_eq!(pillars, ["III"]);
    let rules: Vec<&str> = t.pillars[0]
        .evidence
        .iter()
        .map(|e| e.rule.as_str())
        .collect();
    assert!(
        rules.contains(&"pillar.III.lexicon:chapter-vii"),
        "{rules:?}"
    );
    // "in cooperation with relevant regional organizations" (WSO para. 139) is not pillar II.
    assert!(t.pillars.iter().all(|p| p.pillar != undex_core::Pillar::II));
    let p = para("8", None);
    let t = tag(&p);
    for r in &t.risk_factors {
        for e in &r.evidence {
            assert_eq!(&p.text[e.start..e.end], e.text);
        }
    }
    let factors: Vec<u8> = t.risk_factors.iter().map(|r| r.factor).collect();
    assert!(factors.contains(&7) && factors.contains(&14), "{factors:?}");
}

#[test]
fn footnote_citations_carry_pinpoints() {
    // Para 14 cites footnote 30 "A/67/929-S/2013/399, para. 15."; para 26 footnote 42
    // "A/79/875-S/2025/248, paras. 46–53.".
    let t = tag(&para("14", None));
    let c = t
        .cited
        .iter()
        .find(|c| c.symbol == "A/67/929" && c.footnote == Some(30))
        .unwrap();
    assert_eq!((c.pinpoint.as_deref(), c.footnote), (Some("15"), Some(30)));
    let t = tag(&para("26", None));
    let c = t
        .cited
        .iter()
        .find(|c| c.symbol == "A/79/875" && c.footnote == Some(42))
        .unwrap();
    assert_eq!(c.pinpoint.as_deref(), Some("46-53"));
    // Para 1 names the four crimes and Rwanda, Srebrenica, Bosnia and Herzegovina.
    let t = tag(&para("1", None));
    let crimes: Vec<&str> = t.crimes.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(
        crimes,
        [
            "crimes against humanity",
            "ethnic cleansing",
            "genocide",
            "war crimes"
        ]
    );
    let countries: Vec<&str> = t.countries.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(countries, ["BIH", "RWA"]);
}

fn unit(kind: UnitKind, number: &str, sub: Option<&str>, section: &str, text: &str) -> Paragraph {
    Paragraph {
        id: format!("x~{number}{}", sub.unwrap_or("")),
        kind,
        number: Some(number.into()),
        ordinal: None,
        sub: sub.map(Into::into),
        annex: None,
        section: vec![section.into()],
        page: 1,
        text: text.into(),
        footnote_refs: Vec::new(),
        footnotes: Vec::new(),
        speaker: None,
        tags: Tags::default(),
    }
}

#[test]
fn list_items_under_a_recommending_lead_in_inherit_its_addressee() {
    // The shape of HRC mandate-holder reports: "The Special Rapporteur recommends that the
    // Government:" followed by lettered items; the items are recommendations to the Government.
    let sec = "VI. Conclusions and recommendations";
    let mut doc = Document {
        meta: DocumentMeta {
            author: Some("Special Rapporteur on the situation of human rights in Myanmar".into()),
            language: Language::En.into(),
            ..DocumentMeta::default()
        },
        paragraphs: vec![
            unit(
                UnitKind::Chapeau,
                "85",
                None,
                sec,
                "The Special Rapporteur recommends that the Government:",
            ),
            unit(
                UnitKind::Subparagraph,
                "85",
                Some("a"),
                sec,
                "Repeal or amend all laws that discriminate against the Rohingya;",
            ),
            unit(
                UnitKind::Subparagraph,
                "85",
                Some("b"),
                sec,
                "Ensure unimpeded humanitarian access to Rakhine State;",
            ),
            unit(
                UnitKind::Paragraph,
                "86",
                None,
                sec,
                "The Special Rapporteur has visited the country twice.",
            ),
        ],
        warnings: Vec::new(),
    };
    tag_document(&mut doc);
    let r: Vec<_> = doc
        .paragraphs
        .iter()
        .map(|p| &p.tags.recommendation)
        .collect();
    assert!(r[0].is_recommendation);
    assert_eq!(r[0].verb.as_deref(), Some("recommend"));
    for item in &r[1..3] {
        assert!(item.is_recommendation);
        assert_eq!(item.addressees, ["Member States"]);
        assert_eq!(item.verb.as_deref(), Some("recommend"));
    }
    assert!(!r[3].is_recommendation);
    // Risk factors of the items: discrimination (9), humanitarian access (14).
    assert!(
        doc.paragraphs[1]
            .tags
            .risk_factors
            .iter()
            .any(|f| f.factor == 9)
    );
    assert!(
        doc.paragraphs[2]
            .tags
            .risk_factors
            .iter()
            .any(|f| f.factor == 14)
    );
}

#[test]
fn a_secretary_general_report_citing_a_rapporteur_is_not_the_rapporteur_recommending() {
    let ctx = TagContext {
        author: Some("Secretary-General"),
        ..TagContext::default()
    };
    let t = tag_paragraph(
        "The Special Rapporteur recommends that States adopt national strategies.",
        &ctx,
    );
    assert!(!t.recommendation.is_recommendation);
}
