//! Ranked suggestions for the mappings a person makes: a marketplace customer to a ConnectWise
//! company, a marketplace product to a catalog item. Pure: inputs in, ranked candidates out.

use crate::connectwise::wire::{CatalogItem, Company};

/// A candidate and how well it fits, 0–100.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked<'a, T> {
    pub item: &'a T,
    pub score: u8,
}

/// Words that say what kind of company it is, not which one.
const LEGAL_FORMS: &[&str] = &[
    "llc",
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "gmbh",
    "corp",
    "corporation",
    "co",
    "company",
    "pa",
    "plc",
    "sa",
    "ag",
    "bv",
    "pty",
    "llp",
    "lp",
    "srl",
    "sarl",
    "kg",
    "oy",
    "ab",
    "as",
    "the",
];

fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
}

/// Lower case, accents folded, `&` as "and", punctuation dropped, legal forms removed.
pub fn normalize_name(name: &str) -> String {
    let cleaned: String = name
        .to_lowercase()
        .replace('&', " and ")
        .replace('.', "")
        .chars()
        .map(fold)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<&str> = cleaned
        .split_whitespace()
        .filter(|w| !LEGAL_FORMS.contains(w))
        .collect();
    if words.is_empty() {
        cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        words.join(" ")
    }
}

fn similarity(a: &str, b: &str) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let jw = strsim::jaro_winkler(a, b);
    let dice = strsim::sorensen_dice(a, b);
    // One name containing the other whole ("contoso pharma" in "contoso pharmaceuticals").
    let contained = if a.starts_with(b) || b.starts_with(a) {
        0.9
    } else {
        0.0
    };
    jw.max(dice).max(contained)
}

fn percent(x: f64) -> u8 {
    (x.clamp(0.0, 1.0) * 100.0).round() as u8
}

/// Companies ranked for a marketplace customer, best first; deleted companies are left out.
pub fn companies<'a>(
    customer_name: &str,
    companies: &'a [Company],
    limit: usize,
) -> Vec<Ranked<'a, Company>> {
    let wanted = normalize_name(customer_name);
    let wanted_compact: String = wanted.replace(' ', "");
    let mut ranked: Vec<Ranked<'a, Company>> = companies
        .iter()
        .filter(|c| !c.deleted)
        .map(|c| {
            let by_name = similarity(&wanted, &normalize_name(&c.name));
            let identifier = normalize_name(&c.identifier).replace(' ', "");
            let by_identifier = if !identifier.is_empty() && identifier == wanted_compact {
                0.97
            } else {
                similarity(&wanted_compact, &identifier) * 0.9
            };
            Ranked {
                item: c,
                score: percent(by_name.max(by_identifier)),
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.item.name.cmp(&b.item.name))
    });
    ranked.truncate(limit);
    ranked
}

/// The part number of a marketplace MPN (`CFQ7TTC0LCHC:0002_P1M` → `CFQ7TTC0LCHC`).
pub fn part_number(mpn: &str) -> &str {
    mpn.split(':').next().unwrap_or(mpn).trim()
}

/// Catalog items ranked for a marketplace product, best first; inactive items are left out.
pub fn catalog_items<'a>(
    mpn: &str,
    product_name: &str,
    catalog: &'a [CatalogItem],
    limit: usize,
) -> Vec<Ranked<'a, CatalogItem>> {
    let part = part_number(mpn).to_lowercase();
    let name = normalize_name(product_name);
    let mut ranked: Vec<Ranked<'a, CatalogItem>> = catalog
        .iter()
        .filter(|c| !c.inactive_flag)
        .map(|c| {
            let mpn_match = c
                .manufacturer_part_number
                .as_deref()
                .is_some_and(|m| !m.is_empty() && m.eq_ignore_ascii_case(&part))
                || c.identifier.eq_ignore_ascii_case(mpn)
                || c.identifier.eq_ignore_ascii_case(&part);
            let score = if mpn_match {
                1.0
            } else {
                let by_description = similarity(&name, &normalize_name(&c.description));
                let by_customer_description = c
                    .customer_description
                    .as_deref()
                    .map_or(0.0, |d| similarity(&name, &normalize_name(d)));
                by_description.max(by_customer_description) * 0.95
            };
            Ranked {
                item: c,
                score: percent(score),
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.item.identifier.cmp(&b.item.identifier))
    });
    ranked.truncate(limit);
    ranked
}

/// ConnectWise companies, ready to be ranked for many customer names: built once per refresh
/// (DESIGN rule 15) and ranking exactly like [`companies`].
pub struct CompanyIndex {
    companies: Vec<Company>,
}

impl CompanyIndex {
    pub fn new(companies: Vec<Company>) -> Self {
        CompanyIndex { companies }
    }

    /// The companies, as given.
    pub fn companies(&self) -> &[Company] {
        &self.companies
    }

