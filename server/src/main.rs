use std::process::ExitCode;

/// glibc's malloc keeps every password hash's 19 MiB work area in per-thread arenas (about 3 GB of
/// resident memory after a burst of sign-ups, measured by `.ci/bench-live.sh`); mimalloc gives
/// large blocks back to the system.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn")))
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("Troika failed to start: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), server::BoxError> {
    let config = server::Config::from_env()?;
    // Site root, pkg dir and output name come from cargo-leptos (its env vars or the values it
    // compiled in); the listening address from our own configuration.
    let mut options = leptos::config::get_configuration(None)?.leptos_options;
    options.site_addr = config.addr;
    let state = server::prepare_state(&config, options).await?;
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let jobs = (config.jobs_every_secs > 0).then(|| std::time::Duration::from_secs(config.jobs_every_secs));
    let running = server::start(listener, state, jobs).await?;
    shutdown_signal().await;
    tracing::info!("shutting down: finishing requests in flight");
    running.stop().await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
