//! undex-web (placeholder, being built).
