//! The wizard's operations on the open profile. They are the context's
//! (`impl Context`), written with their feature; a session derefs to its context.

use crate::context::Context;
use crate::error::Result;
use crate::review;
use crate::store::tasks;
use crate::sync::apply;
use crate::view::{CatalogOption, CompanyOption, WizardEdit, WizardView};
use crate::{validate, wizard};

/// The wizard's operations on the open profile.
impl Context {
    /// The review wizard of a task, from the cache (works offline); online, what the review
    /// needs and the cache lacks is read first (see [`Session::reading_what_is_missing`]).
    pub async fn open_wizard(&self, task_id: i64) -> Result<WizardView> {
        let directory = self.directory.clone();
        let view = self
            .store
            .call(move |c| wizard::open(c, task_id, &directory.get(c)?))
            .await?;
        let view = self.reading_the_calendar(task_id, view).await?;
        self.reading_what_is_missing(task_id, view).await
    }

    /// A review reads the chosen agreement's invoice calendar from ConnectWise when it can be
    /// reached (SPEC §16: read at review, and again right before writing); offline, or when the
    /// read fails, the review goes on from what the cache holds.
    async fn reading_the_calendar(&self, task_id: i64, view: WizardView) -> Result<WizardView> {
        let Some(id) = view.agreements.as_ref().and_then(|a| a.chosen) else {
            return Ok(view);
        };
        let Ok(cw) = self.connectwise() else {
            return Ok(view);
        };
        match apply::read_calendar(cw, &self.store, &self.clock, id).await {
            Ok(_) => {
                let directory = self.directory.clone();
                self.store
                    .call(move |c| wizard::open(c, task_id, &directory.get(c)?))
                    .await
            }
            Err(e) => {
                tracing::warn!(
                    agreement_id = id,
                    "the invoice calendar could not be read: {e}"
                );
                Ok(view)
            }
        }
    }

    /// A review whose chosen agreement's additions were never read (a customer mapped while
    /// ConnectWise could not be reached, a reconcile fix) reads them itself when ConnectWise can
    /// be reached, and is planned from them; otherwise it is returned as it is, saying they are
    /// not read yet — or, when ConnectWise answered with an error, why they could not be.
    async fn reading_what_is_missing(&self, task_id: i64, view: WizardView) -> Result<WizardView> {
        let Some(id) = view
            .agreements
            .as_ref()
            .and_then(|a| a.chosen)
            .filter(|_| view.plan.is_none())
        else {
            return Ok(view);
        };
        let unread = self
            .store
            .call(move |c| Ok(!crate::store::connectwise::additions_read(c)?.contains_key(&id)))
            .await?;
        let Ok(cw) = self.connectwise() else {
            return Ok(view);
        };
        if !unread {
            return Ok(view);
        }
        let result = apply::refresh_agreement(cw, &self.store, &self.clock, task_id).await;
        self.observe(&result);
        match result {
            Ok(read) => Ok(read),
            Err(e) if e.is_offline() => Ok(view),
            Err(e) => {
                tracing::warn!(
                    task_id,
                    agreement_id = id,
                    "the agreement could not be read: {e}"
                );
                // Shown as the review's own problem with the agreement, saying why.
                let directory = self.directory.clone();
                let why = e.to_string();
                self.store
                    .call(move |c| {
                        let mut loaded = review::load_with(c, task_id, directory.get(c)?)?;
                        loaded.additions_unreadable.insert(id, why);
                        wizard::build(&loaded)
                    })
                    .await
            }
        }
    }

    /// Applies one edit (validated in core), saves the draft, and returns the new state. An
    /// edit after which the task cannot be planned is refused and not saved.
    pub async fn edit_wizard(&self, task_id: i64, edit: WizardEdit) -> Result<WizardView> {
        let now = self.clock.now_text();
        let directory = self.directory.clone();
        let view = self
            .store
            .call(move |c| {
                let directory = directory.get(c)?;
                let tx = c.transaction()?;
                let mut loaded = review::load_with(&tx, task_id, directory)?;
                wizard::apply(&tx, &mut loaded, &edit, &now)?;
                // Planned before it is saved: when this fails, the transaction is dropped and
                // the draft stays as it was.
                let view = wizard::build(&loaded)?;
                tx.commit()?;
                Ok(view)
            })
            .await?;
        let view = self.reading_the_calendar_once(task_id, view).await?;
        self.reading_what_is_missing(task_id, view).await
    }

    /// After an edit that chose an agreement (the customer mapped, another agreement chosen),
    /// its invoice calendar is read if it never was; other edits read nothing.
    async fn reading_the_calendar_once(
        &self,
        task_id: i64,
        view: WizardView,
    ) -> Result<WizardView> {
        let Some(id) = view.agreements.as_ref().and_then(|a| a.chosen) else {
            return Ok(view);
        };
        let read = self
            .store
            .call(move |c| crate::store::connectwise::recap(c, id))
            .await?;
        if read != crate::calendar::RecapRead::NotRead {
            return Ok(view);
        }
        self.reading_the_calendar(task_id, view).await
    }

    pub async fn search_companies(&self, task_id: i64, text: String) -> Result<Vec<CompanyOption>> {
        validate::search(&text)?;
        let directory = self.directory.clone();
        self.store
            .call(move |c| {
                let task = tasks::get(c, task_id)?;
                let companies = directory.get(c)?.companies;
                Ok(wizard::search_companies(
                    &companies,
                    &task.customer_name,
                    &text,
                ))
            })
            .await
    }

    pub async fn search_catalog(&self, text: String) -> Result<Vec<CatalogOption>> {
        validate::search(&text)?;
        let directory = self.directory.clone();
        self.store
            .call(move |c| Ok(wizard::search_catalog(&directory.get(c)?.catalog, &text)))
            .await
    }
}
