//! Logs to stdout and to a daily file (`agreement-sync.<date>.log`) in the app's log folder.
//! Secrets never reach a log: they are `Secret`s, which print `***`.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

/// Keeps the file writer alive for the app's lifetime; dropping it flushes the file.
pub struct Guard(#[allow(dead_code)] pub Option<WorkerGuard>);

/// Starts logging at `RUST_LOG`'s level, or `default_level` (`info` in the app).
pub fn init(dir: &Path, default_level: &str) -> Guard {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let file = std::fs::create_dir_all(dir)
        .ok()
        .and_then(|_| {
            tracing_appender::rolling::Builder::new()
                .rotation(tracing_appender::rolling::Rotation::DAILY)
                .filename_prefix("agreement-sync")
                .filename_suffix("log")
                .max_log_files(14)
                .build(dir)
                .ok()
        })
        .map(tracing_appender::non_blocking);
    let (file_layer, guard) = match file {
        Some((writer, guard)) => (
            Some(fmt::layer().with_ansi(false).with_writer(writer)),
            Some(guard),
        ),
        None => (None, None),
    };
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer())
        .with(file_layer)
        .try_init();
    Guard(guard)
}
