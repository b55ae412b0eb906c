#[test]
fn probe() {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/seeds/sg-r2p-report-2025-A-79-875.txt"
    );
    let bytes = std::fs::read(p).unwrap();
    let d = undex_extract::extract(&bytes, p, &Default::default()).unwrap();
    let index = undex_index::UndexIndex::in_memory().unwrap();
    index.replace_documents(&[d.rows()]).unwrap();
    for q in [
        "A/79/875",
        "NOT veto",
        "veto AND",
        "*",
        "veto*",
        "resolution 377 (V)",
        "Article 2:4",
        "risk_factor:7",
        "377(V)",
        "\"\"",
        "'veto'",
        "veto^2",
        "http://un.org",
        "S/2025/248",
        "a:b:c",
        "year:2025 veto",
        "[1 TO 2]",
        "~",
        "-",
        "(",
        "Côte d'Ivoire",
        "A/RES/60/1 para. 138",
    ] {
        let r = index.search(&undex_index::SearchRequest {
            q: q.into(),
            limit: 3,
            ..Default::default()
        });
        match r {
            Ok(r) => println!("{q:?} -> {} ", r.total),
            Err(e) => println!("{q:?} -> ERR {e}"),
        }
    }
}
