//! The shared state of a running simulator.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use tokio::sync::watch;

use crate::faults::{self, Fault, FaultRule};
use crate::world::World;
use crate::{Credentials, OrderListing};

/// One request the simulator saw.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RecordedRequest {
    pub method: String,
    /// The URL path, as sent (not percent-decoded).
    pub path: String,
    /// The raw query string ("" when there is none).
    pub query: String,
    /// The response status; 0 when no response was sent (dropped connection, or a held request
    /// whose client gave up).
    pub status: u16,
}

/// How long a held addition POST waits for the rest of its group before it proceeds anyway.
const HOLD_LIMIT: Duration = Duration::from_secs(10);

/// How far a group of held addition POSTs has got.
#[derive(Clone, Copy, Default)]
struct HoldProgress {
    /// Every POST of the group has arrived (or the group was called off): they may proceed.
    released: bool,
    /// How many have been applied (each waits for those that arrived before it).
    done: usize,
}

/// A group of addition POSTs held until `size` have arrived.
struct CreateHold {
    size: usize,
    arrived: usize,
    progress: Arc<watch::Sender<HoldProgress>>,
}

/// A held POST's turn to apply; dropping it (answered, rejected or abandoned) lets the next one go.
pub(crate) struct CreateTurn(Arc<watch::Sender<HoldProgress>>);

impl Drop for CreateTurn {
    fn drop(&mut self) {
        self.0.send_modify(|p| p.done += 1);
    }
}

/// Caps the request log so a long benchmark cannot grow it without bound.
const MAX_RECORDED: usize = 1_000_000;

#[derive(Default)]
struct RequestLog {
    generation: u64,
    entries: Vec<RecordedRequest>,
}

/// Where a recorded request sits in the log, to set its status later.
#[derive(Clone, Copy)]
pub(crate) struct RecordSlot {
    generation: u64,
    index: usize,
}

pub(crate) struct SimState {
    pub world: RwLock<World>,
    pub credentials: Credentials,
    pub token_ttl: Duration,
    pub addr: SocketAddr,
    /// `http://127.0.0.1:PORT`
    pub origin: String,
    pub shutdown: watch::Sender<bool>,
    latency: Mutex<Duration>,
    faults: Mutex<Vec<FaultRule>>,
    order_listing: Mutex<OrderListing>,
    /// Permissions the API member's security role lacks: (module › area, level).
    denied: Mutex<Vec<(String, String)>>,
    requests: Mutex<RequestLog>,
    create_hold: Mutex<Option<CreateHold>>,
    tokens: Mutex<HashMap<String, Instant>>,
    counter: AtomicU64,
    salt: u64,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl SimState {
    pub fn new(
        world: World,
        credentials: Credentials,
        token_ttl: Duration,
        latency: Duration,
        addr: SocketAddr,
        origin: String,
    ) -> Self {
        let salt = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0)
            ^ u64::from(addr.port());
        let (shutdown, _) = watch::channel(false);
        SimState {
            world: RwLock::new(world),
            credentials,
            token_ttl,
            addr,
            origin,
            shutdown,
            latency: Mutex::new(latency),
            faults: Mutex::new(Vec::new()),
            order_listing: Mutex::new(OrderListing::default()),
            denied: Mutex::new(Vec::new()),
            requests: Mutex::new(RequestLog::default()),
            create_hold: Mutex::new(None),
            tokens: Mutex::new(HashMap::new()),
            counter: AtomicU64::new(1),
            salt,
        }
    }

    pub fn read_world(&self) -> RwLockReadGuard<'_, World> {
        self.world.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn write_world(&self) -> RwLockWriteGuard<'_, World> {
        self.world.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sets the permissions the security role lacks (replacing any set before).
    pub fn set_denied(&self, denied: Vec<(String, String)>) {
        *lock(&self.denied) = denied;
    }

    pub fn is_denied(&self, area: &str, level: &str) -> bool {
        lock(&self.denied)
            .iter()
            .any(|(a, l)| a.eq_ignore_ascii_case(area) && l.eq_ignore_ascii_case(level))
    }

    pub fn connectwise_base(&self) -> String {
        format!("{}/v4_6_release/apis/3.0/", self.origin)
    }

    fn next_random(&self) -> u64 {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        splitmix(n ^ self.salt.rotate_left(17))
    }

