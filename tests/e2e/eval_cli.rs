//! `undex eval tags` as a maintainer runs it: the table on the development set, and the rows
//! the tagger got wrong on a blind set with `--misses`.

use crate::common::{shared, undex};

fn micro_f1(table: &str, family: &str) -> f64 {
    let line = table
        .lines()
        .find(|l| l.starts_with(family))
        .unwrap_or_else(|| panic!("no {family} line in:\n{table}"));
    line.split_whitespace().last().unwrap().parse().unwrap()
}

#[test]
fn eval_tags_prints_the_table_and_lists_the_misses() {
    let dev = shared().join("eval-dev/gold-2026.jsonl");
    let run = undex(&["eval", "tags", "--gold", dev.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(out.starts_with("rows: 62 gold, 62 matched"), "{out}");
    assert!(micro_f1(&out, "pillars (micro)") >= 0.95, "{out}");
    assert!(micro_f1(&out, "risk factors (micro)") >= 0.95, "{out}");
    assert!(!out.contains("got wrong"), "no miss list without --misses");

    let blind = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tag/tests/data/gold-s-2013-220-blind.jsonl"
    );
    let gold = std::fs::read_to_string(blind).unwrap();
    let run = undex(&["eval", "tags", "--gold", blind, "--misses"]);
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{out}");
    let (table, misses) = out
        .split_once("rows the tagger got wrong (high-confidence rows only):\n")
        .unwrap_or_else(|| panic!("no miss list:\n{out}"));
    // One line per wrong row and family; together they account for every FP and FN row.
    let lines: Vec<&str> = misses.lines().collect();
    assert!(!lines.is_empty(), "{out}");
    for l in &lines {
        let id = l
            .strip_prefix("pillars ")
            .or_else(|| l.strip_prefix("risk factors "))
            .or_else(|| l.strip_prefix("recommendation "))
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("odd line {l:?}"));
        assert!(
            gold.contains(&format!("\"id\": \"{id}\"")),
            "{id} not in the gold file"
        );
    }
    let risk_rows = lines
        .iter()
        .filter(|l| l.starts_with("risk factors "))
        .count();
    let risk_line = table
        .lines()
        .find(|l| l.starts_with("risk factors (micro)"))
        .unwrap();
    let n: Vec<u32> = risk_line
        .split_whitespace()
        .skip(3)
        .take(4)
        .map(|x| x.parse().unwrap())
        .collect();
    // A wrong row has at least one FP or FN, and at most as many rows as FP + FN.
    assert!(risk_rows >= 1 && risk_rows as u32 <= n[2] + n[3], "{out}");
}
