//! Injected faults: which requests fail, and how.

/// What an injected fault does to a matching request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// 500 with the API's error body.
    ServerError,
    /// 429 with a `Retry-After` header (seconds) and the API's error body.
    TooManyRequests { retry_after_secs: u64 },
    /// The request is held for 60 s (then answered 504), so a client with a shorter timeout
    /// times out.
    Timeout,
    /// The connection is closed without any response.
    DropConnection,
    /// A 200 whose JSON body is cut in half.
    MalformedBody,
}

/// A fault for the requests whose path contains `path_contains` (and whose method is `method`,
/// if given, case-insensitive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultRule {
    pub method: Option<String>,
    pub path_contains: String,
    pub kind: FaultKind,
    /// How many more requests it applies to; `None` = forever.
    pub remaining: Option<u32>,
}

impl FaultRule {
    /// A rule for every method, forever.
    pub fn new(path_contains: impl Into<String>, kind: FaultKind) -> Self {
        FaultRule {
            method: None,
            path_contains: path_contains.into(),
            kind,
            remaining: None,
        }
    }

    /// Only for this HTTP method.
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// Only for the next `n` matching requests.
    pub fn times(mut self, n: u32) -> Self {
        self.remaining = Some(n);
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

/// Finds the first rule matching the request, uses one of its remaining applications, and drops
/// rules that are used up.
pub(crate) fn take(rules: &mut Vec<FaultRule>, method: &str, path: &str) -> Option<FaultKind> {
    let i = rules.iter().position(|r| r.matches(method, path))?;
    let kind = rules[i].kind.clone();
    if let Some(n) = rules[i].remaining.as_mut() {
        *n = n.saturating_sub(1);
        if *n == 0 {
            rules.remove(i);
        }
    }
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_by_method_and_path_and_run_out() {
        let mut rules = vec![
            FaultRule::new("/orders", FaultKind::ServerError).method("post"),
            FaultRule::new("/orders", FaultKind::MalformedBody).times(2),
        ];
        assert_eq!(
            take(&mut rules, "POST", "/m/orders"),
            Some(FaultKind::ServerError)
        );
        assert_eq!(
            take(&mut rules, "GET", "/m/orders"),
            Some(FaultKind::MalformedBody)
        );
        assert_eq!(
            take(&mut rules, "GET", "/m/orders/1"),
            Some(FaultKind::MalformedBody)
        );
        assert_eq!(take(&mut rules, "GET", "/m/orders"), None);
        assert_eq!(take(&mut rules, "GET", "/m/customers"), None);
        assert_eq!(rules.len(), 1);
    }
}
