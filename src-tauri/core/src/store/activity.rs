//! The activity log (SPEC §17): every write this desk journaled, and the additions other desks
//! wrote (recognised by their keys in the cached additions), newest first, searched and
//! filtered in SQL so a window of 100,000 writes is read at once.

use rusqlite::{params_from_iter, Connection};

use chrono::NaiveDate;

use crate::error::{Error, ErrorField, Result};
use crate::record::activity::{ActivityKind, ActivityQuery, ActivityResult};
use crate::store::journal::State;

/// One write as the log reads it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// This desk's write, by its id; else another desk's addition, by its id.
    pub write_id: Option<i64>,
    pub at: String,
    pub profile_name: Option<String>,
    pub desk: Option<String>,
    pub sync_id: Option<i64>,
    pub task_id: Option<i64>,
    pub task_type: Option<String>,
    pub order_id: Option<String>,
    pub customer: Option<String>,
    pub agreement_id: i64,
    pub agreement_name: Option<String>,
    /// The journaled spec (JSON), for this desk's writes.
    pub spec: Option<String>,
    pub before: State,
    pub after: State,
    pub state: String,
    pub message: Option<String>,
    pub addition_id: Option<i64>,
    /// The key another desk's addition carries.
    pub key: Option<String>,
    pub undoes: Option<i64>,
    pub sync_state: Option<String>,
    pub undone_by: Option<i64>,
}

/// This desk's writes, as the log's columns.
const WRITES: &str = "
    SELECT w.id, w.updated_at, s.profile_name, s.desk, s.id, t.id, t.task_type,
           t.order_id, t.customer_name, s.agreement_id, s.agreement_name, w.spec, w.before_state,
           w.after_state, w.state, w.message, w.addition_id, NULL, s.undoes, s.state,
           (SELECT max(u.id) FROM syncs u WHERE u.undoes = s.id AND u.state = 'synced'), 0
    FROM sync_writes w JOIN syncs s ON s.id = w.sync_id JOIN tasks t ON t.id = s.task_id";

/// Other desks' additions: keyed, and written by no write of this desk.
const OTHERS: &str = "
    SELECT a.id, a.entered_at, NULL, NULL, NULL, NULL, NULL,
           NULL, json_extract(g.body, '$.company.name'), a.agreement_id,
           json_extract(g.body, '$.name'), NULL, 'null', a.body, 'confirmed', NULL, a.id,
           a.addition_key, NULL, NULL, NULL, 1
    FROM cw_additions a LEFT JOIN cw_agreements g ON g.id = a.agreement_id";

/// The conditions of a query on each side, and their arguments.
struct Conditions {
    writes: Vec<String>,
    others: Vec<String>,
    args_writes: Vec<String>,
    args_others: Vec<String>,
}

/// A kind as the journal's `what` column names it.
fn kind_name(kind: ActivityKind) -> &'static str {
    match kind {
        ActivityKind::Create => "create",
        ActivityKind::Remove => "remove",
        ActivityKind::CancelDate => "cancelDate",
        ActivityKind::Change => "change",
    }
}

/// A day typed in a filter, `yyyy-mm-dd`; anything else is refused in words.
fn day(text: &str, which: &str) -> Result<NaiveDate> {
    text.parse().map_err(|_| {
        Error::invalid(
            ErrorField::Search,
            format!("The “{which}” date “{text}” is not a date: use yyyy-mm-dd."),
        )
    })
}

fn result_condition(result: ActivityResult) -> Option<&'static str> {
    match result {
        ActivityResult::Confirmed => Some("w.state = 'confirmed'"),
        ActivityResult::Failed => Some("w.state = 'failed'"),
        ActivityResult::Unknown => Some("w.state IN ('unknown', 'sending')"),
        ActivityResult::Pending => Some("w.state = 'pending'"),
        ActivityResult::OtherDesk => None,
    }
}

