//! A batch's operations on the open profile. They are the context's
//! (`impl Context`), written with their feature; a session derefs to its context.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::batch::{self, run::BatchSyncer};
use crate::batch::{
    BatchProgress, BatchResult, BoardView, BulkAction, InterruptedBatch, SavedFile, TaskSelection,
};
use crate::context::Context;
use crate::error::{Error, ErrorField, Result};
use crate::turn::Work;

/// A batch's operations on the open profile.
impl Context {
    /// Makes a batch of the selected tasks and prepares its board, from the cache (offline too).
    pub async fn open_batch(&self, selection: TaskSelection) -> Result<BoardView> {
        let (now, today) = (self.clock.now_text(), self.clock.today());
        let directory = self.directory.clone();
        self.store
            .call(move |c| {
                let directory = directory.get(c)?;
                batch::board::open(c, &selection, &now, today, &directory)
            })
            .await
    }

    /// The batch's board, every row planned again from the cache.
    pub async fn batch_board(&self, batch_id: i64) -> Result<BoardView> {
        let directory = self.directory.clone();
        let today = self.clock.today();
        self.store
            .call(move |c| batch::board::board(c, batch_id, today, &directory.get(c)?))
            .await
    }

    /// Applies a bulk action to rows of the batch (through the wizard's edits) and re-plans.
    pub async fn apply_bulk(
        &self,
        batch_id: i64,
        task_ids: Vec<i64>,
        action: BulkAction,
    ) -> Result<BoardView> {
        if self.turn.running_batch() == Some(batch_id) {
            return Err(Error::invalid(
                ErrorField::Batch,
                "This batch is syncing: wait for it to finish (or stop it) before changing its rows.",
            ));
        }
        let (now, today) = (self.clock.now_text(), self.clock.today());
        let directory = self.directory.clone();
        self.store
            .call(move |c| {
                let directory = directory.get(c)?;
                batch::actions::apply(c, batch_id, &task_ids, &action, &now, today, &directory)
            })
            .await
    }

    /// Syncs the batch's ready tasks (and finishes what an interrupted run left), concurrently
    /// across agreements, reporting on `progress`.
    pub async fn sync_batch(
        &self,
        batch_id: i64,
        progress: &(dyn Fn(BatchProgress) + Send + Sync),
    ) -> Result<BatchResult> {
        let _turn = self
            .turn
            .syncing
            .take(Work::BatchSync)
            .map_err(|running| Work::BatchSync.refused_by(running, ErrorField::Sync))?;
        let cw = self.connectwise()?;
        let stop = Arc::new(AtomicBool::new(false));
        let _running = self.turn.run_batch(batch_id, stop.clone());
        let syncer = BatchSyncer {
            cw,
            store: &self.store,
            profile_name: &self.profile_name,
            backoff: self.options.sync_backoff,
            clock: &self.clock,
            directory: &self.directory,
            concurrency: self.options.batch_concurrency,
            stop: &stop,
            progress,
            calendars: Default::default(),
        };
        let result = batch::run::sync_batch(&syncer, batch_id).await;
        self.observe(&result);
        result
    }

    /// Asks the running sync of batch `batch_id` to stop: the syncs under way finish, the rest
    /// is left. Nothing to do when it is not running.
    pub fn stop_batch(&self, batch_id: i64) -> Result<()> {
        self.turn.stop_batch(batch_id);
        Ok(())
    }

    /// The batch whose sync was cut off when the app last stopped, if any.
    pub async fn interrupted_batch(&self) -> Result<Option<InterruptedBatch>> {
        let running = self.turn.running_batch();
        self.store
            .call(move |c| batch::run::interrupted(c, running))
            .await
    }

    /// Saves the batch's board as CSV into `dir`.
    pub async fn save_batch_csv(
        &self,
        batch_id: i64,
        to: impl Into<crate::saving::Destination>,
    ) -> Result<SavedFile> {
        let to = to.into();
        let board = self.batch_board(batch_id).await?;
        let today = self.clock.today();
        tokio::task::spawn_blocking(move || batch::csv::save(&board, &to, today))
            .await
            .map_err(|e| {
                Error::File(format!(
                    "The CSV could not be saved: its writing stopped ({e})."
                ))
            })?
    }
}
