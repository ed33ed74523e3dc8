//! The suggestion indexes rank exactly like the exhaustive scans they stand in for: over the Demo
//! world's companies and catalog and over a generated list of 2,000 company names, for names that
//! match, nearly match (legal forms, punctuation, accents, typos, cut short) or match nothing, the
//! index's top N is the exhaustive top N — the same records, scores and order of ties.
//!
//! Callers only act on suggestions scoring at least `MIN_SCORE` (60, Check Changes) or show the
//! best five (the wizard); this asserts more — every row of the top N — so an index that drops a
//! weak but winning candidate fails here.
//!
//! The exhaustive reference is slow in a debug build: `SUGGEST_CASES=500` runs more generated
//! names than the default.

mod support;

use agreement_sync_core::check::{check_changes, CheckOptions};
use agreement_sync_core::connectwise::wire::{CatalogItem, Company};
use agreement_sync_core::store::Store;
use agreement_sync_core::suggest::{self, CatalogIndex, CompanyIndex, Ranked};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// The N the callers ask for (Check Changes 2, the wizard 5, the company search 50), and more.
const LIMITS: [usize; 5] = [1, 2, 5, 12, 50];

fn cases() -> u32 {
    std::env::var("SUGGEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
}

// ---------------------------------------------------------------------------------------------
// A generated list of companies, deterministic (word lists and a fixed-seed generator)

// The simulator's own words, so that the generated companies look like its world's.
use agreement_sync_sim::names::{ADJECTIVES, NOUNS};

const FORMS: [&str; 16] = [
    "LLC", "Inc.", "Ltd", "GmbH", "Co.", "Corp", "PLLC", "P.A.", "S.A.", "AG", "Group", "Partners",
    "& Sons", "Limited", "B.V.", "",
];

const PEOPLE: [&str; 16] = [
    "Smith", "Johnson", "García", "Nguyen", "Patel", "Brown", "Müller", "Davis", "López", "Clark",
    "O'Brien", "Walker", "Hall", "Young", "Søren", "Wright",
];

const ODD: [&str; 20] = [
    "3M",
    "AB",
    "Q Inc",
    "X",
    "A&B",
    "The Company",
    "LLC",
    "",
    "Café Olé",
    "Crème Brûlée Bakery",
    "Zürich Re",
    "Niño's Tacos",
    "日本企業",
    "Ωmega Labs",
    "ACME",
    "Acme Corp.",
    "I.B.M.",
    "the the",
    "Co-op Food",
    "7-Eleven #2201",
];

/// A deterministic sequence (a 64-bit LCG): the list is the same on every run and machine.
struct Seq(u64);

impl Seq {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.next(list.len())]
    }
}