/// A word typed in the search, as a `LIKE` pattern (its own wildcards taken literally).
fn pattern(word: &str) -> String {
    let escaped = word
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

fn conditions(q: &ActivityQuery) -> Result<Conditions> {
    let mut c = Conditions {
        writes: Vec::new(),
        others: vec![
            "a.addition_key IS NOT NULL".to_owned(),
            "NOT EXISTS (SELECT 1 FROM sync_writes x WHERE x.addition_id = a.id)".to_owned(),
            // This desk's create whose answer was lost is known by its key.
            "NOT EXISTS (SELECT 1 FROM sync_writes x WHERE x.addition_key = a.addition_key)"
                .to_owned(),
        ],
        args_writes: Vec::new(),
        args_others: Vec::new(),
    };
    let words: Vec<String> = q.search.split_whitespace().map(pattern).collect();
    if !words.is_empty() {
        // A write is found when its task and agreement hold every word (customer, order,
        // agreement name or id), or its addition id does: the syncs and the writes are each
        // found once, through their indexes, not by reading every write.
        let each = |clause: &str| vec![clause; words.len()].join(" AND ");
        c.writes.push(format!(
            "w.id IN (SELECT x.id FROM sync_writes x WHERE x.sync_id IN (
                          SELECT s.id FROM syncs s JOIN tasks t ON t.id = s.task_id WHERE {})
                      UNION
                      SELECT x.id FROM sync_writes x WHERE x.addition_id IS NOT NULL AND {})",
            each(
                "(t.customer_name LIKE ? ESCAPE '\\' OR t.order_id LIKE ? ESCAPE '\\'
                  OR s.agreement_name LIKE ? ESCAPE '\\'
                  OR CAST(s.agreement_id AS TEXT) LIKE ? ESCAPE '\\')"
            ),
            each("CAST(x.addition_id AS TEXT) LIKE ? ESCAPE '\\'")
        ));
        for w in &words {
            c.args_writes.extend(std::iter::repeat_n(w.clone(), 4));
        }
        c.args_writes.extend(words.iter().cloned());
        for w in &words {
            c.others.push(
                "(json_extract(g.body, '$.company.name') LIKE ? ESCAPE '\\'
                  OR a.addition_key LIKE ? ESCAPE '\\' OR json_extract(g.body, '$.name') LIKE ? ESCAPE '\\'
                  OR CAST(a.agreement_id AS TEXT) LIKE ? ESCAPE '\\' OR CAST(a.id AS TEXT) LIKE ? ESCAPE '\\')"
                    .to_owned(),
            );
            c.args_others.extend(std::iter::repeat_n(w.clone(), 5));
        }
    }
    if let Some(p) = &q.profile {
        c.writes
            .push("w.sync_id IN (SELECT id FROM syncs WHERE profile_name = ?)".to_owned());
        c.args_writes.push(p.clone());
        // Other desks' additions are in this profile's cache: they belong to it.
    }
    if let Some(kind) = q.kind {
        c.writes.push("w.what = ?".to_owned());
        c.args_writes.push(kind_name(kind).to_owned());
        if kind != ActivityKind::Create {
            c.others.push("0".to_owned());
        }
    }
    match q.result.map(|r| (r, result_condition(r))) {
        Some((_, Some(cond))) => {
            c.writes.push(cond.to_owned());
            c.others.push("0".to_owned());
        }
        Some((_, None)) => c.writes.push("0".to_owned()),
        None => {}
    }
    // From the first moment of `from` to before the day after `to`: through the time index.
    fn bound(text: &Option<String>) -> Option<&str> {
        text.as_deref().map(str::trim).filter(|d| !d.is_empty())
    }
    if let Some(from) = bound(&q.from) {
        let from = day(from, "from")?.to_string();
        c.writes.push("w.updated_at >= ?".to_owned());
        c.others.push("a.entered_at >= ?".to_owned());
        c.args_writes.push(from.clone());
        c.args_others.push(from);
    }
    if let Some(to) = bound(&q.to) {
        let after = day(to, "to")?
            .succ_opt()
            .ok_or_else(|| Error::invalid(ErrorField::Search, "The “to” date is out of range."))?
            .to_string();
        c.writes.push("w.updated_at < ?".to_owned());
        c.others.push("a.entered_at < ?".to_owned());
        c.args_writes.push(after.clone());
        c.args_others.push(after);
    }
    Ok(c)
}

fn where_of(clauses: &[String]) -> String {
    if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    }
}

