//! ConnectWise is the shared ledger (SPEC §15): every addition the app creates carries a key
//! naming its source — the order (or reconcile fix), the subscription, the product and the row's
//! role — identical on every desk, so any desk recognises what any desk wrote. This module is the
//! one place that says what a key is, where it goes and how it is read back. Pure.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::connectwise::wire::{Addition, CustomField, CustomFieldValue};

/// Every key starts with this (the format's version is its digit).
pub const PREFIX: &str = "AS1:";
/// ConnectWise's limit on `serialNumber`.
pub const SERIAL_NUMBER_MAX: usize = 50;

/// What a created addition is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// The ongoing addition of a product.
    Recurring,
    /// The one-time prorate of a change (SPEC §5).
    Prorate,
    /// A usage charge (billing order).
    Usage,
    /// A one-time fee (a cancellation fee).
    Fee,
    /// A setup fee of a new subscription.
    Setup,
    /// A one-time catch-up for periods already invoiced (SPEC §16).
    CatchUp,
    /// A one-time credit (SPEC §16).
    Credit,
}

impl Role {
    const ALL: [Role; 7] = [
        Role::Recurring,
        Role::Prorate,
        Role::Usage,
        Role::Fee,
        Role::Setup,
        Role::CatchUp,
        Role::Credit,
    ];

    fn code(self) -> char {
        match self {
            Role::Recurring => 'R',
            Role::Prorate => 'P',
            Role::Usage => 'U',
            Role::Fee => 'F',
            Role::Setup => 'S',
            Role::CatchUp => 'C',
            Role::Credit => 'K',
        }
    }

    fn from_code(c: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| c.len() == 1 && c.starts_with(r.code()))
    }

    /// In words, for "written for …": "the prorate".
    pub fn words(self) -> &'static str {
        match self {
            Role::Recurring => "the recurring addition",
            Role::Prorate => "the prorate",
            Role::Usage => "the usage charge",
            Role::Fee => "the fee",
            Role::Setup => "the setup fee",
            Role::CatchUp => "the catch-up",
            Role::Credit => "the credit",
        }
    }
}

/// FNV-1a (64 bits): a short, stable digest for a part too long to keep whole; the same on every
/// desk and every version.
fn digest(text: &str) -> String {
    format!("#{:016x}", crate::data_lock::fnv1a_64(text.as_bytes()))
}

/// The key of an addition created for `role` of `product` (its MPN) on `subscription`, for
/// `source` (an order id, or a reconcile fix's): `AS1:9000555:5000123:MS-365-BP:P`. It fits
/// `serialNumber`: a product too long is replaced by its digest, and a key still too long is
/// the digest of the whole.
pub fn key(source: &str, subscription: &str, product: &str, role: Role) -> String {
    let clean = |s: &str| s.trim().replace(':', ".");
    let (source, subscription) = (clean(source), clean(subscription));
    let make = |product: &str| format!("{PREFIX}{source}:{subscription}:{product}:{}", role.code());
    let whole = make(product.trim());
    if whole.chars().count() <= SERIAL_NUMBER_MAX {
        return whole;
    }
    let short = make(&digest(product.trim()));
    if short.chars().count() <= SERIAL_NUMBER_MAX {
        return short;
    }
    format!("{PREFIX}{}::{}:{}", digest(&whole), digest(""), role.code())
}

/// What a key names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyParts {
    /// The order id (or `FIX-n`); a digest when the key was too long to keep it.
    pub source: String,
    pub subscription: String,
    pub product: String,
    pub role: Role,
}

/// Reads a key; anything else (another integration's mark, a person's note) is `None`.
pub fn parse(text: &str) -> Option<KeyParts> {
    let rest = text.strip_prefix(PREFIX)?;
    let (rest, role) = rest.rsplit_once(':')?;
    let role = Role::from_code(role)?;
    let (source, rest) = rest.split_once(':')?;
    let (subscription, product) = rest.split_once(':')?;
    if source.is_empty() || product.is_empty() {
        return None;
    }
    Some(KeyParts {
        source: source.to_owned(),
        subscription: subscription.to_owned(),
        product: product.to_owned(),
        role,
    })
}

/// The app's key an addition carries, from any desk: in `serialNumber`, or in any custom field
/// (a desk may name one this desk does not). A value that is not a key is never taken for one.
pub fn key_of(a: &Addition) -> Option<&str> {
    let serial = a.serial_number.as_deref().map(str::trim);
    serial
        .into_iter()
        .chain(a.custom_fields.iter().filter_map(|f| f.value.as_deref()))
        .find(|v| parse(v).is_some())
}

/// Whether two keys name the same recurring line: the ongoing addition of one product of one
/// subscription, whichever order wrote it. Two orders of one subscription planned on two desks at
/// once may each write the line (a change in place on one desk, a new addition on the other);
/// with the same start, quantity and price it is one line, billed once.
pub fn same_line(a: &str, b: &str) -> bool {
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => {
            x.role == Role::Recurring
                && y.role == Role::Recurring
                && x.subscription == y.subscription
                && x.product == y.product
        }
        _ => false,
    }
}

/// Whether `a` is an addition the app created for `source` on `subscription` (any desk).
pub fn is_of(a: &Addition, source: &str, subscription: &str) -> bool {
    key_of(a).and_then(parse).is_some_and(|k| {
        k.source == source.trim().replace(':', ".")
            && k.subscription == subscription.trim().replace(':', ".")
    })
}

/// Where this desk writes its keys.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum KeyPlace {
    /// `serialNumber` (50 characters).
    #[default]
    SerialNumber,
    /// An addition custom field of type Text.
    CustomField { id: i64, caption: String },
}

