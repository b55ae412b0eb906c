//! The MCP server over Streamable HTTP at `/mcp` (stateless, JSON answers), as `undex serve`
//! mounts it: JSON-RPC posts through the router, over the 2025 and 2026 R2P reports.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt;
use undex_index::UndexIndex;
use undex_web::{AppState, router};

fn app() -> axum::Router {
    let index = UndexIndex::in_memory().expect("index");
    index
        .replace_documents(&[
            crate::common::seed_rows(crate::common::R2026, true),
            crate::common::seed_rows(crate::common::R2025, true),
        ])
        .expect("ingest");
    router(AppState::new(index))
}

async fn post(app: &axum::Router, host: &str, body: &Value) -> (StatusCode, String) {
    let res = app
        .clone()
        .oneshot(
            Request::post("/mcp")
                .header(header::HOST, host)
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT, "application/json, text/event-stream")
                .header("mcp-protocol-version", "2025-03-26")
                .body(Body::from(body.to_string()))
                .expect("request"),
        )
        .await
        .expect("infallible");
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 10_000_000)
        .await
        .expect("body");
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn mcp_over_http_answers_json_rpc_and_refuses_foreign_hosts() {
    let app = app();
    let (status, body) = post(
        &app,
        "127.0.0.1:8080",
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-03-26", "capabilities": {},
            "clientInfo": {"name": "test", "version": "1"}}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let init: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(init["result"]["serverInfo"]["name"], "undex", "{init}");
    assert!(
        init["result"]["instructions"]
            .as_str()
            .unwrap()
            .contains("A/79/875-S/2025/248, para. 76")
    );

    let (status, body) = post(
        &app,
        "localhost:8080",
        &json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": "get_paragraph", "arguments": {"citation": "A/79/875-S/2025/248 para 58"}}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let call: Value = serde_json::from_str(&body).expect("json");
    let paragraph = &call["result"]["structuredContent"];
    assert_eq!(paragraph["id"], "A_79_875.en~58", "{call}");
    assert_eq!(paragraph["citation"], "A/79/875-S/2025/248, para. 58");
    assert!(
        paragraph["text"]
            .as_str()
            .unwrap()
            .starts_with("Several initiatives have been launched by Member States")
    );

    // A name that is not loopback (DNS rebinding) is refused before any tool runs.
    let (status, _) = post(
        &app,
        "undex.example.org",
        &json!({"jsonrpc": "2.0", "id": 3, "method": "tools/list"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// `export_citations` refuses what it cannot answer as a tool error the model reads (DOCX, a
/// binary format; more than 500 ids; an id longer than 2,000 bytes), and exports real ids.
#[tokio::test]
async fn export_citations_refuses_as_tool_errors_and_exports_ids() {
    let app = app();
    let call = |id: u32, arguments: Value| {
        json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {
            "name": "export_citations", "arguments": arguments}})
    };
    let text_of = |body: &str| -> (bool, String) {
        let v: Value = serde_json::from_str(body).expect("json");
        let result = &v["result"];
        (
            result["isError"].as_bool().unwrap_or(false),
            result["content"][0]["text"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    };
    let refusals = [
        (
            json!({"ids": ["A_79_875.en~58"], "format": "docx"}),
            "binary format",
        ),
        (
            json!({"ids": vec!["A_79_875.en~58"; 501]}),
            "501 ids given; at most 500",
        ),
        (json!({"ids": ["x".repeat(2_001)]}), "at most 2000"),
    ];
    for (i, (arguments, says)) in refusals.into_iter().enumerate() {
        let (status, body) = post(&app, "localhost", &call(10 + i as u32, arguments)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (is_error, text) = text_of(&body);
        assert!(is_error, "{body}");
        assert!(text.contains(says), "{text}");
    }
    let (status, body) = post(
        &app,
        "localhost",
        &call(
            20,
            json!({"ids": ["A_79_875.en~58", "A_79_875.en~76"], "format": "csv"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (is_error, text) = text_of(&body);
    assert!(!is_error, "{body}");
    assert!(text.contains("A/79/875-S/2025/248, para. 58"), "{text}");
    assert!(text.contains("A/79/875-S/2025/248, para. 76"), "{text}");
}
