//! undex-tag (placeholder, being built).
