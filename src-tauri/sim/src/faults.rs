//! Injected faults: which requests fail, and how — including answers that are not what the API
//! documents (a cut-off body, a web page, a field in another shape than usual), as real tenants
//! and API versions send them.

use serde_json::Value;

/// What an injected fault does to a matching request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// 500 with the API's error body.
    ServerError,
    /// 429 with a `Retry-After` header (seconds) and the API's error body.
    TooManyRequests { retry_after_secs: u64 },
    /// The request is held for 60 s (or until shutdown), then answered 504, so a client with a
    /// shorter timeout times out.
    Timeout,
    /// The connection is closed without any response.
    DropConnection,
    /// A 200 whose JSON body is cut in half.
    MalformedBody,
    /// A 200 whose body is an HTML page (what a wrong address, a proxy's sign-in page or a
    /// maintenance page sends), with `Content-Type: text/html`.
    WebPage,
    /// The handler's answer with one field of its records in another shape (see [`Reshape`]).
    Reshape(Reshape),
}

impl FaultKind {
    /// Kinds that change the handler's answer rather than replace it: the handler always runs.
    pub(crate) fn alters_answer(&self) -> bool {
        matches!(
            self,
            FaultKind::MalformedBody | FaultKind::WebPage | FaultKind::Reshape(_)
        )
    }
}

/// One field of the records of a JSON answer, sent in another shape. The records are the elements
/// of a list answer (ConnectWise), of the `data` list of a marketplace page, or the answer itself
/// when it is one object. A field the record does not have is left alone (nothing is added).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reshape {
    /// The field, dotted for a nested one: `currencyCode`, `company.id`, `products.quantity`
    /// (a list on the way applies to each of its elements).
    pub field: String,
    pub to: NewShape,
    /// Only this record (0-based); `None`: every record.
    pub record: Option<usize>,
}

/// The shape a reshaped field is sent in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NewShape {
    /// A reference `{"id": 148, "name": "USD"}` is sent as its bare name, `"USD"`.
    NameOnly,
    /// A number is sent as text: `250` as `"250"`, `22.5` as `"22.5"`.
    Text,
    /// The value is replaced by this one (e.g. `"soon"` for a date, `[1, 2]` for an id).
    Value(Value),
}

impl Reshape {
    /// Every record's `field` in the shape `to`.
    pub fn new(field: impl Into<String>, to: NewShape) -> Self {
        Reshape {
            field: field.into(),
            to,
            record: None,
        }
    }

    /// Only the record at `index` (0-based) of the answer.
    pub fn record(mut self, index: usize) -> Self {
        self.record = Some(index);
        self
    }

    /// Applies the change to a JSON answer.
    pub(crate) fn apply(&self, body: &mut Value) {
        let path: Vec<&str> = self.field.split('.').filter(|s| !s.is_empty()).collect();
        let records: Vec<&mut Value> = match body {
            Value::Array(items) => items.iter_mut().collect(),
            Value::Object(map) if map.get("data").is_some_and(Value::is_array) => map
                .get_mut("data")
                .and_then(Value::as_array_mut)
                .map(|items| items.iter_mut().collect())
                .unwrap_or_default(),
            other => vec![other],
        };
        for (i, record) in records.into_iter().enumerate() {
            if self.record.is_none_or(|r| r == i) {
                reshape_at(record, &path, &self.to);
            }
        }
    }
}

fn reshape_at(value: &mut Value, path: &[&str], to: &NewShape) {
    match (value, path) {
        (Value::Array(items), _) => {
            for item in items {
                reshape_at(item, path, to);
            }
        }
        (Value::Object(map), [last]) => {
            if let Some(v) = map.get_mut(*last) {
                *v = match (to, &*v) {
                    (NewShape::NameOnly, Value::Object(r)) => {
                        r.get("name").cloned().unwrap_or(Value::Null)
                    }
                    (NewShape::NameOnly, same) => same.clone(),
                    (NewShape::Text, Value::Number(n)) => Value::String(n.to_string()),
                    (NewShape::Text, same) => same.clone(),
                    (NewShape::Value(new), _) => new.clone(),
                };
            }
        }
        (Value::Object(map), [first, rest @ ..]) => {
            if let Some(inner) = map.get_mut(*first) {
                reshape_at(inner, rest, to);
            }
        }
        _ => {}
    }
}

/// When a fault strikes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FaultTiming {
    /// Instead of the handler: the request changes nothing (except the kinds that alter the
    /// handler's answer — [`FaultKind::MalformedBody`], [`FaultKind::WebPage`],
    /// [`FaultKind::Reshape`] — for which the handler always runs).
    #[default]
    Before,
    /// After the handler has run: whatever it changed stays changed, but the client gets the
    /// fault instead of the real answer (a "lost response").
    After,
}

/// A fault for the requests whose path contains `path_contains` (and whose method is `method`,
/// if given, case-insensitive).
///
/// The first rule matching a request decides: while it still has `skip` left, the request passes
/// untouched (and `skip` goes down by one); otherwise the fault strikes (and `remaining`, if set,
/// goes down by one; a rule is dropped when it reaches 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultRule {
    pub method: Option<String>,
    pub path_contains: String,
    pub kind: FaultKind,
    /// How many more requests it applies to; `None` = forever. Skipped requests do not count.
    pub remaining: Option<u32>,
    /// Before the handler (the default) or after it.
    pub when: FaultTiming,
    /// How many more matching requests pass untouched before the rule strikes (default 0).
    pub skip: u32,
}

