//! Adaptive concurrency for the reads of one service (DESIGN rule 15): it starts moderate, grows
//! while answers come back fast, halves on a 429 or a timeout, and never passes its ceiling. A
//! reseller's first check makes thousands of reads: as many at once as the service takes well,
//! and fewer as soon as it says it is busy.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::Notify;

/// How an answer went, for the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Answered, about as fast as the fastest answers so far: one more may run.
    Fast,
    /// Answered slowly, or with a server error: the limit stays.
    Slow,
    /// Busy (429) or timed out: the limit halves.
    Overloaded,
}

/// How many reads may run at once, and how that number moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Concurrency {
    /// Reads at once to begin with.
    pub start: usize,
    /// Never more than this at once.
    pub ceiling: usize,
}

impl Default for Concurrency {
    fn default() -> Self {
        Concurrency {
            start: 4,
            ceiling: 32,
        }
    }
}

/// An answer slower than this many times the fastest so far does not grow the limit.
const SLOW_FACTOR: u32 = 3;

/// After a cut, answers to reads sent before it do not cut again for this long (one burst of
/// 429s is one signal).
const CUT_QUIET: Duration = Duration::from_millis(250);

#[derive(Debug)]
struct State {
    /// Reads allowed at once; grows by 1/limit per fast answer (about one per round trip).
    limit: f64,
    in_flight: usize,
    fastest: Option<Duration>,
    last_cut: Option<Instant>,
    /// The highest limit reached (for the benchmarks' figures).
    peak: usize,
}

/// The limiter of one service's reads. Cheap to share behind an `Arc` or a reference.
#[derive(Debug)]
pub struct Limiter {
    ceiling: usize,
    state: Mutex<State>,
    freed: Notify,
}

impl Limiter {
    pub fn new(c: Concurrency) -> Self {
        let ceiling = c.ceiling.max(1);
        let start = c.start.clamp(1, ceiling);
        Limiter {
            ceiling,
            state: Mutex::new(State {
                limit: start as f64,
                in_flight: 0,
                fastest: None,
                last_cut: None,
                peak: start,
            }),
            freed: Notify::new(),
        }
    }

    /// The most reads that may ever run at once.
    pub fn ceiling(&self) -> usize {
        self.ceiling
    }

    /// Reads allowed at once now.
    pub fn limit(&self) -> usize {
        self.lock().limit as usize
    }

    /// The highest number of reads allowed at once so far.
    pub fn peak(&self) -> usize {
        self.lock().peak
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock leaves numbers, not broken invariants.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for a free place, and holds it until the permit is dropped or `done`.
    pub async fn acquire(&self) -> Permit<'_> {
        loop {
            let freed = self.freed.notified();
            {
                let mut s = self.lock();
                if s.in_flight < s.limit as usize {
                    s.in_flight += 1;
                    return Permit {
                        limiter: self,
                        sent: Instant::now(),
                        outcome: None,
                    };
                }
            }
            freed.await;
        }
    }

    fn release(&self, sent: Instant, outcome: Option<Outcome>) {
        let took = sent.elapsed();
        {
            let mut s = self.lock();
            s.in_flight = s.in_flight.saturating_sub(1);
            match outcome {
                Some(Outcome::Fast) => {
                    let fastest = *s.fastest.get_or_insert(took);
                    if took < fastest {
                        s.fastest = Some(took);
                    }
                    if took <= fastest.saturating_mul(SLOW_FACTOR) {
                        s.limit = (s.limit + 1.0 / s.limit).min(self.ceiling as f64);
                        s.peak = s.peak.max(s.limit as usize);
                    }
                }
                Some(Outcome::Overloaded) => {
                    let quiet = s.last_cut.is_some_and(|at| at.elapsed() < CUT_QUIET);
                    if !quiet {
                        s.limit = (s.limit / 2.0).max(1.0);
                        s.last_cut = Some(Instant::now());
                        tracing::info!(
                            limit = s.limit as usize,
                            "the service is busy: fewer reads at once"
                        );
                    }
                }
                Some(Outcome::Slow) | None => {}
            }
        }
        self.freed.notify_waiters();
    }
}

/// A place among the reads running at once.
#[derive(Debug)]
pub struct Permit<'a> {
    limiter: &'a Limiter,
    sent: Instant,
    outcome: Option<Outcome>,
}

impl Permit<'_> {
    /// Frees the place, saying how the answer went.
    pub fn done(mut self, outcome: Outcome) {
        self.outcome = Some(outcome);
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.limiter.release(self.sent, self.outcome);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(l: &Limiter, outcome: Outcome) {
        let permit = {
            let mut s = l.lock();
            s.in_flight += 1;
            Permit {
                limiter: l,
                sent: Instant::now(),
                outcome: None,
            }
        };
        permit.done(outcome);
    }

    #[test]
    fn grows_while_answers_are_fast_up_to_the_ceiling() {
        let l = Limiter::new(Concurrency {
            start: 4,
            ceiling: 10,
        });
        assert_eq!(l.limit(), 4);
        // About one more per round of `limit` fast answers.
        for _ in 0..5 {
            answer(&l, Outcome::Fast);
        }
        assert_eq!(l.limit(), 5);
        for _ in 0..1000 {
            answer(&l, Outcome::Fast);
        }
        assert_eq!((l.limit(), l.peak()), (10, 10));
        // Slow answers and server errors leave it.
        answer(&l, Outcome::Slow);
        assert_eq!(l.limit(), 10);
    }

    #[test]
    fn halves_once_per_burst_of_busy_answers_and_never_below_one() {
        let l = Limiter::new(Concurrency {
            start: 16,
            ceiling: 32,
        });
        answer(&l, Outcome::Overloaded);
        assert_eq!(l.limit(), 8);
        // The same burst: no second cut.
        answer(&l, Outcome::Overloaded);
        assert_eq!(l.limit(), 8);
        for _ in 0..10 {
            l.lock().last_cut = None;
            answer(&l, Outcome::Overloaded);
        }
        assert_eq!(l.limit(), 1);
    }

    #[test]
    fn start_and_ceiling_are_kept_sane() {
        let l = Limiter::new(Concurrency {
            start: 0,
            ceiling: 0,
        });
        assert_eq!((l.limit(), l.ceiling()), (1, 1));
        let l = Limiter::new(Concurrency {
            start: 50,
            ceiling: 8,
        });
        assert_eq!(l.limit(), 8);
    }

    #[tokio::test]
    async fn a_read_waits_for_a_free_place() {
        let l = std::sync::Arc::new(Limiter::new(Concurrency {
            start: 1,
            ceiling: 1,
        }));
        let first = l.acquire().await;
        let waiting = {
            let l = l.clone();
            tokio::spawn(async move {
                let _second = l.acquire().await;
            })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "only one place");
        first.done(Outcome::Fast);
        tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("the second read runs once the first is done")
            .unwrap();
    }
}
