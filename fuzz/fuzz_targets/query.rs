//! Arbitrary UTF-8 → `UndexIndex::search` over a small in-memory index (three short documents
//! written for this target, in English, French and Chinese, so each language's analyzer and
//! snippet generator is reached, with hand tags as in `crates/index/tests/search.rs`). The
//! query language is parsed by tantivy's recursive grammar after undex's own rewriting
//! (`limits`, field aliases, bare symbols): any `Err` (an invalid query, a limit) is fine, a
//! panic, an abort or a stack overflow is not.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use undex_core::ParagraphRow;
use undex_index::{SearchRequest, UndexIndex};

const REPORT_EN: &str = "United Nations A/99/100
General Assembly Distr.: General
2 March 2030

Seventy-ninth session

Implementing the responsibility to protect: a fuzzing fixture

Report of the Secretary-General

I. Introduction

1. Early warning of atrocity crimes depends on timely and impartial information, and on the \
readiness of Member States to act on it before violence escalates.

2. The Security Council should exercise restraint in the use of the veto in situations \
involving genocide, war crimes, ethnic cleansing and crimes against humanity.

3. Regional organizations and civil society in Myanmar, Sudan and elsewhere have shown that \
prevention works when it is sustained (see A/79/875, para. 28).

II. Recommendations

4. Member States are encouraged to appoint national focal points and to report on the \
measures taken to prevent incitement to violence.
";

const REPORT_FR: &str = "Nations Unies A/99/101
Assemblée générale Distr. : générale
3 mars 2030

Rapport du Secrétaire général

1. L'alerte rapide en cas de crimes atroces dépend d'informations fiables et de la volonté \
des États Membres d'agir avant que la violence ne s'aggrave.

2. Le Conseil de sécurité devrait s'abstenir de recourir au veto face au génocide, aux \
crimes de guerre et aux crimes contre l'humanité.
";

const REPORT_ZH: &str = "联合国 A/99/102
大会 Distr.: General

秘书长的报告

1. 及早预警暴行罪取决于及时和公正的信息，也取决于会员国在暴力升级之前采取行动的意愿。

2. 安全理事会应在涉及灭绝种族、战争罪和危害人类罪的情况下克制使用否决权。
";

fn rows_of(name: &str, text: &str) -> Vec<ParagraphRow> {
    undex_extract::extract(text.as_bytes(), name, &Default::default())
        .expect("fixture text extracts")
        .rows()
}

static INDEX: LazyLock<UndexIndex> = LazyLock::new(|| {
    let mut en = rows_of("fixture-en.txt", REPORT_EN);
    for r in &mut en {
        if r.text.contains("veto") {
            r.pillars = vec!["III".into()];
            r.risk_factors = vec![7];
            r.recommendation = true;
            r.addressees = vec!["Security Council".into()];
            r.crimes = vec!["genocide".into()];
        }
        if r.text.contains("Myanmar") {
            r.pillars = vec!["II".into()];
            r.countries = vec!["MMR".into(), "SDN".into()];
        }
    }
    let docs = [
        en,
        rows_of("fixture-fr.txt", REPORT_FR),
        rows_of("fixture-zh.txt", REPORT_ZH),
    ];
    assert!(docs.iter().all(|d| !d.is_empty()), "every fixture has rows");
    let index = UndexIndex::in_memory().expect("in-memory index");
    index.replace_documents(&docs).expect("ingest fixtures");
    index
});

fuzz_target!(|q: &str| {
    let index = &*INDEX;
    undex_fuzz::on_production_stack(|| {
        let _ = index.search(&SearchRequest {
            q: q.to_string(),
            limit: 10,
            ..Default::default()
        });
    });
});
