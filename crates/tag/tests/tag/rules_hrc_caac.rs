//! Cues and rules added for documents other than the R2P reports: UPR working group reports
//! (A/HRC/17/9, Myanmar), a children and armed conflict report (S/2025/317) and sanctions
//! language. Each case is a real sentence of those documents (quoted from `shared/corpus`) and
//! names the taxonomy rule it follows.

use undex_core::{Pillar, Tags, UnitKind};
use undex_tag::{TagContext, tag_paragraph};

fn tag(text: &str, kind: UnitKind) -> Tags {
    let ctx = TagContext {
        kind,
        doc_type: Some("report"),
        ..TagContext::default()
    };
    tag_paragraph(text, &ctx)
}

fn pillars(t: &Tags) -> Vec<Pillar> {
    t.pillars.iter().map(|p| p.pillar).collect()
}

fn factors(t: &Tags) -> Vec<u8> {
    t.risk_factors.iter().map(|r| r.factor).collect()
}

#[test]
fn a_upr_recommendation_on_the_states_own_conduct_is_pillar_one() {
    // §1 I: national measures, laws, institutions; §3: each UPR recommendation is addressed to
    // the State under review. A/HRC/17/9, para. 104.30.
    let t = tag(
        "End and prohibit torture (Slovenia);",
        UnitKind::UprRecommendation,
    );
    assert!(t.recommendation.is_recommendation);
    assert_eq!(pillars(&t), [Pillar::I]);
    let ev = &t.pillars[0].evidence;
    assert!(
        ev.iter().any(|e| e.rule == "pillar.I.upr_recommendation"),
        "{ev:?}"
    );
}

#[test]
fn a_upr_recommendation_to_seek_outside_help_is_pillar_two_only() {
    // §1 II: international assistance. A/HRC/17/9, para. 104.64.
    let t = tag(
        "Seek the assistance of the international community to achieve comprehensive national development (Sudan);",
        UnitKind::UprRecommendation,
    );
    assert_eq!(pillars(&t), [Pillar::II]);
}

#[test]
fn a_call_upon_the_government_is_pillar_one() {
    // S/2025/317, para. 68: the Government's own legal framework.
    let t = tag(
        "I reiterate my concern about the rape and other forms of sexual violence against children in South Sudan and call upon the Government to urgently strengthen the legal framework for the prosecution of sexual violence against children, as the failure to address impunity perpetuates a cycle of violence.",
        UnitKind::Paragraph,
    );
    assert!(t.recommendation.is_recommendation);
    assert!(pillars(&t).contains(&Pillar::I), "{:?}", t.pillars);
}

#[test]
fn recruitment_of_children_is_a_threat_to_protected_persons() {
    // §2 factor 13; S/2025/317, para. 17.
    let t = tag(
        "The country task force verified the recruitment and use of 249 children (227 boys, 22 girls) between the ages of 13 and 17.",
        UnitKind::Paragraph,
    );
    assert_eq!(factors(&t), [13]);
}

#[test]
fn the_term_of_art_grave_violations_against_children_is_not_factor_two() {
    // S/2025/317, para. 49: a reported call to prevent them, no record of violations.
    let t = tag(
        "She encouraged the authorities to swiftly implement the Comprehensive Action Plan to End and Prevent all Grave Violations against Children, adopted in 2020, and urged stakeholders to prevent grave violations against children.",
        UnitKind::Paragraph,
    );
    assert!(!factors(&t).contains(&2), "{:?}", t.risk_factors);
    assert!(!factors(&t).contains(&13), "{:?}", t.risk_factors);
}

#[test]
fn fundamental_freedoms_and_free_media_are_mitigating_factors() {
    // §2 factor 6 (civil society and independent media); A/HRC/17/9, para. 104.10.
    let t = tag(
        "Take steps to review domestic laws with a view to guaranteeing the right to freedom of expression, association and assembly, including assuring a free and independent media (Indonesia);",
        UnitKind::UprRecommendation,
    );
    assert!(factors(&t).contains(&6), "{:?}", t.risk_factors);
    // One freedom alone is a weak cue.
    let t = tag(
        "It welcomed the freedom of assembly law.",
        UnitKind::Paragraph,
    );
    assert!(!factors(&t).contains(&6), "{:?}", t.risk_factors);
}

