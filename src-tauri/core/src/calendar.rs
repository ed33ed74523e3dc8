//! The invoice calendar (SPEC §16): which of an agreement's ConnectWise billing periods are
//! already on an invoice. The one place the rule lives: the **invoiced boundary** is the start of
//! the agreement's billing period that contains its next invoice date; a date before it lies in
//! an invoiced period. Pure.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::connectwise::wire::{Agreement, AgreementRecap};
use crate::period::{self, BillingPeriod, Span};

/// The permission ConnectWise asks for to read an agreement's invoicing.
pub const PERMISSION: &str = "Finance › Invoicing (Inquire)";

/// What a read of the agreement recap gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum RecapRead {
    /// Not read (yet), or not served: the agreement's own next invoice date is used.
    NotRead,
    Read(AgreementRecap),
    /// ConnectWise refused it (the permission is missing) on `on`.
    Refused {
        on: NaiveDate,
        message: String,
    },
}

/// The last invoice ConnectWise made for the agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LastInvoice {
    pub number: Option<String>,
    pub date: NaiveDate,
}

/// The calendar of an agreement with periods on an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Calendar {
    /// The first day not invoiced: the start of the period containing the next invoice date.
    pub boundary: NaiveDate,
    pub next_invoice_date: NaiveDate,
    /// ConnectWise's billing period of the agreement and where it is counted from.
    pub cycle: BillingPeriod,
    pub anchor: NaiveDate,
    pub last_invoice: Option<LastInvoice>,
    /// ConnectWise prorates the agreement's additions itself (`prorateFlag`).
    pub prorates: bool,
}

/// What the app knows of an agreement's invoicing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Invoiced {
    /// ConnectWise gives no next invoice date: no period is known to be on an invoice.
    Nothing,
    Through(Calendar),
    /// The calendar could not be read: nothing is dated before `floor` (the day it was tried).
    Unreadable {
        floor: NaiveDate,
        why: Unreadable,
    },
}

/// Why an agreement's calendar could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Unreadable {
    /// ConnectWise refused the read: the API member lacks [`PERMISSION`].
    Refused { message: String },
    /// The agreement's billing cycle is not one whose periods the app can count.
    UnknownCycle { cycle: String },
}

/// The billing period a ConnectWise billing cycle names, if the app can count it.
pub fn cycle_period(name: &str) -> Option<BillingPeriod> {
    [
        BillingPeriod::MONTHLY,
        BillingPeriod::QUARTERLY,
        BillingPeriod::SEMI_ANNUAL,
        BillingPeriod::YEARLY,
    ]
    .into_iter()
    .find(|p| period::matches_connectwise_cycle(*p, name))
}

/// The agreement's invoice calendar, from the agreement and what a read of its recap gave. The
/// recap's next invoice date is the fresher when both tell one.
pub fn invoiced(agreement: &Agreement, recap: &RecapRead) -> Invoiced {
    let read = match recap {
        RecapRead::Refused { on, message } => {
            return Invoiced::Unreadable {
                floor: *on,
                why: Unreadable::Refused {
                    message: message.clone(),
                },
            }
        }
        RecapRead::Read(r) => Some(r),
        RecapRead::NotRead => None,
    };
    // Invoices only move forward: the later of the two reads is the fresher.
    let Some(next) = read
        .and_then(|r| r.next_invoice_date)
        .max(agreement.next_invoice_date)
    else {
        return Invoiced::Nothing;
    };
    let cycle_name = agreement
        .billing_cycle
        .as_ref()
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let Some(cycle) = cycle_period(&cycle_name) else {
        return Invoiced::Unreadable {
            floor: next,
            why: Unreadable::UnknownCycle { cycle: cycle_name },
        };
    };
    let anchor = agreement
        .bill_start_date
        .or(agreement.start_date.map(|d| d.date_naive()))
        .filter(|a| *a <= next)
        .unwrap_or(next);
    let boundary = period::checked_period_containing(anchor, cycle, next)
        .map(|s| s.start)
        .unwrap_or(next);
    let last_invoice = read.and_then(|r| {
        r.last_invoice_date.map(|date| LastInvoice {
            number: r
                .last_invoice_number
                .clone()
                .filter(|n| !n.trim().is_empty()),
            date,
        })
    });
    Invoiced::Through(Calendar {
        boundary,
        next_invoice_date: next,
        cycle,
        anchor,
        last_invoice,
        prorates: agreement.prorate_flag,
    })
}

