//! Ranked suggestions for the mappings a person makes: a marketplace customer to a ConnectWise
//! company, a marketplace product to a catalog item. Pure: inputs in, ranked candidates out.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::connectwise::wire::{CatalogItem, Company};

/// A candidate and how well it fits, 0–100.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked<'a, T> {
    pub item: &'a T,
    pub score: u8,
}

impl<T> Ranked<'_, T> {
    /// Whether the score says it is the same thing or only looks alike.
    pub fn likeness(&self) -> Likeness {
        Likeness::of(self.score)
    }
}

/// The lowest score a suggestion is offered as a match with; below it, it is a guess: shown as
/// one, never chosen by default, and mapped only once the person confirms it (a mapping is kept
/// for every later task, so a wrong one bills every later invoice wrongly).
///
/// Why 90. A score is the best of Jaro–Winkler, Sørensen–Dice and "one name starts with the
/// other" over the normalised names; an exact part number or identifier scores 100 (a catalog
/// item) or 97 (a company's identifier). Jaro–Winkler rewards a shared beginning, so names that
/// only begin alike score high: in the Demo world, *Green Leaf Landscaping* scores 87 for the
/// customer *Green Lane LLC*, *Northwind Health Partners* 89 for *Northwind Traders Inc.*,
/// *Summit Roofing & Gutters* 85 for *Summit Ridge Engineering*, and the catalog's *Microsoft 365
/// Business Basic* 89 for *Microsoft 365 Business Standard* — every one of them wrong. The right
/// companies, named differently in each system, score 92 (*Contoso Pharma* for *Contoso
/// Pharmaceuticals*) to 100; a product whose part number is not in the catalog can reach at most
/// 95 (its description is scaled by 0.95), which it does only when the descriptions agree. Unrelated
/// names land between 50 and 70 (*Onboarding / setup fee* scores 59 for *Power BI Pro*). So the
/// line sits above the look-alikes and below the names that agree: calling a right suggestion a
/// guess costs one more click, calling a wrong one a match costs invoices.
pub const MATCH_FROM: u8 = 90;

/// How much a ranked suggestion is to be trusted (see [`MATCH_FROM`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Likeness {
    /// The same part number or identifier, or names that agree: offered as the match.
    Match,
    /// Only alike: shown as a guess, never the default, mapped only when confirmed.
    Guess,
}

impl Likeness {
    /// The likeness of a score of 0–100.
    pub fn of(score: u8) -> Likeness {
        if score >= MATCH_FROM {
            Likeness::Match
        } else {
            Likeness::Guess
        }
    }
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
/// Scores every company: the reference [`CompanyIndex`] ranks exactly like, for many names.
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
/// Scores every item: the reference [`CatalogIndex`] ranks exactly like, for many products.
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

// ---------------------------------------------------------------------------------------------
// Indexes: the same ranking for many names against one list (DESIGN rule 15)
//
// Each record's texts are normalised once and prepared for scoring. A name is ranked in two
// passes: first the records the inverted index says are likeliest (the same compact identifier
// or part number, then the most words and character trigrams in common) are scored, which sets
// the bar the last of the top N clears; then every other record is scored only if a cheap upper
// bound of its score could clear that bar. Jaro–Winkler, unlike the index, rewards letters in
// common that share no trigram ("acme" against "pacific medical"), and a list of 2,000 names
// has hundreds such above 60: the bound keeps the result exactly the exhaustive ranking while
// most records cost a few comparisons of counts.

/// Char buckets of a text's histogram: a–z, 0–9, space, and 11 shared by every other char.
const BUCKETS: usize = 48;

fn bucket(c: char) -> usize {
    match c {
        'a'..='z' => c as usize - 'a' as usize,
        '0'..='9' => 26 + (c as usize - '0' as usize),
        ' ' => SPACES,
        _ => 37 + c as usize % 11,
    }
}

/// What a bound adds against rounding (the scores it bounds are whole percents).
const BOUND_SLACK: f64 = 1e-9;

/// A normalised text, prepared once to be scored against many others.
#[derive(Debug, Clone)]
struct Prepared {
    text: String,
    /// The chars of `text`, decoded once (Jaro–Winkler compares chars).
    chars: Vec<char>,
    /// How often the chars of each bucket occur: bounds the chars two texts have in common.
    histogram: [u32; BUCKETS],
    /// `text` without whitespace, and its bigrams sorted: Sørensen–Dice as strsim computes it.
    compact: String,
    bigrams: Vec<u64>,
}

impl Prepared {
    fn new(text: String) -> Self {
        let mut histogram = [0u32; BUCKETS];
        let chars: Vec<char> = text.chars().collect();
        for c in &chars {
            histogram[bucket(*c)] += 1;
        }
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let mut bigrams: Vec<u64> = compact
            .chars()
            .zip(compact.chars().skip(1))
            .map(|(a, b)| (u64::from(a) << 32) | u64::from(b))
            .collect();
        bigrams.sort_unstable();
        Prepared {
            text,
            chars,
            histogram,
            compact,
            bigrams,
        }
    }

