//! A person's edits of one task's review, as typed and kept between sessions (the cache saves
//! them as the person types; see `store::drafts`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::record::write::PriceSource;

/// A task's edits that are not a mapping (mappings are kept for every task).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Draft {
    pub agreement_id: Option<i64>,
    /// As typed; the order's date when absent.
    pub effective_date: Option<String>,
    pub price_source: PriceSource,
    /// Product key → a price source for that product alone.
    pub price_overrides: BTreeMap<String, PriceSource>,
    /// Product key → the existing addition chosen where several match.
    pub chosen: BTreeMap<String, i64>,
    pub rows: BTreeMap<String, RowEdit>,
}

/// A person's changes to one planned row, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RowEdit {
    pub selected: Option<bool>,
    pub fields: BTreeMap<EditableField, String>,
}

/// The fields of a planned row a person may edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum EditableField {
    EffectiveDate,
    CancelDate,
    Description,
    Quantity,
    UnitPrice,
    UnitCost,
    BillCustomer,
    Taxable,
    /// Planned per product: an edit on one row sets it for every row of that product.
    PriceSource,
}

impl EditableField {
    /// Every editable field, in the order the editor shows them.
    pub const ALL: [EditableField; 9] = [
        EditableField::EffectiveDate,
        EditableField::CancelDate,
        EditableField::Description,
        EditableField::Quantity,
        EditableField::UnitPrice,
        EditableField::UnitCost,
        EditableField::BillCustomer,
        EditableField::Taxable,
        EditableField::PriceSource,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_keep_the_field_names_earlier_versions_saved() {
        let saved = r#"{"effectiveDate":"2026-11-20","rows":{"add:X":{"selected":false,
            "fields":{"quantity":"3","unitPrice":"21.5","billCustomer":"DoNotBill"}}}}"#;
        let draft: Draft = serde_json::from_str(saved).unwrap();
        let row = &draft.rows["add:X"];
        assert_eq!(row.selected, Some(false));
        assert_eq!(row.fields[&EditableField::Quantity], "3");
        assert_eq!(row.fields[&EditableField::UnitPrice], "21.5");
        assert_eq!(row.fields[&EditableField::BillCustomer], "DoNotBill");
        let again: Draft = serde_json::from_str(&serde_json::to_string(&draft).unwrap()).unwrap();
        assert_eq!(again, draft);
        assert!(
            serde_json::from_str::<Draft>(r#"{"rows":{"k":{"fields":{"colour":"red"}}}}"#).is_err()
        );
    }
}