impl Invoiced {
    /// The first day a plan may date anything on: the boundary, or the day the calendar could
    /// not be read; `None` when nothing is invoiced.
    pub fn floor(&self) -> Option<NaiveDate> {
        match self {
            Invoiced::Nothing => None,
            Invoiced::Through(c) => Some(c.boundary),
            Invoiced::Unreadable { floor, .. } => Some(*floor),
        }
    }

    pub fn calendar(&self) -> Option<&Calendar> {
        match self {
            Invoiced::Through(c) => Some(c),
            _ => None,
        }
    }

    /// In words, for the wizard, the board and Reconcile: "Invoiced through 2026-04-30 — last
    /// invoice #1042 on 2026-04-01".
    pub fn words(&self) -> String {
        match self {
            Invoiced::Nothing => "No invoice yet: ConnectWise gives no next invoice date.".into(),
            Invoiced::Through(c) => c.words(),
            Invoiced::Unreadable {
                floor,
                why: Unreadable::Refused { .. },
            } => format!(
                "The invoice calendar could not be read: ConnectWise needs the permission {PERMISSION} for it. Nothing is dated before {floor}."
            ),
            Invoiced::Unreadable {
                floor,
                why: Unreadable::UnknownCycle { cycle },
            } => format!(
                "The invoice calendar cannot be counted: the billing cycle “{cycle}” is not one this app knows. Nothing is dated before {floor}."
            ),
        }
    }
}

/// How the calendar changed between a review and now, in words (a sync stops on it).
pub fn moved_words(reviewed: &Invoiced, now: &Invoiced) -> String {
    let through = |i: &Invoiced| match i {
        Invoiced::Nothing => "nothing invoiced".to_owned(),
        Invoiced::Through(c) => match c.invoiced_through() {
            Some(d) => format!("invoiced through {d}"),
            None => "nothing invoiced".to_owned(),
        },
        Invoiced::Unreadable { .. } => "the invoice calendar unreadable".to_owned(),
    };
    format!(
        "The invoice calendar moved: reviewed with {}, ConnectWise now has {}",
        through(reviewed),
        through(now)
    )
}

impl Calendar {
    /// The last invoiced day.
    pub fn invoiced_through(&self) -> Option<NaiveDate> {
        self.boundary.pred_opt()
    }

    /// The agreement's billing period containing `date`.
    pub fn period(&self, date: NaiveDate) -> Option<Span> {
        period::checked_period_containing(self.anchor, self.cycle, date)
    }

    /// The invoiced periods from the one containing `from` to the boundary, in order.
    pub fn invoiced_periods_from(&self, from: NaiveDate) -> Vec<Span> {
        let mut spans = Vec::new();
        let mut at = from;
        while at < self.boundary {
            let Some(span) = self.period(at) else { break };
            if span.end_exclusive <= at {
                break;
            }
            at = span.end_exclusive;
            spans.push(span);
        }
        spans
    }

    pub fn words(&self) -> String {
        let through = match self.invoiced_through() {
            Some(d) => format!("Invoiced through {d}"),
            None => "Nothing invoiced".to_owned(),
        };
        match &self.last_invoice {
            Some(LastInvoice {
                number: Some(n),
                date,
            }) => format!("{through} — last invoice #{n} on {date}"),
            Some(LastInvoice { number: None, date }) => {
                format!("{through} — last invoice on {date}")
            }
            None => format!("{through} — next invoice on {}", self.next_invoice_date),
        }
    }

