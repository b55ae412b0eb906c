//! Scoring of extracted paragraphs against hand labels (`eval-dev/gold-*.jsonl`).
