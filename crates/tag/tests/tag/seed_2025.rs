//! Checks on the 2025 report (A/79/875-S/2025/248), which the rules were not tuned on. The
//! expected labels were assigned by hand from `shared/eval-dev/taxonomy.md` before running the
//! tagger; each test names the paragraph and the definition it follows.

use crate::common;
use undex_core::Tags;
use undex_tag::{TagContext, tag_paragraph};

fn tag_2025(n: u32) -> (String, Tags) {
    let (text, section) = common::para_2025(n);
    let ctx = TagContext::secretary_general_report(&section);
    let tags = tag_paragraph(&text, &ctx);
    (text, tags)
}

fn pillars(t: &Tags) -> Vec<String> {
    t.pillars.iter().map(|p| p.pillar.to_string()).collect()
}

fn factors(t: &Tags) -> Vec<u8> {
    t.risk_factors.iter().map(|r| r.factor).collect()
}

#[test]
fn first_person_calls_in_the_conclusions_are_recommendations() {
    // §3: "I encourage / I also invite / I call upon" in the author's voice.
    for (n, verb) in [(77, "encourage"), (78, "invite"), (80, "call upon")] {
        let (text, t) = tag_2025(n);
        let r = &t.recommendation;
        assert!(r.is_recommendation, "para {n}: {text}");
        assert_eq!(r.addressees, ["Member States"], "para {n}");
        assert_eq!(r.verb.as_deref(), Some(verb), "para {n}");
        // Evidence points at the verb in the text.
        let e = r
            .evidence
            .iter()
            .find(|e| e.rule.starts_with("recommendation.first_person"))
            .unwrap();
        assert_eq!(&text[e.start..e.end], e.text);
    }
}

#[test]
fn areas_for_possible_action_count_at_medium_confidence() {
    // §3: "a list of main areas for possible action proposed in the concluding section counts
    // too, even without an explicit addressee (medium confidence)".
    let (_, t) = tag_2025(76);
    assert!(t.recommendation.is_recommendation);
    assert!(t.recommendation.addressees.is_empty());
    assert!(t.recommendation.evidence.iter().all(|e| e.confidence < 0.8));
}

#[test]
fn earlier_calls_and_recollections_are_not_recommendations() {
    // §3 distractors: "Member States were encouraged" (37, 38), "It should be recalled" (57),
    // "Member States called for" (58), "the Security Council ... called upon" (23),
    // "the Security Council underscored" (24).
    for n in [37, 38, 57, 58, 23, 24, 79] {
        let (text, t) = tag_2025(n);
        assert!(!t.recommendation.is_recommendation, "para {n}: {text}");
    }
}

#[test]
fn pillar_three_paragraphs() {
    // §1 III: "pillar three", "responsibility while protecting" (57); veto, "Uniting for
    // peace", emergency special sessions (58).
    for n in [57, 58] {
        let (_, t) = tag_2025(n);
        assert!(
            pillars(&t).contains(&"III".to_string()),
            "para {n}: {:?}",
            pillars(&t)
        );
        assert!(!pillars(&t).contains(&"II".to_string()), "para {n}");
    }
}

#[test]
fn risk_factors_from_the_framework_indicators() {
    // 13: highest number of conflicts (1), indiscriminate attacks (13), targeting on identity (9).
    let (_, t) = tag_2025(13);
    for f in [1, 13] {
        assert!(factors(&t).contains(&f), "13: {:?}", factors(&t));
    }
    // 19: mercenaries and private military contractors (5), culture of impunity (2).
    let (_, t) = tag_2025(19);
    assert!(
        factors(&t).contains(&5) && factors(&t).contains(&2),
        "19: {:?}",
        factors(&t)
    );
    // 28: discrimination and persecution of the Rohingya (9), widespread attacks (11).
    let (_, t) = tag_2025(28);
    assert!(
        factors(&t).contains(&9) && factors(&t).contains(&11),
        "28: {:?}",
        factors(&t)
    );
    // 29: fragility, corruption (3); humanitarian emergency (1).
    let (_, t) = tag_2025(29);
    assert!(
        factors(&t).contains(&3) && factors(&t).contains(&1),
        "29: {:?}",
        factors(&t)
    );
    // 30: attacks on journalists and the media (6), hate speech (7), racism (9).
    let (_, t) = tag_2025(30);
    for f in [6, 7, 9] {
        assert!(factors(&t).contains(&f), "30: {:?}", factors(&t));
    }
    // 25: explosive weapons in populated areas (13).
    let (_, t) = tag_2025(25);
    assert!(factors(&t).contains(&13), "25: {:?}", factors(&t));
    // 10: the report's plan: no risk factor, no recommendation, and (§1) no pillar: its list of
    // contributors ("with input from Member States, national human rights institutions,
    // regional organizations ...") is neutral in data/pillars.toml.
    let (_, t) = tag_2025(10);
    assert!(
        factors(&t).is_empty() && !t.recommendation.is_recommendation && pillars(&t).is_empty(),
        "10: {t:?}"
    );
}

#[test]
fn countries_and_crimes_facets() {
    // 14: DRC, Ethiopia, Israel and the OPT, Myanmar, the Sudan, Ukraine, Yemen.
    let (_, t) = tag_2025(14);
    let codes: Vec<&str> = t.countries.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(
        codes,
        ["COD", "ETH", "ISR", "MMR", "PSE", "SDN", "UKR", "YEM"]
    );
    let crimes: Vec<&str> = t.crimes.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(crimes, ["crimes against humanity", "war crimes"]);
    // 18: "Lake Chad basin" is not Chad.
    let (_, t) = tag_2025(18);
    assert!(t.countries.iter().all(|c| c.value != "TCD"));
}