impl KeyPlace {
    /// The key as it goes in a new addition's body: `(serialNumber, customFields)`.
    pub fn fields(&self, key: &str) -> (Option<String>, Vec<CustomFieldValue>) {
        match self {
            KeyPlace::SerialNumber => (Some(key.to_owned()), Vec::new()),
            KeyPlace::CustomField { id, .. } => (
                None,
                vec![CustomFieldValue {
                    id: *id,
                    value: key.to_owned(),
                }],
            ),
        }
    }
}

/// What ConnectWise says of the addition custom field a profile names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldCheck {
    /// No field is named: keys go in `serialNumber`.
    NotNamed,
    /// The field exists and is Text: keys go there.
    Found { id: i64, caption: String },
    /// The field exists but is of another type.
    NotText { caption: String, kind: String },
    /// No addition read shows such a field.
    NotFound { caption: String },
    /// No addition could be read, so the field could not be looked for.
    NoAdditions { caption: String },
}

/// Looks for the field named `caption` (case and outer spaces ignored) among the custom fields
/// additions carry (ConnectWise lists every defined field on every record, empty or not).
pub fn check_field<'a>(
    named: Option<&str>,
    additions: impl IntoIterator<Item = &'a Addition>,
) -> FieldCheck {
    let Some(caption) = named.map(str::trim).filter(|c| !c.is_empty()) else {
        return FieldCheck::NotNamed;
    };
    let mut any = false;
    let mut found: Option<&CustomField> = None;
    for a in additions {
        any = true;
        if let Some(f) = a
            .custom_fields
            .iter()
            .find(|f| f.caption.trim().eq_ignore_ascii_case(caption))
        {
            found = Some(f);
            break;
        }
    }
    match found {
        Some(f) if f.kind.eq_ignore_ascii_case("text") => FieldCheck::Found {
            id: f.id,
            caption: f.caption.clone(),
        },
        Some(f) => FieldCheck::NotText {
            caption: f.caption.clone(),
            kind: f.kind.clone(),
        },
        None if any => FieldCheck::NotFound {
            caption: caption.to_owned(),
        },
        None => FieldCheck::NoAdditions {
            caption: caption.to_owned(),
        },
    }
}

impl FieldCheck {
    /// Where keys go, given this check.
    pub fn place(&self) -> KeyPlace {
        match self {
            FieldCheck::Found { id, caption } => KeyPlace::CustomField {
                id: *id,
                caption: caption.clone(),
            },
            _ => KeyPlace::SerialNumber,
        }
    }

    /// In words, for Connections.
    pub fn words(&self) -> String {
        const SERIAL: &str = "Agreement Sync keys go in each addition's Serial Number (an invoice template that prints serial numbers would show them; name an addition custom field of type Text to keep them off invoices).";
        match self {
            FieldCheck::NotNamed => SERIAL.to_owned(),
            FieldCheck::Found { caption, .. } => format!(
                "The addition custom field “{caption}” exists and is Text: Agreement Sync keys go there."
            ),
            FieldCheck::NotText { caption, kind } => format!(
                "The addition custom field “{caption}” is of type {kind}, not Text, so Serial Number will be used instead. {SERIAL}"
            ),
            FieldCheck::NotFound { caption } => format!(
                "ConnectWise has no addition custom field “{caption}”, so Serial Number will be used instead. Add it under System › Setup Tables › Custom Fields (screen: Agreement Additions, type Text). {SERIAL}"
            ),
            FieldCheck::NoAdditions { caption } => format!(
                "No agreement addition could be read to look for the custom field “{caption}”; until one is, Serial Number is used. {SERIAL}"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_back_and_fit_a_serial_number() {
        let k = key("9000555", "5000123", "MS-365-BP", Role::Prorate);
        assert_eq!(k, "AS1:9000555:5000123:MS-365-BP:P");
        let parts = parse(&k).unwrap();
        assert_eq!(parts.source, "9000555");
        assert_eq!(parts.subscription, "5000123");
        assert_eq!(parts.product, "MS-365-BP");
        assert_eq!(parts.role, Role::Prorate);
        // A product with colons (Microsoft's NCE ids) reads back whole.
        let nce = key("9000555", "5000123", "CFQ7TTC0LH18:0001", Role::Recurring);
        assert_eq!(parse(&nce).unwrap().product, "CFQ7TTC0LH18:0001");
        // Too long: the product becomes a digest, the same every time.
        let long = key("9000555", "5000123", &"X".repeat(60), Role::Usage);
        assert!(long.chars().count() <= SERIAL_NUMBER_MAX, "{long}");
        assert_eq!(
            long,
            key("9000555", "5000123", &"X".repeat(60), Role::Usage)
        );
        assert_eq!(parse(&long).unwrap().source, "9000555");
        let huge = key(&"9".repeat(40), &"5".repeat(40), "P", Role::Fee);
        assert!(huge.chars().count() <= SERIAL_NUMBER_MAX, "{huge}");
        assert_eq!(parse(&huge).unwrap().role, Role::Fee);
        for role in Role::ALL {
            assert_eq!(parse(&key("1", "2", "P", role)).unwrap().role, role);
        }
    }

    #[test]
    fn marks_of_others_are_never_keys() {
        for text in [
            "",
            "Cloudconsole",
            "AS1:",
            "AS1:9000555",
            "AS1:9000555:5000123:MS:X",
            "as1:9000555:5000123:MS:P",
            "Renewed by hand — see ticket 4411",
            "AS1::5000123:MS:P",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
