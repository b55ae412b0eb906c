//! undex-crawl (placeholder, being built).