    /// Why a date moved, in words: "March is invoiced" / "2026-03-01 to 2026-03-31 is
    /// invoiced, #1042".
    pub fn invoiced_words(&self, span: &Span) -> String {
        let period = if self.cycle == BillingPeriod::MONTHLY && span.start.day() == 1 {
            span.start.format("%B %Y").to_string()
        } else {
            format!("{} to {}", span.start, span.last_day())
        };
        match self.last_invoice.as_ref().and_then(|l| l.number.as_ref()) {
            Some(n) => format!("{period} already invoiced, #{n}"),
            None => format!("{period} already invoiced"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agreement(cycle: &str, start: &str, next: Option<&str>, prorate: bool) -> Agreement {
        serde_json::from_value(serde_json::json!({
            "id": 4127, "name": "A", "company": {"id": 250},
            "billingCycle": {"id": 1, "name": cycle},
            "startDate": format!("{start}T00:00:00Z"),
            "billStartDate": format!("{start}T00:00:00Z"),
            "nextInvoiceDate": next,
            "prorateFlag": prorate,
        }))
        .expect("agreement")
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn recap(next: Option<&str>, last: Option<&str>, number: Option<&str>) -> RecapRead {
        RecapRead::Read(
            serde_json::from_value(serde_json::json!({
                "id": 4127, "nextInvoiceDate": next, "lastInvoiceDate": last,
                "lastInvoiceNumber": number, "unbilledPeriods": 0,
            }))
            .expect("recap"),
        )
    }

    #[test]
    fn the_boundary_is_the_start_of_the_period_containing_the_next_invoice_date() {
        let a = agreement("Monthly", "2024-01-01", Some("2026-05-01"), false);
        let cal = invoiced(&a, &recap(None, Some("2026-04-01T00:00:00Z"), Some("1042")));
        let c = cal.calendar().expect("calendar");
        assert_eq!(c.boundary, ymd(2026, 5, 1));
        assert_eq!(
            cal.words(),
            "Invoiced through 2026-04-30 — last invoice #1042 on 2026-04-01"
        );
        // A next invoice date inside a quarter: the quarter's start is the boundary.
        let q = agreement("Quarterly", "2024-01-01", Some("2026-05-15"), false);
        let c = invoiced(&q, &RecapRead::NotRead);
        assert_eq!(c.floor(), Some(ymd(2026, 4, 1)));
        // The recap's date is the fresher.
        let c = invoiced(&a, &recap(Some("2026-06-01"), None, None));
        assert_eq!(c.floor(), Some(ymd(2026, 6, 1)));
        // Yearly from a leap day.
        let y = agreement("Yearly", "2024-02-29", Some("2027-03-10"), false);
        assert_eq!(
            invoiced(&y, &RecapRead::NotRead).floor(),
            Some(ymd(2027, 2, 28))
        );
    }

    #[test]
    fn without_a_next_invoice_date_nothing_is_invoiced_and_a_refusal_dates_nothing_before_its_day()
    {
        let a = agreement("Monthly", "2024-01-01", None, false);
        assert_eq!(invoiced(&a, &RecapRead::NotRead), Invoiced::Nothing);
        let refused = RecapRead::Refused {
            on: ymd(2026, 4, 7),
            message: "403".into(),
        };
        let c = invoiced(&a, &refused);
        assert_eq!(c.floor(), Some(ymd(2026, 4, 7)));
        assert!(c.words().contains(PERMISSION), "{}", c.words());
        let odd = agreement("Fortnightly", "2024-01-01", Some("2026-05-01"), false);
        assert!(matches!(
            invoiced(&odd, &RecapRead::NotRead),
            Invoiced::Unreadable {
                why: Unreadable::UnknownCycle { .. },
                ..
            }
        ));
    }

    #[test]
    fn invoiced_periods_run_from_the_date_to_the_boundary() {
        let a = agreement("Monthly", "2024-01-01", Some("2026-05-01"), false);
        let cal = invoiced(&a, &RecapRead::NotRead);
        let c = cal.calendar().expect("calendar");
        let spans = c.invoiced_periods_from(ymd(2026, 3, 15));
        let starts: Vec<NaiveDate> = spans.iter().map(|s| s.start).collect();
        assert_eq!(starts, vec![ymd(2026, 3, 1), ymd(2026, 4, 1)]);
        assert!(c.invoiced_periods_from(ymd(2026, 5, 1)).is_empty());
        assert_eq!(c.invoiced_words(&spans[0]), "March 2026 already invoiced");
    }
}