fn compact(text: &str) -> String {
    text.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

/// About 2,000 companies named like a reseller's: adjective + trade + legal form, partnerships,
/// accents and punctuation, very short names, a few with the same name, some deleted, some
/// with an identifier unlike their name or none.
fn generated_companies(count: usize) -> Vec<Company> {
    let mut seq = Seq(20_261_124);
    let mut list = Vec::with_capacity(count);
    for i in 0..count {
        let id = 10_000 + i as i64;
        let (name, base) = match i % 10 {
            0..=5 => {
                let base = format!("{} {}", seq.pick(&ADJECTIVES), seq.pick(&NOUNS));
                (format!("{base} {}", seq.pick(&FORMS)), base)
            }
            6 => {
                let base = format!("{} & {}", seq.pick(&PEOPLE), seq.pick(&PEOPLE));
                let form = seq.pick(&["LLP", "PC", "CPAs", "Law", ""]);
                (format!("{base} {form}"), base)
            }
            7 => {
                let base = format!("{} {}", seq.pick(&ADJECTIVES), seq.pick(&NOUNS));
                let city = seq.pick(&["Tampa", "Austin", "Denver", "Boston", "Köln"]);
                (format!("{base} of {city}"), base)
            }
            8 => {
                let base = format!("{} {}", seq.pick(&PEOPLE), seq.pick(&NOUNS));
                (format!("{base}, {}", seq.pick(&FORMS)), base)
            }
            _ => {
                let name = seq.pick(&ODD).to_owned();
                (name.clone(), name)
            }
        };
        // Now and then the same name as an earlier company.
        let name = if i % 97 == 50 {
            list.get(i / 2).map_or(name, |c: &Company| c.name.clone())
        } else {
            name
        };
        let identifier = match i % 29 {
            0 => String::new(),
            13 => format!("C{id}"),
            _ => {
                let mut ident = compact(&base);
                ident.truncate(20);
                format!("{ident}{}", i % 7)
            }
        };
        list.push(Company {
            id,
            identifier,
            name,
            deleted: i % 41 == 7,
            info: None,
        });
    }
    list
}

const VENDORS: [&str; 6] = ["Microsoft", "Adobe", "Acronis", "Dropbox", "Zoom", "Cisco"];
const PRODUCTS: [&str; 12] = [
    "365 Business Premium",
    "365 Business Standard",
    "365 Business Basic",
    "Exchange Online (Plan 1)",
    "Exchange Online (Plan 2)",
    "Teams Essentials",
    "Creative Cloud All Apps",
    "Acrobat Pro",
    "Cyber Protect Backup",
    "Business Plus",
    "Meetings Pro",
    "Defender for Business",
];
const TERMS: [&str; 5] = ["", "(Monthly)", "(Annual)", "NCE 1 Year", "Add-on"];

/// A few hundred catalog items: vendor, product and term; most with a part number, a few
/// inactive, a few sharing a part number, a few whose identifier is another's part number.
fn generated_catalog(count: usize) -> Vec<CatalogItem> {
    let mut seq = Seq(611);
    (0..count)
        .map(|i| {
            let description = format!(
                "{} {} {}",
                seq.pick(&VENDORS),
                seq.pick(&PRODUCTS),
                seq.pick(&TERMS)
            )
            .trim()
            .to_owned();
            let mpn = match i % 11 {
                0 => None,
                1 => Some(String::new()),
                // Shared with the item before it.
                2 => Some(format!("CFQ7TTC0{:04X}", i - 1)),
                _ => Some(format!("CFQ7TTC0{i:04X}")),
            };
            let identifier = if i % 17 == 3 {
                format!("CFQ7TTC0{:04X}", i + 5)
            } else {
                format!("SKU-{i}")
            };
            CatalogItem {
                id: 5_000 + i as i64,
                identifier,
                customer_description: (i % 5 == 0).then(|| format!("{description} for clients")),
                description,
                price: None,
                cost: None,
                taxable_flag: false,
                inactive_flag: i % 13 == 4,
                manufacturer_part_number: mpn,
                info: None,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Names to look for

/// A name as a customer might be called in the marketplace, from a company's name: the same,
/// or changed one of many ways (`how`), or unrelated to it.
fn customer_name(company: &Company, how: u8, n: u32) -> String {
    let name = company.name.as_str();
    let chars: Vec<char> = name.chars().collect();
    let at = |len: usize| if len == 0 { 0 } else { n as usize % len };
    match how {
        0 => name.to_owned(),
        1 => format!(
            "{} LLC",
            name.rsplit_once(' ').map_or(name, |(head, _)| head)
        ),
        2 => name.to_uppercase(),
        3 => name.replace(['.', ',', '\''], "").to_lowercase(),
        4 => name.replace('e', "é").replace('o', "ö"),
        5 => {
            // A letter left out.
            let k = at(chars.len());
            chars
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != k)
                .map(|(_, c)| c)
                .collect()
        }
        6 => {
            // Two letters swapped.
            let mut c = chars.clone();
            if c.len() > 1 {
                let k = at(c.len() - 1);
                c.swap(k, k + 1);
            }
            c.into_iter().collect()
        }
        7 => chars[..at(chars.len() + 1)].iter().collect(),
        8 => {
            let mut words: Vec<&str> = name.split_whitespace().collect();
            words.reverse();
            words.join(" ")
        }
        9 => company.identifier.clone(),
        10 => format!("The {name} Holdings"),
        11 => name.replace('&', "and").replace(" and ", " & "),
        12 => {
            let mut seq = Seq(u64::from(n));
            format!("{} {}", seq.pick(&NOUNS), seq.pick(&ADJECTIVES))
        }
        13 => {
            let mut seq = Seq(u64::from(n));
            let letters = "abcdefghijklmnopqrstuvwxyz";
            (0..seq.next(4))
                .map(|_| letters.as_bytes()[seq.next(26)] as char)
                .collect()
        }
        _ => {
            let mut seq = Seq(u64::from(n));
            format!("{} {}", seq.pick(&PEOPLE), seq.pick(&ODD))
        }
    }
}

/// Names chosen for the edges: empty, punctuation only, shorter than a trigram, only legal
/// forms, accents, scripts without case, nothing like any company, very long.
fn edge_names() -> Vec<String> {
    let mut names: Vec<String> = [
        "",
        " ",
        "&",
        ".,;",
        "Q",
        "q",
        "ab",
        "AB",
        "3M",
        "LLC",
        "The",
        "Inc.",
        "The Company",
        "Müller & Söhne GmbH",
        "Muller and Sohne",
        "Green Lane LLC",
        "Green Lane",
        "GreenLane",
        "green-lane",
        "Bluewater Dental Group, P.A.",
        "Zeta Quantum Widgets",
        "Acme",
        "Xyzzy Plugh",
        "ÀÉÎÕÜ",
        "日本企業",
        "O'Brien",
        "Cafe Ole",
        "Apex Dental",
        "apexdental",
        "Dental Apex",
        "Smith & Smith",
        "C10013",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    names.push("Pinnacle Heating & Air ".repeat(12));
    names
}

// ---------------------------------------------------------------------------------------------
// The comparison

fn rows<T>(ranked: &[Ranked<'_, T>], id: impl Fn(&T) -> i64) -> Vec<(i64, u8)> {
    ranked.iter().map(|r| (id(r.item), r.score)).collect()
}

fn same_companies(index: &CompanyIndex, list: &[Company], name: &str) -> Result<(), String> {
    let all = suggest::companies(name, list, usize::MAX);
    for limit in LIMITS {
        let expected = rows(&all[..limit.min(all.len())], |c| c.id);
        let got = rows(&index.rank(name, limit), |c| c.id);
        if got != expected {
            return Err(format!(
                "top {limit} for {name:?}:\n  index      {got:?}\n  exhaustive {expected:?}"
            ));
        }
    }
    Ok(())
}

fn same_items(
    index: &CatalogIndex,
    catalog: &[CatalogItem],
    mpn: &str,
    name: &str,
) -> Result<(), String> {
    let all = suggest::catalog_items(mpn, name, catalog, usize::MAX);
    for limit in LIMITS {
        let expected = rows(&all[..limit.min(all.len())], |c| c.id);
        let got = rows(&index.rank(mpn, name, limit), |c| c.id);
        if got != expected {
            return Err(format!(
                "top {limit} for {mpn:?} {name:?}:\n  index      {got:?}\n  exhaustive {expected:?}"
            ));
        }
    }
    Ok(())
}

fn check_names(list: &[Company], names: impl IntoIterator<Item = String>) {
    let index = CompanyIndex::new(list.to_vec());
    let failures: Vec<String> = names
        .into_iter()
        .filter_map(|name| same_companies(&index, list, &name).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Generated names for `list`: each a company's name changed one of the ways of
/// [`customer_name`].
fn names_for(list: &[Company]) -> impl Strategy<Value = String> + '_ {
    (0..list.len(), 0u8..15, any::<u32>()).prop_map(|(i, how, n)| customer_name(&list[i], how, n))
}

fn run_generated(list: &[Company], cases: u32) {
    let index = CompanyIndex::new(list.to_vec());
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&names_for(list), |name| {
            same_companies(&index, list, &name).map_err(TestCaseError::fail)
        })
        .unwrap();
}

#[test]
fn two_thousand_companies_rank_the_same_for_the_edge_names() {
    let list = generated_companies(2_000);
    check_names(&list, edge_names());
}

#[test]
fn two_thousand_companies_rank_the_same_for_each_way_a_name_changes() {
    let list = generated_companies(2_000);
    // Every way once, on companies of each kind.
    let names = (0u8..15).flat_map(|how| {
        let list = &list;
        [3usize, 27, 49]
            .into_iter()
            .map(move |i| customer_name(&list[i * (how as usize + 1)], how, 7 * u32::from(how)))
    });
    check_names(&list, names.collect::<Vec<_>>());
}

#[test]
fn two_thousand_companies_rank_the_same_for_generated_names() {
    run_generated(&generated_companies(2_000), cases());
}

#[test]
fn a_small_list_ranks_the_same_even_below_any_threshold() {
    // With few companies the top five reach deep into weak scores.
    let list = generated_companies(40);
    check_names(&list, edge_names());
    run_generated(&list, cases() * 4);
}

#[test]
fn the_catalog_ranks_the_same_by_part_number_and_by_name() {
    let catalog = generated_catalog(300);
    let index = CatalogIndex::new(catalog.clone());
    let mut failures = Vec::new();
    for (i, item) in catalog.iter().enumerate().step_by(5) {
        let mpn = item.manufacturer_part_number.clone().unwrap_or_default();
        let queries = [
            // The marketplace's MPN: part number, then the plan and term.
            (format!("{mpn}:0002_P1M"), item.description.clone()),
            (mpn.to_lowercase(), "Something else entirely".to_owned()),
            (item.identifier.clone(), String::new()),
            (format!("ZZZ{i}:0001"), item.description.to_uppercase()),
            (String::new(), item.description.replace("Microsoft ", "")),
            (
                "AZ-PLAN-USAGE".to_owned(),
                customer_name(
                    &Company {
                        id: 0,
                        identifier: String::new(),
                        name: item.description.clone(),
                        deleted: false,
                        info: None,
                    },
                    (i % 15) as u8,
                    i as u32,
                ),
            ),
        ];
        for (mpn, name) in queries {
            if let Err(e) = same_items(&index, &catalog, &mpn, &name) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_part_number_match_is_found_whatever_the_name() {
    let catalog = generated_catalog(300);
    let index = CatalogIndex::new(catalog.clone());
    for item in catalog.iter().filter(|c| !c.inactive_flag).filter(|c| {
        c.manufacturer_part_number
            .as_deref()
            .is_some_and(|m| !m.is_empty())
    }) {
        let mpn = format!(
            "{}:0001_P1Y",
            item.manufacturer_part_number.as_deref().unwrap_or_default()
        );
        let ranked = index.rank(&mpn, "Qqqq", 12);
        assert!(
            ranked
                .iter()
                .any(|r| r.item.id == item.id && r.score == 100),
            "{mpn} finds {}: {:?}",
            item.id,
            rows(&ranked, |c| c.id)
        );
    }
}

/// The Demo world: its companies and catalog as Check Changes caches them, its customers' names
/// as the tasks carry them.
#[tokio::test]
async fn the_demo_world_ranks_the_same() {
    let sim = support::sim_with(60).await;
    let store = Store::open_in_memory().unwrap();
    let connectwise = support::connectwise(&sim);
    check_changes(
        &support::marketplace(&sim),
        Some(&connectwise),
        &store,
        &CheckOptions::default(),
        support::now(),
        &|_| {},
    )
    .await
    .unwrap();
    let companies = connectwise.companies(None).await.unwrap().rows;
    let catalog = connectwise.catalog(None).await.unwrap().rows;
    sim.shutdown();
    let customers: Vec<String> = store
        .with(|c| {
            let mut stmt = c.prepare("SELECT DISTINCT customer_name FROM tasks")?;
            let names = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(names)
        })
        .unwrap();
    assert!(customers.len() >= 12, "{customers:?}");
    assert!(companies.len() >= 12 && catalog.len() >= 5);

    let mut names = customers.clone();
    for (i, c) in companies.iter().enumerate() {
        names.push(customer_name(c, (i % 15) as u8, i as u32));
    }
    check_names(&companies, names);

    let index = CatalogIndex::new(catalog.clone());
    let mut failures = Vec::new();
    for item in &catalog {
        let mpn = item.manufacturer_part_number.clone().unwrap_or_default();
        for (mpn, name) in [
            (format!("{mpn}:0002_P1M"), item.description.clone()),
            (String::new(), item.description.clone()),
            ("NEW-SKU:0001".to_owned(), item.description.to_lowercase()),
            (
                item.identifier.clone(),
                item.customer_description.clone().unwrap_or_default(),
            ),
        ] {
            if let Err(e) = same_items(&index, &catalog, &mpn, &name) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
