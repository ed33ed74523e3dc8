//! The curated part of the world: the catalog and twelve hand-written customers with stable ids,
//! their subscriptions, orders, companies, agreements and additions (dates relative to `today`).

use chrono::{Datelike, Duration as Days, Months, NaiveDate};
use rust_decimal::Decimal;

use super::*;

// ---------------------------------------------------------------------------------------------
// Catalog

pub(super) fn seed_catalog(w: &mut World) {
    let updated = utc(w.today - Days::days(104), 10, 0, 0);
    let m365 = (21, "Microsoft 365");
    let azure = (22, "Azure");
    let backup = (23, "Backup");
    let services = (24, "Services");
    let license = (4, "Cloud License");
    let usage = (5, "Cloud Usage");
    let service = (6, "Service");
    // (id, identifier, description, inactive, subcategory, type, price, cost, taxable,
    //  manufacturerPartNumber, vendorSku, recurring billing cycle)
    #[rustfmt::skip]
    #[allow(clippy::type_complexity)]
    let items: [(u64, &str, &str, bool, (u64, &str), (u64, &str), &str, Option<&str>, bool, &str, &str, Option<u64>); 16] = [
        (611, "M365-BP", "Microsoft 365 Business Premium", false, m365, license, "22.0", Some("18.7"), false, "CFQ7TTC0LCHC", "MS-365-BP", Some(1)),
        (612, "EXO-P1", "Exchange Online (Plan 1)", false, m365, license, "4.5", Some("3.4"), true, "CFQ7TTC0LH16", "MS-EXO-P1", Some(1)),
        (613, "AZ-PLAN", "Azure plan (usage)", false, azure, usage, "0.0025", Some("0.002125"), false, "AZ-PLAN-USAGE", "MS-AZ-PLAN", Some(1)),
        (614, "M365-APPS", "Microsoft 365 Apps for business (annual)", false, m365, license, "99.0", Some("84.15"), false, "CFQ7TTC0LH1G", "MS-365-APPS", Some(4)),
        (615, "M365-BB", "Microsoft 365 Business Basic", false, m365, license, "6.0", Some("5.1"), false, "CFQ7TTC0LH18", "MS-365-BB", Some(1)),
        (616, "M365-BS", "Microsoft 365 Business Standard", false, m365, license, "12.5", Some("10.63"), false, "CFQ7TTC0LDPB", "MS-365-BS", Some(1)),
        (617, "DEF-BUS", "Microsoft Defender for Business", false, m365, license, "3.0", Some("2.55"), true, "CFQ7TTC0LHSF", "MS-DEF-BUS", Some(1)),
        (618, "D365-BC", "Dynamics 365 Business Central Essentials (quarterly)", false, m365, license, "210.0", Some("178.5"), false, "CFQ7TTC0LHWF", "MS-D365-BC", Some(2)),
        (619, "ACR-CP", "Acronis Cyber Protect Cloud - Workstation", false, backup, license, "7.95", Some("6.36"), true, "ACR-CP-WS", "ACR-CPW", Some(1)),
        (620, "SETUP-FEE", "Onboarding / setup fee", false, services, service, "49.0", Some("0.0"), true, "", "", None),
        (621, "CANCEL-FEE", "Early cancellation fee", false, services, service, "25.0", Some("0.0"), false, "CANCELLATION-FEE", "", None),
        (622, "AZ-BACKUP", "Azure Backup storage (GB)", false, azure, usage, "0.024", Some("0.0204"), false, "AZ-BACKUP-GB", "MS-AZ-BKP", Some(1)),
        (623, "AZ-AVD", "Azure Virtual Desktop (hours)", false, azure, usage, "0.45", Some("0.3825"), false, "AZ-AVD-HRS", "MS-AZ-AVD", Some(1)),
        (624, "EXO-P1-LEGACY", "Exchange Online (Plan 1) - legacy SKU", true, m365, license, "4.0", Some("3.4"), true, "CFQ7TTC0LH16", "MS-EXO-P1-OLD", Some(1)),
        (625, "MSSP-MON", "Managed security monitoring (per user)", false, services, service, "8.0", Some("2.0"), true, "", "", Some(1)),
        (699, "OLD-SKU", "Retired product", true, services, service, "10.0", None, false, "", "", None),
    ];
    for (id, ident, desc, inactive, sub, ty, price, cost, taxable, mpn, sku, cycle) in items {
        w.catalog.insert(
            id,
            CatalogItem {
                id,
                identifier: ident.into(),
                description: desc.into(),
                inactive,
                subcategory: (sub.0, sub.1.into()),
                item_type: (ty.0, ty.1.into()),
                price: dec(price),
                cost: cost.map(dec),
                taxable,
                customer_description: if id == 699 {
                    String::new()
                } else {
                    desc.into()
                },
                manufacturer_part_number: mpn.into(),
                vendor_sku: sku.into(),
                recurring_cycle: cycle,
                last_updated: updated,
            },
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The curated world

pub const CURATED_CUSTOMERS: usize = 12;

struct CuratedCustomer {
    id: &'static str,
    name: &'static str,
    external_id: &'static str,
    street: &'static str,
    city: &'static str,
    state: &'static str,
    zip: &'static str,
    country: &'static str,
    contact: (&'static str, &'static str, &'static str, &'static str),
    company: (u64, &'static str, &'static str),
    phone: &'static str,
    website: &'static str,
}

const CURATED: [CuratedCustomer; CURATED_CUSTOMERS] = [
    CuratedCustomer {
        id: "1000048531",
        name: "Green Lane LLC",
        external_id: "GL-001",
        street: "12 Orchard Way",
        city: "Tampa",
        state: "FL",
        zip: "33602",
        country: "US",
        contact: (
            "Dana",
            "Whitfield",
            "dana@greenlane.example",
            "+1-813-555-0100",
        ),
        company: (250, "GreenLane", "Green Lane LLC"),
        phone: "8135550100",
        website: "greenlane.example",
    },
    CuratedCustomer {
        id: "1000048602",
        name: "Bluewater Dental Group",
        external_id: "BW-014",
        street: "400 Harbor Blvd",
        city: "Clearwater",
        state: "FL",
        zip: "33755",
        country: "US",
        contact: (
            "Priya",
            "Raman",
            "priya@bluewaterdental.example",
            "+1-727-555-0142",
        ),
        company: (252, "BluewaterDental", "Bluewater Dental Group, P.A."),
        phone: "7275550142",
        website: "bluewaterdental.example",
    },
    CuratedCustomer {
        id: "1000048617",
        name: "Northwind Traders Inc.",
        external_id: "NW-203",
        street: "88 Commerce St",
        city: "Atlanta",
        state: "GA",
        zip: "30303",
        country: "US",
        contact: (
            "Marcus",
            "Bell",
            "mbell@northwind.example",
            "+1-404-555-0188",
        ),
        company: (253, "Northwind", "Northwind Traders"),
        phone: "4045550188",
        website: "northwind.example",
    },
    CuratedCustomer {
        id: "1000048655",
        name: "Contoso Pharmaceuticals",
        external_id: "CT-077",
        street: "1 Research Park Dr",
        city: "Raleigh",
        state: "NC",
        zip: "27601",
        country: "US",
        contact: (
            "Elena",
            "Novak",
            "enovak@contoso.example",
            "+1-919-555-0107",
        ),
        company: (254, "ContosoPharma", "Contoso Pharma"),
        phone: "9195550107",
        website: "contoso.example",
    },
    CuratedCustomer {
        id: "1000048703",
        name: "Müller & Söhne GmbH",
        external_id: "MS-DE-5",
        street: "Sendlinger Str. 7",
        city: "München",
        state: "BY",
        zip: "80331",
        country: "DE",
        contact: (
            "Jonas",
            "Müller",
            "jonas@mueller-soehne.example",
            "+49-89-5550123",
        ),
        company: (255, "MuellerSoehne", "Mueller & Soehne GmbH"),
        phone: "+49895550123",
        website: "mueller-soehne.example",
    },
    CuratedCustomer {
        id: "1000048729",
        name: "Fabrikam Logistics",
        external_id: "FB-310",
        street: "2200 Industrial Pkwy",
        city: "Columbus",
        state: "OH",
        zip: "43215",
        country: "US",
        contact: (
            "Owen",
            "Carter",
            "ocarter@fabrikam.example",
            "+1-614-555-0163",
        ),
        company: (256, "Fabrikam", "Fabrikam Logistics LLC"),
        phone: "6145550163",
        website: "fabrikam.example",
    },
    CuratedCustomer {
        id: "1000048744",
        name: "Tailspin Toys",
        external_id: "TS-118",
        street: "55 Maple Ave",
        city: "Portland",
        state: "OR",
        zip: "97205",
        country: "US",
        contact: (
            "Grace",
            "Liu",
            "grace@tailspintoys.example",
            "+1-503-555-0119",
        ),
        company: (257, "TailspinToys", "Tailspin Toys Ltd"),
        phone: "5035550119",
        website: "tailspintoys.example",
    },
    CuratedCustomer {
        id: "1000048790",
        name: "Adatum Corporation",
        external_id: "AD-042",
        street: "900 Lakeview Rd",
        city: "Austin",
        state: "TX",
        zip: "78701",
        country: "US",
        contact: ("Sam", "Okafor", "sokafor@adatum.example", "+1-512-555-0175"),
        company: (258, "Adatum", "A. Datum Corporation"),
        phone: "5125550175",
        website: "adatum.example",
    },
    CuratedCustomer {
        id: "1000048812",
        name: "Wingtip Accounting",
        external_id: "WT-066",
        street: "17 King St",
        city: "Charleston",
        state: "SC",
        zip: "29401",
        country: "US",
        contact: (
            "Hannah",
            "Brooks",
            "hbrooks@wingtip.example",
            "+1-843-555-0131",
        ),
        company: (259, "WingtipAcct", "Wingtip Accounting & Tax"),
        phone: "8435550131",
        website: "wingtip.example",
    },
    CuratedCustomer {
        id: "1000048835",
        name: "Lakeshore Veterinary Clinic",
        external_id: "LV-009",
        street: "3 Shoreline Dr",
        city: "Madison",
        state: "WI",
        zip: "53703",
        country: "US",
        contact: (
            "Tom",
            "Reyes",
            "tom@lakeshorevet.example",
            "+1-608-555-0150",
        ),
        company: (260, "LakeshoreVet", "Lakeshore Veterinary"),
        phone: "6085550150",
        website: "lakeshorevet.example",
    },
    CuratedCustomer {
        id: "1000048851",
        name: "Riverbend Family Dental",
        external_id: "RB-221",
        street: "640 River Rd",
        city: "Nashville",
        state: "TN",
        zip: "37201",
        country: "US",
        contact: (
            "Alicia",
            "Moore",
            "amoore@riverbenddental.example",
            "+1-615-555-0196",
        ),
        company: (261, "RiverbendDental", "Riverbend Family Dentistry"),
        phone: "6155550196",
        website: "riverbenddental.example",
    },
    CuratedCustomer {
        id: "1000048876",
        name: "Summit Ridge Engineering",
        external_id: "SR-150",
        street: "25 Summit Ave",
        city: "Denver",
        state: "CO",
        zip: "80202",
        country: "US",
        contact: (
            "Kevin",
            "Shah",
            "kshah@summitridge.example",
            "+1-303-555-0114",
        ),
        company: (262, "SummitRidge", "Summit Ridge Engineering"),
        phone: "3035550114",
        website: "summitridge.example",
    },
];

/// Companies with names like the curated ones but no marketplace customer.
const DISTRACTORS: [(u64, &str, &str, &str, &str); 5] = [
    (251, "GreenLeaf", "Green Leaf Landscaping", "Tampa", "FL"),
    (
        263,
        "GreenlaneProp",
        "Greenlane Property Management",
        "Orlando",
        "FL",
    ),
    (
        264,
        "BlueWaterMarine",
        "Blue Water Marine Supply",
        "Clearwater",
        "FL",
    ),
    (
        265,
        "NorthwindHealth",
        "Northwind Health Partners",
        "Atlanta",
        "GA",
    ),
    (
        266,
        "SummitRoofing",
        "Summit Roofing & Gutters",
        "Denver",
        "CO",
    ),
];

struct Curator<'a> {
    w: &'a mut World,
    today: NaiveDate,
}

impl Curator<'_> {
    #[allow(clippy::too_many_arguments)]
    fn sub(
        &mut self,
        id: &str,
        customer: &str,
        status: &str,
        created: NaiveDate,
        billing_start: Option<NaiveDate>,
        last_modified: NaiveDate,
        model: &str,
        period: Period,
        term: Period,
        currency: &str,
        products: Vec<SubscriptionProduct>,
    ) {
        self.w.add_subscription(Subscription {
            id: id.into(),
            customer_id: customer.into(),
            status: status.into(),
            creation_date: created,
            billing_start_date: billing_start,
            last_modified_date: last_modified,
            billing_model: model.into(),
            billing_period: period,
            subscription_period: term,
            currency: currency.into(),
            products,
        });
    }

    /// A plain monthly, charge-before-period subscription starting on `anchor`.
    fn monthly(
        &mut self,
        id: &str,
        customer: &str,
        anchor: NaiveDate,
        modified: NaiveDate,
        products: Vec<SubscriptionProduct>,
    ) {
        self.sub(
            id,
            customer,
            "active",
            anchor,
            Some(anchor),
            modified,
            "chargeBeforeBillingPeriod",
            Period::MONTHLY,
            Period::YEARLY,
            "USD",
            products,
        );
    }

    fn order(
        &mut self,
        id: &str,
        order_type: &str,
        customer: &str,
        created: NaiveDateTime,
        status: &str,
        lines: &[(&str, &str, &str)],
    ) {
        let products = lines
            .iter()
            .map(|(sub, mpn, q)| self.w.order_line(sub, mpn, dec(q)))
            .collect();
        self.w.orders.insert(
            id.into(),
            Order {
                id: id.into(),
                order_type: order_type.into(),
                customer_id: customer.into(),
                created,
                status: status.into(),
                po_number: (order_type != "billing").then(String::new),
                products,
            },
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn agreement(
        &mut self,
        id: u64,
        name: &str,
        company_id: u64,
        cycle: u64,
        currency: &str,
        bill_amount: &str,
        prorate: bool,
        start: NaiveDate,
        cancelled: Option<NaiveDate>,
    ) {
        let today = self.today;
        let mut agreement = Agreement {
            id,
            name: name.into(),
            type_ref: (7, "Cloud Services".into()),
            company_id,
            location: (1, "Main Office".into()),
            start_date: start,
            end_date: cancelled,
            cancelled_flag: cancelled.is_some(),
            reason_cancelled: cancelled.map(|_| "Replaced by a new agreement".into()),
            billing_cycle_id: cycle,
            bill_amount: dec(bill_amount),
            prorate_flag: prorate,
            currency_id: currency_id_of(currency),
            status: if cancelled.is_some() {
                "Cancelled"
            } else {
                "Active"
            }
            .into(),
            invoice_description: format!("{} cloud services", billing_cycle(cycle).name),
            date_entered: utc(start, 9, 0, 0),
            entered_by: "jsmith".into(),
            last_updated: utc(today - Days::days(30 + (id % 17) as i64), 14, 21, 7),
            next_invoice_date: None,
            last_invoice: None,
        };
        agreement.next_invoice_date = calendar::seeded_next_invoice(&agreement, today);
        self.w.add_agreement(agreement);
    }

    #[allow(clippy::too_many_arguments)]
    fn addition(
        &mut self,
        id: u64,
        agreement_id: u64,
        product_id: u64,
        quantity: &str,
        price: Option<&str>,
        cost: Option<&str>,
        bill: &str,
        effective: NaiveDate,
        cancelled: Option<NaiveDate>,
    ) {
        let item = self.w.catalog.get(&product_id).cloned();
        let (desc, taxable) = item.map_or((String::new(), false), |i| (i.description, i.taxable));
        let seq = self.w.additions_of(agreement_id).len() as u32 + 1;
        let updated = cancelled.unwrap_or(effective).max(effective);
        self.w.insert_addition(Addition {
            id,
            agreement_id,
            product_id,
            quantity: dec(quantity),
            less_included: Decimal::ZERO,
            unit_price: price.map(dec),
            unit_cost: cost.map(dec),
            bill_customer: bill.into(),
            effective_date: Some(effective),
            cancelled_date: cancelled,
            taxable_flag: taxable,
            serial_number: String::new(),
            invoice_description: desc.clone(),
            description: desc,
            sequence_number: seq,
            custom_value: None,
            date_entered: utc(effective, 7, 0, 0),
            entered_by: "jsmith".into(),
            last_updated: utc(updated, 8, 0, 0),
            updated_by: "apiuser".into(),
            back_bill_before: None,
            boundary_at_creation: None,
        });
    }
}

fn mp(mpn: &str, qty: i64) -> SubscriptionProduct {
    let p = product(mpn);
    SubscriptionProduct::recurring(p.mpn, p.name, qty, p.price, p.cost)
}

fn mp_eur(mpn: &str, qty: i64) -> SubscriptionProduct {
    let p = product(mpn);
    let mut sp = SubscriptionProduct::recurring(p.mpn, p.name, qty, p.price, p.cost);
    sp.prices[0].amount = eur(p.price);
    sp.costs[0].amount = eur(p.cost);
    sp
}

const BP: &str = "CFQ7TTC0LCHC:0002_P1M";
const EXO: &str = "CFQ7TTC0LH16:0001_P1M";
const BB: &str = "CFQ7TTC0LH18:0001_P1M";
const BS: &str = "CFQ7TTC0LDPB:0001_P1M";
const DEF: &str = "CFQ7TTC0LHSF:0001_P1M";
const ACR: &str = "ACR-CP-WS:BASE";
const APPS: &str = "CFQ7TTC0LH1G:0001_P1Y";
const D365: &str = "CFQ7TTC0LHWF:0001_P3M";

pub(super) fn seed_curated(w: &mut World) {
    let today = w.today;
    for c in &CURATED {
        w.add_customer(Customer {
            id: c.id.into(),
            name: c.name.into(),
            external_id: c.external_id.into(),
            status: "active".into(),
            address: Address {
                street: c.street.into(),
                city: c.city.into(),
                state: c.state.into(),
                postal_code: c.zip.into(),
                country_code: c.country.into(),
            },
            contact: Contact {
                first_name: c.contact.0.into(),
                last_name: c.contact.1.into(),
                email: c.contact.2.into(),
                phone: c.contact.3.into(),
            },
        });
        let (cid, ident, name) = c.company;
        w.add_company(Company {
            id: cid,
            identifier: ident.into(),
            name: name.into(),
            address_line1: c.street.into(),
            city: c.city.into(),
            state: c.state.into(),
            zip: c.zip.into(),
            country_code: c.country.into(),
            phone: c.phone.into(),
            website: c.website.into(),
            contact: (
                if cid == 250 { 881 } else { 800 + cid },
                format!("{} {}", c.contact.0, c.contact.1),
            ),
            date_entered: utc(ymd(2023, 6, 1), 9, 0, 0) + Days::days(cid as i64),
            last_updated: if cid == 250 {
                utc(ymd(2025, 1, 5), 12, 0, 0)
            } else {
                utc(today - Days::days(200 + cid as i64), 12, 0, 0)
            },
        });
    }
    for (cid, ident, name, city, state) in DISTRACTORS {
        w.add_company(Company {
            id: cid,
            identifier: ident.into(),
            name: name.into(),
            address_line1: format!("{} Main St", cid),
            city: city.into(),
            state: state.into(),
            zip: String::new(),
            country_code: "US".into(),
            phone: String::new(),
            website: String::new(),
            contact: (800 + cid, "Office Manager".into()),
            date_entered: utc(ymd(2023, 9, 1), 9, 0, 0) + Days::days(cid as i64),
            last_updated: utc(today - Days::days(300), 12, 0, 0),
        });
    }

    let d = KeyDates::new(today);
    let mut c = Curator { w, today };
    curated_subscriptions(&mut c, &d);
    curated_orders(&mut c, &d);
    curated_agreements(&mut c, &d);
    curated_additions(&mut c, &d);
    curated_drift(&mut c, &d);
}

/// The dates the curated world hangs on, relative to `today`.
struct KeyDates {
    /// Where the usage subscriptions' closed period ended (today − 23 days, at most the 28th).
    billing_day: NaiveDate,
    azure_anchor: NaiveDate,
    wingtip_usage_anchor: NaiveDate,
    apps_anchor: NaiveDate,
    /// A 31st, at least three months back.
    anchor_31: NaiveDate,
    bluewater: NaiveDate,
    northwind: NaiveDate,
    contoso: NaiveDate,
    mueller: NaiveDate,
    fabrikam_quarterly: NaiveDate,
    fabrikam_monthly: NaiveDate,
    tailspin: NaiveDate,
    wingtip: NaiveDate,
    lakeshore: NaiveDate,
    agreement_start: NaiveDate,
    green_start: NaiveDate,
}

impl KeyDates {
    fn new(today: NaiveDate) -> Self {
        let b = today - Days::days(23);
        let billing_day = if b.day() > 28 {
            ymd(b.year(), b.month(), 28)
        } else {
            b
        };
        let back =
            |d: NaiveDate, months: u32| d.checked_sub_months(Months::new(months)).unwrap_or(d);
        let anchor_31 = (3..=12)
            .map(|n| months_back(today, n, 31))
            .find(|d| d.day() == 31)
            .unwrap_or_else(|| months_back(today, 3, 31));
        KeyDates {
            billing_day,
            azure_anchor: back(billing_day, 6),
            wingtip_usage_anchor: back(billing_day, 3),
            apps_anchor: back(today - Days::days(9), 12),
            anchor_31,
            bluewater: months_back(today, 14, 5),
            northwind: months_back(today, 20, 15),
            contoso: months_back(today, 9, 1),
            mueller: months_back(today, 11, 10),
            fabrikam_quarterly: months_back(today, 7, 1),
            fabrikam_monthly: months_back(today, 16, 20),
            tailspin: months_back(today, 4, 12),
            wingtip: months_back(today, 10, 7),
            lakeshore: months_back(today, 13, 25),
            agreement_start: months_back(today, 30, 1),
            green_start: ymd(2025, 3, 1),
        }
    }
}

const GL: &str = "1000048531";
const BW: &str = "1000048602";
const NW: &str = "1000048617";
const CT: &str = "1000048655";
const MU: &str = "1000048703";
const FB: &str = "1000048729";
const TS: &str = "1000048744";
const AD: &str = "1000048790";
const WT: &str = "1000048812";
const LV: &str = "1000048835";
const RB: &str = "1000048851";
const SR: &str = "1000048876";

const MONTHLY: Period = Period::MONTHLY;
const QUARTERLY: Period = Period::QUARTERLY;
const YEARLY: Period = Period::YEARLY;
const BEFORE: &str = "chargeBeforeBillingPeriod";

/// Subscriptions as they are now, after the completed orders below.
#[rustfmt::skip]
fn curated_subscriptions(c: &mut Curator, d: &KeyDates) {
    let ago = |n: i64| c.today - Days::days(n);
    let (ago1, ago2, ago3, ago4, ago6, ago8, ago9) = (ago(1), ago(2), ago(3), ago(4), ago(6), ago(8), ago(9));
    let (ago10, ago11, ago12, ago13, ago15, ago17, ago19) = (ago(10), ago(11), ago(12), ago(13), ago(15), ago(17), ago(19));
    let (ago21, ago40, ago48) = (ago(21), ago(40), ago(48));
    c.monthly("1000517", GL, d.green_start, ago8, vec![mp(BP, 25).with_setup("0.00", None), mp(EXO, 9)]);
    c.sub("1000519", GL, "active", d.apps_anchor, Some(d.apps_anchor), ago9, BEFORE, YEARLY, YEARLY, "USD", vec![mp(APPS, 3)]);
    c.sub("1000522", GL, "active", d.azure_anchor, Some(d.azure_anchor), d.billing_day, "usage", MONTHLY, MONTHLY, "USD",
        vec![SubscriptionProduct::usage("AZ-PLAN-USAGE", "Azure plan", "0", "5120.75", "0.0025", "0.002125")]);
    c.monthly("1000530", BW, d.bluewater, ago1, vec![mp(BS, 16)]);
    c.sub("1000531", BW, "pending", ago10, Some(ago10), ago10, BEFORE, MONTHLY, YEARLY, "USD", vec![mp(DEF, 14)]);
    c.monthly("1000532", NW, d.northwind, d.northwind, vec![mp(BB, 40)]);
    c.monthly("1000533", NW, ago17, ago17, vec![mp(DEF, 40)]);
    c.monthly("1000534", CT, d.contoso, ago11, vec![mp(BP, 8)]);
    c.sub("1000535", MU, "active", d.mueller, Some(d.mueller), d.mueller, BEFORE, MONTHLY, YEARLY, "EUR", vec![mp_eur(BS, 10)]);
    c.sub("1000536", MU, "active", ago19, Some(ago19), ago19, BEFORE, MONTHLY, YEARLY, "EUR", vec![mp_eur(EXO, 5)]);
    c.sub("1000537", FB, "cancelled", d.fabrikam_quarterly, Some(d.fabrikam_quarterly), ago21, BEFORE, QUARTERLY, YEARLY, "USD",
        vec![SubscriptionProduct::recurring(D365, "Dynamics 365 Business Central Essentials", 5, "210.00", "178.50")]);
    c.monthly("1000538", FB, d.fabrikam_monthly, d.fabrikam_monthly, vec![mp(BB, 12)]);
    c.sub("1000539", TS, "active", d.tailspin, Some(d.tailspin), ago13, BEFORE, YEARLY, YEARLY, "USD", vec![mp(APPS, 13)]);
    c.monthly("1000540", AD, d.anchor_31, ago15, vec![mp(BS, 18), mp(DEF, 22)]);
    c.sub("1000541", WT, "active", d.wingtip_usage_anchor, Some(d.wingtip_usage_anchor), d.billing_day, "usage", MONTHLY, MONTHLY, "USD", vec![
        SubscriptionProduct::usage("AZ-BACKUP-GB", "Azure Backup storage (GB)", "500", "127.5", "0.024", "0.0204"),
        SubscriptionProduct::usage("AZ-AVD-HRS", "Azure Virtual Desktop (hours)", "100", "38.25", "0.45", "0.3825"),
    ]);
    c.monthly("1000542", WT, d.wingtip, ago2, vec![mp(BB, 12)]);
    c.sub("1000543", LV, "cancelled", d.lakeshore, Some(d.lakeshore), ago6, BEFORE, MONTHLY, YEARLY, "USD", vec![mp(BS, 6)]);
    c.monthly("1000544", RB, ago12, ago12, vec![mp(ACR, 15).with_setup("49.00", Some("0.00"))]);
    // No billingStartDate: the anchor is the creation date.
    c.sub("1000545", RB, "active", ago48, None, ago48, BEFORE, MONTHLY, YEARLY, "USD", vec![mp(BB, 11)]);
    c.monthly("1000546", SR, ago4, ago4, vec![mp(BP, 7)]);
    c.monthly("1000547", SR, ago40, ago40, vec![mp(BB, 5)]);
    c.sub("1000548", FB, "cancelled", ago3, Some(ago3), ago3, BEFORE, MONTHLY, YEARLY, "USD", vec![mp(DEF, 12)]);
}

#[rustfmt::skip]
fn curated_orders(c: &mut Curator, d: &KeyDates) {
    let ago = |n: i64| c.today - Days::days(n);
    let (ago1, ago2, ago3, ago4, ago6, ago8, ago9, ago10) = (ago(1), ago(2), ago(3), ago(4), ago(6), ago(8), ago(9), ago(10));
    let (ago11, ago12, ago13, ago15, ago17, ago19, ago21) = (ago(11), ago(12), ago(13), ago(15), ago(17), ago(19), ago(21));
    let (ago37, ago40, ago48) = (ago(37), ago(40), ago(48));
    // Older than 35 days: outside the app's first 30-day window.
    c.order("1000201", "sales", RB, at(ago48, 15, 2, 9), "completed", &[("1000545", BB, "11")]);
    c.order("1000202", "sales", SR, at(ago40, 14, 3, 55), "completed", &[("1000547", BB, "5")]);
    c.order("1000203", "change", LV, at(ago37, 11, 30, 0), "completed", &[("1000543", BS, "1")]);
    // The last 28 days.
    c.order("1000240", "billing", GL, at(d.billing_day, 0, 5, 0), "completed", &[("1000522", "AZ-PLAN-USAGE", "18250.5")]);
    c.order("1000218", "billing", WT, at(d.billing_day, 0, 7, 30), "completed",
        &[("1000541", "AZ-BACKUP-GB", "412"), ("1000541", "AZ-AVD-HRS", "164.25")]);
    c.order("1000219", "cancellation", FB, at(ago21, 15, 22, 10), "completed", &[("1000537", D365, "-5")]);
    if let Some(o) = c.w.orders.get_mut("1000219") {
        o.products.push(OrderProduct {
            mpn: "CANCELLATION-FEE".into(),
            name: "Early cancellation fee".into(),
            quantity: Decimal::ONE,
            subscription_id: "1000537".into(),
            extended_price: dec("25.00"),
            currency: "USD".into(),
        });
    }
    c.order("1000220", "sales", MU, at(ago19, 8, 45, 0), "completed", &[("1000536", EXO, "5")]);
    c.order("1000221", "sales", NW, at(ago17, 13, 10, 27), "completed", &[("1000533", DEF, "40")]);
    c.order("1000222", "change", AD, at(ago15, 16, 55, 3), "completed", &[("1000540", BS, "-4")]);
    c.order("1000223", "change", TS, at(ago13, 10, 20, 0), "completed", &[("1000539", APPS, "3")]);
    c.order("1000224", "sales", RB, at(ago12, 9, 0, 41), "completed", &[("1000544", ACR, "15")]);
    c.order("1000225", "change", CT, at(ago11, 12, 12, 12), "completed", &[("1000534", BP, "2")]);
    c.order("1000229", "sales", BW, at(ago10, 16, 40, 0), "processing", &[("1000531", DEF, "14")]);
    c.order("1000230", "renewal", GL, at(ago9, 0, 0, 2), "completed", &[("1000519", APPS, "3")]);
    c.order("1000231", "change", GL, at(ago8, 10, 4, 11), "completed", &[("1000517", BP, "5"), ("1000517", EXO, "-2")]);
    c.order("1000232", "cancellation", LV, at(ago6, 17, 48, 30), "completed", &[("1000543", BS, "-6")]);
    c.order("1000233", "sales", SR, at(ago4, 11, 15, 0), "completed", &[("1000546", BP, "7")]);
    c.order("1000234", "sales", FB, at(ago3, 10, 0, 0), "cancelled", &[("1000548", DEF, "12")]);
    c.order("1000235", "change", WT, at(ago2, 14, 30, 0), "completed", &[("1000542", BB, "3")]);
    c.order("1000236", "change", BW, at(ago1, 9, 5, 19), "completed", &[("1000530", BS, "2")]);
}

/// Billing cycles: 1 Monthly, 2 Quarterly, 4 Yearly.
#[rustfmt::skip]
fn curated_agreements(c: &mut Curator, d: &KeyDates) {
    let start = d.agreement_start;
    let gl_start = ymd(2024, 1, 1);
    c.agreement(4127, "Green Lane - Microsoft 365", 250, 1, "USD", "150.0", false, gl_start, None);
    c.agreement(4128, "Green Lane - Annual licenses", 250, 4, "USD", "0.0", false, gl_start, None);
    c.agreement(4129, "Green Lane - EU subsidiary", 250, 1, "EUR", "40.0", false, ymd(2025, 6, 1).min(start), None);
    c.agreement(4130, "Bluewater Dental - Cloud", 252, 1, "USD", "95.0", false, start, None);
    c.agreement(4131, "Northwind - Microsoft 365", 253, 1, "USD", "0.0", false, start, None);
    c.agreement(4132, "Northwind - Security Services", 253, 1, "USD", "250.0", false, start, None);
    c.agreement(4133, "Contoso - Managed Services", 254, 2, "USD", "1200.0", false, start, None);
    c.agreement(4134, "Contoso - Licenses (EUR)", 254, 1, "EUR", "0.0", false, start, None);
    c.agreement(4135, "Müller & Söhne - Cloud", 255, 1, "EUR", "60.0", false, start, None);
    c.agreement(4136, "Fabrikam - Dynamics 365", 256, 2, "USD", "0.0", false, start, None);
    c.agreement(4137, "Fabrikam - Microsoft 365", 256, 1, "USD", "75.0", false, start, None);
    c.agreement(4138, "Tailspin - Annual", 257, 4, "USD", "0.0", true, start, None);
    c.agreement(4139, "Adatum - Cloud Services", 258, 1, "USD", "120.0", false, start, None);
    c.agreement(4140, "Wingtip - Azure and Microsoft 365", 259, 1, "USD", "0.0", false, start, None);
    let (lv_old_start, lv_old_end) = lakeshore_old_agreement(d);
    c.agreement(4141, "Lakeshore Vet - Microsoft 365 (old)", 260, 1, "USD", "50.0", false, lv_old_start, Some(lv_old_end));
    c.agreement(4142, "Lakeshore Vet - Microsoft 365", 260, 1, "USD", "50.0", false, d.lakeshore, None);
    c.agreement(4143, "Riverbend - Cloud Backup", 261, 1, "USD", "0.0", false, start, None);
    c.agreement(4144, "Summit Ridge - Microsoft 365", 262, 1, "USD", "0.0", false, start, None);
    c.agreement(4145, "Green Leaf - Maintenance", 251, 1, "USD", "300.0", false, start, None);
    let today = c.today;
    // Invoiced in advance: ConnectWise has already invoiced the current period of these three,
    // so their orders of the last weeks fall in an invoiced period (SPEC §16).
    for id in [4138, 4139, 4140] {
        if let Some(a) = c.w.agreements.get_mut(&id) {
            a.next_invoice_date = calendar::invoiced_in_advance(a, today);
        }
    }
    if let Some(a) = c.w.agreements.get_mut(&4127) {
        a.location = (2, "Tampa Office".into());
        a.invoice_description = "Monthly cloud services".into();
        a.date_entered = utc(gl_start, 9, 0, 0);
        a.entered_by = "dwhitfield".into();
        a.last_updated = utc(today - Days::days(22), 14, 21, 7);
    }
}

/// Lakeshore's old agreement ran for two years until its current subscription started.
fn lakeshore_old_agreement(d: &KeyDates) -> (NaiveDate, NaiveDate) {
    let end = d.lakeshore - Days::days(1);
    (end.checked_sub_months(Months::new(24)).unwrap_or(end), end)
}

/// Additions as they were before the orders of the last 28 days (catalog ids: 611 M365-BP,
/// 612 EXO-P1, 613 AZ-PLAN, 614 M365-APPS, 615 M365-BB, 616 M365-BS, 617 DEF-BUS, 618 D365-BC,
/// 625 MSSP-MON).
#[rustfmt::skip]
fn curated_additions(c: &mut Curator, d: &KeyDates) {
    let today = c.today;
    let (ago37, ago38, ago40, ago48) = (today - Days::days(37), today - Days::days(38), today - Days::days(40), today - Days::days(48));
    let (lv_old_start, lv_old_end) = lakeshore_old_agreement(d);
    let p = Some;
    c.addition(30210, 4127, 612, "3", p("4.0"), p("3.4"), "DoNotBill", ymd(2024, 2, 15), Some(ymd(2025, 2, 28)));
    c.addition(30211, 4127, 611, "20", p("22.0"), p("18.7"), "Billable", d.green_start, None);
    c.addition(30212, 4127, 612, "11", p("4.0"), p("3.4"), "Billable", d.green_start, None);
    c.addition(30213, 4127, 613, "1", p("0.0025"), None, "NoCharge", d.azure_anchor, None);
    c.addition(30214, 4128, 614, "3", p("99.0"), p("84.15"), "Billable", d.apps_anchor, None);
    c.addition(30215, 4129, 615, "2", p("5.58"), p("4.74"), "Billable", ymd(2025, 6, 1), None);
    c.addition(30220, 4130, 616, "14", p("12.5"), p("10.63"), "Billable", d.bluewater, None);
    c.addition(30221, 4131, 615, "40", p("6.0"), p("5.1"), "Billable", d.northwind, None);
    c.addition(30222, 4132, 625, "40", p("8.0"), p("2.0"), "Billable", d.northwind, None);
    c.addition(30223, 4133, 611, "6", p("22.0"), p("18.7"), "Billable", d.contoso, None);
    c.addition(30224, 4135, 616, "10", p("11.63"), p("9.89"), "Billable", d.mueller, None);
    c.addition(30225, 4136, 618, "5", p("210.0"), p("178.5"), "Billable", d.fabrikam_quarterly, None);
    c.addition(30226, 4137, 615, "12", p("6.0"), p("5.1"), "Billable", d.fabrikam_monthly, None);
    c.addition(30227, 4138, 614, "10", p("99.0"), p("84.15"), "Billable", d.tailspin, None);
    c.addition(30228, 4139, 616, "22", p("12.5"), p("10.63"), "Billable", d.anchor_31, None);
    c.addition(30229, 4139, 617, "22", p("3.0"), p("2.55"), "Billable", d.anchor_31, None);
    c.addition(30230, 4140, 615, "9", p("6.0"), p("5.1"), "Billable", d.wingtip, None);
    c.addition(30231, 4141, 612, "5", p("4.0"), p("3.4"), "Billable", lv_old_start, Some(lv_old_end));
    c.addition(30232, 4142, 616, "5", p("12.5"), p("10.63"), "Billable", d.lakeshore, Some(ago38));
    c.addition(30233, 4142, 616, "6", p("12.5"), p("10.63"), "Billable", ago37, None);
    c.addition(30234, 4143, 615, "11", p("6.0"), p("5.1"), "Billable", ago48, None);
    c.addition(30235, 4144, 615, "5", p("6.0"), p("5.1"), "Billable", ago40, None);
    c.addition(30236, 4145, 615, "4", p("6.0"), p("5.1"), "Billable", d.agreement_start, None);
    if let Some(a) = c.w.additions.get_mut(&30210) {
        a.last_updated = utc(ymd(2025, 2, 28), 17, 45, 12);
    }
    if let Some(a) = c.w.additions.get_mut(&30211) {
        a.last_updated = utc(today - Days::days(54), 8, 0, 0);
    }
}

/// Customers whose ConnectWise agreements were never touched by an order: they are seen by the
/// app through their renewal orders (which make no task) and reconciled like any other.
/// How many they are.
pub const RECONCILED_CUSTOMERS: usize = 3;
const HARBORVIEW: &str = "1000048890";
const ALPENBLICK: &str = "1000048905";
const PINECREST: &str = "1000048920";

/// A product the ConnectWise catalog has no item for.
const POWER_BI: &str = "CFQ7TTC0PBIP:0001_P1M";

impl Curator<'_> {
    /// A customer and its company (same name), beside the curated twelve.
    #[allow(clippy::too_many_arguments)]
    fn customer(
        &mut self,
        id: &str,
        name: &str,
        city: &str,
        country: &str,
        company: (u64, &str),
        contact: (&str, &str, &str),
    ) {
        let domain = contact.2.split('@').nth(1).unwrap_or_default().to_owned();
        self.w.add_customer(Customer {
            id: id.into(),
            name: name.into(),
            external_id: format!("RC-{}", &id[id.len().saturating_sub(3)..]),
            status: "active".into(),
            address: Address {
                street: "1 Harbour Road".into(),
                city: city.into(),
                state: String::new(),
                postal_code: String::new(),
                country_code: country.into(),
            },
            contact: Contact {
                first_name: contact.0.into(),
                last_name: contact.1.into(),
                email: contact.2.into(),
                phone: String::new(),
            },
        });
        let today = self.today;
        self.w.add_company(Company {
            id: company.0,
            identifier: company.1.into(),
            name: name.into(),
            address_line1: "1 Harbour Road".into(),
            city: city.into(),
            state: String::new(),
            zip: String::new(),
            country_code: country.into(),
            phone: String::new(),
            website: domain,
            contact: (800 + company.0, format!("{} {}", contact.0, contact.1)),
            date_entered: utc(ymd(2024, 2, 1), 9, 0, 0),
            last_updated: utc(today - Days::days(90), 12, 0, 0),
        });
    }
}

/// Drift of every kind for Reconcile (SPEC §13), in USD and EUR, monthly and yearly, beside what
/// the pending orders leave: a price edited in ConnectWise, an addition entered twice, a
/// product the catalog lacks, a cancelled subscription still billed; and two customers whose
/// agreements are right. None of it touches an agreement a pending order's task plans on.
#[rustfmt::skip]
fn curated_drift(c: &mut Curator, d: &KeyDates) {
    let today = c.today;
    let p = Some;
    let start = d.agreement_start;
    let (ago3, ago5, ago7) = (today - Days::days(3), today - Days::days(5), today - Days::days(7));
    let yearly_anchor = months_back(today, 5, 10);
    let monthly_anchor = months_back(today, 8, 3);

    // Müller & Söhne: annual licences in EUR, the price in ConnectWise older than the
    // marketplace's (89.00 against 92.07).
    c.sub("1000560", MU, "active", yearly_anchor, Some(yearly_anchor), yearly_anchor, BEFORE, YEARLY, YEARLY, "EUR", vec![mp_eur(APPS, 4)]);
    c.agreement(4146, "Müller & Söhne - Annual licences", 255, 4, "EUR", "0.0", false, start, None);
    c.addition(30240, 4146, 614, "4", p("89.0"), p("78.26"), "Billable", yearly_anchor, None);

    // Contoso's EUR licences: Defender entered twice, Basic for 10 where the marketplace has 12.
    c.sub("1000561", CT, "active", monthly_anchor, Some(monthly_anchor), monthly_anchor, BEFORE, MONTHLY, YEARLY, "EUR", vec![mp_eur(DEF, 10), mp_eur(BB, 12)]);
    c.addition(30241, 4134, 617, "10", p("2.79"), p("2.37"), "Billable", monthly_anchor, None);
    c.addition(30242, 4134, 617, "10", p("2.79"), p("2.37"), "Billable", monthly_anchor, None);
    c.addition(30243, 4134, 615, "10", p("5.58"), p("4.74"), "Billable", monthly_anchor, None);

    // Harborview Realty: monthly and annual USD, all right.
    c.customer(HARBORVIEW, "Harborview Realty", "Savannah", "US", (267, "HarborviewRealty"), ("Nora", "Quinn", "nora@harborview.example"));
    c.monthly("1000562", HARBORVIEW, monthly_anchor, monthly_anchor, vec![mp(BB, 10), mp(DEF, 10)]);
    c.sub("1000563", HARBORVIEW, "active", yearly_anchor, Some(yearly_anchor), ago5, BEFORE, YEARLY, YEARLY, "USD", vec![mp(APPS, 2)]);
    c.agreement(4147, "Harborview - Microsoft 365", 267, 1, "USD", "0.0", false, start, None);
    c.agreement(4148, "Harborview - Annual licences", 267, 4, "USD", "0.0", false, start, None);
    c.addition(30244, 4147, 615, "10", p("6.0"), p("5.1"), "Billable", monthly_anchor, None);
    c.addition(30245, 4147, 617, "10", p("3.0"), p("2.55"), "Billable", monthly_anchor, None);
    c.addition(30246, 4148, 614, "2", p("99.0"), p("84.15"), "Billable", yearly_anchor, None);
    c.order("1000241", "renewal", HARBORVIEW, at(ago5, 0, 0, 5), "completed", &[("1000563", APPS, "2")]);

    // Alpenblick Hotels: monthly and annual EUR, all right.
    c.customer(ALPENBLICK, "Alpenblick Hotels AG", "Innsbruck", "AT", (268, "AlpenblickHotels"), ("Lena", "Gruber", "lena@alpenblick.example"));
    c.sub("1000564", ALPENBLICK, "active", monthly_anchor, Some(monthly_anchor), monthly_anchor, BEFORE, MONTHLY, YEARLY, "EUR", vec![mp_eur(BS, 6)]);
    c.sub("1000565", ALPENBLICK, "active", yearly_anchor, Some(yearly_anchor), ago7, BEFORE, YEARLY, YEARLY, "EUR", vec![mp_eur(APPS, 3)]);
    c.agreement(4149, "Alpenblick - Cloud", 268, 1, "EUR", "0.0", false, start, None);
    c.agreement(4150, "Alpenblick - Annual licences", 268, 4, "EUR", "0.0", false, start, None);
    c.addition(30247, 4149, 616, "6", p("11.63"), p("9.89"), "Billable", monthly_anchor, None);
    c.addition(30248, 4150, 614, "3", p("92.07"), p("78.26"), "Billable", yearly_anchor, None);
    c.order("1000242", "renewal", ALPENBLICK, at(ago7, 0, 0, 7), "completed", &[("1000565", APPS, "3")]);

    // Pinecrest Dental Studio (USD): Business Premium at an old price, Exchange entered twice,
    // Power BI (no catalog item), and cancelled annual licences still billed.
    c.customer(PINECREST, "Pinecrest Dental Studio", "Boise", "US", (269, "PinecrestDental"), ("Ravi", "Menon", "ravi@pinecrestdental.example"));
    let mut power_bi = mp(BP, 3);
    power_bi.mpn = POWER_BI.into();
    power_bi.name = "Power BI Pro".into();
    power_bi.prices[0].amount = dec("10.00");
    power_bi.costs[0].amount = dec("8.50");
    c.monthly("1000566", PINECREST, monthly_anchor, ago3, vec![mp(BP, 5), mp(EXO, 5), power_bi]);
    c.sub("1000567", PINECREST, "cancelled", yearly_anchor, Some(yearly_anchor), ago3, BEFORE, YEARLY, YEARLY, "USD", vec![mp(APPS, 2)]);
    c.agreement(4151, "Pinecrest - Microsoft 365", 269, 1, "USD", "0.0", false, start, None);
    c.agreement(4152, "Pinecrest - Annual licences", 269, 4, "USD", "0.0", false, start, None);
    c.addition(30249, 4151, 611, "5", p("20.0"), p("18.7"), "Billable", monthly_anchor, None);
    c.addition(30250, 4151, 612, "5", p("4.0"), p("3.4"), "Billable", monthly_anchor, None);
    c.addition(30251, 4151, 612, "5", p("4.0"), p("3.4"), "Billable", monthly_anchor, None);
    c.addition(30252, 4152, 614, "2", p("99.0"), p("84.15"), "Billable", yearly_anchor, None);
    c.order("1000243", "renewal", PINECREST, at(ago3, 0, 0, 3), "completed", &[("1000566", BP, "5")]);
}
