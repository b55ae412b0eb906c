//! undex-index (placeholder, being built).
