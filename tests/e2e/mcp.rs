//! `undex mcp` driven by Python's official MCP client (`mcp`, as an assistant runs it): the
//! seeds and one OHCHR document in English and Russian ingested into a fresh index, the server started over the client's stdio transport,
//! its tools listed and called. Python and `mcp` are required (`.ci/run` installs them): the
//! test fails, not skips, without them.

use std::process::Command;

use serde_json::Value;

use crate::common::{shared, undex};

/// The client: lists the tools, searches `veto restraint`, reads `A/79/875, para. 58` by
/// citation, and prints one JSON object with what it saw.
const CLIENT: &str = r#"
import asyncio, json, sys
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

async def main(binary, index):
    params = StdioServerParameters(
        command=binary, args=["mcp", "--index", index], env={"UNDEX_LOG": "warn"}
    )
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            tools = await session.list_tools()
            out = {
                "server": init.server_info.name,
                "instructions": init.instructions,
                "tools": {t.name: t.description for t in tools.tools},
                "read_only": {
                    t.name: bool(t.annotations and t.annotations.read_only_hint)
                    for t in tools.tools
                },
            }
            calls = {
                "search": ("search", {"query": "veto restraint"}),
                "search_pillar": ("search", {"query": "veto restraint", "pillar": "III", "year": 2026}),
                "paragraph": ("get_paragraph", {"citation": "A/79/875, para. 58"}),
                "missing": ("get_paragraph", {"citation": "A/79/875, para. 999"}),
                "translated": ("get_paragraph", {"citation": "A/HRC/WG.6/34/ITA/3, para. 5"}),
                "document": ("get_document", {"symbol": "A/79/875"}),
                "export": ("export_citations", {"query": "veto restraint", "format": "text"}),
            }
            for key, (name, args) in calls.items():
                r = await session.call_tool(name, args)
                out[key] = {
                    "is_error": bool(r.is_error),
                    "text": r.content[0].text if r.content else None,
                    "structured": r.structured_content,
                }
    print(json.dumps(out))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"#;

