//! What the window talks to: the profiles, and the open profile's session (or why it could not
//! be opened). Switching profile swaps the session, and with it the cache.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use agreement_sync_core::clock::Clock;
use agreement_sync_core::connectwise::ConnectWiseClient;
use agreement_sync_core::credential_store::{OsKeyring, SecretStore};
use agreement_sync_core::error::ErrorField;
use agreement_sync_core::marketplace::MarketplaceClient;
use agreement_sync_core::profiles::{self, Profiles, DEMO_ID, DEMO_NAME};
use agreement_sync_core::saving::Destination;
use agreement_sync_core::schedule::Notice;
use agreement_sync_core::session::{ProfileKind, Session};
use agreement_sync_core::store::Store;
use agreement_sync_core::view::ErrorView;
use agreement_sync_core::{Error, Result};

/// The open profile.
struct Open {
    id: String,
    session: std::result::Result<Arc<Session>, ErrorView>,
    /// Keeps Demo mode's simulator alive with the session.
    _demo: Option<crate::demo::Demo>,
}

pub struct AppState {
    data_dir: PathBuf,
    secrets: Arc<dyn SecretStore>,
    /// The list of profiles, or why it could not be read (then only Demo is open).
    profiles: Mutex<std::result::Result<Profiles, Error>>,
    open: Mutex<Open>,
    /// One change of profiles (switch, save, remove) at a time.
    changing: tokio::sync::Mutex<()>,
    /// Where every session reads "now".
    clock: Clock,
    /// The person's download folder, proposed for saved files (the data folder when there is
    /// none).
    download_dir: Option<PathBuf>,
    /// How a file to save is placed: the save dialog, or straight into a folder.
    saver: Saver,
    /// Shows a desktop notification (the OS's notification service).
    notifier: Notifier,
}

/// Asks the person where to save a file: given the proposed path (a folder and a dated name),
/// the path chosen, or `None` when they cancelled. Blocking: called off the async threads.
pub type SaveDialog = Arc<dyn Fn(PathBuf) -> Option<PathBuf> + Send + Sync>;

/// How a file to save is placed.
#[derive(Clone)]
pub enum Saver {
    /// Straight into the download folder under the proposed name (no dialog).
    DownloadFolder,
    /// Straight into this folder (`AGREEMENT_SYNC_SAVE_DIR`: tests choose it, no dialog).
    Folder(PathBuf),
    /// The save dialog, proposing the download folder.
    Dialog(SaveDialog),
}

/// Shows a notice: `always` for what happened out of sight (a scheduled check); otherwise only
/// when the window is not in front (a sync the person started).
pub type Notifier = Arc<dyn Fn(Notice, bool) + Send + Sync>;

impl AppState {
    /// Opens the profile that was open last (Demo on a fresh install), with the credentials in
    /// the OS keyring.
    pub async fn open(data_dir: PathBuf, clock: Clock) -> AppState {
        Self::open_with_secrets(data_dir, clock, Arc::new(OsKeyring)).await
    }

    /// `open` with the credentials kept in `secrets` (tests keep them in memory).
    pub async fn open_with_secrets(
        data_dir: PathBuf,
        clock: Clock,
        secrets: Arc<dyn SecretStore>,
    ) -> AppState {
        let loaded = Profiles::load(&data_dir);
        if let Err(e) = &loaded {
            tracing::error!("{e}");
        }
        let active = loaded
            .as_ref()
            .map(|p| p.active_id().to_owned())
            .unwrap_or_else(|_| DEMO_ID.to_owned());
        let opened = open_profile(&data_dir, loaded.as_ref().ok(), &secrets, clock, &active).await;
        let open = match opened {
            Ok((session, demo)) => Open {
                id: active,
                session: Ok(session),
                _demo: demo,
            },
            Err(e) => {
                tracing::error!("the profile {active:?} could not be opened: {e}");
                Open {
                    id: active,
                    session: Err(ErrorView::from(&e)),
                    _demo: None,
                }
            }
        };
        AppState {
            data_dir,
            secrets,
            profiles: Mutex::new(loaded),
            open: Mutex::new(open),
            changing: tokio::sync::Mutex::new(()),
            clock,
            download_dir: None,
            saver: Saver::DownloadFolder,
            notifier: Arc::new(|notice: Notice, _| {
                tracing::info!(
                    title = notice.title,
                    body = notice.body,
                    "notice (not shown)"
                )
            }),
        }
    }

