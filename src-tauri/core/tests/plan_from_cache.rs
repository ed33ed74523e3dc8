//! Planning from what Check Changes cached: Green Lane's change order in the simulator's world,
//! with products mapped by the top catalog suggestion.

mod support;

use std::collections::HashMap;

use agreement_sync_core::check::{check_changes, CheckOptions};
use agreement_sync_core::money::Currency;
use agreement_sync_core::plan::{plan, totals, Action, PlanInput, PriceSource};
use agreement_sync_core::store::{connectwise as cw_store, marketplace, Store};
use agreement_sync_core::suggest;
use agreement_sync_core::task::TaskType;
use rust_decimal_macros::dec;

#[tokio::test]
async fn green_lane_plans_from_the_offline_cache() {
    let sim = support::sim().await;
    let store = Store::open_in_memory().unwrap();
    let marketplace = support::marketplace(&sim);
    let connectwise = support::connectwise(&sim);
    check_changes(
        &marketplace,
        Some(&connectwise),
        &store,
        &CheckOptions::default(),
        support::now(),
        &|_| {},
    )
    .await
    .unwrap();
    // From here on nothing needs the network.
    sim.shutdown();

    store
        .with(|c| {
            let order = marketplace::order(c, "1000231")?.expect("order cached");
            let subscription =
                marketplace::subscription(c, "1000517")?.expect("subscription cached");
            let agreement = cw_store::agreement(c, 4127)?.expect("agreement cached");
            let (additions, _) = cw_store::additions_of(c, 4127)?.expect("additions cached");
            let catalog = cw_store::catalog(c)?;
            let map: HashMap<String, i64> = order
                .products
                .iter()
                .map(|p| {
                    let best = suggest::catalog_items(&p.mpn, &p.name, &catalog, 1);
                    (p.mpn.clone(), best[0].item.id)
                })
                .collect();
            let currency = Currency::new(
                "USD",
                agreement
                    .currency
                    .as_ref()
                    .and_then(|c| c.number_of_decimals)
                    .unwrap_or(2),
            );
            let effective = order.creation_date.date_naive();
            let input = PlanInput {
                task_type: TaskType::ChangeOrder,
                order: &order,
                subscription: &subscription,
                agreement: &agreement,
                additions: &additions,
                catalog: &catalog,
                product_map: &map,
                currency: &currency,
                effective_date: effective,
                price_source: PriceSource::CloudMarketplace,
                price_overrides: &HashMap::new(),
                chosen: &HashMap::new(),
                fix: None,
                invoiced: &agreement_sync_core::calendar::Invoiced::Nothing,
                catalog_currency: Some("USD"),
            };
            let plan = plan(&input)?;
            assert!(plan.unmapped.is_empty(), "{:?}", plan.unmapped);
            let writes = plan
                .rows
                .iter()
                .filter(|r| r.action != Action::Unchanged)
                .count();
            assert_eq!(writes, 6, "{:#?}", plan.rows);
            let t = totals(&agreement, &additions, &plan, effective, &currency)?;
            // 150 + 20 × 22 + 11 × 4 → 150 + 25 × 22 + 9 × 4; 5 × 11.0000 − 2 × 2.0000 prorated.
            assert_eq!(
                (t.recurring_before, t.recurring_after, t.prorated),
                (dec!(634.00), dec!(736.00), dec!(51.00))
            );
            Ok(())
        })
        .unwrap();
}