    /// The distinct words and character trigrams of the text: what the inverted index keys.
    fn keys(&self) -> (Vec<&str>, Vec<u64>) {
        let mut words: Vec<&str> = self.text.split_whitespace().collect();
        words.sort_unstable();
        words.dedup();
        let mut trigrams: Vec<u64> = self
            .chars
            .windows(3)
            .map(|w| (u64::from(w[0]) << 42) | (u64::from(w[1]) << 21) | u64::from(w[2]))
            .collect();
        trigrams.sort_unstable();
        trigrams.dedup();
        (words, trigrams)
    }
}

/// `strsim::sorensen_dice(&a.text, &b.text)`, from the prepared bigrams.
fn dice(a: &Prepared, b: &Prepared) -> f64 {
    if a.compact == b.compact {
        return 1.0;
    }
    if a.compact.len() < 2 || b.compact.len() < 2 {
        return 0.0;
    }
    // The size of the intersection of the two multisets of bigrams.
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.bigrams.len() && j < b.bigrams.len() {
        match a.bigrams[i].cmp(&b.bigrams[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (2 * shared) as f64 / (a.compact.len() + b.compact.len() - 2) as f64
}

fn contained(a: &Prepared, b: &Prepared) -> f64 {
    if a.text.starts_with(&b.text) || b.text.starts_with(&a.text) {
        0.9
    } else {
        0.0
    }
}

/// `strsim::jaro_winkler` over chars decoded once: the same steps and the same arithmetic in
/// the same order, so the same value to the bit (a property test holds it to strsim's), without
/// decoding `b` again for each char of `a`.
fn jaro_winkler(a: &[char], b: &[char]) -> f64 {
    const STACK: usize = 64;
    let jaro = if a.len() <= STACK && b.len() <= STACK {
        let (mut a_flags, mut b_flags) = ([false; STACK], [false; STACK]);
        jaro(a, b, &mut a_flags[..a.len()], &mut b_flags[..b.len()])
    } else {
        jaro(a, b, &mut vec![false; a.len()], &mut vec![false; b.len()])
    };
    if jaro > 0.7 {
        jaro + 0.1 * common_prefix(a, b) as f64 * (1.0 - jaro)
    } else {
        jaro
    }
}

fn jaro(a: &[char], b: &[char], a_flags: &mut [bool], b_flags: &mut [bool]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    } else if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let search_range = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut matches = 0usize;
    for (i, x) in a.iter().enumerate() {
        let from = i.saturating_sub(search_range);
        let to = b.len().min(i + search_range + 1);
        for j in from..to {
            if *x == b[j] && !b_flags[j] {
                a_flags[i] = true;
                b_flags[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    // The k-th matched char of `a` against the k-th matched char of `b`.
    let matched_b = b
        .iter()
        .zip(b_flags.iter())
        .filter(|(_, f)| **f)
        .map(|(c, _)| c);
    let matched_a = a
        .iter()
        .zip(a_flags.iter())
        .filter(|(_, f)| **f)
        .map(|(c, _)| c);
    let transpositions = matched_a.zip(matched_b).filter(|(x, y)| x != y).count() / 2;
    ((matches as f64 / a.len() as f64)
        + (matches as f64 / b.len() as f64)
        + ((matches - transpositions) as f64 / matches as f64))
        / 3.0
}

/// How many of the first four chars two texts share (Winkler's boost).
fn common_prefix(a: &[char], b: &[char]) -> usize {
    a.iter().take(4).zip(b).take_while(|(x, y)| x == y).count()
}

/// [`similarity`] of two prepared texts: the same value, without preparing them again.
fn similarity_of(a: &Prepared, b: &Prepared) -> f64 {
    if a.text.is_empty() || b.text.is_empty() {
        return 0.0;
    }
    if a.text == b.text {
        return 1.0;
    }
    let jw = jaro_winkler(&a.chars, &b.chars);
    jw.max(dice(a, b)).max(contained(a, b))
}

/// At least [`similarity_of`], cheaply, from counts of the chars the texts have in common:
/// Jaro's matches are among them (and its transpositions only lower it), and so are the first
/// chars of the bigrams Sørensen–Dice finds in both.
fn similarity_bound(a: &Prepared, b: &Prepared) -> f64 {
    if a.text.is_empty() || b.text.is_empty() {
        return 0.0;
    }
    if a.text == b.text {
        return 1.0;
    }
    let mut common = 0;
    let mut common_spaces = 0;
    for (i, (x, y)) in a.histogram.iter().zip(&b.histogram).enumerate() {
        let both = *x.min(y);
        common += both;
        if i == SPACES {
            common_spaces = both;
        }
    }
    jaro_winkler_bound(a, b, common)
        .max(dice_bound(a, b, common - common_spaces))
        .max(contained(a, b))
}

/// The bucket of ' ' (never in a compact text).
const SPACES: usize = 36;

fn jaro_winkler_bound(a: &Prepared, b: &Prepared, common: u32) -> f64 {
    if common == 0 {
        return 0.0;
    }
    let m = f64::from(common);
    let jaro = (m / a.chars.len() as f64 + m / b.chars.len() as f64 + 1.0) / 3.0;
    // strsim adds the common prefix's boost above 0.7; the bound does whenever it could apply.
    let jw = if jaro > 0.7 {
        jaro + 0.1 * common_prefix(&a.chars, &b.chars) as f64 * (1.0 - jaro)
    } else {
        jaro
    };
    jw + BOUND_SLACK
}

fn dice_bound(a: &Prepared, b: &Prepared, common: u32) -> f64 {
    if a.compact == b.compact {
        return 1.0;
    }
    if a.compact.len() < 2 || b.compact.len() < 2 {
        return 0.0;
    }
    let shared = (common as usize).min(a.bigrams.len()).min(b.bigrams.len());
    (2 * shared) as f64 / (a.compact.len() + b.compact.len() - 2) as f64
}

/// `scale(similarity_of(a, b))`, unless even its bound scores below `floor` (in percent): then
/// it cannot make a score of `floor` and is not computed.
fn reaching(floor: u8, a: &Prepared, b: &Prepared, scale: impl Fn(f64) -> f64) -> Option<f64> {
    if floor > 0 && percent(scale(similarity_bound(a, b))) < floor {
        return None;
    }
    Some(scale(similarity_of(a, b)))
}

/// The score of the best part, if it is `floor` or more. Parts left out (`None`) were below it.
fn score_of_parts(floor: u8, parts: impl IntoIterator<Item = Option<f64>>) -> Option<u8> {
    let best = parts.into_iter().flatten().fold(0.0, f64::max);
    Some(percent(best)).filter(|s| *s >= floor)
}

/// Entries (positions in an index's entry list) by the words and trigrams of their texts.
#[derive(Default)]
struct Postings {
    words: HashMap<String, Vec<u32>>,
    trigrams: HashMap<u64, Vec<u32>>,
}

impl Postings {
    fn add(&mut self, entry: u32, text: &Prepared) {
        let (words, trigrams) = text.keys();
        for w in words {
            push_once(self.words.entry(w.to_owned()).or_default(), entry);
        }
        for t in trigrams {
            push_once(self.trigrams.entry(t).or_default(), entry);
        }
    }

    /// Adds to each entry's count the words and trigrams it shares with `text`.
    fn count(&self, text: &Prepared, counts: &mut [u16]) {
        let (words, trigrams) = text.keys();
        let lists = words
            .into_iter()
            .filter_map(|w| self.words.get(w))
            .chain(trigrams.into_iter().filter_map(|t| self.trigrams.get(&t)));
        for list in lists {
            for &e in list {
                counts[e as usize] = counts[e as usize].saturating_add(1);
            }
        }
    }
}

/// Entries are added in order, so a repeat is the last one.
fn push_once(list: &mut Vec<u32>, entry: u32) {
    if list.last() != Some(&entry) {
        list.push(entry);
    }
}

/// How many of the likeliest entries are scored before the others are bounded.
const SEEDS: usize = 16;

/// The `limit + SEEDS` entries with the highest counts (an exact identifier or part number
/// counts most).
fn seeds(counts: &[u16], limit: usize) -> Vec<usize> {
    let mut found: Vec<(u16, usize)> = counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| (*n, i))
        .collect();
    let keep = limit.saturating_add(SEEDS);
    if found.len() > keep {
        found.select_nth_unstable_by(keep, |a, b| b.0.cmp(&a.0));
        found.truncate(keep);
    }
    found.into_iter().map(|(_, i)| i).collect()
}

/// The best rows so far, best first as the exhaustive ranking sorts them: score descending, then
/// the tie text (name, identifier), then the record's position in the list.
struct Best<'a> {
    limit: usize,
    rows: Vec<(u8, &'a str, usize)>,
}

impl<'a> Best<'a> {
    fn new(limit: usize) -> Self {
        Best {
            limit,
            rows: Vec::new(),
        }
    }

    fn before(a: &(u8, &str, usize), b: &(u8, &str, usize)) -> bool {
        b.0.cmp(&a.0)
            .then_with(|| a.1.cmp(b.1))
            .then_with(|| a.2.cmp(&b.2))
            .is_lt()
    }

    /// The lowest score with which the row (`tie`, `at`) would make the list; `None` when none
    /// would.
    fn floor(&self, tie: &str, at: usize) -> Option<u8> {
        if self.rows.len() < self.limit {
            return Some(0);
        }
        let (score, last_tie, last_at) = *self.rows.last()?;
        if (tie, at) < (last_tie, last_at) {
            Some(score)
        } else {
            score.checked_add(1).filter(|s| *s <= 100)
        }
    }

    fn offer(&mut self, score: u8, tie: &'a str, at: usize) {
        let row = (score, tie, at);
        if self.rows.len() == self.limit
            && !self
                .rows
                .last()
                .is_some_and(|last| Self::before(&row, last))
        {
            return;
        }
        let i = self.rows.partition_point(|r| Self::before(r, &row));
        self.rows.insert(i, row);
        self.rows.truncate(self.limit);
    }
}

/// The best `limit` of `entries`, as (score, position of the record): the seeds first, which
/// sets the bar, then every other entry, each scored only as far as the bar needs.
/// `tie` is an entry's tie text and record position; `score_from` its score when at least the
/// floor given (and `None` when below it, or when the entry is not wanted).
fn best_of<'a, E>(
    entries: &'a [E],
    seeds: Vec<usize>,
    limit: usize,
    tie: impl Fn(&'a E) -> (&'a str, usize),
    score_from: impl Fn(&'a E, u8) -> Option<u8>,
) -> Vec<(u8, usize)> {
    let mut best = Best::new(limit);
    let visit = |entry: &'a E, best: &mut Best<'a>| {
        let (text, at) = tie(entry);
        if let Some(score) = best
            .floor(text, at)
            .and_then(|floor| score_from(entry, floor))
        {
            best.offer(score, text, at);
        }
    };
    let mut seen = vec![false; entries.len()];
    for i in seeds {
        seen[i] = true;
        visit(&entries[i], &mut best);
    }
    for (entry, _) in entries.iter().zip(&seen).filter(|(_, seen)| !**seen) {
        visit(entry, &mut best);
    }
    best.rows
        .into_iter()
        .map(|(score, _, at)| (score, at))
        .collect()
}

/// A customer's name, prepared: normalised, and compact for the identifier rule.
struct WantedCompany {
    name: Prepared,
    compact: Prepared,
}

impl WantedCompany {
    fn new(customer_name: &str) -> Self {
        let name = normalize_name(customer_name);
        let compact = name.replace(' ', "");
        WantedCompany {
            name: Prepared::new(name),
            compact: Prepared::new(compact),
        }
    }
}

struct CompanyEntry {
    /// The company's position in the list.
    at: usize,
    name: Prepared,
    /// The normalised identifier without spaces.
    identifier: Prepared,
}

impl CompanyEntry {
    /// The company's score as [`companies`] computes it, if it is `floor` or more.
    fn score_from(&self, wanted: &WantedCompany, floor: u8) -> Option<u8> {
        let by_name = reaching(floor, &wanted.name, &self.name, |s| s);
        let by_identifier =
            if !self.identifier.text.is_empty() && self.identifier.text == wanted.compact.text {
                Some(0.97)
            } else {
                reaching(floor, &wanted.compact, &self.identifier, |s| s * 0.9)
            };
        score_of_parts(floor, [by_name, by_identifier])
    }
}

struct CompanyEntries {
    entries: Vec<CompanyEntry>,
    postings: Postings,
    by_identifier: HashMap<String, Vec<u32>>,
}

impl CompanyEntries {
    fn build(companies: &[Company]) -> Self {
        let mut built = CompanyEntries {
            entries: Vec::new(),
            postings: Postings::default(),
            by_identifier: HashMap::new(),
        };
        for (at, c) in companies.iter().enumerate().filter(|(_, c)| !c.deleted) {
            let entry = CompanyEntry {
                at,
                name: Prepared::new(normalize_name(&c.name)),
                identifier: Prepared::new(normalize_name(&c.identifier).replace(' ', "")),
            };
            let i = built.entries.len() as u32;
            built.postings.add(i, &entry.name);
            built.postings.add(i, &entry.identifier);
            if !entry.identifier.text.is_empty() {
                push_once(
                    built
                        .by_identifier
                        .entry(entry.identifier.text.clone())
                        .or_default(),
                    i,
                );
            }
            built.entries.push(entry);
        }
        built
    }

    fn seeds(&self, wanted: &WantedCompany, limit: usize) -> Vec<usize> {
        let mut counts = vec![0u16; self.entries.len()];
        self.postings.count(&wanted.name, &mut counts);
        self.postings.count(&wanted.compact, &mut counts);
        for &i in self
            .by_identifier
            .get(&wanted.compact.text)
            .into_iter()
            .flatten()
        {
            counts[i as usize] = u16::MAX;
        }
        seeds(&counts, limit)
    }
}

/// ConnectWise companies, ready to be ranked for many customer names: each name normalised once,
/// an inverted index of their words and trigrams (built on the first ranking), and a ranking
/// exactly like [`companies`]. Build it once per refresh of the companies (DESIGN rule 15).
pub struct CompanyIndex {
    companies: Vec<Company>,
    built: OnceLock<CompanyEntries>,
}

impl From<Vec<Company>> for CompanyIndex {
    fn from(companies: Vec<Company>) -> Self {
        CompanyIndex::new(companies)
    }
}

impl Deref for CompanyIndex {
    type Target = [Company];

    fn deref(&self) -> &[Company] {
        &self.companies
    }
}

impl CompanyIndex {
    /// The index of `companies` (deleted ones are kept in the list but never suggested).
    pub fn new(companies: Vec<Company>) -> Self {
        CompanyIndex {
            companies,
            built: OnceLock::new(),
        }
    }

    /// The companies, as given.
    pub fn companies(&self) -> &[Company] {
        &self.companies
    }

    pub fn into_companies(self) -> Vec<Company> {
        self.companies
    }

    fn built(&self) -> &CompanyEntries {
        self.built
            .get_or_init(|| CompanyEntries::build(&self.companies))
    }

    /// Companies ranked for a marketplace customer, best first: the same as [`companies`].
    pub fn rank(&self, customer_name: &str, limit: usize) -> Vec<Ranked<'_, Company>> {
        self.rank_where(customer_name, limit, |_| true)
    }

    /// [`CompanyIndex::rank`] among the companies `keep` accepts.
    pub fn rank_where(
        &self,
        customer_name: &str,
        limit: usize,
        keep: impl Fn(&Company) -> bool,
    ) -> Vec<Ranked<'_, Company>> {
        if limit == 0 {
            return Vec::new();
        }
        let built = self.built();
        let wanted = WantedCompany::new(customer_name);
        best_of(
            &built.entries,
            built.seeds(&wanted, limit),
            limit,
            |e| (self.companies[e.at].name.as_str(), e.at),
            |e, floor| {
                keep(&self.companies[e.at])
                    .then(|| e.score_from(&wanted, floor))
                    .flatten()
            },
        )
        .into_iter()
        .map(|(score, at)| Ranked {
            item: &self.companies[at],
            score,
        })
        .collect()
    }
}

/// A marketplace product, prepared: its MPN, part number and normalised name.
struct WantedItem<'m> {
    mpn: &'m str,
    /// The part number, lower case.
    part: String,
    name: Prepared,
}

impl WantedItem<'_> {
    /// The rule of [`catalog_items`]: the part number is the item's MPN, or the MPN or the part
    /// number its identifier.
    fn matches(&self, c: &CatalogItem) -> bool {
        c.manufacturer_part_number
            .as_deref()
            .is_some_and(|m| !m.is_empty() && m.eq_ignore_ascii_case(&self.part))
            || c.identifier.eq_ignore_ascii_case(self.mpn)
            || c.identifier.eq_ignore_ascii_case(&self.part)
    }
}

struct ItemEntry {
    /// The item's position in the catalog.
    at: usize,
    description: Prepared,
    customer_description: Option<Prepared>,
}

impl ItemEntry {
    /// The item's score as [`catalog_items`] computes it, if it is `floor` or more.
    fn score_from(&self, wanted: &WantedItem, item: &CatalogItem, floor: u8) -> Option<u8> {
        if wanted.matches(item) {
            return Some(percent(1.0));
        }
        // max(a, b) × 0.95 is max(a × 0.95, b × 0.95).
        let by_description = reaching(floor, &wanted.name, &self.description, |s| s * 0.95);
        let by_customer_description = match &self.customer_description {
            Some(d) => reaching(floor, &wanted.name, d, |s| s * 0.95),
            None => Some(0.0),
        };
        score_of_parts(floor, [by_description, by_customer_description])
    }
}

struct ItemEntries {
    entries: Vec<ItemEntry>,
    postings: Postings,
    /// Entries by MPN and by identifier, ASCII lower case (the exact-match rule ignores ASCII case).
    by_mpn: HashMap<String, Vec<u32>>,
    by_identifier: HashMap<String, Vec<u32>>,
}

impl ItemEntries {
    fn build(catalog: &[CatalogItem]) -> Self {
        let mut built = ItemEntries {
            entries: Vec::new(),
            postings: Postings::default(),
            by_mpn: HashMap::new(),
            by_identifier: HashMap::new(),
        };
        for (at, c) in catalog.iter().enumerate().filter(|(_, c)| !c.inactive_flag) {
            let entry = ItemEntry {
                at,
                description: Prepared::new(normalize_name(&c.description)),
                customer_description: c
                    .customer_description
                    .as_deref()
                    .map(|d| Prepared::new(normalize_name(d))),
            };
            let i = built.entries.len() as u32;
            built.postings.add(i, &entry.description);
            if let Some(d) = &entry.customer_description {
                built.postings.add(i, d);
            }
            if let Some(m) = c
                .manufacturer_part_number
                .as_deref()
                .filter(|m| !m.is_empty())
            {
                push_once(built.by_mpn.entry(m.to_ascii_lowercase()).or_default(), i);
            }
            push_once(
                built
                    .by_identifier
                    .entry(c.identifier.to_ascii_lowercase())
                    .or_default(),
                i,
            );
            built.entries.push(entry);
        }
        built
    }

    fn seeds(&self, wanted: &WantedItem, limit: usize) -> Vec<usize> {
        let mut counts = vec![0u16; self.entries.len()];
        self.postings.count(&wanted.name, &mut counts);
        let part = wanted.part.to_ascii_lowercase();
        let exact = [
            self.by_mpn.get(&part),
            self.by_identifier.get(&part),
            self.by_identifier.get(&wanted.mpn.to_ascii_lowercase()),
        ];
        for &i in exact.into_iter().flatten().flatten() {
            counts[i as usize] = u16::MAX;
        }
        seeds(&counts, limit)
    }
}

/// A catalog, ready to be ranked for many marketplace products: each description normalised
/// once, MPNs and identifiers looked up exactly, an inverted index of the descriptions' words
/// and trigrams (built on the first ranking), and a ranking exactly like [`catalog_items`].
pub struct CatalogIndex {
    items: Vec<CatalogItem>,
    built: OnceLock<ItemEntries>,
}

impl From<Vec<CatalogItem>> for CatalogIndex {
    fn from(items: Vec<CatalogItem>) -> Self {
        CatalogIndex::new(items)
    }
}

impl Deref for CatalogIndex {
    type Target = [CatalogItem];

    fn deref(&self) -> &[CatalogItem] {
        &self.items
    }
}

impl CatalogIndex {
    /// The index of `items` (inactive ones are kept in the list but never suggested).
    pub fn new(items: Vec<CatalogItem>) -> Self {
        CatalogIndex {
            items,
            built: OnceLock::new(),
        }
    }

    /// The catalog items, as given.
    pub fn items(&self) -> &[CatalogItem] {
        &self.items
    }

    fn built(&self) -> &ItemEntries {
        self.built.get_or_init(|| ItemEntries::build(&self.items))
    }

    /// Catalog items ranked for a marketplace product, best first: the same as
    /// [`catalog_items`].
    pub fn rank(
        &self,
        mpn: &str,
        product_name: &str,
        limit: usize,
    ) -> Vec<Ranked<'_, CatalogItem>> {
        if limit == 0 {
            return Vec::new();
        }
        let built = self.built();
        let wanted = WantedItem {
            mpn,
            part: part_number(mpn).to_lowercase(),
            name: Prepared::new(normalize_name(product_name)),
        };
        best_of(
            &built.entries,
            built.seeds(&wanted, limit),
            limit,
            |e| (self.items[e.at].identifier.as_str(), e.at),
            |e, floor| e.score_from(&wanted, &self.items[e.at], floor),
        )
        .into_iter()
        .map(|(score, at)| Ranked {
            item: &self.items[at],
            score,
        })
        .collect()
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
            info: None,
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
            info: None,
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

    fn prepared(text: &str) -> Prepared {
        Prepared::new(text.to_owned())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]

        /// Prepared once, a text scores exactly as `similarity` scores it (bit for bit), and the
        /// bound is never below it: over any text, and over names as they are normalised.
        #[test]
        fn prepared_texts_score_as_similarity_and_the_bound_holds(
            a in "\\PC{0,14}|[a-e ]{0,12}",
            b in "\\PC{0,14}|[a-e ]{0,12}",
        ) {
            for (a, b) in [(a.clone(), b.clone()), (normalize_name(&a), normalize_name(&b))] {
                let (pa, pb) = (prepared(&a), prepared(&b));
                let exact = similarity_of(&pa, &pb);
                proptest::prop_assert_eq!(exact.to_bits(), similarity(&a, &b).to_bits());
                proptest::prop_assert!(similarity_bound(&pa, &pb) >= exact);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3_000))]

        /// Jaro–Winkler over decoded chars is strsim's, bit for bit, for any texts: unrelated,
        /// alike (few letters), long (past the flags kept on the stack).
        #[test]
        fn jaro_winkler_over_chars_is_strsim_s(
            a in "\\PC{0,20}|[a-d ]{0,16}|[ab]{60,70}",
            b in "\\PC{0,20}|[a-d ]{0,16}|[ab]{60,70}",
        ) {
            let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            proptest::prop_assert_eq!(
                jaro_winkler(&ca, &cb).to_bits(),
                strsim::jaro_winkler(&a, &b).to_bits()
            );
        }
    }