#[test]
fn arms_embargoes_are_pillar_three_and_unilateral_sanctions_are_not() {
    // §1 III lists sanctions; unilateral coercive measures are not collective action.
    let t = tag(
        "Member States continued to report on the implementation of the arms embargo.",
        UnitKind::Paragraph,
    );
    assert_eq!(pillars(&t), [Pillar::III]);
    let t = tag(
        "Cuba noted the negative impact of unilateral sanctions on the enjoyment of human rights.",
        UnitKind::Paragraph,
    );
    assert!(!pillars(&t).contains(&Pillar::III), "{:?}", t.pillars);
}

#[test]
fn conflict_described_as_a_situation_is_factor_one() {
    // §2 factor 1; S/2025/317, para. 4 and A/HRC/17/9, para. 104.53.
    let t = tag(
        "Episodic clashes between government security forces and non-signatories of the Revitalized Agreement continued to threaten the progress of the peace process.",
        UnitKind::Paragraph,
    );
    assert!(factors(&t).contains(&1), "{:?}", t.risk_factors);
    let t = tag(
        "Solve long-standing conflicts between the Government and ethnic groups in a peaceful manner (Czech Republic);",
        UnitKind::UprRecommendation,
    );
    assert!(factors(&t).contains(&1), "{:?}", t.risk_factors);
}

#[test]
fn peace_processes_that_end_a_conflict_are_factor_one_but_a_bare_mention_is_weak() {
    // A/HRC/24/6, para. 116.14; 2026 para. 36 speaks of women in "peace processes".
    let t = tag(
        "Continue with negotiations to end the conflict and to build a stable and lasting peace (Guatemala);",
        UnitKind::UprRecommendation,
    );
    assert!(factors(&t).contains(&1), "{:?}", t.risk_factors);
    let t = tag(
        "Women's full participation in peace processes remains essential.",
        UnitKind::Paragraph,
    );
    assert!(!factors(&t).contains(&1), "{:?}", t.risk_factors);
}

#[test]
fn refusing_to_cooperate_with_mechanisms_is_factor_six_not_pillar_two() {
    // Framework of Analysis, factor 6; A/HRC/27/10, paras 31 and 32.
    let t = tag(
        "Australia was disappointed by the country's refusal to cooperate with the commission of inquiry and supported the commission's call for accountability for those responsible for crimes against humanity.",
        UnitKind::Paragraph,
    );
    assert!(factors(&t).contains(&6), "{:?}", t.risk_factors);
    assert!(factors(&t).contains(&2), "{:?}", t.risk_factors);
    let t = tag(
        "Austria expressed concern about non-cooperation with United Nations mechanisms.",
        UnitKind::Paragraph,
    );
    assert!(!pillars(&t).contains(&Pillar::II), "{:?}", t.pillars);
}

#[test]
fn unimpeded_access_for_humanitarian_organizations_is_factor_fourteen() {
    // A/HRC/27/10, para. 124.47.
    let t = tag(
        "Secure unlimited access and entirely satisfactory monitoring conditions for humanitarian organisations (Norway);",
        UnitKind::UprRecommendation,
    );
    assert_eq!(factors(&t), [14]);
}

#[test]
fn a_upr_recommendation_against_unilateral_sanctions_is_not_about_national_measures() {
    // A/HRC/28/12, para. 138.52.
    let t = tag(
        "Keep denouncing unilateral coercive measures in all possible scenarios (Cuba);",
        UnitKind::UprRecommendation,
    );
    assert!(t.pillars.is_empty(), "{:?}", t.pillars);
}

#[test]
fn civilian_casualties_are_a_threat_to_protected_persons() {
    // §2 factor 13; A/HRC/12/9, para. 95.43.
    let t = tag(
        "Take all necessary measures to prevent further civilian casualties by foreign military forces in Afghanistan (Islamic Republic of Iran);",
        UnitKind::UprRecommendation,
    );
    assert_eq!(factors(&t), [13]);
}
