//! The core's one error type. Messages are written for a billing person and never carry secrets.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An error as the UI receives it: a stable code, words for a person, and the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ErrorView {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<ErrorField>,
}

/// What kind of error it is, for the window to decide on (never its words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorCode {
    Unreachable,
    Unauthorized,
    Api,
    BadResponse,
    WebPage,
    Config,
    Store,
    SchemaTooNew,
    Invalid,
    NotFound,
    Keyring,
    File,
    /// What the window calls a failure that did not come from here (never sent by the core).
    Unexpected,
}

impl ErrorCode {
    /// Every code (the window checks an answer against them).
    pub const ALL: [ErrorCode; 13] = [
        ErrorCode::Unreachable,
        ErrorCode::Unauthorized,
        ErrorCode::Api,
        ErrorCode::BadResponse,
        ErrorCode::WebPage,
        ErrorCode::Config,
        ErrorCode::Store,
        ErrorCode::SchemaTooNew,
        ErrorCode::Invalid,
        ErrorCode::NotFound,
        ErrorCode::Keyring,
        ErrorCode::File,
        ErrorCode::Unexpected,
    ];
}

/// The field an error is about: the window marks it, or goes to it. The review's own fields
/// ([`ReviewField`]) are among them, under their own names: this type widens the review's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorField {
    // What a wizard edit names besides.
    CatalogItem,
    RowKey,
    Value,
    // The task list, the board and Reconcile.
    Search,
    Limit,
    Selection,
    TaskIds,
    Batch,
    Status,
    Reason,
    Fix,
    // Work that takes a turn.
    CheckChanges,
    Reconcile,
    Sync,
    FirstCheckDays,
    CheckEvery,
    // A profile and its connections.
    Id,
    Name,
    Profile,
    Site,
    CompanyId,
    ClientId,
    Codebase,
    AdditionKeyField,
    CatalogCurrency,
    PublicKey,
    PrivateKey,
    CodeOrUrl,
    Username,
    Password,
    SubscriptionKey,
    /// A field of the review, under its own name.
    #[serde(untagged)]
    #[ts(untagged)]
    Review(ReviewField),
}

impl ErrorField {
    /// Every field but the review's (see [`ReviewField::ALL`]).
    pub const ALL: [ErrorField; 31] = [
        ErrorField::CatalogItem,
        ErrorField::RowKey,
        ErrorField::Value,
        ErrorField::Search,
        ErrorField::Limit,
        ErrorField::Selection,
        ErrorField::TaskIds,
        ErrorField::Batch,
        ErrorField::Status,
        ErrorField::Reason,
        ErrorField::Fix,
        ErrorField::CheckChanges,
        ErrorField::Reconcile,
        ErrorField::Sync,
        ErrorField::FirstCheckDays,
        ErrorField::CheckEvery,
        ErrorField::Id,
        ErrorField::Name,
        ErrorField::Profile,
        ErrorField::Site,
        ErrorField::CompanyId,
        ErrorField::ClientId,
        ErrorField::Codebase,
        ErrorField::AdditionKeyField,
        ErrorField::CatalogCurrency,
        ErrorField::PublicKey,
        ErrorField::PrivateKey,
        ErrorField::CodeOrUrl,
        ErrorField::Username,
        ErrorField::Password,
        ErrorField::SubscriptionKey,
    ];

