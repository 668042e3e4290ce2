use clap::{Parser, Subcommand};
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

/// glibc's malloc keeps every password hash's 19 MiB work area in per-thread arenas (about 3 GB of
/// resident memory after a burst of sign-ups, measured by `.ci/bench-live.sh`); mimalloc gives
/// large blocks back to the system.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use tracing_subscriber::EnvFilter;

/// The Troika marketplace server. Configuration comes from the environment (see the README).
#[derive(Parser)]
#[command(name = "server", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the marketplace (what runs without a command).
    Serve,
    /// Create an administrator account in the database named by DATABASE_URL. The password is
    /// read from standard input (asked twice, without echo, at a terminal), never from the command line.
    CreateAdmin {
        /// The administrator's e-mail address (they sign in with it).
        #[arg(long)]
        email: String,
        /// The name other people see.
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn")))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve().await.map_err(|e| format!("Troika failed to start: {e}")),
        Command::CreateAdmin { email, name } => create_admin(email, name).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "{e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> Result<(), server::BoxError> {
    let config = server::Config::from_env()?;
    // Site root, pkg dir and output name come from cargo-leptos (its env vars or the values it
    // compiled in); the listening address from our own configuration.
    let mut options = leptos::config::get_configuration(None)?.leptos_options;
    options.site_addr = config.addr;
    // A release build hashes its file names and lists the hashes beside this binary: serve those
    // names whenever the list is there (cargo-leptos sets LEPTOS_HASH_FILES only when it runs the
    // server itself), and never without it (Leptos panics rendering a page with hashing on and no
    // list).
    options.hash_files = app::backend::web::assets::hash_list(&options).is_some();
    let state = server::prepare_state(&config, options).await?;
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let jobs = (config.jobs_every_secs > 0).then(|| std::time::Duration::from_secs(config.jobs_every_secs));
    let running = server::start(listener, state, jobs).await?;
    shutdown_signal().await;
    tracing::info!("shutting down: finishing requests in flight");
    running.stop().await
}

/// Reads the new admin's password: at a terminal, twice and without echo; from a pipe, its first line.
fn read_password() -> Result<String, String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let mut err = std::io::stderr();
        let _ = write!(err, "Password for the new administrator: ");
        let _ = err.flush();
        let first = rpassword::read_password().map_err(|e| format!("could not read the password: {e}"))?;
        let _ = write!(err, "The same password again: ");
        let _ = err.flush();
        let again = rpassword::read_password().map_err(|e| format!("could not read the password: {e}"))?;
        if first != again {
            return Err("The two passwords differ: nothing was created.".into());
        }
        Ok(first)
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line).map_err(|e| format!("could not read the password from standard input: {e}"))?;
        Ok(line.trim_end_matches(['\n', '\r']).to_string())
    }
}

async fn create_admin(email: String, name: String) -> Result<(), String> {
    use app::domain::user::{NewAccount, SignUpInput};
    let password = read_password()?;
    let account = NewAccount::try_from(SignUpInput { email, display_name: name, password: password.clone(), password_confirm: password })
        .map_err(|e| match e {
            app::error::AppError::Invalid { fields, .. } => {
                let lines: Vec<String> = fields.iter().map(|(field, message)| format!("{field}: {message}")).collect();
                format!("Nothing was created:\n{}", lines.join("\n"))
            }
            other => other.to_string(),
        })?;
    let config = server::Config::from_env()?;
    let db = app::backend::db::Db::connect(&config.database_url, 2).await.map_err(|e| format!("cannot open the database: {e}"))?;
    db.migrate().await.map_err(|e| format!("cannot migrate the database: {e}"))?;
    let passwords = app::backend::passwords::Passwords::new(1, 0);
    let admin = app::backend::services::accounts::create_admin(&db, &passwords, account, app::backend::clock::now_ms())
        .await
        .map_err(|e| format!("Nothing was created: {e}"))?;
    db.pool.close().await;
    let _ = writeln!(std::io::stdout(), "Created administrator #{} <{}>. Sign in with this e-mail and the password you gave.", admin.id, admin.email);
    Ok(())
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
