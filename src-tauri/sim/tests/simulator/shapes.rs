//! Every fixture-shaped resource: the response parses as JSON and carries the fixture's fields
//! (same JSON types, recursively). Where the simulator mirrors a resource fully, the top-level
//! field names are the same set; companies carry more fields than the fixture's sparse rows.

use serde_json::Value;

use crate::common::*;

enum Top {
    Same,
    Superset,
}

fn check(name: &str, actual: &Value, top: Top) {
    let f = fixture(name);
    assert_shape(actual, &f, name);
    let (a, e) = match (actual, &f) {
        (Value::Array(a), Value::Array(e)) => (a[0].clone(), e[0].clone()),
        _ => (actual.clone(), f.clone()),
    };
    match top {
        Top::Same => assert_eq!(keys(&a), keys(&e), "{name}: top-level fields"),
        Top::Superset => {
            let have = keys(&a);
            for k in keys(&e) {
                assert!(have.contains(&k), "{name}: missing {k}");
            }
        }
    }
}

#[tokio::test]
async fn every_fixture_shaped_response_has_the_fixture_fields() {
    let sim = sim().await;
    let mp = Mp::login(&sim).await;
    let cw = Cw::new(&sim);

    let token = reply(
        client()
            .post(format!("{}token", sim.marketplace_base_url()))
            .header("Authorization", basic("demo", "demo-password"))
            .header("X-Subscription-Key", "demo-subscription-key"),
    )
    .await
    .json();
    check("marketplace/token.json", &token, Top::Same);
    let page = mp.get("orders?limit=3").await.json();
    check("marketplace/orders_page.json", &page, Top::Same);
    let f = fixture("marketplace/orders_page.json");
    assert_eq!(keys(&page["data"][0]), keys(&f["data"][0]));
    assert_eq!(keys(&page["pagination"]), keys(&f["pagination"]));
    check(
        "marketplace/order_change.json",
        &mp.get("orders/1000231").await.json(),
        Top::Same,
    );
    check(
        "marketplace/order_billing.json",
        &mp.get("orders/1000240").await.json(),
        Top::Same,
    );
    check(
        "marketplace/subscription.json",
        &mp.get("subscriptions/1000517").await.json(),
        Top::Same,
    );
    check(
        "marketplace/customer.json",
        &mp.get("customers/1000048602").await.json(),
        Top::Same,
    );
    sim.expire_tokens();
    check(
        "marketplace/error_401.json",
        &mp.get("orders").await.json(),
        Top::Same,
    );

    check(
        "connectwise/agreement.json",
        &cw.get("finance/agreements/4131").await.json(),
        Top::Same,
    );
    check(
        "connectwise/additions.json",
        &cw.get("finance/agreements/4139/additions").await.json(),
        Top::Same,
    );
    check(
        "connectwise/catalog.json",
        &cw.get("procurement/catalog").await.json(),
        Top::Same,
    );
    check(
        "connectwise/billing_cycles.json",
        &cw.get("finance/billingCycles").await.json(),
        Top::Same,
    );
    check(
        "connectwise/currencies.json",
        &cw.get("finance/currencies").await.json(),
        Top::Same,
    );
    check(
        "connectwise/companies.json",
        &cw.get("company/companies").await.json(),
        Top::Superset,
    );
    let info = reply(client().get(format!(
        "http://{}/login/companyinfo/demo",
        sim.connectwise_site()
    )))
    .await
    .json();
    check("connectwise/companyinfo.json", &info, Top::Same);
    let bad = cw
        .get_with("finance/agreements", &[("conditions", "nope=1")])
        .await
        .json();
    check("connectwise/error_400.json", &bad, Top::Same);
    let unauthorized =
        reply(client().get(format!("{}finance/agreements", sim.connectwise_base_url())))
            .await
            .json();
    check("connectwise/error_401.json", &unauthorized, Top::Same);
}
