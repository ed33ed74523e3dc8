//! Which agreement can take what (SPEC §2.4.2, §6, §13), pure: an agreement fits a
//! subscription when it is active, not ended, on a billing cycle of the subscription's period
//! and in its currency. The one rule the wizard's review and Reconcile both use.

use chrono::NaiveDate;

use crate::connectwise::wire::{Agreement, BillingCycle, Currency as CwCurrency};
use crate::marketplace::wire::Subscription;
use crate::money::Currency;
use crate::period::{self, BillingPeriod};

/// Why an agreement cannot take a task (SPEC §2.4.2, §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unfit {
    /// Cancelled, or in a status other than Active.
    NotActive { status: String },
    /// Ended before the task's effective date.
    Ended { on: NaiveDate },
    /// Another billing cycle than the subscription's (`cycle` empty: none).
    OtherCycle { cycle: String },
    /// Another currency than the subscription's (`currency` empty: none).
    OtherCurrency { currency: String },
}

/// The subscription's currency code.
pub fn subscription_currency(s: &Subscription) -> String {
    s.total_price
        .as_ref()
        .map(|m| m.currency.clone())
        .or_else(|| {
            s.products
                .iter()
                .find_map(|p| p.unit_price.as_ref().map(|m| m.currency.clone()))
        })
        .or_else(|| {
            s.products
                .iter()
                .flat_map(|p| &p.prices)
                .map(|p| p.currency.clone())
                .find(|c| !c.is_empty())
        })
        .unwrap_or_default()
}

/// Why an agreement cannot take a subscription of `period` in `currency` from `on`, if it can't.
pub fn unfit(
    a: &Agreement,
    cycles: &[BillingCycle],
    period: BillingPeriod,
    currency: &str,
    on: NaiveDate,
) -> Option<Unfit> {
    if a.cancelled_flag
        || a.agreement_status
            .as_deref()
            .is_some_and(|s| !s.eq_ignore_ascii_case("active"))
    {
        return Some(Unfit::NotActive {
            status: a
                .agreement_status
                .clone()
                .unwrap_or_else(|| "Cancelled".into()),
        });
    }
    if let Some(end) = a.end_date.map(|d| d.date_naive()).filter(|e| *e < on) {
        return Some(Unfit::Ended { on: end });
    }
    let cycle = a
        .billing_cycle
        .as_ref()
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let options = a
        .billing_cycle
        .as_ref()
        .and_then(|c| cycles.iter().find(|x| x.id == c.id))
        .and_then(|c| c.billing_options.clone());
    let fits_cycle = period::matches_connectwise_cycle(period, &cycle)
        || options
            .as_deref()
            .is_some_and(|o| period::matches_connectwise_cycle(period, o));
    if !fits_cycle {
        return Some(Unfit::OtherCycle { cycle });
    }
    let code = a.currency.as_ref().and_then(|c| c.code()).unwrap_or("");
    if !code.eq_ignore_ascii_case(currency) {
        return Some(Unfit::OtherCurrency {
            currency: code.to_owned(),
        });
    }
    None
}

/// The agreement's currency, with its decimals from the agreement or the currency list.
pub fn agreement_currency(a: &Agreement, currencies: &[CwCurrency]) -> Currency {
    let code = a
        .currency
        .as_ref()
        .and_then(|c| c.code())
        .unwrap_or("USD")
        .to_owned();
    let decimals = a
        .currency
        .as_ref()
        .and_then(|c| c.number_of_decimals)
        .or_else(|| {
            currencies
                .iter()
                .find(|c| c.code() == Some(code.as_str()))
                .and_then(|c| c.number_of_decimals)
        })
        .unwrap_or(Currency::DEFAULT_DECIMALS);
    Currency::new(code, decimals)
}

/// Cycle words for messages: "Monthly", or the period itself ("30 days") when ConnectWise has
/// no such cycle.
pub fn cycle_words(period: BillingPeriod) -> String {
    period::connectwise_cycle_name(period)
        .map(str::to_owned)
        .unwrap_or_else(|| period.to_string())
}

/// What to do when none of the company's agreements fits.
pub fn no_fitting_agreement(company: &str, period: BillingPeriod, currency: &str) -> String {
    format!(
        "None of {company}'s agreements is {} in {currency}. Create such an agreement in ConnectWise (or fix an agreement's billing cycle or currency), then Check Changes again.",
        cycle_words(period)
    )
}
