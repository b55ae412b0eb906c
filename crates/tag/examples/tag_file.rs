//! Extracts a document with undex-extract, tags it and prints one line per unit:
//! `cargo run -p undex-tag --example tag_file -- FILE [--json]`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: tag_file FILE [--json]")?;
    let json = args.next().is_some_and(|a| a == "--json");
    let bytes = std::fs::read(&path)?;
    let mut doc = undex_extract::extract(&bytes, &path, &undex_extract::ExtractOptions::default())?;
    undex_tag::tag_document(&mut doc);
    for row in doc.rows() {
        if json {
            println!("{}", serde_json::to_string(&row)?);
            continue;
        }
        let head: String = row.text.chars().take(110).collect();
        println!(
            "{}{} [{}] P{:?} RF{:?} REC {} {:?} {:?} {:?} | {}",
            row.number.as_deref().unwrap_or("¶"),
            row.sub
                .as_deref()
                .map(|s| format!("({s})"))
                .unwrap_or_default(),
            row.kind.as_str(),
            row.pillars,
            row.risk_factors,
            row.recommendation,
            row.addressees,
            row.verb,
            row.recommending_states,
            head
        );
    }
    Ok(())
}
