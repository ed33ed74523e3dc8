use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::*;

#[tokio::test]
async fn company_info_needs_no_auth_and_unknown_companies_are_404() {
    let sim = sim().await;
    let origin = format!("http://{}", sim.connectwise_site());
    let r = reply(client().get(format!("{origin}/login/companyinfo/demo"))).await;
    assert_eq!(r.status, StatusCode::OK);
    let body = r.json();
    assert_eq!(keys(&body), keys(&fixture("connectwise/companyinfo.json")));
    assert_eq!(body["Codebase"], "v4_6_release/");
    assert_eq!(body["CompanyID"], "demo");
    assert_eq!(body["SiteUrl"], sim.connectwise_site());
    assert_eq!(
        format!(
            "http://{}/{}apis/3.0/",
            body["SiteUrl"].as_str().unwrap_or(""),
            body["Codebase"].as_str().unwrap_or("")
        ),
        sim.connectwise_base_url()
    );
    let r = reply(client().get(format!("{origin}/login/companyinfo/nosuchco"))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["code"], "NotFound");
}

#[tokio::test]
async fn wrong_keys_and_a_missing_client_id_get_401() {
    let sim = sim().await;
    let url = format!("{}company/companies", sim.connectwise_base_url());
    let wrong = format!(
        "Basic {}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            "demo+demo-public:not-the-key"
        )
    );
    let r = reply(
        client()
            .get(&url)
            .header("Authorization", wrong)
            .header("clientId", CLIENT_ID),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json(), fixture("connectwise/error_401.json"));

    let r = reply(client().get(&url).header("clientId", CLIENT_ID)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json(), fixture("connectwise/error_401.json"));

    let other_company = format!(
        "Basic {}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            "acme+demo-public:demo-private"
        )
    );
    let r = reply(
        client()
            .get(&url)
            .header("Authorization", other_company)
            .header("clientId", CLIENT_ID),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    let r = reply(client().get(&url).header("Authorization", cw_auth())).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let body = r.json();
    assert_eq!(keys(&body), keys(&fixture("connectwise/error_401.json")));
    assert_eq!(body["code"], "Unauthorized");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("clientId")),
        "{body}"
    );

    let r = reply(
        client()
            .get(&url)
            .header("Authorization", cw_auth())
            .header("clientId", "not-a-client"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    let r = reply(
        client()
            .get(&url)
            .header("Authorization", cw_auth())
            .header("clientId", CLIENT_ID),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn agreement_4127_matches_the_fixture() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let r = cw.get("finance/agreements/4127").await;
    assert_eq!(r.status, StatusCode::OK);
    let a = r.json();
    let f = fixture("connectwise/agreement.json");
    assert_eq!(keys(&a), keys(&f), "same top-level fields as the fixture");
    assert_shape(&a, &f, "agreement");
    for k in [
        "id",
        "name",
        "startDate",
        "endDate",
        "noEndingDateFlag",
        "cancelledFlag",
        "billAmount",
        "prorateFlag",
        "agreementStatus",
        "invoiceDescription",
        "location",
    ] {
        assert_eq!(a[k], f[k], "{k}");
    }
    // Invoiced through the month before today's, a date-only string.
    assert_eq!(a["nextInvoiceDate"], "2026-11-01");
    for k in ["id", "identifier", "name"] {
        assert_eq!(a["company"][k], f["company"][k]);
    }
    assert_eq!(a["type"]["name"], f["type"]["name"]);
    assert_eq!(a["billingCycle"]["id"], 1);
    assert_eq!(a["billingCycle"]["name"], "Monthly");
    for k in [
        "id",
        "symbol",
        "currencyCode",
        "numberOfDecimals",
        "currencyIdentifier",
        "name",
    ] {
        assert_eq!(a["currency"][k], f["currency"][k], "currency.{k}");
    }
    assert_eq!(a["_info"]["lastUpdated"], f["_info"]["lastUpdated"]);
    assert_eq!(
        a["_info"]["additions_href"],
        format!(
            "{}finance/agreements/4127/additions",
            sim.connectwise_base_url()
        )
    );
}

#[tokio::test]
async fn additions_of_4127_are_consistent_with_the_subscription_before_its_change() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let r = cw.get("finance/agreements/4127/additions").await;
    assert_eq!(r.status, StatusCode::OK);
    let rows = r.json().as_array().expect("array").clone();
    let f = fixture("connectwise/additions.json");
    assert_shape(&Value::Array(rows.clone()), &f, "additions");
    assert_eq!(
        keys(&rows[0]),
        keys(&f[0]),
        "all the fields of the fixture's full row"
    );
    let find = |ident: &str, status: &str| {
        rows.iter()
            .find(|a| a["product"]["identifier"] == ident && a["agreementStatus"] == status)
            .cloned()
            .unwrap_or_else(|| panic!("{ident} {status}"))
    };
    let bp = find("M365-BP", "Active");
    assert_eq!(bp["quantity"], json!(20.0));
    assert_eq!(bp["unitPrice"], json!(22.0));
    assert_eq!(bp["unitCost"], json!(18.7));
    assert_eq!(bp["billCustomer"], "Billable");
    assert_eq!(bp["effectiveDate"], "2025-03-01T00:00:00Z");
    assert_eq!(bp["cancelledDate"], Value::Null);
    assert_eq!(bp["extPrice"], json!(440.0));
    assert_eq!(bp["agreementId"], 4127);
    let exo = find("EXO-P1", "Active");
    assert_eq!(exo["quantity"], json!(11.0));
    assert_eq!(exo["unitPrice"], json!(4.0));
    assert_eq!(exo["unitCost"], json!(3.4));
    let old = find("EXO-P1", "Cancelled");
    assert!(old["cancelledDate"].is_string());
    let az = find("AZ-PLAN", "Active");
    assert_eq!(az["unitPrice"], json!(0.0025));
    assert_eq!(az["unitCost"], Value::Null);

    let one = cw
        .get(&format!("finance/agreements/4127/additions/{}", bp["id"]))
        .await
        .json();
    assert_eq!(one, bp);
    let count = cw
        .get("finance/agreements/4127/additions/count")
        .await
        .json();
    assert_eq!(count["count"], rows.len());
}

#[tokio::test]
async fn catalog_billing_cycles_currencies_and_companies_look_like_the_fixtures() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    let catalog = cw
        .get_with("procurement/catalog", &[("pageSize", "1000")])
        .await
        .json();
    assert_shape(&catalog, &fixture("connectwise/catalog.json"), "catalog");
    let items = catalog.as_array().expect("array");
    let bp = items
        .iter()
        .find(|c| c["identifier"] == "M365-BP")
        .expect("M365-BP");
    assert_eq!(bp["manufacturerPartNumber"], "CFQ7TTC0LCHC");
    assert_eq!(bp["price"], json!(22.0));
    assert_eq!(bp["cost"], json!(18.7));
    assert_eq!(keys(bp), keys(&fixture("connectwise/catalog.json")[0]));
    assert!(items.iter().any(|c| c["inactiveFlag"] == true));
    assert!(items.iter().any(|c| c["identifier"] == "SETUP-FEE"));
    assert!(items.iter().any(|c| c["identifier"] == "CANCEL-FEE"));
    let exo = items
        .iter()
        .find(|c| c["identifier"] == "EXO-P1")
        .expect("EXO-P1");
    assert_eq!(exo["price"], json!(4.5));
    assert_eq!(exo["taxableFlag"], true);

    assert_eq!(
        cw.get("finance/billingCycles").await.json(),
        fixture("connectwise/billing_cycles.json")
    );
    assert_eq!(
        cw.get("finance/currencies").await.json(),
        fixture("connectwise/currencies.json")
    );
    assert_eq!(
        cw.get("finance/currencies/9").await.json()["numberOfDecimals"],
        0
    );

    let companies = cw
        .get_with("company/companies", &[("conditions", "id=250 or id=251")])
        .await
        .json();
    let f = fixture("connectwise/companies.json");
    assert_shape(&companies, &f, "companies");
    for (got, want) in companies
        .as_array()
        .expect("array")
        .iter()
        .zip(f.as_array().expect("array"))
    {
        for k in ["id", "identifier", "name"] {
            assert_eq!(got[k], want[k]);
        }
    }
    let green = cw.get("company/companies/250").await.json();
    assert_eq!(green["phoneNumber"], "8135550100");
    assert_eq!(green["_info"]["lastUpdated"], "2025-01-05T12:00:00Z");
}