/// A fault that strikes one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fault {
    pub kind: FaultKind,
    pub when: FaultTiming,
}

impl FaultRule {
    /// A rule for every method, forever, striking before the handler.
    pub fn new(path_contains: impl Into<String>, kind: FaultKind) -> Self {
        FaultRule {
            method: None,
            path_contains: path_contains.into(),
            kind,
            remaining: None,
            when: FaultTiming::Before,
            skip: 0,
        }
    }

    /// Only for this HTTP method.
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// Only for the next `n` matching requests (after the skipped ones).
    pub fn times(mut self, n: u32) -> Self {
        self.remaining = Some(n);
        self
    }

    /// Strikes after the handler has run: its state change is kept, the answer is lost.
    pub fn after_apply(mut self) -> Self {
        self.when = FaultTiming::After;
        self
    }

    /// Lets the first `n` matching requests pass untouched; e.g. `.method("POST").skip(1)`
    /// fails the second POST (and, without [`FaultRule::times`], every later one).
    pub fn skip(mut self, n: u32) -> Self {
        self.skip = n;
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.remaining != Some(0)
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && path.contains(&self.path_contains)
    }
}

/// Finds the first rule matching the request; a rule still skipping lets it pass (and uses up
/// one skip), otherwise it uses one of its remaining applications. Rules that are used up are
/// dropped.
pub(crate) fn take(rules: &mut Vec<FaultRule>, method: &str, path: &str) -> Option<Fault> {
    let i = rules.iter().position(|r| r.matches(method, path))?;
    let rule = &mut rules[i];
    if rule.skip > 0 {
        rule.skip -= 1;
        return None;
    }
    let fault = Fault {
        kind: rule.kind.clone(),
        when: rule.when,
    };
    if let Some(n) = rule.remaining.as_mut() {
        *n = n.saturating_sub(1);
        if *n == 0 {
            rules.remove(i);
        }
    }
    Some(fault)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(f: Option<Fault>) -> Option<FaultKind> {
        f.map(|f| f.kind)
    }

    #[test]
    fn rules_match_by_method_and_path_and_run_out() {
        let mut rules = vec![
            FaultRule::new("/orders", FaultKind::ServerError).method("post"),
            FaultRule::new("/orders", FaultKind::MalformedBody).times(2),
        ];
        assert_eq!(
            kind(take(&mut rules, "POST", "/m/orders")),
            Some(FaultKind::ServerError)
        );
        assert_eq!(
            kind(take(&mut rules, "GET", "/m/orders")),
            Some(FaultKind::MalformedBody)
        );
        assert_eq!(
            kind(take(&mut rules, "GET", "/m/orders/1")),
            Some(FaultKind::MalformedBody)
        );
        assert_eq!(take(&mut rules, "GET", "/m/orders"), None);
        assert_eq!(take(&mut rules, "GET", "/m/customers"), None);
        assert_eq!(rules.len(), 1);
    }

    #[test]
    fn skip_lets_the_first_matches_pass_and_times_counts_only_strikes() {
        let mut rules = vec![FaultRule::new("/additions", FaultKind::ServerError)
            .method("POST")
            .after_apply()
            .skip(2)
            .times(1)];
        assert_eq!(rules[0].when, FaultTiming::After);
        // Other requests neither strike nor use up a skip.
        assert_eq!(take(&mut rules, "GET", "/a/additions"), None);
        assert_eq!(take(&mut rules, "POST", "/a/additions"), None);
        assert_eq!(take(&mut rules, "POST", "/a/additions"), None);
        assert_eq!(
            take(&mut rules, "POST", "/a/additions"),
            Some(Fault {
                kind: FaultKind::ServerError,
                when: FaultTiming::After
            })
        );
        assert!(rules.is_empty());
        assert_eq!(take(&mut rules, "POST", "/a/additions"), None);
    }

    #[test]
    fn reshape_changes_one_field_of_each_record_or_of_one() {
        use serde_json::json;
        let mut list = json!([
            {"id": 7, "currencyCode": {"id": 148, "name": "USD"}},
            {"id": 8, "currencyCode": {"id": 45, "name": "EUR"}}
        ]);
        Reshape::new("currencyCode", NewShape::NameOnly).apply(&mut list);
        assert_eq!(list[0]["currencyCode"], "USD");
        assert_eq!(list[1]["currencyCode"], "EUR");

        let mut page = json!({"data": [{"id": "1"}, {"id": "2", "customerId": "5"}], "pagination": {"total": 2}});
        Reshape::new("customerId", NewShape::Value(json!([1])))
            .record(1)
            .apply(&mut page);
        assert_eq!(page["data"][1]["customerId"], json!([1]));
        assert_eq!(page["data"][0].get("customerId"), None, "nothing is added");

        let mut one =
            json!({"company": {"id": 250}, "products": [{"quantity": 5}, {"quantity": 2.5}]});
        Reshape::new("company.id", NewShape::Text).apply(&mut one);
        Reshape::new("products.quantity", NewShape::Text).apply(&mut one);
        assert_eq!(one["company"]["id"], "250");
        assert_eq!(one["products"][1]["quantity"], "2.5");
    }

    #[test]
    fn a_skipping_rule_shadows_later_rules() {
        let mut rules = vec![
            FaultRule::new("/x", FaultKind::ServerError).skip(1),
            FaultRule::new("/x", FaultKind::Timeout),
        ];
        assert_eq!(take(&mut rules, "GET", "/x"), None);
        assert_eq!(
            kind(take(&mut rules, "GET", "/x")),
            Some(FaultKind::ServerError)
        );
    }
}