    /// A correlation id shaped like the marketplace's (`a8n-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`).
    pub fn correlation_id(&self) -> String {
        let a = self.next_random();
        let b = self.next_random();
        format!(
            "a8n-{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }

    // --- latency and faults ---

    pub fn latency(&self) -> Duration {
        *lock(&self.latency)
    }

    pub fn set_latency(&self, d: Duration) {
        *lock(&self.latency) = d;
    }

    pub fn set_faults(&self, rules: Vec<FaultRule>) {
        *lock(&self.faults) = rules;
    }

    pub fn order_listing(&self) -> OrderListing {
        *lock(&self.order_listing)
    }

    pub fn set_order_listing(&self, listing: OrderListing) {
        *lock(&self.order_listing) = listing;
    }

    pub fn take_fault(&self, method: &str, path: &str) -> Option<Fault> {
        faults::take(&mut lock(&self.faults), method, path)
    }

    // --- held creates ---

    /// Holds the next `n` addition POSTs until all `n` have arrived (0: none, and releases a group
    /// still waiting).
    pub fn hold_creates(&self, n: usize) {
        let group = (n > 0).then(|| CreateHold {
            size: n,
            arrived: 0,
            progress: Arc::new(watch::channel(HoldProgress::default()).0),
        });
        if let Some(old) = std::mem::replace(&mut *lock(&self.create_hold), group) {
            old.progress.send_modify(|p| p.released = true);
        }
    }

    /// Called by an addition POST before it touches the world: `None` when creates are not held;
    /// else waits (at most [`HOLD_LIMIT`]) until its whole group has arrived and those before it
    /// are done, and returns its turn.
    pub async fn create_turn(&self) -> Option<CreateTurn> {
        let (ticket, progress) = {
            let mut hold = lock(&self.create_hold);
            let group = hold.as_mut()?;
            let ticket = group.arrived;
            group.arrived += 1;
            let progress = group.progress.clone();
            if group.arrived >= group.size {
                *hold = None;
                progress.send_modify(|p| p.released = true);
            }
            (ticket, progress)
        };
        // Taken before waiting: a POST abandoned while held still lets the next one go.
        let turn = CreateTurn(progress.clone());
        let mut rx = progress.subscribe();
        let ready = rx.wait_for(|p| p.released && p.done >= ticket);
        if tokio::time::timeout(HOLD_LIMIT, ready).await.is_err() {
            // The rest never came: call the group off (its other POSTs go too, in order) so that
            // later POSTs are not held.
            let mut hold = lock(&self.create_hold);
            if hold
                .as_ref()
                .is_some_and(|g| Arc::ptr_eq(&g.progress, &progress))
            {
                *hold = None;
            }
            progress.send_modify(|p| p.released = true);
        }
        Some(turn)
    }

    // --- request log ---

    pub fn record(&self, method: &str, path: &str, query: &str) -> RecordSlot {
        let mut log = lock(&self.requests);
        if log.entries.len() >= MAX_RECORDED {
            log.entries.clear();
            log.generation += 1;
        }
        log.entries.push(RecordedRequest {
            method: method.into(),
            path: path.into(),
            query: query.into(),
            status: 0,
        });
        RecordSlot {
            generation: log.generation,
            index: log.entries.len() - 1,
        }
    }

    pub fn record_status(&self, slot: RecordSlot, status: u16) {
        let mut log = lock(&self.requests);
        if log.generation == slot.generation {
            if let Some(e) = log.entries.get_mut(slot.index) {
                e.status = status;
            }
        }
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).entries.clone()
    }

    pub fn clear_requests(&self) {
        let mut log = lock(&self.requests);
        log.entries.clear();
        log.generation += 1;
    }

    // --- marketplace tokens ---

    /// Issues a JWT-looking bearer token valid for `token_ttl`.
    pub fn issue_token(&self, username: &str) -> String {
        let n = self.next_random();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let claims = serde_json::json!({
            "sub": username,
            "iat": now,
            "exp": now + self.token_ttl.as_secs(),
            "jti": format!("{n:016x}"),
        });
        let sig: Vec<u8> = (0..4)
            .flat_map(|i| splitmix(n.wrapping_add(i)).to_be_bytes())
            .collect();
        let token = format!(
            "eyJhbGciOiJSUzI1NiJ9.{}.{}",
            URL_SAFE_NO_PAD.encode(claims.to_string()),
            URL_SAFE_NO_PAD.encode(sig)
        );
        let mut tokens = lock(&self.tokens);
        let now = Instant::now();
        tokens.retain(|_, exp| *exp > now);
        tokens.insert(token.clone(), now + self.token_ttl);
        token
    }

    pub fn token_valid(&self, token: &str) -> bool {
        lock(&self.tokens)
            .get(token)
            .is_some_and(|exp| Instant::now() < *exp)
    }

    pub fn expire_tokens(&self) {
        lock(&self.tokens).clear();
    }
}