    #[test]
    fn the_bound_holds_for_look_alikes_with_no_trigram_in_common() {
        // Letters in common but no trigram: Jaro–Winkler still scores them well.
        for (a, b) in [
            ("acme", "pacific medical group"),
            ("martha", "marhta"),
            ("abcd", "abdc"),
            ("zeta quantum widgets", "gateway design"),
            ("q", "quarry electric"),
        ] {
            let (pa, pb) = (prepared(a), prepared(b));
            assert_eq!(similarity_of(&pa, &pb), similarity(a, b));
            assert!(similarity_bound(&pa, &pb) >= similarity(a, b), "{a} / {b}");
        }
    }

    fn ranked_ids<T>(r: &[Ranked<'_, T>], id: impl Fn(&T) -> i64) -> Vec<(i64, u8)> {
        r.iter().map(|r| (id(r.item), r.score)).collect()
    }

    #[test]
    fn the_company_index_finds_what_the_scan_finds_at_the_edges() {
        let mut gone = company(9, "GreenLane", "Green Lane LLC");
        gone.deleted = true;
        let list = vec![
            company(1, "GreenLeaf", "Green Leaf Landscaping"),
            company(2, "GreenlanePM", "Greenlane Property Management"),
            company(3, "GreenLane", "Green Lane LLC"),
            company(4, "Bluewater", "Bluewater Dental Group, P.A."),
            company(5, "Q", "Q"),
            company(6, "MULLER", "Müller & Söhne GmbH"),
            company(7, "PMG", "Pacific Medical Group"),
            company(8, "Same", "Green Lane LLC"),
            gone,
        ];
        let index = CompanyIndex::new(list.clone());
        for name in [
            "Green Lane LLC",
            "green-lane, inc.",
            "GREENLANE",
            "Muller and Sohne",
            "Q",
            "q inc",
            "",
            "Acme",
            "pmg",
            "Bluewater",
        ] {
            for limit in [1, 3, 20] {
                assert_eq!(
                    ranked_ids(&index.rank(name, limit), |c| c.id),
                    ranked_ids(&companies(name, &list, limit), |c| c.id),
                    "{name} top {limit}"
                );
            }
        }
        // The identifier rule: a name written as the identifier is the company, at 97.
        assert_eq!(ranked_ids(&index.rank("GreenLeaf", 1), |c| c.id), [(1, 97)]);
        // Deleted companies are never suggested; same names keep the list's order.
        let ranked = index.rank("Green Lane", 9);
        assert!(ranked.iter().all(|r| r.item.id != 9));
        assert_eq!(ranked_ids(&ranked[..2], |c| c.id), [(3, 100), (8, 100)]);
        assert!(index.rank("Green Lane", 0).is_empty());
    }

    #[test]
    fn the_catalog_index_finds_a_part_number_whatever_the_name() {
        let catalog = vec![
            item(612, "EXO-P1", "Exchange Online (Plan 1)", None, false),
            item(
                611,
                "M365-BP",
                "Microsoft 365 Business Premium",
                Some("CFQ7TTC0LCHC"),
                false,
            ),
            item(613, "cfq7ttc0lh16", "Something unrelated", None, false),
            item(699, "OLD", "Retired", Some("CFQ7TTC0LXXX"), true),
        ];
        let index = CatalogIndex::new(catalog.clone());
        for (mpn, name) in [
            ("cfq7ttc0lchc:0002_P1M", "zzz"),
            ("CFQ7TTC0LH16:0001_P1M", "Exchange Online (Plan 1)"),
            ("EXO-P1", ""),
            ("CFQ7TTC0LXXX:0001", "Retired"),
            ("", ""),
        ] {
            assert_eq!(
                ranked_ids(&index.rank(mpn, name, 3), |c| c.id),
                ranked_ids(&catalog_items(mpn, name, &catalog, 3), |c| c.id),
                "{mpn} {name}"
            );
        }
        assert_eq!(
            ranked_ids(&index.rank("cfq7ttc0lchc:0002_P1M", "zzz", 1), |c| c.id),
            [(611, 100)]
        );
        assert_eq!(
            ranked_ids(&index.rank("CFQ7TTC0LH16:0001_P1M", "zzz", 1), |c| c.id),
            [(613, 100)],
            "an identifier equal to the part number"
        );
        assert!(index
            .rank("CFQ7TTC0LXXX:0001", "Retired", 5)
            .iter()
            .all(|r| r.item.id != 699));
    }

    #[test]
    fn look_alikes_are_guesses_and_names_that_agree_are_matches() {
        assert_eq!(Likeness::of(100), Likeness::Match);
        assert_eq!(Likeness::of(MATCH_FROM), Likeness::Match);
        assert_eq!(Likeness::of(MATCH_FROM - 1), Likeness::Guess);
        assert_eq!(Likeness::of(0), Likeness::Guess);

        let list = vec![
            company(250, "GreenLane", "Green Lane LLC"),
            company(251, "GreenLeaf", "Green Leaf Landscaping"),
            company(263, "GreenlanePM", "Greenlane Property Management"),
            company(253, "Northwind", "Northwind Traders"),
            company(265, "NorthwindHealth", "Northwind Health Partners"),
            company(254, "Contoso", "Contoso Pharma"),
        ];
        let likeness = |name: &str, id: i64| {
            companies(name, &list, 10)
                .iter()
                .find(|r| r.item.id == id)
                .map(|r| (r.score, r.likeness()))
                .unwrap()
        };
        for (name, id, expected) in [
            ("Green Lane LLC", 250, Likeness::Match),
            ("Green Lane LLC", 251, Likeness::Guess),
            ("Green Lane LLC", 263, Likeness::Guess),
            ("Northwind Traders Inc.", 253, Likeness::Match),
            ("Northwind Traders Inc.", 265, Likeness::Guess),
            ("Contoso Pharmaceuticals", 254, Likeness::Match),
            ("Contoso Pharmaceuticals", 251, Likeness::Guess),
        ] {
            let (score, found) = likeness(name, id);
            assert_eq!(found, expected, "{name} → {id} scores {score}");
        }

        let catalog = vec![
            item(
                616,
                "M365-BS",
                "Microsoft 365 Business Standard",
                Some("CFQ7TTC0LDPB"),
                false,
            ),
            item(615, "M365-BB", "Microsoft 365 Business Basic", None, false),
            item(620, "SETUP-FEE", "Onboarding / setup fee", None, false),
        ];
        let ranked = catalog_items(
            "CFQ7TTC0LDPB:0001_P1M",
            "Microsoft 365 Business Standard",
            &catalog,
            3,
        );
        let of = |id: i64| ranked.iter().find(|r| r.item.id == id).unwrap().likeness();
        assert_eq!(of(616), Likeness::Match, "the part number");
        assert_eq!(of(615), Likeness::Guess, "a sibling product");
        let ranked = catalog_items("CFQ7TTC0PBIP:0001_P1M", "Power BI Pro", &catalog, 1);
        assert_eq!(ranked[0].item.id, 620);
        assert_eq!(ranked[0].likeness(), Likeness::Guess, "{}", ranked[0].score);
        // Descriptions that agree, without a part number, are a match.
        let ranked = catalog_items("", "Onboarding / setup fee", &catalog, 1);
        assert_eq!(
            (ranked[0].item.id, ranked[0].likeness()),
            (620, Likeness::Match)
        );
    }

    #[test]
    fn part_numbers() {
        assert_eq!(part_number("CFQ7TTC0LCHC:0002_P1M"), "CFQ7TTC0LCHC");
        assert_eq!(part_number("AZ-PLAN-USAGE"), "AZ-PLAN-USAGE");
    }
}