    /// Saved files go to `dir` (the person's download folder), if there is one.
    pub fn with_download_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.download_dir = dir;
        self
    }

    /// Saved files are placed by `saver` (the save dialog, or a folder).
    pub fn with_saver(mut self, saver: Saver) -> Self {
        self.saver = saver;
        self
    }

    /// Notices are shown by `notifier`.
    pub fn with_notifier(mut self, notifier: Notifier) -> Self {
        self.notifier = notifier;
        self
    }

    /// The download folder, else the app's data folder.
    pub fn download_dir(&self) -> PathBuf {
        self.download_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.clone())
    }

    /// Where a file proposed as `name` is to be saved: in a folder without asking, or where
    /// the person chose in the save dialog (`None`: they cancelled, nothing is saved).
    pub async fn save_destination(&self, name: &str) -> Result<Option<Destination>> {
        match &self.saver {
            Saver::DownloadFolder => Ok(Some(Destination::Folder(self.download_dir()))),
            Saver::Folder(dir) => Ok(Some(Destination::Folder(dir.clone()))),
            Saver::Dialog(ask) => {
                let ask = ask.clone();
                let proposed = self.download_dir().join(name);
                let chosen = blocking(move || Ok(ask(proposed))).await?;
                match chosen {
                    Some(path) if path.is_dir() => Err(Error::File(format!(
                        "{} is a folder: choose a file name to save to.",
                        path.display()
                    ))),
                    Some(path) => Ok(Some(Destination::File(path))),
                    None => Ok(None),
                }
            }
        }
    }

    /// Shows `notice` (see [`Notifier`]).
    pub fn notify(&self, notice: Notice, always: bool) {
        (self.notifier)(notice, always)
    }

    /// The open profile's session, or the error that kept it from opening (shown in the window).
    pub fn session(&self) -> std::result::Result<Arc<Session>, ErrorView> {
        self.open
            .lock()
            .map_err(|_| ErrorView::from(&Error::Store("the app's state is unusable".into())))?
            .session
            .clone()
    }

    pub fn open_id(&self) -> String {
        self.open
            .lock()
            .map(|o| o.id.clone())
            .unwrap_or_else(|_| DEMO_ID.to_owned())
    }

    pub fn secrets(&self) -> Arc<dyn SecretStore> {
        self.secrets.clone()
    }

    /// A copy of the profile list, or why it cannot be read.
    pub fn profiles(&self) -> Result<Profiles> {
        self.profiles
            .lock()
            .map_err(|_| Error::Store("the list of profiles is unusable".into()))?
            .clone()
    }

    /// Takes the lock for a change of profiles; when the change reaches the open profile
    /// (`affects_open`), refuses while it is checking or syncing.
    pub async fn begin_change(
        &self,
        what: &str,
        affects_open: bool,
    ) -> Result<tokio::sync::MutexGuard<'_, ()>> {
        let guard = self.changing.lock().await;
        if let Some(session) = self.session().ok().filter(|_| affects_open) {
            if let Some(busy) = session.busy() {
                return Err(Error::invalid(
                    ErrorField::Profile,
                    format!("Can't {what} while {busy}; wait for it to finish."),
                ));
            }
        }
        Ok(guard)
    }

    /// Applies `change` to the profile list (blocking work: files and the keyring) and keeps
    /// the result. Hold `begin_change`'s guard while calling.
    pub async fn change_profiles<T: Send + 'static>(
        &self,
        change: impl FnOnce(&mut Profiles, &dyn SecretStore) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let mut profiles = self.profiles()?;
        let secrets = self.secrets.clone();
        let (profiles, value) = blocking(move || {
            let value = change(&mut profiles, secrets.as_ref())?;
            Ok((profiles, value))
        })
        .await?;
        *self
            .profiles
            .lock()
            .map_err(|_| Error::Store("the list of profiles is unusable".into()))? = Ok(profiles);
        Ok(value)
    }

    /// Opens profile `id` in place of the open one (also when it is the same one: to pick up
    /// new settings). If it cannot be opened, the open profile stays open. Hold `begin_change`'s
    /// guard while calling.
    pub async fn switch_to(&self, id: &str) -> Result<Arc<Session>> {
        let profiles = self.profiles();
        if id != DEMO_ID {
            profiles.as_ref().map_err(Clone::clone)?.get(id)?;
        }
        let (session, demo) = open_profile(
            &self.data_dir,
            profiles.as_ref().ok(),
            &self.secrets,
            self.clock,
            id,
        )
        .await
        .inspect_err(|e| tracing::error!("the profile {id:?} could not be opened: {e}"))?;
        let previous = std::mem::replace(
            &mut *self
                .open
                .lock()
                .map_err(|_| Error::Store("the app's state is unusable".into()))?,
            Open {
                id: id.to_owned(),
                session: Ok(session.clone()),
                _demo: demo,
            },
        );
        // The previous session closes (and Demo's simulator stops) once no command holds it.
        drop(previous);
        if let Ok(mut guard) = self.profiles.lock() {
            if let Ok(list) = guard.as_mut() {
                if let Err(e) = list.set_active(id) {
                    tracing::warn!("the open profile could not be remembered: {e}");
                }
            }
        }
        tracing::info!(profile = id, "profile opened");
        Ok(session)
    }

    /// Makes Demo's simulator answer each request `latency` late (when Demo is open), so a test
    /// can catch a command while it runs.
    #[cfg(test)]
    pub fn set_demo_latency(&self, latency: std::time::Duration) {
        if let Ok(open) = self.open.lock() {
            if let Some(sim) = open._demo.as_ref().and_then(|d| d.sim.as_ref()) {
                sim.set_latency(latency);
            }
        }
    }
}

