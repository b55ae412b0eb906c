//! Helpers shared by the fuzz targets.
//!
//! Each target runs its input on a thread with the stack the code has in production: the web
//! app searches in `spawn_blocking` and the ingest extracts on rayon threads, both 2 MiB by
//! default, while libFuzzer's own thread has 8 MiB. A panic or a stack overflow on that thread
//! aborts the process (libfuzzer-sys installs an aborting panic hook), so libFuzzer records it
//! as a crash like one on its own thread.

/// Stack size of tokio's blocking threads and of rayon's workers (Rust's default, 2 MiB).
pub const PRODUCTION_STACK: usize = 2 * 1024 * 1024;

/// Runs `f` on a fresh thread with a [`PRODUCTION_STACK`] stack and returns its result.
///
/// # Panics
/// When the thread cannot be spawned or `f` panics.
pub fn on_production_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(PRODUCTION_STACK)
            .spawn_scoped(s, f)
            .expect("spawn a fuzz worker thread")
            .join()
            .expect("fuzz worker thread panicked")
    })
}
