//! The `undex` binary.
fn main() {}
