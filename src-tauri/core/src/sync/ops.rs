//! Sync on the open profile. They are the context's
//! (`impl Context`), written with their feature; a session derefs to its context.

use crate::context::Context;
use crate::error::{ErrorField, Result};
use crate::sync::apply::{self, Syncer};
use crate::turn::Work;
use crate::view::{SyncView, WizardView};

/// Sync on the open profile.
impl Context {
    /// Writes the task's reviewed plan to ConnectWise (SPEC §7), or finishes its unfinished sync,
    /// or — for a synced task — checks again and writes nothing.
    pub async fn sync_task(
        &self,
        task_id: i64,
        progress: &(dyn Fn(SyncView) + Send + Sync),
    ) -> Result<SyncView> {
        let _turn = self
            .turn
            .syncing
            .take(Work::Sync)
            .map_err(|running| Work::Sync.refused_by(running, ErrorField::Sync))?;
        let result = apply::sync_task(&self.syncer(progress)?, task_id).await;
        self.observe(&result);
        result
    }

    /// What one sync on the open profile writes with, reporting on `progress`.
    pub(crate) fn syncer<'a>(
        &'a self,
        progress: &'a (dyn Fn(SyncView) + Send + Sync),
    ) -> Result<Syncer<'a>> {
        Ok(Syncer {
            cw: self.connectwise()?,
            store: &self.store,
            profile_name: &self.profile_name,
            backoff: self.options.sync_backoff,
            clock: &self.clock,
            progress,
            calendars: None,
        })
    }

    /// Reads the task's agreement again, so the review starts from what ConnectWise has now.
    pub async fn refresh_agreement(&self, task_id: i64) -> Result<WizardView> {
        let result =
            apply::refresh_agreement(self.connectwise()?, &self.store, &self.clock, task_id).await;
        self.observe(&result);
        result
    }

    /// Sets the task's unfinished sync aside to review it again.
    pub async fn discard_sync(&self, task_id: i64) -> Result<WizardView> {
        let _turn = self
            .turn
            .syncing
            .take(Work::Sync)
            .map_err(|running| Work::Sync.refused_by(running, ErrorField::Sync))?;
        apply::discard(self.connectwise()?, &self.store, &self.clock, task_id).await
    }
}
