//! The floors of core (DESIGN rule 16, drawn in docs/FLOORS.md), read from the source: every
//! `crate::` path of product code (a `use` line or a path written in place) names the module it
//! reaches, and
//! - every module of core stands on a floor listed below (a new module is placed deliberately);
//! - no module reaches a module on a floor above its own;
//! - no two modules reach each other, directly or round a loop (in core and in the simulator);
//! - no product function is longer than [`MAX_FUNCTION_LINES`] lines.
//!
//! A module is a file, or a folder's `mod.rs`; test code (`#[cfg(test)]` items and the files
//! they name) is left out: tests may reach anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// Core's floors, from the ground up. A module not named here takes the floor of the closest
/// folder named (`store::tasks` stands where `store` stands).
const FLOORS: &[(&str, &[&str])] = &[
    (
        "ground: values, wire models and records",
        &[
            "money",
            "period",
            "words",
            "secret",
            "error",
            "reading",
            "validate",
            "draft",
            "task",
            "record",
            "turn",
            "clock",
            "ledger",
            "calendar",
            "desk",
            "health",
            "saving",
            "data_lock",
            "concurrency",
            "logging",
            "connectwise::wire",
            "marketplace::wire",
        ],
    ),
    ("store: the cache", &["store"]),
    (
        "clients: the services",
        &["http", "connectwise", "marketplace", "credential_store"],
    ),
    (
        "deciders: pure plans and comparisons",
        &[
            "plan",
            "invoice",
            "undo",
            "schedule",
            "suggest",
            "found",
            "fit",
            "review",
            "reconcile::compare",
        ],
    ),
    ("context: what work runs with", &["context"]),
    (
        "features: what a person does",
        &[
            "view",
            "check",
            "wizard",
            "sync",
            "batch",
            "reconcile",
            "connections",
            "activity",
            "export",
        ],
    ),
    ("session: the small context", &["session"]),
    ("profiles: opens sessions", &["profiles"]),
];

/// Reaches that break the floors today and are being taken down, one room at a time. The test
/// fails when one is no longer there (take it off the list) and for any reach not on it.
const KNOWN_BREAKS: &[&str] = &[];

/// The modules of the crate whose `src` is `root`: "store::tasks" → its file.
fn modules(root: &Path) -> BTreeMap<String, PathBuf> {
    let mut found = BTreeMap::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let relative = path.strip_prefix(root).unwrap().with_extension("");
            let mut parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.last().map(String::as_str) == Some("mod") {
                parts.pop();
            }
            let name = parts.join("::");
            if matches!(name.as_str(), "lib" | "main") {
                continue;
            }
            found.insert(name, path);
        }
    }
    found
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .parse_args::<syn::Meta>()
                .is_ok_and(|meta| meta.path().is_ident("test"))
    })
}

/// Every `crate::a::b…` path of product code in one file, as its segments.
#[derive(Default)]
struct Reaches {
    paths: Vec<Vec<String>>,
    /// Files declared as test-only modules here (`#[cfg(test)] mod tests;`).
    test_modules: Vec<String>,
}

impl Reaches {
    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.use_tree(prefix, &path.tree);
                prefix.pop();
            }
            syn::UseTree::Name(name) => {
                let mut full = prefix.clone();
                if name.ident != "self" {
                    full.push(name.ident.to_string());
                }
                self.add(full);
            }
            syn::UseTree::Rename(rename) => {
                let mut full = prefix.clone();
                full.push(rename.ident.to_string());
                self.add(full);
            }
            syn::UseTree::Glob(_) => self.add(prefix.clone()),
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(prefix, tree);
                }
            }
        }
    }

    fn add(&mut self, path: Vec<String>) {
        if path.first().map(String::as_str) == Some("crate") {
            self.paths.push(path[1..].to_vec());
        }
    }
}

impl<'ast> Visit<'ast> for Reaches {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            syn::Item::Const(c) => &c.attrs,
            syn::Item::Static(s) => &s.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if is_test_only(attrs) {
            if let syn::Item::Mod(m) = item {
                if m.content.is_none() {
                    self.test_modules.push(m.ident.to_string());
                }
            }
            return;
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.add(segments);
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // Paths inside macro calls (`format!("{}", crate::x::y())`) are read from their tokens,
        // which print as `crate :: x :: y`.
        let text = mac.tokens.to_string();
        let words: Vec<&str> = text.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            if *word != "crate" {
                continue;
            }
            let mut path = vec!["crate".to_string()];
            let mut rest = &words[i + 1..];
            while let [sep, name, more @ ..] = rest {
                let name = name.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '_');
                if *sep != "::" || name.is_empty() {
                    break;
                }
                path.push(name.to_string());
                rest = more;
            }
            self.add(path);
        }
        syn::visit::visit_macro(self, mac);
    }
}

