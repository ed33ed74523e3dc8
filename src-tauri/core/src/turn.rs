//! Whose turn it is: work that reads or writes the services for a profile takes a turn, and
//! what is refused meanwhile is told what runs ("A reconcile is running"), never a guess.
//!
//! Two lanes: Check Changes and Reconcile share one (both refresh the ConnectWise cache), a sync
//! and a batch sync the other (both write to ConnectWise).

use std::sync::{Mutex, PoisonError};

use crate::error::{Error, ErrorField};

/// A piece of work that takes a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    CheckChanges,
    /// A check that runs on the profile's schedule (SPEC §18): it holds both lanes.
    ScheduledCheck,
    Reconcile,
    Sync,
    BatchSync,
}

impl Work {
    /// What runs, in words, as a sentence starts: "A reconcile".
    pub fn words(self) -> &'static str {
        match self {
            Work::CheckChanges => "Check Changes",
            Work::ScheduledCheck => "A scheduled check",
            Work::Reconcile => "A reconcile",
            Work::Sync => "A sync",
            Work::BatchSync => "A batch sync",
        }
    }

    /// What runs, in words, within a sentence: "a reconcile".
    pub fn words_within(self) -> String {
        match self {
            Work::CheckChanges => self.words().to_owned(),
            _ => self.words().to_lowercase(),
        }
    }

    /// Why `self` cannot start while `running` runs, naming `field` (what was asked for).
    pub fn refused_by(self, running: Work, field: ErrorField) -> Error {
        let message = if running == self {
            format!(
                "{} is already running; wait for it to finish.",
                self.words()
            )
        } else {
            format!("{} is running; wait for it to finish.", running.words())
        };
        Error::invalid(field, message)
    }
}

/// One lane of work: at most one piece at a time, and it knows which.
#[derive(Debug, Default)]
pub struct Lane(Mutex<Option<Work>>);

/// The turn `work` holds on its lane; the lane is free again when it is dropped.
#[derive(Debug)]
pub struct Turn<'a>(&'a Lane);

impl Lane {
    /// Takes the lane for `work`, or says what holds it.
    pub fn take(&self, work: Work) -> Result<Turn<'_>, Work> {
        let mut running = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match *running {
            Some(other) => Err(other),
            None => {
                *running = Some(work);
                Ok(Turn(self))
            }
        }
    }

    /// What holds the lane now, if anything.
    pub fn running(&self) -> Option<Work> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        *self.0 .0.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lane_holds_one_piece_of_work_names_it_and_is_free_when_it_ends() {
        let lane = Lane::default();
        assert_eq!(lane.running(), None);
        let turn = lane.take(Work::Reconcile).unwrap();
        assert_eq!(lane.running(), Some(Work::Reconcile));
        assert_eq!(lane.take(Work::CheckChanges).unwrap_err(), Work::Reconcile);
        drop(turn);
        assert_eq!(lane.running(), None);
        assert!(lane.take(Work::CheckChanges).is_ok());
    }

    #[test]
    fn a_refusal_names_what_runs() {
        let said =
            |wanted: Work, running: Work| wanted.refused_by(running, ErrorField::Sync).to_string();
        assert_eq!(
            said(Work::CheckChanges, Work::Reconcile),
            "A reconcile is running; wait for it to finish."
        );
        assert_eq!(
            said(Work::CheckChanges, Work::CheckChanges),
            "Check Changes is already running; wait for it to finish."
        );
        assert_eq!(
            said(Work::Sync, Work::BatchSync),
            "A batch sync is running; wait for it to finish."
        );
        assert_eq!(Work::Reconcile.words_within(), "a reconcile");
        assert_eq!(Work::CheckChanges.words_within(), "Check Changes");
        assert_eq!(
            said(Work::Sync, Work::ScheduledCheck),
            "A scheduled check is running; wait for it to finish."
        );
    }
}
