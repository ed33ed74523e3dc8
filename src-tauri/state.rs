//! What the window talks to: the open profile's session, or why it could not be opened.

use std::path::PathBuf;

use agreement_sync_core::connectwise::ConnectWiseClient;
use agreement_sync_core::marketplace::MarketplaceClient;
use agreement_sync_core::session::Session;
use agreement_sync_core::store::Store;
use agreement_sync_core::view::ErrorView;
use agreement_sync_core::Result;

pub struct AppState {
    session: std::result::Result<Session, ErrorView>,
    /// Keeps Demo mode's simulator alive with the session.
    _demo: Option<crate::demo::Demo>,
}

impl AppState {
    /// Opens the Demo profile (real profiles come with the Connections screen).
    pub async fn open(data_dir: PathBuf) -> AppState {
        match open_demo(&data_dir).await {
            Ok((session, demo)) => AppState {
                session: Ok(session),
                _demo: Some(demo),
            },
            Err(e) => {
                tracing::error!("the Demo profile could not be opened: {e}");
                AppState {
                    session: Err(ErrorView::from(&e)),
                    _demo: None,
                }
            }
        }
    }

    /// The session, or the error that kept it from opening (shown in the window).
    pub fn session(&self) -> std::result::Result<&Session, ErrorView> {
        self.session.as_ref().map_err(Clone::clone)
    }
}

async fn open_demo(data_dir: &std::path::Path) -> Result<(Session, crate::demo::Demo)> {
    let store = Store::open(&data_dir.join("profiles").join("demo").join("cache.sqlite"))?;
    let demo = crate::demo::start(&store).await?;
    let session = Session::new(
        "Demo",
        true,
        data_dir.display().to_string(),
        store,
        MarketplaceClient::new(&demo.marketplace)?,
        ConnectWiseClient::new(&demo.connectwise)?,
    );
    Ok((session, demo))
}
