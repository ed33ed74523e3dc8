#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use agreement_sync_sim::{start, SimConfig, SimHandle};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::NaiveDate;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::Value;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).expect("date")
}

pub async fn sim() -> SimHandle {
    sim_with(|_| {}).await
}

pub async fn sim_with(f: impl FnOnce(&mut SimConfig)) -> SimHandle {
    let mut config = SimConfig::demo(today());
    f(&mut config);
    start(config, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("simulator starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

pub fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

pub async fn reply(r: reqwest::RequestBuilder) -> Reply {
    let resp = r.send().await.expect("request sent");
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body");
    Reply {
        status,
        headers,
        text,
    }
}

/// A marketplace client with a token.
pub struct Mp {
    pub client: reqwest::Client,
    pub base: String,
    pub token: String,
}

pub fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
}

impl Mp {
    pub async fn login(sim: &SimHandle) -> Mp {
        let client = client();
        let base = sim.marketplace_base_url();
        let r = reply(
            client
                .post(format!("{base}token"))
                .header("Authorization", basic("demo", "demo-password"))
                .header("X-Subscription-Key", "demo-subscription-key"),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let token = r.json()["token"].as_str().expect("token").to_string();
        Mp {
            client,
            base,
            token,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        reply(
            self.client
                .get(format!("{}{path}", self.base))
                .bearer_auth(&self.token)
                .header("X-Subscription-Key", "demo-subscription-key"),
        )
        .await
    }
}

/// A ConnectWise client with the demo credentials.
pub struct Cw {
    pub client: reqwest::Client,
    pub base: String,
}

pub fn cw_auth() -> String {
    format!("Basic {}", STANDARD.encode("demo+demo-public:demo-private"))
}

pub const CLIENT_ID: &str = "00000000-0000-4000-8000-000000000001";

impl Cw {
    pub fn new(sim: &SimHandle) -> Cw {
        Cw {
            client: client(),
            base: sim.connectwise_base_url(),
        }
    }

    pub fn request(&self, url: &str) -> reqwest::RequestBuilder {
        self.client
            .get(url)
            .header("Authorization", cw_auth())
            .header("clientId", CLIENT_ID)
            .header("Accept", "application/json")
    }

    pub async fn get(&self, path: &str) -> Reply {
        reply(self.request(&format!("{}{path}", self.base))).await
    }

    /// A request with the demo credentials and any method, for `{base}{path}`.
    pub fn write(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base))
            .header("Authorization", cw_auth())
            .header("clientId", CLIENT_ID)
            .header("Accept", "application/json")
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        reply(self.write(reqwest::Method::POST, path).json(body)).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Reply {
        reply(self.write(reqwest::Method::PATCH, path).json(body)).await
    }

    pub async fn get_with(&self, path: &str, query: &[(&str, &str)]) -> Reply {
        reply(self.request(&format!("{}{path}", self.base)).query(query)).await
    }

    /// Every row of a list, following forward-only `Link` headers; returns the rows and pages.
    pub async fn all_forward_only(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> (Vec<Value>, usize) {
        let first = self
            .request(&format!("{}{path}", self.base))
            .query(query)
            .header("pagination-type", "forward-only");
        let mut r = reply(first).await;
        let mut rows = Vec::new();
        let mut pages = 0;
        loop {
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            pages += 1;
            rows.extend(r.json().as_array().expect("array").iter().cloned());
            let Some(next) = r.header("link").and_then(|l| next_link(&l)) else {
                break;
            };
            assert!(pages < 10_000, "too many pages");
            r = reply(
                self.request(&next)
                    .header("pagination-type", "forward-only"),
            )
            .await;
        }
        (rows, pages)
    }
}

/// The URL of `rel="next"` in a Link header.
pub fn next_link(link: &str) -> Option<String> {
    rel_link(link, "next")
}

pub fn rel_link(link: &str, rel: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (url, params) = part.trim().split_once(';')?;
        if params.trim() == format!("rel=\"{rel}\"") {
            Some(
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string(),
            )
        } else {
            None
        }
    })
}

pub fn ids(rows: &[Value]) -> Vec<u64> {
    rows.iter()
        .map(|r| r["id"].as_u64().expect("numeric id"))
        .collect()
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every field of `expected` (a fixture) exists in `actual` with the same JSON type (null
/// matches anything), recursively; for arrays, every fixture item's fields must exist in the
/// first actual item.
pub fn assert_shape(actual: &Value, expected: &Value, at: &str) {
    match (actual, expected) {
        (_, Value::Null) | (Value::Null, _) => {}
        (Value::Object(a), Value::Object(e)) => {
            for (k, ev) in e {
                let av = a.get(k).unwrap_or_else(|| {
                    panic!(
                        "{at}: missing field '{k}' (have {:?})",
                        a.keys().collect::<Vec<_>>()
                    )
                });
                assert_shape(av, ev, &format!("{at}.{k}"));
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            if let Some(first) = a.first() {
                for item in e {
                    assert_shape(first, item, &format!("{at}[]"));
                }
            }
        }
        _ => assert_eq!(
            kind(actual),
            kind(expected),
            "{at}: type differs: {actual} vs {expected}"
        ),
    }
}

pub fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}
