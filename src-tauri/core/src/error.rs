//! The core's one error type. Messages are written for a billing person and never carry secrets.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An error as the UI receives it: a stable code, words for a person, and the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ErrorView {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

/// Which external service an error (or an unreadable record) concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Service {
    Marketplace,
    ConnectWise,
}

impl std::fmt::Display for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Service::Marketplace => "the Cloud Marketplace",
            Service::ConnectWise => "ConnectWise",
        })
    }
}

impl Service {
    /// What a person enters to reach it, in words.
    pub fn address(&self) -> &'static str {
        match self {
            Service::Marketplace => "marketplace address",
            Service::ConnectWise => "site address",
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// The service could not be reached at all (DNS, refused, timeout, TLS, dropped connection).
    #[error("Can't reach {service} at {url}: {reason}")]
    Unreachable {
        service: Service,
        url: String,
        reason: String,
    },
    /// The service answered 401/403.
    #[error("{service} refused the credentials: {message}")]
    Unauthorized { service: Service, message: String },
    /// The service answered with an error status.
    #[error("{service} answered {status}: {message}")]
    Api {
        service: Service,
        status: u16,
        message: String,
    },
    /// The service answered something that is not what its API documents.
    #[error("{service} sent a response that could not be read ({what}): {reason}")]
    BadResponse {
        service: Service,
        what: String,
        reason: String,
    },
    /// The service answered 200 with an HTML page (a wrong address, a proxy's sign-in page, a
    /// maintenance page) instead of data.
    #[error("{service} answered with a web page instead of data ({what}): check the {}", service.address())]
    WebPage { service: Service, what: String },
    /// Configuration that cannot work (bad URL, http:// to a remote host, ...).
    #[error("{0}")]
    Config(String),
    /// The local cache could not be used.
    #[error("The local cache could not be used: {0}")]
    Store(String),
    /// The cache file was written by a newer version of the app.
    #[error("The local cache {path} was written by a newer version of Agreement Sync (schema {found}; this version knows up to {supported}). Update the app; the file was left untouched.")]
    SchemaTooNew {
        path: String,
        found: i64,
        supported: i64,
    },
    /// Input that breaks a rule; names the field.
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("{0} was not found")]
    NotFound(String),
    /// The OS keyring could not be used (never carries a secret).
    #[error("{0}")]
    Keyring(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Unreachable { .. } => "unreachable",
            Error::Unauthorized { .. } => "unauthorized",
            Error::Api { .. } => "api",
            Error::BadResponse { .. } => "badResponse",
            Error::WebPage { .. } => "webPage",
            Error::Config(_) => "config",
            Error::Store(_) => "store",
            Error::SchemaTooNew { .. } => "schemaTooNew",
            Error::Invalid { .. } => "invalid",
            Error::NotFound(_) => "notFound",
            Error::Keyring(_) => "keyring",
        }
    }

    /// True when the failure means "no network to that service", i.e. the app is offline.
    pub fn is_offline(&self) -> bool {
        matches!(self, Error::Unreachable { .. })
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Store(e.to_string())
    }
}

impl From<&Error> for ErrorView {
    fn from(e: &Error) -> Self {
        ErrorView {
            code: e.code().to_owned(),
            message: e.to_string(),
            field: match e {
                Error::Invalid { field, .. } => Some(field.clone()),
                _ => None,
            },
        }
    }
}