#[test]
fn mcp_client_lists_tools_searches_and_reads_a_cited_paragraph() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = dir.path().join("index");
    let extracted = dir.path().join("extracted");
    let ingest = undex(&[
        "ingest",
        shared().join("seeds").to_str().unwrap(),
        // One document in English and Russian: translations of a paragraph.
        shared()
            .join("corpus/pdf/ohchr_multilingual/ohchr_1_en.pdf")
            .to_str()
            .unwrap(),
        shared()
            .join("corpus/pdf/ohchr_multilingual/ohchr_1_ru.pdf")
            .to_str()
            .unwrap(),
        "--index",
        index.to_str().unwrap(),
        "--extracted",
        extracted.to_str().unwrap(),
    ]);
    assert!(
        ingest.status.success(),
        "{}",
        String::from_utf8_lossy(&ingest.stderr)
    );
    let script = dir.path().join("client.py");
    std::fs::write(&script, CLIENT).expect("write client");
    let run = Command::new("python3")
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_undex"))
        .arg(&index)
        .output()
        .expect("python3 must be installed (bash .ci/run installs it with the mcp package)");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "the MCP client failed (is Python's `mcp` package installed? `python3 -m pip install mcp`):\n{stderr}"
    );
    let out: Value = serde_json::from_slice(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&run.stdout)));

    // The tools, each read-only, each telling the model how UN citations look.
    assert_eq!(out["server"], "undex");
    let tools = out["tools"].as_object().expect("tools");
    for name in [
        "search",
        "get_paragraph",
        "get_document",
        "earlier_wording",
        "trend",
        "export_citations",
    ] {
        let description = tools[name].as_str().unwrap_or_else(|| panic!("{name}"));
        assert!(
            description.contains("A/79/875-S/2025/248, para. 76"),
            "{name}: {description}"
        );
        assert!(description.contains("must cite"), "{name}: {description}");
        assert_eq!(out["read_only"][name], true, "{name}");
    }
    assert_eq!(tools.len(), 6, "{tools:?}");

    // `veto restraint`: the 2026 report's para. 28, with its citation (the 2026 text carries
    // no symbol: cited by title and date) and permalink path.
    let search = &out["search"];
    assert_eq!(search["is_error"], false, "{search}");
    let hits = search["structured"]["hits"].as_array().expect("hits");
    let para28 = hits
        .iter()
        .find(|h| {
            h["citation"]
                .as_str()
                .is_some_and(|c| c.contains("23 April 2026, para. 28"))
        })
        .unwrap_or_else(|| panic!("2026 para. 28 not among {hits:#?}"));
    assert!(
        para28["citation"]
            .as_str()
            .unwrap()
            .starts_with("Sustained implementation of the responsibility to protect"),
        "{para28}"
    );
    assert!(
        para28["snippet"].as_str().unwrap().contains("veto"),
        "{para28}"
    );
    assert!(
        !para28["snippet"].as_str().unwrap().contains("<mark>"),
        "snippets are plain text: {para28}"
    );
    let id = para28["id"].as_str().unwrap();
    assert_eq!(para28["url"], format!("/p/{id}"));
    assert!(para28["tags"]["pillars"].is_array(), "{para28}");
    // The same hit through the filters.
    let filtered = out["search_pillar"]["structured"]["hits"]
        .as_array()
        .expect("hits");
    assert!(
        filtered.iter().any(|h| h["id"] == para28["id"]),
        "{filtered:?}"
    );
    assert!(
        filtered
            .iter()
            .all(|h| h["citation"].as_str().unwrap().contains("2026")),
        "{filtered:?}"
    );

    // `A/79/875, para. 58` by citation: the 2025 report's paragraph 58.
    let p = &out["paragraph"];
    assert_eq!(p["is_error"], false, "{p}");
    let p = &p["structured"];
    assert_eq!(p["citation"], "A/79/875-S/2025/248, para. 58", "{p}");
    assert_eq!(p["number"], "58");
    let text = p["text"].as_str().unwrap();
    assert!(
        text.starts_with("Several initiatives have been launched by Member States to address the impact of the veto"),
        "{text}"
    );
    assert_eq!(p["prev"], "A_79_875.en~57");
    assert_eq!(p["next"], "A_79_875.en~59");
    assert_eq!(p["understood"]["symbol"], "A/79/875");

    // A paragraph the document does not have: a tool error saying so.
    let missing = &out["missing"];
    assert_eq!(missing["is_error"], true, "{missing}");
    let message = missing["text"].as_str().unwrap();
    assert!(
        message.contains("document A/79/875-S/2025/248 found") && message.contains("para. 999"),
        "{message}"
    );

    // A document the index holds in two languages: the paragraph's Russian version.
    let translated = &out["translated"]["structured"];
    assert_eq!(translated["id"], "A_HRC_WG.6_34_ITA_3.en~5", "{translated}");
    let translations = translated["translations"].as_array().expect("translations");
    assert_eq!(translations.len(), 1, "{translations:?}");
    assert_eq!(translations[0]["language"], "ru");
    assert_eq!(translations[0]["id"], "A_HRC_WG.6_34_ITA_3.ru~5");
    assert!(
        translations[0]["text"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| ('а'..='я').contains(&c)),
        "{translations:?}"
    );
    assert_eq!(p["translations"], serde_json::json!([]), "{p}");

    // The outline of the 2025 report: headings and numbered paragraphs.
    let doc = &out["document"]["structured"];
    assert_eq!(doc["symbol"], "A/79/875-S/2025/248", "{doc}");
    let outline = doc["outline"].as_array().expect("outline");
    assert!(outline.iter().any(|e| e["heading"].is_string()), "{doc}");
    assert!(
        outline
            .iter()
            .any(|e| e["pinpoint"] == "para. 58" && e["id"] == "A_79_875.en~58"),
        "{doc}"
    );

    // A citation list of the search, one UN-style citation a line.
    let export = out["export"]["text"].as_str().expect("export text");
    assert!(export.contains("23 April 2026, para. 28"), "{export}");
}
