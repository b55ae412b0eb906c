//! One test per risk-factor cue family added from the Framework of Analysis for Atrocity Crimes
//! (2014) indicators and the taxonomy's "Tag when the paragraph discusses ..." column
//! (`crates/tag/data/risk_factors.toml`). Positive cases are real paragraphs of the 2025 report
//! (paras 1–40 only: paras 41–80 are kept as a held-out set) or real sentences of other corpus
//! documents; negative cases check that the cue-weight design still holds (one weak cue never
//! tags, titles and history do not tag).

use crate::common;
use undex_core::RiskFactorTag;
use undex_tag::{TagContext, tag_paragraph};

fn ctx() -> TagContext<'static> {
    TagContext::secretary_general_report(&[])
}

fn factors_of(text: &str) -> Vec<RiskFactorTag> {
    tag_paragraph(text, &ctx()).risk_factors
}

fn factors(text: &str) -> Vec<u8> {
    factors_of(text).iter().map(|r| r.factor).collect()
}

/// The cue ids that made factor `f` on the 2025 paragraph `n`, or a panic naming what was found.
fn cues_2025(n: u32, f: u8) -> Vec<String> {
    let (text, _) = common::para_2025(n);
    let tags = factors_of(&text);
    let Some(tag) = tags.iter().find(|r| r.factor == f) else {
        let got: Vec<u8> = tags.iter().map(|r| r.factor).collect();
        panic!("2025 para {n}: factor {f} missing, got {got:?}: {text}");
    };
    for e in &tag.evidence {
        assert_eq!(
            &text[e.start..e.end],
            e.text,
            "evidence span points into the text"
        );
    }
    tag.evidence
        .iter()
        .map(|e| e.rule.rsplit(':').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn rf1_inter_state_conflict_settings_and_displacement_scale() {
    // 16: "inter-State conflicts involving regional or international actors".
    assert!(cues_2025(16, 1).contains(&"inter-state-conflict".to_string()));
    // 18: "civilian casualties in armed conflicts" + "major conflicts": two weak cues.
    let c = cues_2025(18, 1);
    assert!(c.contains(&"conflict-settings".to_string()), "{c:?}");
    // 21: "72.1 million people internally displaced" in "conflict and crisis zones".
    assert!(cues_2025(21, 1).contains(&"displacement-scale".to_string()));
    // A conflict setting alone is one weak cue.
    assert!(
        !factors("Peace operations deployed in conflict settings adapt their mandates.")
            .contains(&1)
    );
}

#[test]
fn rf2_disregard_for_and_decline_in_respect_for_law() {
    // 8: "an ongoing disregard for international humanitarian law and international human
    // rights law"; 35: "a significant decline in respect for international humanitarian law".
    assert!(cues_2025(8, 2).contains(&"violations-of-law".to_string()));
    assert!(cues_2025(35, 2).contains(&"violations-of-law".to_string()));
    // 17: "disregard for the fundamental principles of international humanitarian law".
    assert!(cues_2025(17, 2).contains(&"violations-of-law".to_string()));
}

#[test]
fn rf2_legacies_and_denial() {
    // 33 ("unaddressed and persistent legacies of violence") is labelled medium; the cue is
    // the taxonomy's "unaddressed legacy of atrocities".
    assert!(cues_2025(33, 2).contains(&"legacy".to_string()));
    assert!(factors("Genocide denial and the glorification of perpetrators persist.").contains(&2));
    // Bare "denial" is weak: 2025 para 30, "the denial of civil and political rights".
    let (text, _) = common::para_2025(30);
    assert!(!factors(&text).contains(&2), "{text}");
}

#[test]
fn rf6_early_warnings_unheeded_and_paralysis() {
    // 12: early warnings "have failed to result in preventive and protective action".
    assert!(cues_2025(12, 6).contains(&"warnings-unheeded".to_string()));
    // 8: "a lack of concerted action to prevent and respond to atrocity crimes".
    assert!(cues_2025(8, 6).contains(&"warnings-unheeded".to_string()));
    // 15: "the Security Council often remains paralysed due to the use of the veto power".
    let c = cues_2025(15, 6);
    assert!(c.contains(&"selectivity-veto".to_string()), "{c:?}");
    // History told is not a present risk (2026 para 1, one 0.7 cue).
    assert!(
        !factors("following the failure of the international community to prevent genocide in Rwanda (1994)")
            .contains(&6)
    );
}

#[test]
fn rf7_group_deportation_rising_violence_and_rights_erosion() {
    // 28: "the forced deportation of over 700,000 Rohingya"; 34: "Deportations of minorities".
    assert!(cues_2025(28, 7).contains(&"group-deportation".to_string()));
    assert!(cues_2025(34, 7).contains(&"group-deportation".to_string()));
    // 22: "an increase in conflict-related sexual violence against women and girls".
    assert!(cues_2025(22, 7).contains(&"rising-violence-women-children".to_string()));
    // 11 (medium): "Many States are rolling back fundamental freedoms and human rights."
    assert!(cues_2025(11, 7).contains(&"rights-eroding".to_string()));
    // S/2025/317 para 63: "the increase in the number of grave violations against children".
    assert!(factors("I am concerned by the increase in the number of grave violations against children in South Sudan since my previous report.").contains(&7));
    // A generic "forced displacement" in a list stays weak (2025 para 14 lists it among others).
    assert!(
        !factors("Displaced populations face forced displacement and loss of livelihoods.")
            .contains(&7)
    );
}

#[test]
fn rf5_new_technologies_of_warfare() {
    // 6 (medium): "the weaponization of new technologies"; 26 (medium): artificial
    // intelligence "on the battlefield".
    assert!(cues_2025(6, 5).contains(&"new-means-warfare".to_string()));
    assert!(cues_2025(26, 5).contains(&"new-means-warfare".to_string()));
}

#[test]
fn rf9_targeting_on_identity() {
    // 13: "the targeting of groups on the grounds of national, ethnic, racial and religious
    // identity".
    assert!(cues_2025(13, 9).contains(&"identity-targeting".to_string()));
    assert!(factors("Violence erupted along ethnic lines in the capital.").contains(&9));
}

#[test]
fn rf13_conduct_of_hostilities_and_protected_objects() {
    // 17: "distinction, proportionality and precautions".
    assert!(cues_2025(17, 13).contains(&"conduct-of-hostilities".to_string()));
    // 18: "indiscriminate and targeted attacks on civilians".
    assert!(cues_2025(18, 13).contains(&"indiscriminate".to_string()));
    // 20: "the widespread destruction of civilian infrastructure"; 24: "attacks against
    // healthcare facilities".
    assert!(cues_2025(20, 13).contains(&"protected-objects".to_string()));
    assert!(cues_2025(24, 13).contains(&"protected-objects".to_string()));
    // A generic reference to IHL violations is factor 2, not 13 (2025 para 35).
    let (text, _) = common::para_2025(35);
    assert!(!factors(&text).contains(&13), "{text}");
}

#[test]
fn rf14_restricted_access() {
    // 23: "blockades and restricted access to essential goods such as medicines and
    // humanitarian aid".
    assert!(cues_2025(23, 14).contains(&"humanitarian-access".to_string()));
    assert!(factors("Attacks against United Nations personnel increased.").contains(&14));
}

#[test]
fn framework_indicators_3_4_8_11_12() {
    assert!(factors("The country suffers from a lack of an independent judiciary.").contains(&3));
    assert!(
        factors("The militia sought control over natural resources in the region.").contains(&4)
    );
    assert!(factors("An unconstitutional change of government took place in July.").contains(&8));
    assert!(
        factors("Witnesses described orders to kill anyone found in the village.").contains(&12)
    );
    // Mass killings alone are one 0.7 cue; a pattern of attacks on civilians tags.
    assert!(!factors("Mass killings were reported.").contains(&11));
    assert!(
        factors("The attacks form a pattern of attacks against civilians in the north.")
            .contains(&11)
    );
}

#[test]
fn treaty_and_mechanism_titles_do_not_tag() {
    // 2025 para 37: the "Protocol for the Prevention and the Punishment of the Crime of
    // Genocide, War Crimes and Crimes Against Humanity and All Forms of Discrimination".
    let (text, _) = common::para_2025(37);
    assert!(!factors(&text).contains(&9), "{text}");
    // UPR recommendations to ratify (A/HRC/24/6 para 118.3, A/HRC/28/12 para 138.10).
    for t in [
        "Ratify the Optional Protocol to the Convention against Torture and establish a national mechanism for visits to places of detention (Costa Rica);",
        "Ratify the Convention on the Elimination of All Forms of Discrimination against Women, the Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment and its Optional Protocol (Estonia);",
    ] {
        assert!(factors(t).is_empty(), "{t}: {:?}", factors(t));
    }
    // Prose still counts: "torture" and "discrimination" in lower case.
    assert!(factors("Detainees were subjected to torture.").contains(&2));
}

#[test]
fn curbed_freedoms_accountability_access_and_elections() {
    // 6: A/HRC/27/10 para 79 (UPR of the DPRK), "restrictions on the freedom of expression".
    assert!(factors("Montenegro condemned the grave human rights violations, including restrictions on the freedom of expression and movement and the use of political prison camps.").contains(&6));
    // "civic space" alone is weak; shrinking civic space tags.
    assert!(!factors("Civic space is a concept discussed at the Forum.").contains(&6));
    // 2: S/2025/317 para 34, "the persistent lack of accountability enables and perpetuates
    // such violations".
    assert!(factors("which further demonstrates how the persistent lack of accountability enables and perpetuates such violations.").contains(&2));
    // 14: denial of humanitarian assistance.
    assert!(
        factors("The parties continued the denial of humanitarian assistance to besieged towns.")
            .contains(&14)
    );
    // 8: violence in the run-up to elections.
    assert!(factors("Tensions rose in the run-up to the presidential elections.").contains(&8));
    // 1 and 3: two weak cues of different kinds do not add across factors.
    assert!(factors("Political tensions and fragility were discussed.").is_empty());
}

#[test]
fn framework_indicator_cues_common_factors() {
    // 1.2 security crisis: S/1996/112 para 7.
    assert!(factors("However, the security situation deteriorated abruptly in the wake of the attack on 7 November 1995 against two deputies.").contains(&1));
    // 1.5 insurgency with 1.2 terrorism, two weak cues: A/HRC/17/9 para 95.
    assert!(factors("Internal insurgencies and terrorism have endangered national security and hampered the livelihood of the people.").contains(&1));
    // 2.1 the human rights situation as such: A/HRC/28/14 para 86.
    assert!(factors("The United Kingdom of Great Britain and Northern Ireland noted with concern that the human rights situation had deteriorated.").contains(&2));
    // 2.1 lethal force against demonstrators: A/40/281 para 10.
    assert!(factors("Ha'aretz reported on 21 April that a 15-year-old boy had been shot and killed and an 18-year-old youth injured when a border police patrol opened fire on demonstrators at the al-Borj refugee camp in the Gaza Strip.").contains(&2));
    // 2.6 transitional justice with a second weak cue: A/HRC/12/9 para 12.
    assert!(factors("With regard to implementation of transitional justice, judicial actions were not taken due to lack of suitable conditions, for example, insecurity, lack of required capacity in the Government and the influence of powerful violators of human rights.").contains(&2));
    // 5.1 and 5.8 arms embargo breached, supply chains to armed actors: S/2025/257 para 4.
    assert!(factors("In its final report (S/2024/914), submitted to the Security Council on 6 December 2024, the Panel noted that the arms embargo remained ineffective where Member States controlled the logistical flow and supply chains to armed actors in Libya.").contains(&5));
    // 7.1 state of emergency: A/HRC/8/29 para 14.
    assert!(factors("The declaration of state of emergency was a step taken in the fight against terrorism and it will be revoked once the conditions that led to it will cease to exist.").contains(&7));
}

#[test]
fn framework_indicator_cues_specific_factors() {
    // 9.1 attacks on members of a protected group: A/HRC/WG.6/34/ITA/3 para 12.
    assert!(factors("The National Observatory had reported violent attacks against Roma in various Italian cities in 2016.").contains(&9));
    // 10 and 11 found as committed: A/HRC/28/14 para 23; A/HRC/27/10 para 89.
    let f = factors(
        "Such acts clearly constituted crimes against humanity involving the intention to commit ethnic cleansing and genocide.",
    );
    assert!(f.contains(&10) && f.contains(&11), "{f:?}");
    assert!(factors("Portugal was deeply worried about long-standing, systematic and widespread violations of human rights, which amounted to crimes against humanity.").contains(&11));
    // 13 sexual violence attributed to a named armed force: S/2025/317 para 31.
    assert!(factors("The country task force verified the perpetration of rape and other forms of sexual violence against 47 girls between the ages of 7 and 17, attributed to the South Sudan People’s Defence Forces (23).").contains(&13));
    // 14 restrictions on the movement of a mission: S/2012/197 para 36.
    assert!(factors("The increase in restrictions on the freedom of movement of MINURSO military observers cited in my previous report was reversed during the reporting period.").contains(&14));
}

#[test]
fn framework_indicator_cues_negatives() {
    // "explosive remnants of war in Western Bahr el-Ghazal" is not a war in a place
    // (S/2025/317 para 28).
    assert!(
        !factors("2 children were maimed by explosive remnants of war in Western Bahr el-Ghazal.")
            .contains(&1)
    );
    // Demining reports are not threats to protected persons (S/2014/258 para 45).
    let t = "During the same period, the Royal Moroccan Army conducted demining operations to the west of the berm and reported the clearance of more than 259,140,000 m of land and the destruction of 1,542 items, including anti-tank and anti-personnel mines and unexploded ordnance.";
    assert!(factors(t).is_empty(), "{:?}", factors(t));
    // "constitutional" is not "constituted"; crimes excluded from a jurisdiction are not
    // crimes found (A/HRC/24/6 para 13).
    assert!(!factors("Congress passed a constitutional amendment that excluded crimes against humanity, genocide and forced displacement from its jurisdiction.").contains(&11));
    // The law stated in general, not a finding (GCR2P summary of the 2024 report).
    let f = factors(
        "Acts that violate IHL may also constitute war crimes and may amount to crimes against humanity, ethnic cleansing or genocide.",
    );
    assert!(!f.contains(&11) && !f.contains(&10), "{f:?}");
    // One weak indicator cue alone does not tag.
    assert!(
        !factors("The Government adopted a transitional justice strategy in 2005.").contains(&2)
    );
}