async fn agreement_ids(cw: &Cw, conditions: &str) -> Vec<u64> {
    let r = cw
        .get_with(
            "finance/agreements",
            &[("conditions", conditions), ("pageSize", "1000")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{conditions}: {}", r.text);
    ids(r.json().as_array().expect("array"))
}

#[tokio::test]
async fn conditions_filter_agreements() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    assert_eq!(
        agreement_ids(&cw, r#"company/id=250 and agreementStatus="Active""#).await,
        vec![4127, 4128, 4129]
    );
    let fitting = r#"billingCycle/name="Monthly" and currency/currencyCode="USD" and agreementStatus="Active" and company/id="#;
    assert_eq!(
        agreement_ids(&cw, &format!("{fitting}250")).await,
        vec![4127]
    );
    assert_eq!(
        agreement_ids(&cw, &format!("{fitting}253")).await,
        vec![4131, 4132],
        "two fitting"
    );
    assert_eq!(
        agreement_ids(&cw, &format!("{fitting}254")).await,
        Vec::<u64>::new(),
        "none fitting"
    );
    assert_eq!(agreement_ids(&cw, "cancelledFlag=true").await, vec![4141]);
    assert_eq!(agreement_ids(&cw, "prorateFlag = true").await, vec![4138]);
    assert_eq!(
        agreement_ids(&cw, r#"currency/currencyIdentifier="EUR""#).await,
        vec![4129, 4134, 4135, 4146, 4149, 4150]
    );
    assert_eq!(
        agreement_ids(
            &cw,
            r#"(company/id=250 or company/id=251) and billingCycle/id != 1"#
        )
        .await,
        vec![4128]
    );
    assert_eq!(
        agreement_ids(&cw, r#"company/name like "Green*" and billAmount >= 150"#).await,
        vec![4127, 4145]
    );
    assert_eq!(
        agreement_ids(&cw, "id in (4127, 4141, 99)").await,
        vec![4127, 4141]
    );
    assert_eq!(agreement_ids(&cw, "endDate != null").await, vec![4141]);
    let recent = agreement_ids(&cw, "lastUpdated > [2026-11-01T00:00:00Z]").await;
    assert!(recent.contains(&4127));
    let all = agreement_ids(&cw, "id > 0").await;
    assert!(recent.len() < all.len());

    let r = cw
        .get_with(
            "company/companies",
            &[
                ("conditions", r#"name like "green*""#),
                ("orderBy", "name desc"),
            ],
        )
        .await;
    let names: Vec<String> = r
        .json()
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["name"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        names,
        vec![
            "Greenlane Property Management",
            "Green Leaf Landscaping",
            "Green Lane LLC"
        ]
    );

    let additions = cw
        .get_with(
            "finance/agreements/4127/additions",
            &[(
                "conditions",
                "cancelledDate=null and product/identifier=\"M365-BP\"",
            )],
        )
        .await
        .json();
    assert_eq!(additions.as_array().map(Vec::len), Some(1));

    let projected = cw
        .get_with(
            "finance/agreements/4127",
            &[("fields", "id,name,company/id")],
        )
        .await
        .json();
    assert_eq!(
        projected,
        json!({"id": 4127, "name": "Green Lane - Microsoft 365", "company": {"id": 250}})
    );
}

#[tokio::test]
async fn bad_conditions_get_400_naming_the_problem() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    for (c, needle) in [
        ("company/nope=1", "company/nope"),
        ("colour=\"red\"", "colour"),
        ("company/id=", "value"),
        ("(company/id=250", ")"),
        ("agreementStatus=Active", "quoted"),
    ] {
        let r = cw
            .get_with("finance/agreements", &[("conditions", c)])
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{c}");
        let body = r.json();
        assert_eq!(keys(&body), keys(&fixture("connectwise/error_400.json")));
        assert_eq!(body["code"], "InvalidObject");
        let e = &body["errors"][0];
        assert_shape(
            e,
            &fixture("connectwise/error_400.json")["errors"][0],
            "errors[0]",
        );
        assert_eq!(e["field"], "conditions");
        assert!(
            e["message"].as_str().is_some_and(|m| m.contains(needle)),
            "{c}: {body}"
        );
    }
    let r = cw
        .get_with("company/companies", &[("orderBy", "nosuchfield asc")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = cw
        .get_with("company/companies", &[("pageSize", "zero")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn forward_only_paging_follows_link_to_the_end_without_duplicates() {
    let sim = sim_with(|c| c.customers = 60).await;
    let cw = Cw::new(&sim);
    let count = cw.get("company/companies/count").await.json()["count"]
        .as_u64()
        .expect("count");
    // The curated twelve, the three only reconciled, 45 generated, five look-alikes.
    assert_eq!(count, 12 + 3 + 45 + 5);
    let (rows, pages) = cw
        .all_forward_only("company/companies", &[("pageSize", "10")])
        .await;
    let got = ids(&rows);
    let unique: HashSet<u64> = got.iter().copied().collect();
    assert_eq!(unique.len(), got.len(), "no duplicates");
    assert_eq!(got.len() as u64, count);
    assert!(got.windows(2).all(|w| w[0] < w[1]), "ascending ids");
    assert_eq!(pages, 7);

    // The Link header's form.
    let r = reply(
        cw.request(&format!("{}company/companies?pageSize=10", cw.base))
            .header("pagination-type", "forward-only"),
    )
    .await;
    let link = r.header("link").expect("a Link header");
    let tenth = ids(r.json().as_array().expect("array"))[9];
    assert_eq!(
        link,
        format!(
            "<{}company/companies?pageSize=10&pageId={tenth}>; rel=\"next\"",
            sim.connectwise_base_url()
        )
    );

    // Conditions are carried along.
    let cond = [
        ("pageSize", "7"),
        (
            "conditions",
            r#"agreementStatus="Active" and billingCycle/name="Monthly""#,
        ),
    ];
    let (rows, pages) = cw.all_forward_only("finance/agreements", &cond).await;
    assert!(pages > 2);
    assert!(rows
        .iter()
        .all(|a| a["agreementStatus"] == "Active" && a["billingCycle"]["name"] == "Monthly"));
    let full = cw
        .get_with("finance/agreements", &[("pageSize", "1000"), cond[1]])
        .await
        .json();
    assert_eq!(ids(&rows), ids(full.as_array().expect("array")));

    // The last page has no Link.
    let r = reply(
        cw.request(&format!("{}company/companies?pageSize=1000", cw.base))
            .header("pagination-type", "forward-only"),
    )
    .await;
    assert!(r.header("link").is_none());
}

#[tokio::test]
async fn navigable_paging_has_next_last_prev_first_links() {
    let sim = sim_with(|c| c.customers = 30).await;
    let cw = Cw::new(&sim);
    let total = cw.get("company/companies/count").await.json()["count"]
        .as_u64()
        .expect("count") as usize;
    let r = cw
        .get_with("company/companies", &[("pageSize", "5"), ("page", "2")])
        .await;
    let link = r.header("link").expect("Link");
    for rel in ["next", "last", "prev", "first"] {
        assert!(rel_link(&link, rel).is_some(), "rel={rel} in {link}");
    }
    assert_eq!(ids(r.json().as_array().expect("array")).len(), 5);
    let last = rel_link(&link, "last").expect("last");
    let r = reply(cw.request(&last)).await;
    let on_last = r.json().as_array().expect("array").len();
    assert_eq!(on_last, total - (total.div_ceil(5) - 1) * 5);
    assert!(r
        .header("link")
        .and_then(|l| rel_link(&l, "next"))
        .is_none());

    let mut seen = Vec::new();
    let mut url = Some(format!("{}company/companies?pageSize=9", cw.base));
    while let Some(u) = url {
        let r = reply(cw.request(&u)).await;
        seen.extend(ids(r.json().as_array().expect("array")));
        url = r.header("link").and_then(|l| next_link(&l));
    }
    assert_eq!(seen.len(), total);
    assert_eq!(seen.iter().copied().collect::<HashSet<_>>().len(), total);

    // Default page size is 25.
    let r = cw.get("company/companies").await;
    assert_eq!(r.json().as_array().map(Vec::len), Some(25.min(total)));
}

#[tokio::test]
async fn unknown_ids_get_404_not_found() {
    let sim = sim().await;
    let cw = Cw::new(&sim);
    for path in [
        "finance/agreements/99999",
        "finance/agreements/99999/additions",
        "finance/agreements/4127/additions/1",
        "company/companies/99999",
        "procurement/catalog/99999",
        "finance/currencies/99",
        "no/such/thing",
    ] {
        let r = cw.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        let body = r.json();
        assert_eq!(body["code"], "NotFound", "{path}");
        assert_eq!(body["errors"], Value::Null);
        assert!(body["message"].is_string());
    }
}