/// Runs blocking work (SQLite, the keyring) off the async threads.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Store(format!("a background task failed: {e}")))?
}

async fn open_profile(
    data_dir: &std::path::Path,
    profiles: Option<&Profiles>,
    secrets: &Arc<dyn SecretStore>,
    clock: Clock,
    id: &str,
) -> Result<(Arc<Session>, Option<crate::demo::Demo>)> {
    if id == DEMO_ID {
        let (session, demo) = open_demo(data_dir, clock).await?;
        return Ok((Arc::new(session), Some(demo)));
    }
    let profiles = profiles
        .ok_or_else(|| Error::Config("the list of profiles could not be read".into()))?
        .clone();
    let secrets = secrets.clone();
    let owned = id.to_owned();
    let session = blocking(move || profiles::open_session(&profiles, &owned, secrets.as_ref()))
        .await?
        .with_clock(clock);
    Ok((Arc::new(session), None))
}

async fn open_demo(
    data_dir: &std::path::Path,
    clock: Clock,
) -> Result<(Session, crate::demo::Demo)> {
    let store = Store::open(&profiles::cache_path(data_dir, DEMO_ID))?;
    let demo = crate::demo::start(&store, &clock).await?;
    let session = Session::new(
        DEMO_NAME,
        ProfileKind::Demo,
        data_dir.display().to_string(),
        store,
        MarketplaceClient::new(&demo.marketplace)?,
        ConnectWiseClient::new(&demo.connectwise)?,
    )
    .with_clock(clock);
    Ok((session, demo))
}