/// How many writes match.
fn count(conn: &Connection, c: &Conditions) -> Result<u32> {
    // The conditions stand on the writes alone (their syncs are found by subquery).
    let writes: u32 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM sync_writes w{}",
            where_of(&c.writes)
        ))?
        .query_row(params_from_iter(c.args_writes.iter()), |r| r.get(0))?;
    let others: u32 = conn
        .prepare(&format!(
            "SELECT count(*) FROM cw_additions a LEFT JOIN cw_agreements g ON g.id = a.agreement_id{}",
            where_of(&c.others)
        ))?
        .query_row(params_from_iter(c.args_others.iter()), |r| r.get(0))?;
    Ok(writes + others)
}

/// The writes (`false`, write id) and other desks' additions (`true`, addition id) of a window,
/// in the log's order: read from the indexes of when they were written, without their columns,
/// so a window deep in the log costs a walk of the index.
fn window_ids(
    conn: &Connection,
    c: &Conditions,
    offset: u32,
    limit: u32,
) -> Result<Vec<(bool, i64)>> {
    let sql = format!(
        "SELECT 0 AS other, w.id AS rid, w.updated_at AS at FROM sync_writes w{}
         UNION ALL
         SELECT 1, a.id, a.entered_at FROM cw_additions a
           LEFT JOIN cw_agreements g ON g.id = a.agreement_id{}
         ORDER BY at DESC, rid DESC LIMIT {limit} OFFSET {offset}",
        where_of(&c.writes),
        where_of(&c.others),
    );
    let args = c.args_writes.iter().chain(c.args_others.iter());
    Ok(conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(args), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

fn entry(r: &rusqlite::Row) -> rusqlite::Result<Entry> {
    let other: bool = r.get(21)?;
    let id: i64 = r.get(0)?;
    Ok(Entry {
        write_id: (!other).then_some(id),
        at: r.get(1)?,
        profile_name: r.get(2)?,
        desk: r.get(3)?,
        sync_id: r.get(4)?,
        task_id: r.get(5)?,
        task_type: r.get(6)?,
        order_id: r.get(7)?,
        customer: r.get(8)?,
        agreement_id: r.get(9)?,
        agreement_name: r.get(10)?,
        spec: r.get(11)?,
        before: State::read_column(r.get::<_, Option<String>>(12)?.as_deref()),
        after: State::read_column(r.get::<_, Option<String>>(13)?.as_deref()),
        state: r.get(14)?,
        message: r.get(15)?,
        addition_id: r.get(16)?,
        key: r.get(17)?,
        undoes: r.get(18)?,
        sync_state: r.get(19)?,
        undone_by: r.get(20)?,
    })
}

/// The entries of `ids` (of one side), by id.
fn entries_of(
    conn: &Connection,
    select: &str,
    column: &str,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, Entry>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let rows = conn
        .prepare(&format!("{select} WHERE {column} IN ({list})"))?
        .query_map([], entry)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|e| (e.write_id.or(e.addition_id).unwrap_or_default(), e))
        .collect())
}

/// Entries `offset..offset+limit` of the log matching `q`, newest first, and how many match.
pub fn window(
    conn: &Connection,
    q: &ActivityQuery,
    offset: u32,
    limit: u32,
) -> Result<(u32, Vec<Entry>)> {
    let c = conditions(q)?;
    let total = count(conn, &c)?;
    let ids = window_ids(conn, &c, offset, limit)?;
    let of = |other: bool| -> Vec<i64> {
        ids.iter()
            .filter(|(o, _)| *o == other)
            .map(|(_, id)| *id)
            .collect()
    };
    let mut own = entries_of(conn, WRITES, "w.id", &of(false))?;
    let mut others = entries_of(conn, OTHERS, "a.id", &of(true))?;
    let rows = ids
        .iter()
        .filter_map(|(other, id)| {
            if *other {
                others.remove(id)
            } else {
                own.remove(id)
            }
        })
        .collect();
    Ok((total, rows))
}

/// The profiles this desk wrote with: each found through the index, one step per profile.
pub fn profiles(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached(
            "WITH RECURSIVE p(name) AS (
                 SELECT min(profile_name) FROM syncs
                 UNION ALL
                 SELECT (SELECT min(profile_name) FROM syncs WHERE profile_name > p.name)
                 FROM p WHERE p.name IS NOT NULL)
             SELECT name FROM p WHERE name IS NOT NULL",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}