    /// Its name as the window knows it: `effectiveDate`.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
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
    /// The service answered 401 (the credentials) or 403 (a permission), as `status`.
    #[error("{service} refused {}: {message}", refused_what(*.status))]
    Unauthorized {
        service: Service,
        status: u16,
        message: String,
    },
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
    Invalid { field: ErrorField, message: String },
    #[error("{0} was not found")]
    NotFound(String),
    /// The OS keyring could not be used (never carries a secret).
    #[error("{0}")]
    Keyring(String),
    /// A file could not be written or read (an export): which, and why, in words.
    #[error("{0}")]
    File(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(field: impl Into<ErrorField>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A stable code for the UI.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Unreachable { .. } => ErrorCode::Unreachable,
            Error::Unauthorized { .. } => ErrorCode::Unauthorized,
            Error::Api { .. } => ErrorCode::Api,
            Error::BadResponse { .. } => ErrorCode::BadResponse,
            Error::WebPage { .. } => ErrorCode::WebPage,
            Error::Config(_) => ErrorCode::Config,
            Error::Store(_) => ErrorCode::Store,
            Error::SchemaTooNew { .. } => ErrorCode::SchemaTooNew,
            Error::Invalid { .. } => ErrorCode::Invalid,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Keyring(_) => ErrorCode::Keyring,
            Error::File(_) => ErrorCode::File,
        }
    }

    /// The field it is about, if it names one.
    pub fn field(&self) -> Option<ErrorField> {
        match self {
            Error::Invalid { field, .. } => Some(*field),
            _ => None,
        }
    }

    /// True when the failure means "no network to that service", i.e. the app is offline.
    pub fn is_offline(&self) -> bool {
        matches!(self, Error::Unreachable { .. })
    }
}

/// What a 401 or a 403 refused, in words.
fn refused_what(status: u16) -> &'static str {
    if status == 403 {
        "a permission"
    } else {
        "the credentials"
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
            code: e.code(),
            message: e.to_string(),
            field: e.field(),
        }
    }
}

impl From<Error> for ErrorView {
    fn from(e: Error) -> Self {
        ErrorView::from(&e)
    }
}

/// A field of a task's review that a refusal or a problem is about (the window goes to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ReviewField {
    /// The customer's ConnectWise company.
    Company,
    Agreement,
    /// A marketplace product's catalog item.
    Product,
    /// The existing addition a product's change applies to.
    Addition,
    /// The task's saved edits as a whole.
    Draft,
    EffectiveDate,
    CancelDate,
    Description,
    SerialNumber,
    Quantity,
    UnitPrice,
    UnitCost,
    BillCustomer,
    Taxable,
    PriceSource,
    /// An amount the plan computed (a sum that does not fit, say).
    Amount,
    /// The subscription's billing period.
    BillingPeriod,
}

impl ReviewField {
    /// Every field of the review.
    pub const ALL: [ReviewField; 17] = [
        ReviewField::Company,
        ReviewField::Agreement,
        ReviewField::Product,
        ReviewField::Addition,
        ReviewField::Draft,
        ReviewField::EffectiveDate,
        ReviewField::CancelDate,
        ReviewField::Description,
        ReviewField::SerialNumber,
        ReviewField::Quantity,
        ReviewField::UnitPrice,
        ReviewField::UnitCost,
        ReviewField::BillCustomer,
        ReviewField::Taxable,
        ReviewField::PriceSource,
        ReviewField::Amount,
        ReviewField::BillingPeriod,
    ];

    /// The field's name in a sentence ("Taxable must be true or false").
    pub fn label(self) -> &'static str {
        match self {
            ReviewField::Company => "Company",
            ReviewField::Agreement => "Agreement",
            ReviewField::Product => "Product",
            ReviewField::Addition => "Addition",
            ReviewField::Draft => "Saved edits",
            ReviewField::EffectiveDate => "Effective date",
            ReviewField::CancelDate => "Cancel date",
            ReviewField::Description => "Description",
            ReviewField::SerialNumber => "Serial number",
            ReviewField::Quantity => "Quantity",
            ReviewField::UnitPrice => "Unit price",
            ReviewField::UnitCost => "Unit cost",
            ReviewField::BillCustomer => "Billable",
            ReviewField::Taxable => "Taxable",
            ReviewField::PriceSource => "Price source",
            ReviewField::Amount => "Amount",
            ReviewField::BillingPeriod => "Billing period",
        }
    }
}

impl From<ReviewField> for ErrorField {
    fn from(f: ReviewField) -> Self {
        ErrorField::Review(f)
    }
}