/// Which module a path names: the longest module its segments start with.
fn owner<'a>(modules: &'a BTreeMap<String, PathBuf>, path: &[String]) -> Option<&'a str> {
    (1..=path.len()).rev().find_map(|n| {
        modules
            .get_key_value(&path[..n].join("::"))
            .map(|(name, _)| name.as_str())
    })
}

/// The module graph of the crate at `root`: module → the modules it reaches (never itself, its
/// own folder or a folder it stands in).
fn graph(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules(root);
    let mut test_files = BTreeSet::new();
    let mut reaches_of = BTreeMap::new();
    for (name, file) in &modules {
        let text = std::fs::read_to_string(file).unwrap();
        let syntax = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.display()));
        let mut reaches = Reaches::default();
        reaches.visit_file(&syntax);
        for test_module in &reaches.test_modules {
            let child = if name.is_empty() {
                test_module.clone()
            } else {
                format!("{name}::{test_module}")
            };
            test_files.insert(child);
        }
        reaches_of.insert(name.clone(), reaches.paths);
    }
    let mut graph = BTreeMap::new();
    for (name, paths) in reaches_of {
        if test_files.contains(&name) {
            continue;
        }
        let mut targets = BTreeSet::new();
        for path in paths {
            let Some(target) = owner(&modules, &path) else {
                continue;
            };
            let is_own_folder = name == target || name.starts_with(&format!("{target}::"));
            if !is_own_folder {
                targets.insert(target.to_string());
            }
        }
        graph.insert(name, targets);
    }
    graph
}

/// The loops of a graph (its strongly connected parts of two or more modules), each sorted.
fn loops(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Tarjan's algorithm, iteratively.
    let names: Vec<&String> = graph.keys().collect();
    let index_of: BTreeMap<&String, usize> =
        names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let edges: Vec<Vec<usize>> = names
        .iter()
        .map(|n| {
            graph[*n]
                .iter()
                .filter_map(|t| index_of.get(t).copied())
                .collect()
        })
        .collect();
    let count = names.len();
    let (mut index, mut low) = (vec![usize::MAX; count], vec![0; count]);
    let (mut on_stack, mut stack, mut next, mut found) =
        (vec![false; count], Vec::new(), 0, Vec::new());
    for start in 0..count {
        if index[start] != usize::MAX {
            continue;
        }
        let mut work = vec![(start, 0usize)];
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if *edge < edges[v].len() {
                let w = edges[v][*edge];
                *edge += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut part = Vec::new();
                loop {
                    let w = stack.pop().unwrap();
                    on_stack[w] = false;
                    part.push(names[w].clone());
                    if w == v {
                        break;
                    }
                }
                if part.len() > 1 {
                    part.sort();
                    found.push(part);
                }
            }
        }
    }
    found
}

/// The floor of a module: its own, or that of the closest folder named in FLOORS.
fn floor_of(module: &str) -> Option<usize> {
    let mut name = module;
    loop {
        if let Some(floor) = FLOORS
            .iter()
            .position(|(_, members)| members.contains(&name))
        {
            return Some(floor);
        }
        name = &name[..name.rfind("::")?];
    }
}

fn src(krate: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join(krate)
        .join("src")
}

/// What breaks the floors in core today, in words: one line per reach up a floor or per loop.
fn breaks() -> BTreeSet<String> {
    let graph = graph(&src("core"));
    let mut breaks = BTreeSet::new();
    for (module, targets) in &graph {
        let Some(floor) = floor_of(module) else {
            breaks.insert(format!("{module} stands on no floor"));
            continue;
        };
        for target in targets {
            match floor_of(target) {
                Some(up) if up > floor => {
                    breaks.insert(format!("{module} -> {target} (up a floor)"));
                }
                _ => {}
            }
        }
    }
    for part in loops(&graph) {
        breaks.insert(format!("loop: {}", part.join(" ")));
    }
    breaks
}

