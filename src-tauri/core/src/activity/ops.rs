//! Activity and undo on the open profile. They are the context's (`impl Context`), written with
//! their feature; a session derefs to its context.

use crate::activity::{csv, log, undo};
use crate::batch::SavedFile;
use crate::context::Context;
use crate::error::{Error, ErrorField, Result};
use crate::turn::Work;
use crate::view::{
    ActivityPage, ActivityQuery, SyncView, UndoBoardResult, UndoBoardView, UndoView,
};

/// The most rows one export holds.
const MAX_EXPORT: u32 = 1_000_000;

/// Activity and undo on the open profile.
impl Context {
    /// Rows `offset..offset+limit` of the activity log matching `query`, newest first.
    pub async fn activity(
        &self,
        query: ActivityQuery,
        offset: u32,
        limit: u32,
    ) -> Result<ActivityPage> {
        let profile = self.profile_name.clone();
        self.store
            .call(move |c| log::page(c, &query, offset, limit, &profile))
            .await
    }

    /// Saves what the activity log shows for `query` (every row of it) as CSV into `dir`.
    pub async fn save_activity_csv(
        &self,
        query: ActivityQuery,
        to: impl Into<crate::saving::Destination>,
    ) -> Result<SavedFile> {
        let to = to.into();
        let profile = self.profile_name.clone();
        let today = self.clock.today();
        self.store
            .call(move |c| {
                let (_, entries) = crate::store::activity::window(c, &query, 0, MAX_EXPORT)?;
                let rows: Vec<_> = entries
                    .into_iter()
                    .map(|e| log::row_of(e, &profile))
                    .collect();
                csv::save(&rows, &to, today)
            })
            .await
    }

    /// The undo of a sync: its compensating plan, from the agreement read again.
    pub async fn open_undo(&self, sync_id: i64) -> Result<UndoView> {
        let result = undo::open(self.connectwise().ok(), &self.store, &self.clock, sync_id).await;
        self.observe(&result);
        result
    }

    /// Selects an optional row of an undo (a credit), or leaves it out.
    pub async fn select_undo_row(
        &self,
        sync_id: i64,
        row_key: String,
        selected: bool,
    ) -> Result<UndoView> {
        self.store
            .call(move |c| undo::select(c, sync_id, &row_key, selected))
            .await
    }

    /// Writes the undo of a sync, as a sync of its own (SPEC §17).
    pub async fn undo_sync(
        &self,
        sync_id: i64,
        progress: &(dyn Fn(SyncView) + Send + Sync),
    ) -> Result<SyncView> {
        let _turn = self
            .turn
            .syncing
            .take(Work::Sync)
            .map_err(|running| Work::Sync.refused_by(running, ErrorField::Sync))?;
        let result = undo::run(&self.syncer(progress)?, sync_id).await;
        self.observe(&result);
        result
    }

    /// The board of a batch's undos: one per task the batch synced.
    pub async fn open_batch_undo(&self, batch_id: i64) -> Result<UndoBoardView> {
        let (syncs, skipped) = self
            .store
            .call(move |c| undo::batch_syncs(c, batch_id))
            .await?;
        let mut undos = Vec::with_capacity(syncs.len());
        for id in syncs {
            undos.push(self.open_undo(id).await?);
        }
        Ok(UndoBoardView {
            batch_id,
            undos,
            skipped,
        })
    }

    /// Writes the undos of a batch's syncs, one after another; each is a sync of its own.
    pub async fn undo_batch(
        &self,
        batch_id: i64,
        sync_ids: Vec<i64>,
        progress: &(dyn Fn(SyncView) + Send + Sync),
    ) -> Result<UndoBoardResult> {
        let (of_batch, _) = self
            .store
            .call(move |c| undo::batch_syncs(c, batch_id))
            .await?;
        if let Some(stranger) = sync_ids.iter().find(|id| !of_batch.contains(id)) {
            return Err(Error::invalid(
                ErrorField::Batch,
                format!("Sync {stranger} is not one of this batch's syncs left to undo."),
            ));
        }
        let _turn = self
            .turn
            .syncing
            .take(Work::Sync)
            .map_err(|running| Work::Sync.refused_by(running, ErrorField::Batch))?;
        let syncer = self.syncer(progress)?;
        let mut syncs = Vec::with_capacity(sync_ids.len());
        let mut refused = Vec::new();
        // Each undo is a sync of its own: one that cannot run is named, the others still run.
        for id in sync_ids {
            let result = undo::run(&syncer, id).await;
            self.observe(&result);
            match result {
                Ok(view) => syncs.push(view),
                Err(e) => refused.push(format!("Sync {id}: {e}")),
            }
        }
        let mut message = undo::board_words(&syncs);
        if !refused.is_empty() {
            message = format!("{message} Not undone: {}", refused.join(" "));
        }
        Ok(UndoBoardResult { message, syncs })
    }
}
