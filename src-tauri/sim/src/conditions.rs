//! A useful subset of ConnectWise's `conditions` / `orderBy` grammar, evaluated over the JSON
//! rows the simulator returns.
//!
//! ```text
//! expr       := term ( OR term )*
//! term       := factor ( AND factor )*
//! factor     := NOT? '(' expr ')' | comparison
//! comparison := path op value | path [NOT] IN '(' value (',' value)* ')'
//! op         := = | != | <> | < | <= | > | >= | [NOT] LIKE | [NOT] CONTAINS
//! value      := number | "string" | true | false | null | [datetime]
//! path       := name ( '/' name )*
//! ```
//! Keywords and field names are case-insensitive; string comparisons are case-insensitive (as on
//! ConnectWise's SQL Server); `like` takes `*` or `%` as wildcards.

use std::cmp::Ordering;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Number(f64),
    Str(String),
    Bool(bool),
    Null,
    DateTime(DateTime<Utc>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Like,
    NotLike,
    Contains,
    NotContains,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Cmp {
        path: Vec<String>,
        op: Op,
        value: Literal,
    },
    In {
        path: Vec<String>,
        negated: bool,
        values: Vec<Literal>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionError {
    pub message: String,
}

fn err<T>(message: impl Into<String>) -> Result<T, ConditionError> {
    Err(ConditionError {
        message: message.into(),
    })
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Comma,
    Sym(&'static str),
    Word(String),
    Str(String),
    Num(f64),
    Date(DateTime<Utc>),
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::LParen => "'('".into(),
            Tok::RParen => "')'".into(),
            Tok::Comma => "','".into(),
            Tok::Sym(s) => format!("'{s}'"),
            Tok::Word(w) => format!("'{w}'"),
            Tok::Str(s) => format!("\"{s}\""),
            Tok::Num(n) => format!("{n}"),
            Tok::Date(d) => format!("[{}]", d.format("%Y-%m-%dT%H:%M:%SZ")),
        }
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self, Tok::Word(x) if x.eq_ignore_ascii_case(w))
    }
}

/// Parses a date-time as the APIs write them: RFC 3339, `yyyy-MM-ddTHH:mm:ss` (UTC),
/// `yyyy-MM-dd HH:mm:ss` (UTC) or a bare date (midnight UTC).
pub fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d.and_utc());
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