#[test]
fn core_stands_on_its_floors_with_no_loops() {
    let found = breaks();
    let known: BTreeSet<String> = KNOWN_BREAKS.iter().map(|s| s.to_string()).collect();
    let new: Vec<&String> = found.difference(&known).collect();
    let gone: Vec<&String> = known.difference(&found).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "the floors of core (DESIGN rule 16):\nnew breaks:\n{}\nbreaks no longer there (take them \
         off KNOWN_BREAKS):\n{}",
        new.iter()
            .map(|s| format!("  \"{s}\","))
            .collect::<Vec<_>>()
            .join("\n"),
        gone.iter()
            .map(|s| format!("  {s}"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
}

#[test]
fn the_simulator_has_no_loops() {
    let loops = loops(&graph(&src("sim")));
    assert!(loops.is_empty(), "loops in the simulator: {loops:?}");
}

/// The test reads what it should: a graph made of known files finds the loop and the reach up.
#[test]
fn a_loop_and_a_reach_up_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("store")).unwrap();
    std::fs::write(root.join("lib.rs"), "pub mod money; pub mod store;").unwrap();
    std::fs::write(
        root.join("money.rs"),
        "use crate::store::tasks::Row; pub fn f() -> String { format!(\"{:?}\", crate::period::x()) }",
    )
    .unwrap();
    std::fs::write(root.join("period.rs"), "pub fn x() {}").unwrap();
    std::fs::write(root.join("store/mod.rs"), "pub mod tasks;").unwrap();
    std::fs::write(
        root.join("store/tasks.rs"),
        "use crate::{money::f, store::Other}; pub struct Row;\n\
         #[cfg(test)] mod tests { use crate::session::S; }",
    )
    .unwrap();
    let graph = graph(root);
    assert_eq!(
        graph["money"],
        BTreeSet::from(["store::tasks".to_string(), "period".to_string()])
    );
    assert_eq!(graph["store::tasks"], BTreeSet::from(["money".to_string()]));
    assert_eq!(
        loops(&graph),
        vec![vec!["money".to_string(), "store::tasks".to_string()]]
    );
    assert_eq!(floor_of("store::tasks"), floor_of("store"));
    assert!(floor_of("money") < floor_of("store"));
    assert_eq!(floor_of("no_such_module"), None);
}

/// The longest a product function of core may be: past it, it does several things.
const MAX_FUNCTION_LINES: usize = 120;

/// Every function of product code with its length in lines.
#[derive(Default)]
struct Lengths {
    found: Vec<(String, usize)>,
}

impl Lengths {
    /// A function from its signature to its closing brace (its doc comment not counted).
    fn add(&mut self, sig: &syn::Signature, block: &syn::Block) {
        use syn::spanned::Spanned;
        let lines = block.span().end().line - sig.span().start().line + 1;
        self.found.push((sig.ident.to_string(), lines));
    }
}

impl<'ast> Visit<'ast> for Lengths {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Impl(i) => &i.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if !is_test_only(attrs) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.add(&f.sig, &f.block);
        syn::visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if !is_test_only(&f.attrs) {
            self.add(&f.sig, &f.block);
        }
        syn::visit::visit_impl_item_fn(self, f);
    }
}

#[test]
fn no_product_function_is_longer_than_the_limit() {
    let root = src("core");
    let modules = modules(&root);
    let mut too_long = Vec::new();
    let mut test_files = BTreeSet::new();
    for (name, file) in &modules {
        let syntax = syn::parse_file(&std::fs::read_to_string(file).unwrap()).unwrap();
        let mut reaches = Reaches::default();
        reaches.visit_file(&syntax);
        test_files.extend(reaches.test_modules.iter().map(|t| format!("{name}::{t}")));
    }
    for (name, file) in &modules {
        if test_files.contains(name) {
            continue;
        }
        let syntax = syn::parse_file(&std::fs::read_to_string(file).unwrap()).unwrap();
        let mut lengths = Lengths::default();
        lengths.visit_file(&syntax);
        too_long.extend(
            lengths
                .found
                .into_iter()
                .filter(|(_, lines)| *lines > MAX_FUNCTION_LINES)
                .map(|(f, lines)| format!("{name}::{f}: {lines} lines")),
        );
    }
    assert!(
        too_long.is_empty(),
        "functions longer than {MAX_FUNCTION_LINES} lines: {too_long:#?}"
    );
}
