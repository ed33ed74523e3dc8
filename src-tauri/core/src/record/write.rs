//! One write of a plan, as the sync journal keeps it (SPEC §7): what a planned row does, and
//! everything needed to send the write and to recognise it afterwards.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a planned row does to the agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Action {
    /// A new addition.
    Add,
    /// An existing addition gets a cancel date.
    Cancel,
    /// An existing addition is changed in place (quantity, price).
    Change,
    /// A one-time addition for the rest of the current period.
    Prorate,
    /// An existing addition this task leaves as it is (shown, never written).
    Unchanged,
    /// An existing addition is removed (`DELETE`): only an undo does this, and only to an
    /// addition its sync created that is not invoiced and unchanged since (SPEC §17).
    Remove,
}

/// Where a row's prices come from (SPEC §2.4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum PriceSource {
    /// The order's and subscription's prices.
    #[default]
    CloudMarketplace,
    /// The existing addition's price, else the catalog item's price and cost.
    ConnectWise,
}

/// ConnectWise `billCustomer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum BillCustomer {
    #[default]
    Billable,
    DoNotBill,
    NoCharge,
}

/// What writing a planned row does in ConnectWise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum WriteAction {
    /// A new addition (`POST`): an Add, a prorate, a fee.
    CreateAddition,
    /// An existing addition's cancel date (`PATCH`).
    SetCancelDate,
    /// An existing addition changed in place (`PATCH`).
    ChangeAddition,
    /// An existing addition removed (`DELETE`), by an undo.
    RemoveAddition,
}

impl WriteAction {
    /// What writing a row of this action does, or `None` for a row left as it is.
    pub fn of(action: Action) -> Option<WriteAction> {
        match action {
            Action::Add | Action::Prorate => Some(WriteAction::CreateAddition),
            Action::Cancel => Some(WriteAction::SetCancelDate),
            Action::Change => Some(WriteAction::ChangeAddition),
            Action::Remove => Some(WriteAction::RemoveAddition),
            Action::Unchanged => None,
        }
    }

    /// In words: "Create addition".
    pub fn label(self) -> &'static str {
        match self {
            WriteAction::CreateAddition => "Create addition",
            WriteAction::SetCancelDate => "Set cancel date",
            WriteAction::ChangeAddition => "Change addition",
            WriteAction::RemoveAddition => "Remove addition",
        }
    }
}

impl BillCustomer {
    /// The ConnectWise name: `Billable`, `DoNotBill`, `NoCharge`.
    pub fn as_str(self) -> &'static str {
        match self {
            BillCustomer::Billable => "Billable",
            BillCustomer::DoNotBill => "DoNotBill",
            BillCustomer::NoCharge => "NoCharge",
        }
    }

    pub fn parse(s: &str) -> Option<BillCustomer> {
        BillCustomer::ALL.into_iter().find(|b| b.as_str() == s)
    }

    /// Every value, in its order on screen.
    pub const ALL: [BillCustomer; 3] = [
        BillCustomer::Billable,
        BillCustomer::DoNotBill,
        BillCustomer::NoCharge,
    ];

    /// In words: "Do not bill".
    pub fn label(self) -> &'static str {
        match self {
            BillCustomer::Billable => "Billable",
            BillCustomer::DoNotBill => "Do not bill",
            BillCustomer::NoCharge => "No charge",
        }
    }
}

/// What kind of request a write is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WriteKind {
    /// `POST …/additions`.
    Create,
    /// `PATCH …/additions/{id}`.
    Patch,
    /// `DELETE …/additions/{id}` (an undo).
    Delete,
}

/// A field a patch sets, by its ConnectWise name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Field {
    Quantity,
    UnitPrice,
    UnitCost,
    BillCustomer,
    EffectiveDate,
    CancelledDate,
    TaxableFlag,
    InvoiceDescription,
}

impl Field {
    /// Its ConnectWise name, as a patch names it.
    pub fn path(self) -> &'static str {
        match self {
            Field::Quantity => "quantity",
            Field::UnitPrice => "unitPrice",
            Field::UnitCost => "unitCost",
            Field::BillCustomer => "billCustomer",
            Field::EffectiveDate => "effectiveDate",
            Field::CancelledDate => "cancelledDate",
            Field::TaxableFlag => "taxableFlag",
            Field::InvoiceDescription => "invoiceDescription",
        }
    }

    pub const ALL: [Field; 8] = [
        Field::Quantity,
        Field::UnitPrice,
        Field::UnitCost,
        Field::BillCustomer,
        Field::EffectiveDate,
        Field::CancelledDate,
        Field::TaxableFlag,
        Field::InvoiceDescription,
    ];
}

/// Everything needed to send one write and to recognise it afterwards. Journaled as JSON before
/// the write is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WriteSpec {
    pub kind: WriteKind,
    pub action: Action,
    pub row_key: String,
    /// The existing addition a patch changes.
    pub addition_id: Option<i64>,
    pub product_id: i64,
    pub product_name: String,
    pub bill_customer: BillCustomer,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub unit_cost: Decimal,
    pub effective_date: NaiveDate,
    pub cancel_date: Option<NaiveDate>,
    pub taxable: bool,
    pub invoice_description: String,
    /// The fields a patch sets (those that differ from the addition as reviewed).
    #[serde(default)]
    pub fields: Vec<Field>,
    /// The key a create writes with its addition (SPEC §15); `None` for a patch, and in syncs
    /// journaled before keys.
    #[serde(default)]
    pub key: Option<String>,
    /// The addition that showed, before this sync, that the write was already in ConnectWise
    /// (written from some desk): journaled as evidence, never sent.
    #[serde(default)]
    pub already: Option<i64>,
    /// For people: what the write does, in words, and its extended amount.
    #[serde(deserialize_with = "write_action")]
    pub label: WriteAction,
    pub description: String,
    pub amount: String,
}

/// A write's action as journaled: its name, or the words earlier versions kept ("Create
/// addition"), so a sync journaled before still finishes.
fn write_action<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<WriteAction, D::Error> {
    let text = String::deserialize(d)?;
    [
        WriteAction::CreateAddition,
        WriteAction::SetCancelDate,
        WriteAction::ChangeAddition,
        WriteAction::RemoveAddition,
    ]
    .into_iter()
    .find(|a| {
        a.label() == text
            || serde_json::to_value(a).is_ok_and(|v| v.as_str() == Some(text.as_str()))
    })
    .ok_or_else(|| serde::de::Error::custom(format!("unknown write {text:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journaled_writes_read_their_action_by_name_or_by_earlier_words() {
        use serde_json::Value;
        let read = |v: &str| write_action(Value::String(v.to_owned())).ok();
        assert_eq!(read("createAddition"), Some(WriteAction::CreateAddition));
        assert_eq!(read("Create addition"), Some(WriteAction::CreateAddition));
        assert_eq!(read("Set cancel date"), Some(WriteAction::SetCancelDate));
        assert_eq!(read("changeAddition"), Some(WriteAction::ChangeAddition));
        assert_eq!(read("Remove addition"), Some(WriteAction::RemoveAddition));
        assert_eq!(read("Delete everything"), None);
    }
}
