//! CashWeb's transaction list read into the queue, one request per
//! transaction (the CashWeb id is the request's intake reference, so
//! reading again never duplicates).
//!
//! The document does not say in which order the list runs, so the feed
//! does not rely on one: each round reads from the start until it meets a
//! known transaction (new ones are there if the list is newest first) and
//! again from the page where the list last ended (new ones are there if it
//! is oldest first). The first reading of a long list continues across
//! rounds from a stored cursor. An item that cannot be read is set aside
//! (quarantine), shown, and the feed goes on.

use crate::cx::Cx;
use crate::error::{CoreError, CoreResult};
use crate::providers::cashweb::{ACTOR, Account, apply_expiry, new_request};
use cashdesk_cashweb::{Cursor, Transaction, TransactionPage, Unreadable};
use cashdesk_domain::{AccountId, Actor};
use std::collections::HashSet;

/// The `sync_cursors` stream of the first reading (backfill).
const STREAM: &str = "transactions";
/// The cursor that produced the list's last page ("" = from the start).
const TAIL: &str = "transactions.tail";
/// Stored once the backfill reached the end of the list.
const BACKFILL_DONE: &str = "";

struct Scan<'a> {
    app: &'a Cx,
    account: AccountId,
    acc: &'a Account,
    limit: u32,
    max_pages: u32,
    pages: u32,
    created: u32,
    quarantined: HashSet<String>,
}

impl Scan<'_> {
    /// Reads one page and files what it holds; whether any was known.
    async fn read(&mut self, cursor: Option<&Cursor>) -> CoreResult<(TransactionPage, bool)> {
        let page = self
            .acc
            .client
            .list_transactions(self.limit, cursor)
            .await
            .map_err(|e| CoreError::Provider(e.to_string()))?;
        self.pages += 1;
        let mut known = false;
        for t in &page.transactions {
            if apply(self.app, self.account, t)? {
                self.created += 1;
            } else {
                known = true;
            }
            if self.quarantined.remove(&t.id) {
                self.app.store().release_quarantine(self.account, &t.id)?;
            }
        }
        for bad in &page.unreadable {
            self.set_aside(bad)?;
        }
        Ok((page, known))
    }

    fn set_aside(&mut self, bad: &Unreadable) -> CoreResult<()> {
        let key = bad.id.clone().unwrap_or_else(|| digest(&bad.raw));
        let new = self
            .app
            .store()
            .quarantine(self.account, &key, &bad.error, &bad.raw)?;
        self.quarantined.insert(key.clone());
        if new {
            tracing::warn!(
                item = %key,
                "CashWeb sent a transaction Cashdesk cannot read; set aside: {}",
                bad.error
            );
            self.app.changed(crate::api::dto::Changed::default());
        }
        Ok(())
    }

    fn room(&self) -> bool {
        self.pages < self.max_pages
    }
}

fn digest(raw: &str) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(raw.as_bytes());
    let hex: String = hash.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// One transaction into the store; `true` when it was new.
fn apply(app: &Cx, account: AccountId, t: &Transaction) -> CoreResult<bool> {
    let new = new_request(account, t)?;
    let (rec, created) =
        app.store()
            .insert_from_feed(&new, &Actor::Provider(ACTOR.into()), &t.id)?;
    if created {
        app.notice(crate::notify::Notice::new_request(&rec, &rec.method));
    } else {
        apply_expiry(app, &rec, t)?;
    }
    Ok(created)
}

/// Where the first reading stands after a page read from `used`: the
/// cursor to resume from (or done), and at the end of the list the cursor
/// of its last page, where later rounds look for new transactions.
fn first_reading(
    app: &Cx,
    account: AccountId,
    next: Option<&Cursor>,
    used: Option<&Cursor>,
) -> CoreResult<()> {
    let store = app.store();
    store.set_cursor(account, STREAM, next.map_or(BACKFILL_DONE, |c| c.as_str()))?;
    if next.is_none() {
        store.set_cursor(account, TAIL, used.map_or("", |c| c.as_str()))?;
    }
    Ok(())
}

/// One round of `account`'s list (at most `max_pages` pages); returns how
/// many requests were created.
pub(crate) async fn sync(
    app: &Cx,
    account: AccountId,
    acc: &Account,
    limit: u32,
    max_pages: u32,
) -> CoreResult<u32> {
    let store = app.store();
    let quarantined = store
        .quarantined()?
        .into_iter()
        .filter(|q| q.account_id == account)
        .map(|q| q.item_key)
        .collect();
    let mut scan = Scan {
        app,
        account,
        acc,
        limit,
        max_pages,
        pages: 0,
        created: 0,
        quarantined,
    };
    let stored = store.cursor(account, STREAM)?;
    // From the start, until a known transaction.
    let mut cursor: Option<Cursor> = None;
    loop {
        let (page, known) = scan.read(cursor.as_ref()).await?;
        if stored.is_none() {
            first_reading(app, account, page.next_cursor.as_ref(), cursor.as_ref())?;
        }
        if known || page.next_cursor.is_none() || !scan.room() {
            break;
        }
        cursor = page.next_cursor;
    }
    // An earlier first reading stopped part-way: continue it.
    let mut resume = stored.clone().and_then(Cursor::restore);
    while let Some(c) = resume.take() {
        if !scan.room() {
            break;
        }
        let (page, _) = scan.read(Some(&c)).await?;
        first_reading(app, account, page.next_cursor.as_ref(), Some(&c))?;
        resume = page.next_cursor;
    }
    // From where the list last ended, to its end.
    if store.cursor(account, STREAM)?.as_deref() == Some(BACKFILL_DONE) {
        let mut at = store.cursor(account, TAIL)?.and_then(Cursor::restore);
        while scan.room() {
            let (page, _) = match scan.read(at.as_ref()).await {
                Ok(p) => p,
                Err(e) => {
                    // A cursor CashWeb no longer honours: next round walks
                    // from the start.
                    store.set_cursor(account, TAIL, "")?;
                    return Err(e);
                }
            };
            match page.next_cursor {
                Some(next) => {
                    // The furthest point reached, so a long walk goes on
                    // next round rather than starting again.
                    store.set_cursor(account, TAIL, next.as_str())?;
                    at = Some(next);
                }
                None => {
                    let used = at.as_ref().map_or("", |c| c.as_str());
                    store.set_cursor(account, TAIL, used)?;
                    break;
                }
            }
        }
    }
    Ok(scan.created)
}
