//! Rule checks on sentences of Secretary-General reports to the Security Council in
//! `shared/corpus/pdf/un_ods_samples/` (S/2012/197, S/2013/220, S/2025/317), quoted as the
//! extractor reads them.

use undex_core::UnitKind;
use undex_tag::{TagContext, tag_paragraph};

fn rec(text: &str) -> (bool, Vec<String>, Option<String>) {
    let section = vec!["VIII. Observations and recommendations".to_string()];
    let ctx = TagContext {
        section: &section,
        kind: UnitKind::Paragraph,
        author: Some("Secretary-General"),
        ..TagContext::default()
    };
    let r = tag_paragraph(text, &ctx).recommendation;
    (r.is_recommendation, r.addressees, r.verb)
}

#[test]
fn reiterated_calls_and_coordinated_verbs() {
    // S/2013/220 para 118.
    let (yes, to, verb) = rec(
        "In view of those new challenges, I reiterate my call to the parties, which has not yet been followed up, to establish direct cooperation and communication through a joint military verification mechanism.",
    );
    assert!(yes);
    assert_eq!(to, ["other"]);
    assert_eq!(verb.as_deref(), Some("call upon"));
    // S/2025/317 para 68: "I reiterate my concern ... and call upon the Government to ...".
    let (yes, to, _) = rec(
        "I reiterate my concern about the rape and other forms of sexual violence against children in South Sudan and call upon the Government to urgently strengthen the legal framework for the prosecution of sexual violence against children.",
    );
    assert!(yes);
    assert_eq!(to, ["Member States"]);
    // S/2013/220 para 113: the stronger second verb wins; both objects count.
    let (_, to, verb) = rec(
        "I encourage the parties to be open to such an initiative and call on Member States to be receptive to calls by UNHCR for further funding in this regard.",
    );
    assert_eq!(to, ["Member States", "other"]);
    assert_eq!(verb.as_deref(), Some("call upon"));
}

#[test]
fn named_governments_countries_pronouns_and_the_council() {
    // S/2025/317 para 71.
    let (_, to, _) = rec(
        "Furthermore, I call upon the Government of South Sudan, the international community and partners to commit to and continue supporting South Sudan during this critical stage.",
    );
    assert_eq!(to, ["Member States", "other"]);
    // S/2013/220 para 112.
    let (yes, to, _) = rec(
        "I urge the two countries to redouble their efforts so that both can enjoy the benefits.",
    );
    assert!(yes);
    assert_eq!(to, ["Member States"]);
    // S/2013/220 para 116.
    let (yes, to, _) = rec(
        "All parties are responsible for ensuring the protection of human rights. I therefore urge them to pay more attention to the issues being raised.",
    );
    assert!(yes);
    assert_eq!(to, ["other"]);
    // S/2013/220 para 123: "the Council" in a paragraph that names the Security Council.
    let (_, to, verb) = rec(
        "The presence of MINURSO supports successive Security Council resolutions. I recommend that the Council extend the mandate of MINURSO for a further 12 months.",
    );
    assert_eq!(to, ["Security Council"]);
    assert_eq!(verb.as_deref(), Some("recommend"));
}

#[test]
fn reported_views_are_not_the_authors_call() {
    // S/2012/197 paras 100 and 101.
    let (yes, ..) = rec(
        "In Frente Polisario’s view, the parties must therefore accept the need for several possible options and for a referendum.",
    );
    assert!(!yes);
    let (yes, ..) = rec(
        "Morocco argues that Western Sahara should enjoy advanced autonomy within its sovereignty. In Morocco’s view, the parties should negotiate the details of autonomy.",
    );
    assert!(!yes);
    // S/2025/317 para 50: "the need to" is not a modal.
    let (yes, ..) = rec(
        "Participants from parties to the conflict, government officials, civil society organizations and the international community generated 25 resolutions and recommendations around the need to strengthen accountability.",
    );
    assert!(!yes);
}