fn tokenize(input: &str) -> Result<Vec<Tok>, ConditionError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1;
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            '=' => {
                out.push(Tok::Sym("="));
                i += 1;
            }
            '!' => {
                if chars.get(i + 1) == Some(&'=') {
                    out.push(Tok::Sym("!="));
                    i += 2;
                } else {
                    return err(format!("Unexpected character '!' at position {}.", i + 1));
                }
            }
            '<' => match chars.get(i + 1) {
                Some('=') => {
                    out.push(Tok::Sym("<="));
                    i += 2;
                }
                Some('>') => {
                    out.push(Tok::Sym("!="));
                    i += 2;
                }
                _ => {
                    out.push(Tok::Sym("<"));
                    i += 1;
                }
            },
            '>' => {
                if chars.get(i + 1) == Some(&'=') {
                    out.push(Tok::Sym(">="));
                    i += 2;
                } else {
                    out.push(Tok::Sym(">"));
                    i += 1;
                }
            }
            '"' | '\'' => {
                let quote = c;
                let start = i;
                i += 1;
                let mut s = String::new();
                loop {
                    match chars.get(i) {
                        None => {
                            return err(format!(
                                "Unterminated string starting at position {}.",
                                start + 1
                            ))
                        }
                        Some('\\') if chars.get(i + 1).is_some() => {
                            s.push(chars[i + 1]);
                            i += 2;
                        }
                        Some(&q) if q == quote => {
                            if chars.get(i + 1) == Some(&quote) {
                                s.push(quote);
                                i += 2;
                            } else {
                                i += 1;
                                break;
                            }
                        }
                        Some(&ch) => {
                            s.push(ch);
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Str(s));
            }
            '[' => {
                let start = i;
                let end = chars[i..].iter().position(|&ch| ch == ']').map(|p| p + i);
                let Some(end) = end else {
                    return err(format!(
                        "Unterminated date starting at position {}: expected ']'.",
                        start + 1
                    ));
                };
                let text: String = chars[i + 1..end].iter().collect();
                match parse_datetime(&text) {
                    Some(d) => out.push(Tok::Date(d)),
                    None => {
                        return err(format!("Invalid date [{text}] at position {}.", start + 1))
                    }
                }
                i = end + 1;
            }
            c if c.is_ascii_digit()
                || ((c == '-' || c == '.')
                    && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit())) =>
            {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                match text.parse::<f64>() {
                    Ok(n) => out.push(Tok::Num(n)),
                    Err(_) => {
                        return err(format!(
                            "Invalid number '{text}' at position {}.",
                            start + 1
                        ))
                    }
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric()
                        || chars[i] == '_'
                        || chars[i] == '/'
                        || chars[i] == '.')
                {
                    i += 1;
                }
                out.push(Tok::Word(chars[start..i].iter().collect()));
            }
            other => {
                return err(format!(
                    "Unexpected character '{other}' at position {}.",
                    i + 1
                ))
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Parser

const KEYWORDS: [&str; 9] = [
    "and", "or", "not", "like", "in", "contains", "true", "false", "null",
];

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if self.peek().is_some_and(|t| t.is_word(w)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> Result<Expr, ConditionError> {
        let mut left = self.term()?;
        while self.eat_word("or") {
            let right = self.term()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, ConditionError> {
        let mut left = self.factor()?;
        while self.eat_word("and") {
            let right = self.factor()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Expr, ConditionError> {
        match self.peek() {
            Some(Tok::LParen) => {
                self.pos += 1;
                let e = self.expr()?;
                match self.next() {
                    Some(Tok::RParen) => Ok(e),
                    Some(t) => err(format!("Expected ')' but found {}.", t.describe())),
                    None => err("Expected ')' but the conditions ended."),
                }
            }
            Some(t) if t.is_word("not") && self.toks.get(self.pos + 1) == Some(&Tok::LParen) => {
                self.pos += 1;
                let inner = self.factor()?;
                Ok(Expr::Not(Box::new(inner)))
            }
            _ => self.comparison(),
        }
    }

    fn comparison(&mut self) -> Result<Expr, ConditionError> {
        let path = match self.next() {
            Some(Tok::Word(w)) if !KEYWORDS.iter().any(|k| w.eq_ignore_ascii_case(k)) => w,
            Some(t) => return err(format!("Expected a field name but found {}.", t.describe())),
            None => return err("Expected a field name but the conditions ended."),
        };
        let segments: Vec<String> = path.split('/').map(str::to_string).collect();
        if segments.iter().any(String::is_empty) {
            return err(format!("Invalid field name '{path}'."));
        }
        let negated = self.eat_word("not");
        let op = match self.next() {
            Some(Tok::Sym(s)) if !negated => match s {
                "=" => Op::Eq,
                "!=" => Op::Ne,
                "<" => Op::Lt,
                "<=" => Op::Le,
                ">" => Op::Gt,
                _ => Op::Ge,
            },
            Some(t) if t.is_word("like") => {
                if negated {
                    Op::NotLike
                } else {
                    Op::Like
                }
            }
            Some(t) if t.is_word("contains") => {
                if negated {
                    Op::NotContains
                } else {
                    Op::Contains
                }
            }
            Some(t) if t.is_word("in") => {
                let values = self.value_list(&path)?;
                return Ok(Expr::In {
                    path: segments,
                    negated,
                    values,
                });
            }
            Some(t) => {
                return err(format!(
                    "Expected an operator after '{path}' but found {}.",
                    t.describe()
                ))
            }
            None => return err(format!("Expected an operator after '{path}'.")),
        };
        let value = self.value(&path)?;
        if matches!(op, Op::Like | Op::NotLike | Op::Contains | Op::NotContains)
            && !matches!(value, Literal::Str(_))
        {
            return err(format!(
                "The like/contains operator on '{path}' needs a quoted string value."
            ));
        }
        if matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge)
            && matches!(value, Literal::Null | Literal::Bool(_))
        {
            return err(format!(
                "Cannot compare '{path}' with <, <=, > or >= to true, false or null."
            ));
        }
        Ok(Expr::Cmp {
            path: segments,
            op,
            value,
        })
    }

    fn value(&mut self, path: &str) -> Result<Literal, ConditionError> {
        match self.next() {
            Some(Tok::Num(n)) => Ok(Literal::Number(n)),
            Some(Tok::Str(s)) => Ok(Literal::Str(s)),
            Some(Tok::Date(d)) => Ok(Literal::DateTime(d)),
            Some(t) if t.is_word("true") => Ok(Literal::Bool(true)),
            Some(t) if t.is_word("false") => Ok(Literal::Bool(false)),
            Some(t) if t.is_word("null") => Ok(Literal::Null),
            Some(Tok::Word(w)) => err(format!(
                "Expected a value for '{path}' but found '{w}'; strings must be quoted (\"{w}\")."
            )),
            Some(t) => err(format!(
                "Expected a value for '{path}' but found {}.",
                t.describe()
            )),
            None => err(format!(
                "Expected a value for '{path}' but the conditions ended."
            )),
        }
    }

    fn value_list(&mut self, path: &str) -> Result<Vec<Literal>, ConditionError> {
        match self.next() {
            Some(Tok::LParen) => {}
            _ => return err(format!("Expected '(' after 'in' for '{path}'.")),
        }
        let mut values = vec![self.value(path)?];
        loop {
            match self.next() {
                Some(Tok::Comma) => values.push(self.value(path)?),
                Some(Tok::RParen) => return Ok(values),
                Some(t) => return err(format!("Expected ',' or ')' but found {}.", t.describe())),
                None => return err("Expected ')' but the conditions ended."),
            }
        }
    }
}

/// Parses a `conditions` string.
pub fn parse(input: &str) -> Result<Expr, ConditionError> {
    let toks = tokenize(input)?;
    if toks.is_empty() {
        return err("The conditions are empty.");
    }
    let mut p = Parser { toks, pos: 0 };
    let e = p.expr()?;
    match p.next() {
        None => Ok(e),
        Some(t) => err(format!(
            "Unexpected {} after a complete condition; join conditions with 'and' or 'or'.",
            t.describe()
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Field resolution

/// Looks up a path in a row (case-insensitive keys). A single name that is not a top-level field
/// falls back to `_info/<name>` (so `lastUpdated` works as on ConnectWise).
/// `None`: some key does not exist. `Some(Null)`: the path runs into a null.
pub fn resolve<'a>(row: &'a Value, path: &[String]) -> Option<&'a Value> {
    fn key<'a>(obj: &'a Value, name: &str) -> Option<&'a Value> {
        obj.as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }
    let mut cur = row;
    for (i, seg) in path.iter().enumerate() {
        if cur.is_null() {
            return Some(&Value::Null);
        }
        match key(cur, seg) {
            Some(v) => cur = v,
            None if i == 0 && path.len() == 1 => {
                return key(row, "_info").and_then(|info| key(info, seg));
            }
            None => return None,
        }
    }
    Some(cur)
}

/// Checks that every path exists in a schema row (a row with every nested object filled).
pub fn check_paths<'a>(
    paths: impl IntoIterator<Item = &'a [String]>,
    schema: &Value,
) -> Result<(), ConditionError> {
    for p in paths {
        match resolve(schema, p) {
            Some(Value::Array(_)) => {
                return err(format!(
                    "Field '{}' is a list and cannot be used here.",
                    p.join("/")
                ))
            }
            Some(_) => {}
            None => return err(format!("Unknown field '{}'.", p.join("/"))),
        }
    }
    Ok(())
}

impl Expr {
    pub fn paths(&self) -> Vec<&[String]> {
        let mut out = Vec::new();
        self.collect_paths(&mut out);
        out
    }

    fn collect_paths<'a>(&'a self, out: &mut Vec<&'a [String]>) {
        match self {
            Expr::And(a, b) | Expr::Or(a, b) => {
                a.collect_paths(out);
                b.collect_paths(out);
            }
            Expr::Not(a) => a.collect_paths(out),
            Expr::Cmp { path, .. } | Expr::In { path, .. } => out.push(path),
        }
    }

    pub fn matches(&self, row: &Value) -> bool {
        match self {
            Expr::And(a, b) => a.matches(row) && b.matches(row),
            Expr::Or(a, b) => a.matches(row) || b.matches(row),
            Expr::Not(a) => !a.matches(row),
            Expr::Cmp { path, op, value } => {
                let field = resolve(row, path).unwrap_or(&Value::Null);
                compare(field, *op, value)
            }
            Expr::In {
                path,
                negated,
                values,
            } => {
                let field = resolve(row, path).unwrap_or(&Value::Null);
                if field.is_null() {
                    return false;
                }
                let found = values.iter().any(|v| compare(field, Op::Eq, v));
                found != *negated
            }
        }
    }
}

fn field_datetime(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str().and_then(parse_datetime)
}

fn like(text: &str, pattern: &str) -> bool {
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    // Classic wildcard matching with backtracking on the last star.
    let (mut ti, mut pi) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '*' || p[pi] == '%') {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if pi < p.len() && (p[pi] == t[ti] || p[pi] == '_') {
            ti += 1;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && (p[pi] == '*' || p[pi] == '%') {
        pi += 1;
    }
    pi == p.len()
}

fn ordered(ord: Option<Ordering>, op: Op) -> bool {
    let Some(o) = ord else { return false };
    match op {
        Op::Eq => o == Ordering::Equal,
        Op::Ne => o != Ordering::Equal,
        Op::Lt => o == Ordering::Less,
        Op::Le => o != Ordering::Greater,
        Op::Gt => o == Ordering::Greater,
        Op::Ge => o != Ordering::Less,
        _ => false,
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn compare(field: &Value, op: Op, lit: &Literal) -> bool {
    match lit {
        Literal::Null => match op {
            Op::Eq => field.is_null(),
            Op::Ne => !field.is_null(),
            _ => false,
        },
        _ if field.is_null() => false,
        Literal::Bool(b) => {
            let f = match field {
                Value::Bool(x) => Some(*x),
                Value::String(s) => s.parse::<bool>().ok(),
                _ => None,
            };
            match (f, op) {
                (Some(x), Op::Eq) => x == *b,
                (Some(x), Op::Ne) => x != *b,
                _ => false,
            }
        }
        Literal::Number(n) => {
            let f = match field {
                Value::Number(x) => x.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            };
            ordered(f.and_then(|x| x.partial_cmp(n)), op)
        }
        Literal::DateTime(d) => ordered(field_datetime(field).map(|f| f.cmp(d)), op),
        Literal::Str(s) => {
            let Some(text) = scalar_text(field) else {
                return false;
            };
            match op {
                Op::Like => like(&text, s),
                Op::NotLike => !like(&text, s),
                Op::Contains => text.to_lowercase().contains(&s.to_lowercase()),
                Op::NotContains => !text.to_lowercase().contains(&s.to_lowercase()),
                _ => {
                    if let Value::Number(x) = field {
                        let n = s.trim().parse::<f64>().ok();
                        return ordered(
                            n.and_then(|n| x.as_f64().and_then(|x| x.partial_cmp(&n))),
                            op,
                        );
                    }
                    ordered(Some(text.to_lowercase().cmp(&s.to_lowercase())), op)
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// orderBy

#[derive(Clone, Debug, PartialEq)]
pub struct OrderKey {
    pub path: Vec<String>,
    pub descending: bool,
}

/// Parses `orderBy`: `path [asc|desc] (, path [asc|desc])*`.
pub fn parse_order_by(input: &str) -> Result<Vec<OrderKey>, ConditionError> {
    let mut keys = Vec::new();
    for part in input.split(',') {
        let words: Vec<&str> = part.split_whitespace().collect();
        let (path, descending) = match words.as_slice() {
            [p] => (*p, false),
            [p, d] if d.eq_ignore_ascii_case("asc") => (*p, false),
            [p, d] if d.eq_ignore_ascii_case("desc") => (*p, true),
            _ => return err(format!("Invalid orderBy clause '{}'.", part.trim())),
        };
        let segments: Vec<String> = path.split('/').map(str::to_string).collect();
        if segments.iter().any(|s| s.is_empty()) {
            return err(format!("Invalid orderBy field '{path}'."));
        }
        keys.push(OrderKey {
            path: segments,
            descending,
        });
    }
    Ok(keys)
}

fn rank(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
        _ => 4,
    }
}

/// Orders two JSON scalars: null first, numbers numerically, strings case-insensitively.
pub fn cmp_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

pub fn cmp_rows(a: &Value, b: &Value, keys: &[OrderKey]) -> Ordering {
    for k in keys {
        let x = resolve(a, &k.path).unwrap_or(&Value::Null);
        let y = resolve(b, &k.path).unwrap_or(&Value::Null);
        let o = cmp_values(x, y);
        let o = if k.descending { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row() -> Value {
        json!({
            "id": 4127, "name": "Green Lane - Microsoft 365", "agreementStatus": "Active",
            "cancelledFlag": false, "endDate": null, "billAmount": 150.0,
            "company": {"id": 250, "identifier": "GreenLane", "name": "Green Lane LLC"},
            "billingCycle": {"id": 1, "name": "Monthly"},
            "contact": null,
            "_info": {"lastUpdated": "2026-11-02T14:21:07Z"}
        })
    }

    fn m(c: &str) -> bool {
        parse(c)
            .unwrap_or_else(|e| panic!("{c}: {}", e.message))
            .matches(&row())
    }

    #[test]
    fn comparisons() {
        assert!(m(r#"company/id=250 and agreementStatus="Active""#));
        assert!(m(r#"company/id = 250 AND agreementStatus = "active""#));
        assert!(!m(r#"company/id=251"#));
        assert!(m("company/id != 251"));
        assert!(m("billAmount >= 150 and billAmount < 150.5"));
        assert!(!m("billAmount > 150"));
        assert!(m("cancelledFlag = false"));
        assert!(!m("cancelledFlag = true"));
        assert!(m("endDate = null"));
        assert!(!m("endDate != null"));
        assert!(m("contact/id = null"));
        assert!(m(r#"name like "Green*""#));
        assert!(m(r#"name like "%microsoft%""#));
        assert!(!m(r#"name not like "Green*""#));
        assert!(m(r#"name contains "lane""#));
        assert!(m(r#"billingCycle/name="Monthly""#));
        assert!(m("lastUpdated > [2026-11-01T00:00:00Z]"));
        assert!(m("_info/lastUpdated < [2026-11-03]"));
        assert!(!m("lastUpdated > [2026-11-02T14:21:07Z]"));
        assert!(m("id in (1, 4127, 9)"));
        assert!(!m("id not in (4127)"));
        assert!(m(
            r#"(company/id=1 or company/id=250) and not (agreementStatus="Cancelled")"#
        ));
        assert!(m(r#"company/id=1 or company/id=250 and billingCycle/id=1"#));
        assert!(!m(
            r#"(company/id=1 or company/id=250) and billingCycle/id=2"#
        ));
        assert!(m(r#"name = "Green Lane - Microsoft 365""#));
        assert!(m(r#"company/name = "Green Lane LLC""#));
    }

    #[test]
    fn syntax_errors_name_the_problem() {
        for (c, needle) in [
            ("company/id=", "Expected a value"),
            ("agreementStatus=Active", "must be quoted"),
            ("(company/id=250", "Expected ')'"),
            (
                "company/id=250 agreementStatus=\"Active\"",
                "join conditions",
            ),
            ("name like 5", "quoted string"),
            ("name = \"open", "Unterminated string"),
            ("lastUpdated > [notadate]", "Invalid date"),
            ("company/id # 3", "Unexpected character"),
            ("", "empty"),
        ] {
            let e = parse(c).expect_err(c);
            assert!(e.message.contains(needle), "{c}: {}", e.message);
        }
    }

    #[test]
    fn unknown_fields_are_reported() {
        let e = parse("company/nope=1").expect("parses");
        let err = check_paths(e.paths(), &row()).expect_err("unknown");
        assert!(err.message.contains("company/nope"));
        let ok = parse("lastUpdated > [2026-01-01T00:00:00Z] and contact/id=null").expect("parses");
        assert!(check_paths(ok.paths(), &row()).is_ok());
    }

    #[test]
    fn order_by() {
        let k = parse_order_by("company/name desc, id").expect("ok");
        assert_eq!(k.len(), 2);
        assert!(k[0].descending);
        assert!(!k[1].descending);
        assert!(parse_order_by("id sideways").is_err());
    }

    #[test]
    fn wildcards() {
        assert!(like("Green Lane LLC", "green*"));
        assert!(like("Green Lane LLC", "*LLC"));
        assert!(like("Green Lane LLC", "*lane*"));
        assert!(!like("Green Lane LLC", "lane*"));
        assert!(like("abc", "a_c"));
    }
}