    pub fn into_companies(self) -> Vec<Company> {
        self.companies
    }

    /// The same as [`companies`] over the indexed companies.
    pub fn rank(&self, customer_name: &str, limit: usize) -> Vec<Ranked<'_, Company>> {
        companies(customer_name, &self.companies, limit)
    }
}

/// A catalog, ready to be ranked for many marketplace products: built once per refresh and
/// ranking exactly like [`catalog_items`].
pub struct CatalogIndex {
    items: Vec<CatalogItem>,
}

impl CatalogIndex {
    pub fn new(items: Vec<CatalogItem>) -> Self {
        CatalogIndex { items }
    }

    /// The catalog items, as given.
    pub fn items(&self) -> &[CatalogItem] {
        &self.items
    }

    /// The same as [`catalog_items`] over the indexed items.
    pub fn rank(
        &self,
        mpn: &str,
        product_name: &str,
        limit: usize,
    ) -> Vec<Ranked<'_, CatalogItem>> {
        catalog_items(mpn, product_name, &self.items, limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company(id: i64, identifier: &str, name: &str) -> Company {
        Company {
            id,
            identifier: identifier.into(),
            name: name.into(),
            deleted: false,
        }
    }

    fn item(
        id: i64,
        identifier: &str,
        description: &str,
        mpn: Option<&str>,
        inactive: bool,
    ) -> CatalogItem {
        CatalogItem {
            id,
            identifier: identifier.into(),
            description: description.into(),
            price: None,
            cost: None,
            taxable_flag: false,
            inactive_flag: inactive,
            manufacturer_part_number: mpn.map(Into::into),
            customer_description: None,
        }
    }

    #[test]
    fn names_normalise_legal_forms_accents_and_punctuation() {
        assert_eq!(normalize_name("Green Lane LLC"), "green lane");
        assert_eq!(normalize_name("Müller & Söhne GmbH"), "muller and sohne");
        assert_eq!(
            normalize_name("Bluewater Dental Group, P.A."),
            "bluewater dental group"
        );
        assert_eq!(normalize_name("The Company"), "the company");
    }

    #[test]
    fn the_right_company_ranks_first_among_look_alikes() {
        let list = vec![
            company(251, "GreenLeaf", "Green Leaf Landscaping"),
            company(263, "GreenlanePM", "Greenlane Property Management"),
            company(250, "GreenLane", "Green Lane LLC"),
            company(252, "Bluewater", "Bluewater Dental Group, P.A."),
        ];
        let ranked = companies("Green Lane LLC", &list, 3);
        assert_eq!(ranked[0].item.id, 250);
        assert_eq!(ranked[0].score, 100);
        assert!(ranked[1].score < 100);
        assert_eq!(ranked.len(), 3);
        let ranked = companies("Bluewater Dental Group", &list, 1);
        assert_eq!(ranked[0].item.id, 252);
        assert!(ranked[0].score >= 95, "{}", ranked[0].score);
    }

    #[test]
    fn deleted_companies_are_not_suggested() {
        let mut gone = company(1, "GreenLane", "Green Lane LLC");
        gone.deleted = true;
        let list = [gone];
        assert!(companies("Green Lane LLC", &list, 5).is_empty());
    }

    #[test]
    fn catalog_items_match_by_part_number_then_description() {
        let catalog = vec![
            item(612, "EXO-P1", "Exchange Online (Plan 1)", None, false),
            item(
                611,
                "M365-BP",
                "Microsoft 365 Business Premium",
                Some("CFQ7TTC0LCHC"),
                false,
            ),
            item(
                613,
                "M365-BS",
                "Microsoft 365 Business Standard",
                None,
                false,
            ),
            item(
                699,
                "OLD",
                "Microsoft 365 Business Premium (old)",
                Some("CFQ7TTC0LCHC"),
                true,
            ),
        ];
        let ranked = catalog_items(
            "CFQ7TTC0LCHC:0002_P1M",
            "Microsoft 365 Business Premium",
            &catalog,
            3,
        );
        assert_eq!(ranked[0].item.id, 611);
        assert_eq!(ranked[0].score, 100);
        assert!(
            ranked.iter().all(|r| r.item.id != 699),
            "inactive items are not suggested"
        );
        let ranked = catalog_items(
            "CFQ7TTC0LH16:0001_P1M",
            "Exchange Online (Plan 1)",
            &catalog,
            3,
        );
        assert_eq!(ranked[0].item.id, 612);
        assert!(ranked[0].score > ranked[1].score);
    }

    #[test]
    fn part_numbers() {
        assert_eq!(part_number("CFQ7TTC0LCHC:0002_P1M"), "CFQ7TTC0LCHC");
        assert_eq!(part_number("AZ-PLAN-USAGE"), "AZ-PLAN-USAGE");
    }
}
